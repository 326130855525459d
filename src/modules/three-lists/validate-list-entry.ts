/**
 * Row-level checks of one list entry (清单条目校验), per kind, with the field at fault and a Chinese message:
 * the edit form, the API and the file import all go through here. Input may come from a form or a file, so
 * strings are trimmed, multi-value fields accept an array or one text with values separated by `；` or new
 * lines, and numbers may be written as text.
 *
 * - every power and negative entry needs its legal basis (设定依据);
 * - power: one of the ten power types, the department's exercise level, responsibilities and accountability
 *   (责任清单), basic item codes that exist and belong to the department's kind;
 * - negative: GB/T 4754 industry codes (C, C25, C251, C2511) whose division exists and belongs to the section
 *   letter (C52 is refused: 52 零售业 is in F), 限制类 needs its conditions, 核准类 its authority;
 * - fund: amounts ≥ 0 with at most two decimals, one amount per year, allocations in one of the fund's years
 *   and, per year, not more in total than the year's amount (资金分配结果与年度资金规模不一致 → error).
 */
import type { Kysely } from 'kysely';
import type { DB, ListKind } from '../../db/schema.ts';
import type { RegionLevel } from '../../shared/codes/region-code.ts';
import { EXERCISE_LEVELS, ITEM_TYPES, POWER_SOURCES, type DepartmentKind, type ExerciseLevel, type PowerSource } from '../catalogue/catalogue.types.ts';
import { INDUSTRY_DIVISIONS, INDUSTRY_SECTIONS, normaliseIndustryCode, sectionOfDivision } from '../transparency/industry-classification.ts';
import {
  NEGATIVE_CATEGORIES,
  type FundAllocation,
  type FundEntry,
  type FundYear,
  type ListEntry,
  type NegativeCategory,
  type NegativeEntry,
  type PowerEntry,
  type PowerType,
} from './three-lists.types.ts';

export interface EntryProblem {
  field: string; // the entry's field: 'legalBasis', 'years.1.amount', 'allocations.0.year' …
  message: string;
}

/** What the checks need to know about the department whose list it is, and the catalogue's basic items. */
export interface EntryContext {
  departmentName: string;
  departmentKind: DepartmentKind;
  regionLevel: RegionLevel;
  /** basic item code → its department kind, for the codes the entries name (see loadItemKinds) */
  itemKinds: ReadonlyMap<string, DepartmentKind>;
}

/** 条目编号: 2–64 letters, digits, '-', '_', '.', starting with a letter or digit (it appears in addresses). */
export const ENTRY_KEY_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{1,63}$/;
/** GB/T 4754-2017: section letter A–T, then 2, 3 or 4 digits (大类, 中类, 小类). */
export const INDUSTRY_CODE_PATTERN = /^[A-T](\d{2}|\d{3}|\d{4})?$/;
export const BASIC_ITEM_CODE_PATTERN = /^[A-Za-z0-9]{12}$/;
export const POWER_TYPES = Object.fromEntries(Object.entries(ITEM_TYPES).filter(([k]) => k !== 'GG')) as Record<PowerType, string>;

const MAX_VALUES = 50;
const MAX_YEARS = 20;
const MAX_ALLOCATIONS = 2000;

const text = (v: unknown): string => (typeof v === 'string' ? v.trim() : typeof v === 'number' && Number.isFinite(v) ? String(v) : '');

/** A multi-value field: an array, or one text split on '；' and new lines. Empty values are dropped. */
export function splitValues(v: unknown): string[] {
  if (Array.isArray(v)) return v.map(text).filter(Boolean);
  const s = text(v);
  if (!s) return [];
  return s
    .split(/[；\r\n]+/)
    .map((x) => x.trim())
    .filter(Boolean);
}

function str(o: Record<string, unknown>, field: string, label: string, max: number, problems: EntryProblem[], required = true): string {
  const raw = o[field];
  if (raw !== undefined && raw !== null && typeof raw !== 'string' && typeof raw !== 'number') {
    problems.push({ field, message: `${label}应为文字` });
    return '';
  }
  const v = text(raw);
  if (required && !v) problems.push({ field, message: `请填写${label}` });
  else if (v.length > max) problems.push({ field, message: `${label}不能超过 ${max} 个字` });
  return v;
}

function list(o: Record<string, unknown>, field: string, label: string, maxLen: number, problems: EntryProblem[], min = 1): string[] {
  const raw = o[field];
  if (raw !== undefined && raw !== null && !Array.isArray(raw) && typeof raw !== 'string') {
    problems.push({ field, message: `${label}应为文字列表` });
    return [];
  }
  const values = [...new Set(splitValues(raw))];
  if (values.length < min) problems.push({ field, message: `请填写${label}（至少一项）` });
  if (values.length > MAX_VALUES) problems.push({ field, message: `${label}不能超过 ${MAX_VALUES} 项` });
  values.forEach((v, i) => {
    if (v.length > maxLen) problems.push({ field: `${field}.${i}`, message: `${label}第 ${i + 1} 项不能超过 ${maxLen} 个字` });
  });
  return values;
}

function checkKey(o: Record<string, unknown>, problems: EntryProblem[], label: string): string {
  const key = text(o.key);
  if (!key) problems.push({ field: 'key', message: `请填写${label}` });
  else if (!ENTRY_KEY_PATTERN.test(key)) problems.push({ field: 'key', message: `${label}“${key.slice(0, 70)}”格式不正确：应为 2–64 位字母、数字、连字符（-）、下划线或点，以字母或数字开头` });
  return key;
}

/** An amount in 万元: a number ≥ 0 with at most two decimals (text such as '1200.50' is accepted). */
export function parseAmount(v: unknown): number | string {
  const s = typeof v === 'number' ? String(v) : text(v);
  if (!s) return '请填写金额（万元）';
  if (!/^\d{1,12}(\.\d{1,2})?$/.test(s)) {
    if (/^-/.test(s)) return `金额不能为负数（${s.slice(0, 20)}）`;
    if (/^\d+\.\d{3,}$/.test(s)) return `金额最多保留两位小数（${s.slice(0, 20)}）`;
    return `金额“${s.slice(0, 20)}”不是有效数字（万元，最多两位小数）`;
  }
  return Number(s);
}

function parseYear(v: unknown): number | undefined {
  const s = typeof v === 'number' ? String(v) : text(v);
  if (!/^\d{4}$/.test(s)) return undefined;
  const y = Number(s);
  return y >= 1990 && y <= 2100 ? y : undefined;
}

/** A real calendar date written YYYY-MM-DD. */
export function isValidDate(s: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.getUTCFullYear() === Number(m[1]) && d.getUTCMonth() === Number(m[2]) - 1 && d.getUTCDate() === Number(m[3]);
}

const cents = (n: number) => Math.round(n * 100);

function asObject(raw: unknown, problems: EntryProblem[]): Record<string, unknown> {
  if (raw && typeof raw === 'object' && !Array.isArray(raw)) return raw as Record<string, unknown>;
  problems.push({ field: 'entry', message: '条目应为一个对象' });
  return {};
}

function checkPower(o: Record<string, unknown>, ctx: EntryContext, problems: EntryProblem[]): PowerEntry {
  const key = checkKey(o, problems, '权力编码');
  const name = str(o, 'name', '权力事项名称', 200, problems);
  const typeRaw = text(o.type);
  let type = typeRaw as PowerType;
  if (!typeRaw) problems.push({ field: 'type', message: '请选择权力类型' });
  // own keys only: `in` would take inherited names ('constructor', 'toString') for power types
  else if (!Object.hasOwn(POWER_TYPES, typeRaw)) {
    // the Chinese name is accepted too (行政许可 → XK)
    const byName = (Object.entries(POWER_TYPES) as [PowerType, string][]).find(([, label]) => label === typeRaw);
    if (byName) type = byName[0];
    else problems.push({ field: 'type', message: `权力类型“${typeRaw.slice(0, 20)}”无效，应为十类权力之一（${Object.entries(POWER_TYPES).map(([k, v]) => `${k} ${v}`).join('、')}）` });
  }
  const levelRaw = text(o.level);
  let level = ctx.regionLevel as ExerciseLevel;
  if (levelRaw) {
    const found = (Object.entries(EXERCISE_LEVELS) as [ExerciseLevel, string][]).find(([k, v]) => k === levelRaw || v === levelRaw);
    if (!found) problems.push({ field: 'level', message: `行使层级“${levelRaw.slice(0, 20)}”无效，应为省级、市级或县级` });
    else if (found[0] !== ctx.regionLevel) problems.push({ field: 'level', message: `行使层级应为本部门的层级（${EXERCISE_LEVELS[ctx.regionLevel as ExerciseLevel]}）` });
    else level = found[0];
  }
  const sourceRaw = text(o.powerSource);
  let powerSource: PowerSource = 'statutory';
  if (sourceRaw) {
    const found = (Object.entries(POWER_SOURCES) as [PowerSource, string][]).find(([k, v]) => k === sourceRaw || v === sourceRaw);
    if (found) powerSource = found[0];
    else problems.push({ field: 'powerSource', message: `权力来源“${sourceRaw.slice(0, 20)}”无效，应为${Object.values(POWER_SOURCES).join('、')}之一` });
  }
  const legalBasis = list(o, 'legalBasis', '设定依据', 500, problems);
  const implementingBody = str(o, 'implementingBody', '实施主体', 100, problems, false) || ctx.departmentName;
  const responsibilities = list(o, 'responsibilities', '责任事项', 500, problems);
  const accountability = list(o, 'accountability', '追责情形', 500, problems);
  const itemCodes = list(o, 'itemCodes', '关联事项基本编码', 12, problems, 0);
  itemCodes.forEach((c, i) => {
    const field = `itemCodes.${i}`;
    if (!BASIC_ITEM_CODE_PATTERN.test(c)) problems.push({ field, message: `事项基本编码“${c.slice(0, 40)}”格式不正确（12 位字母或数字）` });
    else if (!ctx.itemKinds.has(c)) problems.push({ field, message: `事项基本编码“${c}”在基本目录中不存在` });
    else if (ctx.itemKinds.get(c) !== ctx.departmentKind) problems.push({ field, message: `事项“${c}”不属于本部门的职责（基本目录中由其他部门实施）` });
  });
  const notes = str(o, 'notes', '备注', 1000, problems, false);
  return { key, name, type, level, powerSource, legalBasis, implementingBody, responsibilities, accountability, itemCodes, ...(notes ? { notes } : {}) };
}

/**
 * Why `code` (upper-cased) is not an industry code of the list's form, or undefined when it is one. Beyond the
 * shape, the division (the two digits after the letter) must exist and belong to the section letter, as the
 * public checker's normaliseIndustryCode requires — otherwise the entry would never match a project.
 */
export function industryCodeProblem(code: string): string | undefined {
  const shown = code.slice(0, 20);
  if (!INDUSTRY_CODE_PATTERN.test(code)) return `行业代码“${shown}”不符合 GB/T 4754：应为门类字母（A–T），或字母加 2、3、4 位数字（如 C、C25、C251、C2511）`;
  if (normaliseIndustryCode(code) === code) return undefined;
  const division = Number(code.slice(1, 3));
  const section = sectionOfDivision(division);
  const letter = code[0]!;
  const range = INDUSTRY_SECTIONS[letter];
  const own = range ? `门类 ${letter}（${range.name}）的大类为 ${String(range.from).padStart(2, '0')}–${String(range.to).padStart(2, '0')}` : '';
  if (!section) return `行业代码“${shown}”无效：GB/T 4754 中没有 ${code.slice(1, 3)} 大类（大类为 01–97）${own ? `，${own}` : ''}`;
  return `行业代码“${shown}”无效：${code.slice(1, 3)} 大类（${INDUSTRY_DIVISIONS.get(division)}）属于门类 ${section}（${INDUSTRY_SECTIONS[section]!.name}），不属于门类 ${letter}，应为 ${section}${code.slice(1)}${own ? `；${own}` : ''}`;
}

function checkNegative(o: Record<string, unknown>, problems: EntryProblem[]): NegativeEntry {
  const key = checkKey(o, problems, '条目编号');
  const catRaw = text(o.category);
  let category = catRaw as NegativeCategory;
  if (!catRaw) problems.push({ field: 'category', message: '请选择类别（禁止类、限制类或核准类）' });
  else if (!Object.hasOwn(NEGATIVE_CATEGORIES, catRaw)) {
    const byName = (Object.entries(NEGATIVE_CATEGORIES) as [NegativeCategory, string][]).find(([, v]) => v === catRaw || v.replace('类', '') === catRaw);
    if (byName) category = byName[0];
    else problems.push({ field: 'category', message: `类别“${catRaw.slice(0, 20)}”无效，应为禁止类、限制类或核准类` });
  }
  const industryCodes = list(o, 'industryCodes', '国民经济行业代码', 20, problems).map((c) => c.toUpperCase());
  industryCodes.forEach((c, i) => {
    const problem = industryCodeProblem(c);
    if (problem) problems.push({ field: `industryCodes.${i}`, message: problem });
  });
  const projectType = str(o, 'projectType', '项目类型', 200, problems);
  const description = str(o, 'description', '具体内容', 2000, problems);
  let conditions = str(o, 'conditions', '准入条件', 2000, problems, false);
  let authority = str(o, 'authority', '核准机关', 200, problems, false);
  if (category === 'restricted' && !conditions) problems.push({ field: 'conditions', message: '限制类条目须写明准入条件' });
  if (category === 'approval' && !authority) problems.push({ field: 'authority', message: '核准类条目须写明核准机关' });
  if (category === 'prohibited') {
    conditions = conditions || '';
    authority = '';
  }
  if (category === 'restricted') authority = authority || '';
  const legalBasis = list(o, 'legalBasis', '设定依据', 500, problems);
  return { key, category, industryCodes, projectType, description, conditions, authority, legalBasis };
}

function objects(o: Record<string, unknown>, field: string, label: string, max: number, problems: EntryProblem[]): Record<string, unknown>[] {
  const raw = o[field];
  if (raw === undefined || raw === null || raw === '') return [];
  if (!Array.isArray(raw)) {
    problems.push({ field, message: `${label}应为列表` });
    return [];
  }
  if (raw.length > max) problems.push({ field, message: `${label}不能超过 ${max} 条` });
  return raw.slice(0, max).map((x, i) => {
    if (x && typeof x === 'object' && !Array.isArray(x)) return x as Record<string, unknown>;
    problems.push({ field: `${field}.${i}`, message: `${label}第 ${i + 1} 条格式不正确` });
    return {};
  });
}

function checkFund(o: Record<string, unknown>, problems: EntryProblem[]): FundEntry {
  const key = checkKey(o, problems, '资金编码');
  const name = str(o, 'name', '专项资金名称', 200, problems);
  const purpose = str(o, 'purpose', '资金用途', 2000, problems);
  const rules = str(o, 'rules', '管理办法', 500, problems);
  const conditions = str(o, 'conditions', '申报条件', 2000, problems);
  const contact = str(o, 'contact', '咨询电话', 50, problems, false);
  const years: FundYear[] = [];
  const yearRows = objects(o, 'years', '年度资金规模', MAX_YEARS, problems);
  if (!yearRows.length && !problems.some((p) => p.field === 'years')) problems.push({ field: 'years', message: '请填写至少一个年度的资金规模' });
  const amountOf = new Map<number, number>();
  yearRows.forEach((y, i) => {
    const year = parseYear(y.year);
    if (year === undefined) problems.push({ field: `years.${i}.year`, message: `第 ${i + 1} 个年度“${text(y.year).slice(0, 10)}”不是有效年份（四位数字）` });
    else if (amountOf.has(year)) problems.push({ field: `years.${i}.year`, message: `${year} 年的资金规模填写了不止一次，每年只能有一个金额` });
    const amount = parseAmount(y.amount);
    if (typeof amount === 'string') problems.push({ field: `years.${i}.amount`, message: `${year ?? `第 ${i + 1} 个年度`}资金规模：${amount}` });
    if (year !== undefined && typeof amount === 'number' && !amountOf.has(year)) {
      amountOf.set(year, amount);
      years.push({ year, amount });
    }
  });
  years.sort((a, b) => a.year - b.year);
  const allocations: FundAllocation[] = [];
  const allocated = new Map<number, number>(); // cents by year
  objects(o, 'allocations', '分配结果', MAX_ALLOCATIONS, problems).forEach((a, i) => {
    const f = `allocations.${i}`;
    const n = `分配结果第 ${i + 1} 条`;
    const year = parseYear(a.year);
    let ok = true;
    if (year === undefined) {
      problems.push({ field: `${f}.year`, message: `${n}：年度“${text(a.year).slice(0, 10)}”不是有效年份` });
      ok = false;
    } else if (!amountOf.has(year)) {
      problems.push({ field: `${f}.year`, message: `${n}：${year} 年不在本资金的年度中（${[...amountOf.keys()].sort().join('、') || '未填写年度'}）` });
      ok = false;
    }
    const recipient = text(a.recipient);
    if (!recipient) {
      problems.push({ field: `${f}.recipient`, message: `${n}：请填写分配对象` });
      ok = false;
    } else if (recipient.length > 200) problems.push({ field: `${f}.recipient`, message: `${n}：分配对象不能超过 200 个字` });
    const amount = parseAmount(a.amount);
    if (typeof amount === 'string') {
      problems.push({ field: `${f}.amount`, message: `${n}：${amount}` });
      ok = false;
    }
    const date = text(a.date);
    if (!isValidDate(date)) {
      problems.push({ field: `${f}.date`, message: `${n}：公布日期“${date.slice(0, 20)}”无效，应为 YYYY-MM-DD 的有效日期` });
      ok = false;
    }
    const project = text(a.project);
    if (project.length > 200) problems.push({ field: `${f}.project`, message: `${n}：项目名称不能超过 200 个字` });
    if (ok) {
      allocations.push({ year: year!, recipient, amount: amount as number, date, ...(project ? { project } : {}) });
      allocated.set(year!, (allocated.get(year!) ?? 0) + cents(amount as number));
    }
  });
  for (const [year, total] of allocated) {
    const cap = amountOf.get(year);
    if (cap !== undefined && total > cents(cap)) {
      problems.push({ field: 'allocations', message: `金额不一致：${year} 年分配合计 ${(total / 100).toFixed(2)} 万元，超过当年资金规模 ${cap.toFixed(2)} 万元` });
    }
  }
  return { key, name, purpose, years, rules, conditions, ...(contact ? { contact } : {}), allocations };
}

/** Checks one entry; `entry` is the normalised entry (meaningful only when there are no problems). */
export function validateListEntry(kind: ListKind, raw: unknown, ctx: EntryContext): { entry: ListEntry; problems: EntryProblem[] } {
  const problems: EntryProblem[] = [];
  const o = asObject(raw, problems);
  const entry = kind === 'power' ? checkPower(o, ctx, problems) : kind === 'negative' ? checkNegative(o, problems) : checkFund(o, problems);
  return { entry, problems };
}

/** The basic item codes among `codes` that exist, with their department kinds (for EntryContext.itemKinds). */
export async function loadItemKinds(db: Kysely<DB>, codes: Iterable<string>): Promise<Map<string, DepartmentKind>> {
  const wanted = [...new Set([...codes].filter((c) => BASIC_ITEM_CODE_PATTERN.test(c)))];
  const out = new Map<string, DepartmentKind>();
  for (let i = 0; i < wanted.length; i += 500) {
    const rows = await db.selectFrom('basic_items').select(['code', 'department_kind']).where('code', 'in', wanted.slice(i, i + 500)).execute();
    for (const r of rows) out.set(r.code, r.department_kind);
  }
  return out;
}

/** The item codes an entry (raw input) names, to load before validating. */
export function itemCodesOf(raw: unknown): string[] {
  if (!raw || typeof raw !== 'object') return [];
  return splitValues((raw as Record<string, unknown>).itemCodes);
}

/** Keys unique within an edition: the problems of a whole list (row index → problems). */
export function duplicateKeyProblems(entries: readonly { key: string }[]): Map<number, EntryProblem> {
  const seen = new Map<string, number>();
  const out = new Map<number, EntryProblem>();
  entries.forEach((e, i) => {
    if (!e.key) return;
    const first = seen.get(e.key);
    if (first === undefined) seen.set(e.key, i);
    else out.set(i, { field: 'key', message: `编号“${e.key}”重复（与第 ${first + 1} 条相同），同一清单中编号不能重复` });
  });
  return out;
}
