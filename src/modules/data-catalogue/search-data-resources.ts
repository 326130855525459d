/**
 * 目录检索: the published catalogue, searched in Chinese like the service catalogue (jieba words from
 * src/modules/search/segmenter.ts, plus pinyin and initials) with CKAN-like parameters: q (words), fq (filters
 * `field:value`, joined by spaces: provider, share_type, grade, base_library, catalogue_kind — or the same as
 * separate parameters), rows / start (the page) and facets (counts of the result by each filter field).
 *
 * Each entry keeps `search_text`: its normalised text, its words and its pinyin, written when it is saved. A
 * query matches an entry when the entry holds the whole query, or every word of it (a long word also matches
 * when all its parts do). Entries whose name matches rank first. The catalogue is small (thousands of entries at
 * most), so the facets count the matching rows' filter columns in one pass.
 */
import { sql, type Kysely, type RawBuilder, type SqlBool } from 'kysely';
import type { BaseLibrary, CatalogueKind, DataGrade, DataItem, DB, ShareType } from '../../db/schema.ts';
import { InvalidParameterError } from '../../shared/errors.ts';
import { isPinyinQuery, normalise, pinyinKeys, tokenize } from '../search/segmenter.ts';
import type { FacetValue } from '../search/search.types.ts';
import {
  BASE_LIBRARIES, BASE_LIBRARY_LABELS, CATALOGUE_KIND_LABELS, CATALOGUE_KINDS, GRADE_LABELS, GRADES, OPEN_TYPE_LABELS, SHARE_TYPE_LABELS, SHARE_TYPES,
  type DataResourceSummary,
} from './data-catalogue.types.ts';
import { SUMMARY_COLUMNS, toResourceSummary } from './resource-summary.ts';

export interface SearchTextSource {
  code: string;
  name: string;
  classification: string;
  abstract: string;
  items: DataItem[];
  providerName: string;
  share_type: ShareType;
  grade: DataGrade;
  base_library: BaseLibrary | null;
  catalogue_kind: CatalogueKind;
  open_type?: keyof typeof OPEN_TYPE_LABELS;
}

/** The searchable text of an entry: normalised text, then its jieba words, then pinyin of its name. */
export function buildSearchText(s: SearchTextSource): string {
  const parts = [
    s.name,
    s.code,
    s.classification,
    s.abstract,
    s.providerName,
    s.items.map((i) => i.name).join(' '),
    SHARE_TYPE_LABELS[s.share_type],
    GRADE_LABELS[s.grade],
    CATALOGUE_KIND_LABELS[s.catalogue_kind],
    s.base_library ? BASE_LIBRARY_LABELS[s.base_library] : '',
  ];
  const body = normalise(parts.join(' '));
  const words = [...new Set(tokenize(parts.join(' ')))];
  const py = pinyinKeys(s.name);
  return ` ${body} | ${words.join(' ')} | ${py.full} ${py.initials} `;
}

export interface DataSearchParams {
  q?: string;
  fq?: string;
  provider?: string; // 统一社会信用代码 of the provider department
  shareType?: string;
  grade?: string;
  baseLibrary?: string;
  catalogueKind?: string;
  rows: number;
  start: number;
  facets?: boolean;
}

export interface DataSearchFilters {
  provider?: string;
  shareType?: ShareType;
  grade?: DataGrade;
  baseLibrary?: BaseLibrary;
  catalogueKind?: CatalogueKind;
}

export interface DataSearchResult {
  total: number;
  start: number;
  rows: number;
  items: DataResourceSummary[];
  facets?: {
    provider: FacetValue[];
    shareType: FacetValue[];
    grade: FacetValue[];
    baseLibrary: FacetValue[];
    catalogueKind: FacetValue[];
  };
}

const FQ_FIELDS: Record<string, keyof DataSearchFilters> = {
  provider: 'provider',
  provider_department: 'provider',
  share_type: 'shareType',
  grade: 'grade',
  base_library: 'baseLibrary',
  catalogue_kind: 'catalogueKind',
};

function checkEnum<T extends string>(value: string, allowed: readonly T[], field: string, label: string): T {
  if ((allowed as readonly string[]).includes(value)) return value as T;
  throw new InvalidParameterError(field, `${label}“${value.slice(0, 40)}”无效，可选：${allowed.join('、')}`);
}

/** Separate parameters and `fq` (`share_type:conditional grade:core`, CKAN style), checked. */
export function parseFilters(p: Omit<DataSearchParams, 'rows' | 'start'>): DataSearchFilters {
  const raw: Partial<Record<keyof DataSearchFilters, string>> = {};
  for (const part of (p.fq ?? '').split(/[\s+]+/).filter(Boolean)) {
    const i = part.indexOf(':');
    const field = i > 0 ? FQ_FIELDS[part.slice(0, i)] : undefined;
    if (!field) throw new InvalidParameterError('fq', `无法识别的筛选条件“${part.slice(0, 40)}”，格式为 字段:值，字段可为 ${Object.keys(FQ_FIELDS).join('、')}`);
    raw[field] = part.slice(i + 1).replace(/^"|"$/g, '');
  }
  for (const k of ['provider', 'shareType', 'grade', 'baseLibrary', 'catalogueKind'] as const) if (p[k]) raw[k] = p[k];
  const f: DataSearchFilters = {};
  if (raw.provider) {
    if (!/^[0-9A-Z]{18}$/.test(raw.provider)) throw new InvalidParameterError('provider', '资源提供部门应为 18 位统一社会信用代码');
    f.provider = raw.provider;
  }
  if (raw.shareType) f.shareType = checkEnum(raw.shareType, SHARE_TYPES, 'shareType', '共享类型');
  if (raw.grade) f.grade = checkEnum(raw.grade, GRADES, 'grade', '数据分级');
  if (raw.baseLibrary) f.baseLibrary = checkEnum(raw.baseLibrary, BASE_LIBRARIES, 'baseLibrary', '基础库');
  if (raw.catalogueKind) f.catalogueKind = checkEnum(raw.catalogueKind, CATALOGUE_KINDS, 'catalogueKind', '目录类别');
  return f;
}

const like = (s: string) => `%${s.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/** What a person asks the catalogue to do rather than what they look for (查询户籍人口 → 户籍人口). */
const QUERY_VERBS = new Set(['查询', '查看', '查找', '检索', '搜索', '获取', '调用', '使用', '申请', '下载']);

/** The query's words: the longest of jieba's search cut, each with the shorter words inside it. */
export function queryConcepts(q: string): { word: string; parts: string[] }[] {
  const tokens = [...new Set(tokenize(q))].filter((t) => !QUERY_VERBS.has(t));
  const longest = tokens.filter((t) => !tokens.some((o) => o !== t && o.includes(t)));
  return longest.map((word) => ({ word, parts: tokens.filter((t) => t !== word && word.includes(t) && t.length >= 2) }));
}

/** The text condition: the whole query, or every word (or all of a long word's parts). */
function textMatch(q: string): RawBuilder<SqlBool> | undefined {
  const whole = normalise(q).replace(/\s+/g, '');
  if (!whole) return undefined;
  const concepts = isPinyinQuery(whole) ? [] : queryConcepts(q);
  // the name too: entries written without search text (fixtures, older rows) are still found by name
  const has = (w: string) => sql<SqlBool>`(r.search_text LIKE ${like(w)} OR lower(r.name) LIKE ${like(w)})`;
  const ors: RawBuilder<SqlBool>[] = [has(whole)];
  if (concepts.length) {
    const each = concepts.map((c) => {
      const alt = [has(c.word)];
      if (c.parts.length >= 2) alt.push(sql<SqlBool>`(${sql.join(c.parts.map(has), sql` AND `)})`);
      return sql<SqlBool>`(${sql.join(alt, sql` OR `)})`;
    });
    ors.push(sql<SqlBool>`(${sql.join(each, sql` AND `)})`);
  }
  return sql<SqlBool>`(${sql.join(ors, sql` OR `)})`;
}

function base(db: Kysely<DB>, q: string | undefined, f: DataSearchFilters) {
  let query = db
    .selectFrom('data_resources as r')
    .innerJoin('departments as d', 'd.id', 'r.provider_department_id')
    .where('r.status', '=', 'published');
  const m = q ? textMatch(q) : undefined;
  if (m) query = query.where(m);
  if (f.provider) query = query.where('d.credit_code', '=', f.provider);
  if (f.shareType) query = query.where('r.share_type', '=', f.shareType);
  if (f.grade) query = query.where('r.grade', '=', f.grade);
  if (f.baseLibrary) query = query.where('r.base_library', '=', f.baseLibrary);
  if (f.catalogueKind) query = query.where('r.catalogue_kind', '=', f.catalogueKind);
  return query;
}

function facetOf<T extends string>(counts: Map<T, number>, label: (v: T) => string, order?: readonly T[]): FacetValue[] {
  const out = [...counts].map(([value, count]) => ({ value, label: label(value), count }));
  if (order) out.sort((a, b) => order.indexOf(a.value as T) - order.indexOf(b.value as T));
  else out.sort((a, b) => b.count - a.count || a.label.localeCompare(b.label, 'zh-CN'));
  return out;
}

function bump<K>(m: Map<K, number>, k: K): void {
  m.set(k, (m.get(k) ?? 0) + 1);
}

export async function searchDataResources(db: Kysely<DB>, p: DataSearchParams): Promise<DataSearchResult> {
  const filters = parseFilters(p);
  const q = p.q?.trim() || undefined;
  const matched = base(db, q, filters);
  const whole = q ? like(normalise(q).replace(/\s+/g, '')) : '';
  const nameWords = q ? queryConcepts(q).map((c) => like(c.word)) : [];
  const nameMatch = nameWords.length ? sql`WHEN ${sql.join(nameWords.map((w) => sql`lower(r.name) LIKE ${w}`), sql` AND `)} THEN 1` : sql``;
  const ranked = q ? matched.orderBy(sql<number>`CASE WHEN lower(r.name) LIKE ${whole} THEN 0 ${nameMatch} ELSE 2 END`) : matched;
  const rows = await ranked
    .select(SUMMARY_COLUMNS)
    .orderBy('r.published_at', 'desc')
    .orderBy('r.code')
    .limit(p.rows)
    .offset(p.start)
    .execute();
  const items: DataResourceSummary[] = rows.map(toResourceSummary);

  // the total and the facets from the matching rows' filter columns (a small catalogue: one pass)
  const all = await matched.select(['r.share_type', 'r.grade', 'r.base_library', 'r.catalogue_kind', 'd.credit_code', 'd.name as provider_name']).execute();
  const result: DataSearchResult = { total: all.length, start: p.start, rows: p.rows, items };
  if (p.facets !== false) {
    const provider = new Map<string, number>();
    const providerNames = new Map<string, string>();
    const share = new Map<ShareType, number>();
    const grade = new Map<DataGrade, number>();
    const lib = new Map<BaseLibrary, number>();
    const kind = new Map<CatalogueKind, number>();
    for (const r of all) {
      bump(provider, r.credit_code);
      providerNames.set(r.credit_code, r.provider_name);
      bump(share, r.share_type);
      bump(grade, r.grade);
      if (r.base_library) bump(lib, r.base_library);
      bump(kind, r.catalogue_kind);
    }
    result.facets = {
      provider: facetOf(provider, (v) => providerNames.get(v) ?? v),
      shareType: facetOf(share, (v) => SHARE_TYPE_LABELS[v], SHARE_TYPES),
      grade: facetOf(grade, (v) => GRADE_LABELS[v], GRADES),
      baseLibrary: facetOf(lib, (v) => BASE_LIBRARY_LABELS[v], BASE_LIBRARIES),
      catalogueKind: facetOf(kind, (v) => CATALOGUE_KIND_LABELS[v], CATALOGUE_KINDS),
    };
  }
  return result;
}
