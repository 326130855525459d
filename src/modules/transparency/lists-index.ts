/**
 * The public three lists in memory: every department's current published entries of each kind (loaded with
 * loadCurrentEntries), with Chinese full-text search (list-text-index.ts), filters, facet counts, chart figures
 * and the negative-list check. Built whole from the database and replaced whole when the list revision moves
 * (lists-index-holder.ts); queries are synchronous and read only what was built. Finished pages and exports are
 * cached with the index they were made from, so a publication drops them with it.
 */
import { LRUCache } from 'lru-cache';
import type { RegionLevel } from '../../shared/codes/region-code.ts';
import { ITEM_TYPES } from '../catalogue/catalogue.types.ts';
import type { CurrentList } from '../three-lists/load-current-entries.ts';
import type { FundEntry, NegativeCategory, NegativeEntry, PowerEntry, PowerType } from '../three-lists/three-lists.types.ts';
import { NEGATIVE_CATEGORIES } from '../three-lists/three-lists.types.ts';
import { checkNegativeList, type NegativeCheck } from './check-negative-list.ts';
import { INDUSTRY_SECTIONS, covers, industryLabel } from './industry-classification.ts';
import { ListTextIndex, type TextHit } from './list-text-index.ts';

export const POWER_TYPES = Object.keys(ITEM_TYPES).filter((t) => t !== 'GG') as PowerType[];
export const REGION_LEVELS: Record<RegionLevel, string> = { province: '省级', city: '市级', county: '县（市、区）级' };
const LEVEL_KEYS = Object.keys(REGION_LEVELS) as RegionLevel[];
const CATEGORY_KEYS = Object.keys(NEGATIVE_CATEGORIES) as NegativeCategory[];

/** A department that publishes at least one list, as the public pages name it. */
export interface ListDepartment {
  id: number;
  name: string;
  shortName: string;
  creditCode: string;
  regionCode: string;
  regionName: string;
  regionFullName: string;
  regionLevel: RegionLevel;
  /** Region codes from the province down to the department's region. */
  regionPath: string[];
}

/** The edition an entry was published in. */
export interface EditionRef {
  id: number;
  version: number;
  publishedAt: string;
}

export interface Listed<E> {
  entry: E;
  department: ListDepartment;
  edition: EditionRef;
}
export type PowerItem = Listed<PowerEntry>;
export type NegativeItem = Listed<NegativeEntry>;
export type FundItem = Listed<FundEntry> & { total: number; allocated: number };

export interface FacetValue {
  value: string;
  label: string;
  count: number;
}

export interface ResultPage<T> {
  total: number;
  page: number;
  size: number;
  pages: number;
  items: T[];
}

export interface PowerFilters {
  q?: string;
  department?: number;
  level?: RegionLevel;
  region?: string;
  type?: PowerType;
}
export interface PowerResult extends ResultPage<PowerItem> {
  facets: { type: FacetValue[]; level: FacetValue[]; department: FacetValue[] };
}

export interface NegativeFilters {
  q?: string;
  category?: NegativeCategory;
  industry?: string; // a normalised code: entries covering it or below it
}
export interface NegativeResult extends ResultPage<NegativeItem> {
  facets: { category: FacetValue[]; section: FacetValue[] };
}

export interface FundFilters {
  q?: string;
  year?: number;
  department?: number;
}
export interface YearTotal {
  year: number;
  amount: number; // 万元
  allocated: number; // 万元
  allocations: number;
  funds: number;
}
export interface FundResult extends ResultPage<FundItem> {
  years: number[]; // every year the matching funds have an amount for, ascending
  totals: YearTotal[];
  facets: { year: FacetValue[]; department: FacetValue[] };
}

export interface ListsSource {
  power: CurrentList<'power'>[];
  negative: CurrentList<'negative'>[];
  fund: CurrentList<'fund'>[];
  creditCodes: Map<number, string>;
  /** Region codes from the province down to `code`. */
  regionPath: (code: string) => string[];
}

export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;
const DEPARTMENT_FACET_SIZE = 15;

/** Amounts in 万元: sums rounded to the cent (two decimals). */
export const roundWan = (n: number): number => Math.round(n * 100) / 100;

function paginate<T>(all: T[], page: number, size: number): ResultPage<T> {
  const pages = Math.max(1, Math.ceil(all.length / size));
  const p = Math.min(Math.max(1, page), pages);
  return { total: all.length, page: p, size, pages, items: all.slice((p - 1) * size, p * size) };
}

function facet(counts: Map<string, number>, label: (v: string) => string, order?: readonly string[]): FacetValue[] {
  const keys = order ? order.filter((k) => counts.get(k)) : [...counts.keys()];
  return keys.map((k) => ({ value: k, label: label(k), count: counts.get(k)! }));
}

const bump = (m: Map<string, number>, k: string) => m.set(k, (m.get(k) ?? 0) + 1);

export class ListsIndex {
  readonly revision: number;
  readonly builtAt = new Date();
  readonly powers: PowerItem[] = [];
  readonly negatives: NegativeItem[] = [];
  readonly funds: FundItem[] = [];
  /** Departments with a published list, in the lists' order (by region code, then id). */
  readonly departments = new Map<number, ListDepartment>();
  /** The newest publication among the current lists of each kind (ISO time), '' when none. */
  readonly updated: Record<'power' | 'negative' | 'fund', string> = { power: '', negative: '', fund: '' };
  /** Finished pages and exports made from this index (dropped with it). */
  readonly cache = new LRUCache<string, Buffer | string>({
    maxSize: 64 * 1024 * 1024,
    sizeCalculation: (v) => (typeof v === 'string' ? v.length * 2 : v.length) + 64,
  });

  private readonly powerText: ListTextIndex;
  private readonly negativeText: ListTextIndex;
  private readonly fundText: ListTextIndex;
  private readonly powerByKey = new Map<string, PowerItem>();
  private readonly fundByKey = new Map<string, FundItem>();

  constructor(revision: number, src: ListsSource) {
    this.revision = revision;
    const dept = (l: CurrentList<'power' | 'negative' | 'fund'>): ListDepartment => {
      let d = this.departments.get(l.departmentId);
      if (!d) {
        d = {
          id: l.departmentId,
          name: l.departmentName,
          shortName: l.departmentShortName,
          creditCode: src.creditCodes.get(l.departmentId) ?? '',
          regionCode: l.regionCode,
          regionName: l.regionName,
          regionFullName: l.regionFullName,
          regionLevel: l.regionLevel,
          regionPath: src.regionPath(l.regionCode),
        };
        this.departments.set(d.id, d);
      }
      return d;
    };
    const newest = (kind: keyof ListsIndex['updated'], at: string) => {
      if (at > this.updated[kind]) this.updated[kind] = at;
    };
    for (const l of src.power) {
      const department = dept(l);
      const edition = { id: l.editionId, version: l.version, publishedAt: l.publishedAt };
      newest('power', l.publishedAt);
      for (const entry of l.entries) {
        const item = { entry, department, edition };
        this.powers.push(item);
        this.powerByKey.set(`${department.id}|${entry.key}`, item);
      }
    }
    for (const l of src.negative) {
      const department = dept(l);
      newest('negative', l.publishedAt);
      for (const entry of l.entries) this.negatives.push({ entry, department, edition: { id: l.editionId, version: l.version, publishedAt: l.publishedAt } });
    }
    for (const l of src.fund) {
      const department = dept(l);
      newest('fund', l.publishedAt);
      for (const entry of l.entries) {
        const item: FundItem = {
          entry,
          department,
          edition: { id: l.editionId, version: l.version, publishedAt: l.publishedAt },
          total: roundWan(entry.years.reduce((s, y) => s + y.amount, 0)),
          allocated: roundWan(entry.allocations.reduce((s, a) => s + a.amount, 0)),
        };
        this.funds.push(item);
        this.fundByKey.set(`${department.id}|${entry.key}`, item);
      }
    }
    this.powerText = new ListTextIndex(
      this.powers.map(({ entry: e, department: d }) => [
        { text: e.name, weight: 3 },
        { text: `${e.implementingBody} ${d.name} ${e.key}`, weight: 1.5 },
        { text: e.legalBasis.join(' '), weight: 1 },
        { text: [...e.responsibilities, ...e.accountability, e.notes ?? ''].join(' '), weight: 0.6 },
      ]),
    );
    this.negativeText = new ListTextIndex(
      this.negatives.map(({ entry: e }) => [
        { text: e.projectType, weight: 3 },
        { text: e.industryCodes.map(industryLabel).join(' '), weight: 2 },
        { text: `${e.description} ${e.conditions} ${e.authority}`, weight: 1 },
        { text: e.legalBasis.join(' '), weight: 0.6 },
      ]),
    );
    this.fundText = new ListTextIndex(
      this.funds.map(({ entry: e, department: d }) => [
        { text: e.name, weight: 3 },
        { text: `${e.purpose} ${d.name}`, weight: 1.5 },
        { text: `${e.rules} ${e.conditions}`, weight: 1 },
        { text: e.allocations.map((a) => `${a.recipient} ${a.project ?? ''}`).join(' '), weight: 0.6 },
      ]),
    );
  }

  private readonly departmentsByKind = new Map<string, ListDepartment[]>();

  /** Departments publishing a list of `kind`, in order (the same array every time). */
  departmentsOf(kind: 'power' | 'negative' | 'fund'): ListDepartment[] {
    let out = this.departmentsByKind.get(kind);
    if (!out) this.departmentsByKind.set(kind, (out = this.collectDepartments(kind)));
    return out;
  }

  private collectDepartments(kind: 'power' | 'negative' | 'fund'): ListDepartment[] {
    const items: Listed<unknown>[] = kind === 'power' ? this.powers : kind === 'negative' ? this.negatives : this.funds;
    const seen = new Set<number>();
    const out: ListDepartment[] = [];
    for (const it of items) {
      if (seen.has(it.department.id)) continue;
      seen.add(it.department.id);
      out.push(it.department);
    }
    return out;
  }

  power(departmentId: number, key: string): PowerItem | undefined {
    return this.powerByKey.get(`${departmentId}|${key}`);
  }

  fund(departmentId: number, key: string): FundItem | undefined {
    return this.fundByKey.get(`${departmentId}|${key}`);
  }

  /** Items in rank order: the search's when there is a query (undefined: the query has no words), else the list order. */
  private ranked<T>(items: T[], text: ListTextIndex, q: string | undefined): T[] {
    if (!q) return items;
    const hits: TextHit[] | undefined = text.search(q);
    return hits ? hits.map((h) => items[h.doc]!) : items;
  }

  /** All powers matching the filters, in rank order, with facet counts (each facet counted without its own filter). */
  matchPowers(f: PowerFilters): { items: PowerItem[]; facets: PowerResult['facets'] } {
    const candidates = this.ranked(this.powers, this.powerText, f.q);
    const items: PowerItem[] = [];
    const types = new Map<string, number>();
    const levels = new Map<string, number>();
    const depts = new Map<string, number>();
    for (const it of candidates) {
      const d = it.department;
      const okType = !f.type || it.entry.type === f.type;
      const okLevel = !f.level || d.regionLevel === f.level;
      const okDept = f.department === undefined || d.id === f.department;
      const okRegion = !f.region || d.regionPath.includes(f.region);
      if (!okRegion) continue;
      if (okLevel && okDept) bump(types, it.entry.type);
      if (okType && okDept) bump(levels, d.regionLevel);
      if (okType && okLevel) bump(depts, String(d.id));
      if (okType && okLevel && okDept) items.push(it);
    }
    const topDepts = [...depts.entries()].sort((a, b) => b[1] - a[1] || Number(a[0]) - Number(b[0])).slice(0, DEPARTMENT_FACET_SIZE);
    return {
      items,
      facets: {
        type: facet(types, (t) => ITEM_TYPES[t as PowerType], POWER_TYPES),
        level: facet(levels, (l) => REGION_LEVELS[l as RegionLevel], LEVEL_KEYS),
        department: topDepts.map(([id, count]) => ({ value: id, label: this.departments.get(Number(id))!.name, count })),
      },
    };
  }

  searchPowers(f: PowerFilters, page = 1, size = DEFAULT_PAGE_SIZE): PowerResult {
    const { items, facets } = this.matchPowers(f);
    return { ...paginate(items, page, size), facets };
  }

  matchNegatives(f: NegativeFilters): { items: NegativeItem[]; facets: NegativeResult['facets'] } {
    const candidates = this.ranked(this.negatives, this.negativeText, f.q);
    const items: NegativeItem[] = [];
    const categories = new Map<string, number>();
    const sections = new Map<string, number>();
    for (const it of candidates) {
      const e = it.entry;
      const okCategory = !f.category || e.category === f.category;
      const okIndustry = !f.industry || e.industryCodes.some((c) => covers(c, f.industry!) || covers(f.industry!, c));
      if (okIndustry) bump(categories, e.category);
      if (okCategory) for (const s of new Set(e.industryCodes.map((c) => c[0]!))) bump(sections, s);
      if (okCategory && okIndustry) items.push(it);
    }
    return {
      items,
      facets: {
        category: facet(categories, (c) => NEGATIVE_CATEGORIES[c as NegativeCategory], CATEGORY_KEYS),
        section: facet(sections, (s) => `${s} ${INDUSTRY_SECTIONS[s]?.name ?? ''}`, Object.keys(INDUSTRY_SECTIONS)),
      },
    };
  }

  searchNegatives(f: NegativeFilters, page = 1, size = DEFAULT_PAGE_SIZE): NegativeResult {
    const { items, facets } = this.matchNegatives(f);
    return { ...paginate(items, page, size), facets };
  }

  /** The negative-list check for a normalised industry code; `description` (optional) ranks and narrows. */
  checkNegative(industry: string, description?: string): NegativeCheck<NegativeItem> {
    const related = description ? this.negativeText.search(description) : undefined;
    const relatedSet = related ? new Set(related.map((h) => this.negatives[h.doc]!)) : undefined;
    return checkNegativeList(this.negatives, (i) => i.entry, industry, relatedSet ? (i) => relatedSet.has(i) : undefined);
  }

  /** Entries whose text matches a project description (for a check without an industry code). */
  negativesRelatedTo(description: string, limit = 10): NegativeItem[] {
    return (this.negativeText.search(description) ?? []).slice(0, limit).map((h) => this.negatives[h.doc]!);
  }

  /** Industry codes used by the list, sorted, each with its label. */
  negativeIndustryCodes(): { code: string; label: string }[] {
    const codes = new Set<string>();
    for (const n of this.negatives) for (const c of n.entry.industryCodes) codes.add(c);
    return [...codes].sort().map((code) => ({ code, label: industryLabel(code) }));
  }

  matchFunds(f: FundFilters): Omit<FundResult, keyof ResultPage<FundItem>> & { items: FundItem[] } {
    const candidates = this.ranked(this.funds, this.fundText, f.q);
    const items: FundItem[] = [];
    const years = new Map<string, number>();
    const depts = new Map<string, number>();
    for (const it of candidates) {
      const okYear = f.year === undefined || it.entry.years.some((y) => y.year === f.year);
      const okDept = f.department === undefined || it.department.id === f.department;
      if (okDept) for (const y of it.entry.years) bump(years, String(y.year));
      if (okYear) bump(depts, String(it.department.id));
      if (okYear && okDept) items.push(it);
    }
    const byYear = new Map<number, YearTotal>();
    for (const it of items) {
      for (const y of it.entry.years) {
        if (f.year !== undefined && y.year !== f.year) continue;
        const t = byYear.get(y.year) ?? { year: y.year, amount: 0, allocated: 0, allocations: 0, funds: 0 };
        t.amount += y.amount;
        t.funds++;
        byYear.set(y.year, t);
      }
      for (const a of it.entry.allocations) {
        if (f.year !== undefined && a.year !== f.year) continue;
        const t = byYear.get(a.year) ?? { year: a.year, amount: 0, allocated: 0, allocations: 0, funds: 0 };
        t.allocated += a.amount;
        t.allocations++;
        byYear.set(a.year, t);
      }
    }
    const totals = [...byYear.values()].sort((a, b) => a.year - b.year).map((t) => ({ ...t, amount: roundWan(t.amount), allocated: roundWan(t.allocated) }));
    const yearKeys = [...years.keys()].sort();
    return {
      items,
      years: totals.map((t) => t.year),
      totals,
      facets: {
        year: yearKeys.map((y) => ({ value: y, label: `${y} 年`, count: years.get(y)! })),
        department: [...depts.entries()].map(([id, count]) => ({ value: id, label: this.departments.get(Number(id))!.name, count })),
      },
    };
  }

  searchFunds(f: FundFilters, page = 1, size = DEFAULT_PAGE_SIZE): FundResult {
    const { items, ...rest } = this.matchFunds(f);
    return { ...paginate(items, page, size), ...rest };
  }

  /** Figures for the overview's charts. */
  overview(): {
    powersByType: FacetValue[];
    powersByLevel: FacetValue[];
    powersByDepartment: FacetValue[];
    negativesByCategory: FacetValue[];
    fundTotals: YearTotal[];
    departments: { power: number; fund: number };
  } {
    const p = this.matchPowers({});
    const all = [...this.departmentsOf('power')].map((d) => ({ d, n: 0 }));
    const byId = new Map(all.map((x) => [x.d.id, x]));
    for (const it of this.powers) byId.get(it.department.id)!.n++;
    return {
      powersByType: p.facets.type,
      powersByLevel: p.facets.level,
      powersByDepartment: all
        .sort((a, b) => b.n - a.n || a.d.id - b.d.id)
        .slice(0, 10)
        .map((x) => ({ value: String(x.d.id), label: x.d.name, count: x.n })),
      negativesByCategory: this.matchNegatives({}).facets.category,
      fundTotals: this.matchFunds({}).totals,
      departments: { power: all.length, fund: this.departmentsOf('fund').length },
    };
  }
}

/** An empty index (before the first load, or in a database without lists). */
export function emptyListsIndex(revision = 0): ListsIndex {
  return new ListsIndex(revision, { power: [], negative: [], fund: [], creditCodes: new Map(), regionPath: () => [] });
}
