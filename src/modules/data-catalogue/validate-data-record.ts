/**
 * The checks of a file of records against the resource's declared data items (信息项).
 *
 * Header (CSV, XLSX): each column names an item by its key (id_number) or its name (公民身份号码). A column the
 * resource does not declare, one named twice, or a required item missing fails the whole load at once, naming
 * them. In a delete load only the key item is needed (other declared columns are ignored). JSON objects are
 * checked the same way, property by property, per record.
 *
 * Header names and JSON property names are compared after NFKC normalisation on both sides (full-width brackets,
 * colons and digits — 注册资本（万元） — match however the file writes them), case-insensitively.
 *
 * Values by type: text, integer, decimal, date (YYYY-MM-DD, also 2024/1/5 and 20240105; a spreadsheet's date
 * cell arrives as its Excel serial number and is converted), boolean (是/否, true/false, 1/0), resident_id
 * (GB 11643 check digit), credit_code (GB 32100 check character), mobile. A number too large to hold every digit
 * (beyond 2^53: Excel or JSON already rounded it) is refused for a text-like item, never stored rounded. Required items
 * must have a value; no two records of a file may have the same key. A problem names the row, the item, the
 * value — personal values masked (110105********002X) — and what is wrong, in Chinese, for the error report.
 *
 * A good record becomes `{itemKey: value}` in the declared order (numbers as numbers, booleans as booleans,
 * an empty optional value as null) serialised once as JSON, with its key.
 */
import type { DataItem } from '../../db/schema.ts';
import { checkCreditCode } from '../../shared/codes/credit-code.ts';
import { maskIdNumber, maskPersonName } from '../results/masking.ts';
import { LoadFailure } from '../result-sets/result-sets.errors.ts';
import type { RowProblem } from '../result-sets/validate-result-row.ts';

export type { RowProblem };
export type LoadMode = 'full' | 'upsert' | 'delete';

const MAX_TEXT = 2000;
const INTEGER = /^[+-]?\d{1,15}$/;
const DECIMAL = /^[+-]?(\d{1,15}(\.\d{1,8})?|\.\d{1,8})$/;
const MOBILE = /^1[3-9]\d{9}$/;
const DATE = /^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$/;
const DATE_COMPACT = /^(\d{4})(\d{2})(\d{2})$/;
const TRUE = new Set(['true', '是', '1', 'y', 'yes', 't']);
const FALSE = new Set(['false', '否', '0', 'n', 'no', 'f']);

/** A value as the error report shows it: personal values masked, long ones cut. */
export function maskForReport(item: DataItem | undefined, raw: string): string {
  const s = raw.length > 100 ? `${raw.slice(0, 100)}…` : raw;
  if (!item || s === '') return s;
  if (item.type === 'resident_id' || item.mask === 'resident_id') return maskIdNumber(s);
  if (item.type === 'mobile' || item.mask === 'mobile') return s.length >= 7 ? `${s.slice(0, 3)}${'*'.repeat(s.length - 7)}${s.slice(-4)}` : '*'.repeat(s.length);
  if (!item.personal) return s;
  switch (item.mask) {
    case 'name':
      return maskPersonName(s);
    case 'address':
      return `${[...s].slice(0, 6).join('')}***`;
    default:
      return '***';
  }
}

const pad2 = (n: number) => (n < 10 ? `0${n}` : String(n));

function dateOf(y: number, m: number, d: number): string | null {
  if (y < 1800 || y > 2200 || m < 1 || m > 12 || d < 1) return null;
  const days = m === 2 ? ((y % 4 === 0 && y % 100 !== 0) || y % 400 === 0 ? 29 : 28) : [4, 6, 9, 11].includes(m) ? 30 : 31;
  if (d > days) return null;
  return `${y}-${pad2(m)}-${pad2(d)}`;
}

/** Excel's 1900 date system: serial 1 is 1900-01-01; a serial this large or more is past 9999-12-31. */
const EXCEL_SERIAL_END = 2_958_466;

/**
 * An Excel 1900-system serial as YYYY-MM-DD, or null. Excel counts 1900 as a leap year (Lotus 1-2-3's bug):
 * serial 60 is the 29 February 1900 that never was, and every serial from 61 on is one day ahead of a plain count
 * from 1899-12-31. A fraction is the time of day, dropped.
 */
export function excelSerialDate(serial: number): string | null {
  if (!Number.isFinite(serial) || serial < 1 || serial >= EXCEL_SERIAL_END) return null;
  const day = Math.floor(serial);
  if (day === 60) return null;
  const d = new Date(Date.UTC(1899, 11, day < 60 ? 31 : 30) + day * 86_400_000);
  return dateOf(d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate());
}

/** A number with every digit kept as JavaScript holds it (not past 2^53, where integers are already rounded). */
const exactNumber = (n: number) => Number.isFinite(n) && Math.abs(n) <= Number.MAX_SAFE_INTEGER;

const LOST_DIGITS = '数字超过 15 位，Excel 已丢失精度：请把该列设为“文本”格式后重新录入';

/** A header or property name as compared with the items' keys and names. */
function nameKey(s: string): string {
  return (isAscii(s) ? s : s.normalize('NFKC')).trim().toLowerCase();
}

/** What parseValue answers for a bad value; the message is left in `problemText`. */
const PROBLEM: unique symbol = Symbol('problem');
let problemText = '';
const problem = (message: string): typeof PROBLEM => {
  problemText = message;
  return PROBLEM;
};

const CHECK_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK_CHARS = '10X98765432';

/** A resident ID, fast: format, a real birth date not in the future, the check character. */
function residentIdProblem(id: string, todayKey: number): string | null {
  if (id.length !== 18) return '身份证号应为 18 位（最后一位可以是 X）';
  let sum = 0;
  for (let i = 0; i < 17; i++) {
    const d = id.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return '身份证号应为 18 位（最后一位可以是 X）';
    sum += d * CHECK_WEIGHTS[i]!;
  }
  const last = id.charCodeAt(17);
  if (last !== 88 && (last < 48 || last > 57)) return '身份证号应为 18 位（最后一位可以是 X）';
  const y = (id.charCodeAt(6) - 48) * 1000 + (id.charCodeAt(7) - 48) * 100 + (id.charCodeAt(8) - 48) * 10 + (id.charCodeAt(9) - 48);
  const m = (id.charCodeAt(10) - 48) * 10 + (id.charCodeAt(11) - 48);
  const d = (id.charCodeAt(12) - 48) * 10 + (id.charCodeAt(13) - 48);
  if (y < 1850 || dateOf(y, m, d) === null || y * 10000 + m * 100 + d > todayKey) return '身份证号中的出生日期不正确';
  if (CHECK_CHARS.charCodeAt(sum % 11) !== last) return '身份证号校验位不正确，请核对号码';
  return null;
}

/** Two ASCII digits at i, or -1. */
function digits2(s: string, i: number): number {
  const a = s.charCodeAt(i) - 48;
  const b = s.charCodeAt(i + 1) - 48;
  return a >= 0 && a <= 9 && b >= 0 && b <= 9 ? a * 10 + b : -1;
}

/** A date written YYYY-MM-DD (the common case, without a regular expression), else undefined. */
function isoDate(s: string): string | null | undefined {
  if (s.length !== 10 || s.charCodeAt(4) !== 45 || s.charCodeAt(7) !== 45) return undefined;
  const c = digits2(s, 0);
  const y = digits2(s, 2);
  const m = digits2(s, 5);
  const d = digits2(s, 8);
  if (c < 0 || y < 0 || m < 0 || d < 0) return undefined;
  return dateOf(c * 100 + y, m, d);
}

/** True when every character is ASCII (no full-width digits or letters to normalise). */
function isAscii(s: string): boolean {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) > 0x7f) return false;
  return true;
}

/** One value of an item from a file: a cell's text or number, or a JSON value; PROBLEM when it is bad. */
function parseValue(item: DataItem, raw: unknown, todayKey: number): unknown {
  if (raw === null || raw === undefined) return null;
  if (typeof raw === 'number') {
    switch (item.type) {
      case 'integer':
        return Number.isSafeInteger(raw) ? raw : problem('应为整数');
      case 'decimal':
        return Number.isFinite(raw) ? Math.round(raw * 1e8) / 1e8 : problem('应为数字');
      case 'boolean':
        return raw === 1 ? true : raw === 0 ? false : problem('应为“是”或“否”');
      case 'resident_id':
      case 'credit_code':
      case 'mobile':
        if (!Number.isSafeInteger(raw)) return problem(LOST_DIGITS);
        return parseValue(item, String(raw), todayKey);
      case 'text':
        // a decimal is kept as written (12.5); an integer past 2^53 has already lost its last digits
        if (!exactNumber(raw)) return problem(LOST_DIGITS);
        return parseValue(item, String(raw), todayKey);
      case 'date':
        // 20240105 written as a number (JSON) is read as text; anything smaller is a spreadsheet's date cell
        if (raw >= 10_000_000) return parseValue(item, String(raw), todayKey);
        return excelSerialDate(raw) ?? problem('应为日期，如 2024-01-05');
    }
  }
  if (typeof raw === 'boolean') return item.type === 'boolean' ? raw : parseValue(item, raw ? 'true' : 'false', todayKey);
  if (typeof raw !== 'string') return problem('应为单个值（文字、数字或日期），不能是对象或数组');
  const s = raw.trim();
  if (s === '') return null;
  switch (item.type) {
    case 'text':
      return s.length > MAX_TEXT ? problem(`内容过长（最多 ${MAX_TEXT} 个字）`) : s;
    case 'integer': {
      const t = isAscii(s) ? s : s.normalize('NFKC');
      return INTEGER.test(t) ? Number(t) : problem('应为整数');
    }
    case 'decimal': {
      let t = isAscii(s) ? s : s.normalize('NFKC');
      if (t.includes(',')) t = t.replace(/,/g, '');
      return DECIMAL.test(t) ? Number(t) : problem('应为数字（最多 8 位小数）');
    }
    case 'date': {
      const fast = isoDate(s);
      if (fast !== undefined) return fast ?? problem('应为日期，如 2024-01-05');
      const t = isAscii(s) ? s : s.normalize('NFKC');
      const m = DATE.exec(t) ?? DATE_COMPACT.exec(t) ?? /^(\d{4})-(\d{2})-(\d{2})T[\d:.]+Z?$/.exec(t);
      const d = m ? dateOf(Number(m[1]), Number(m[2]), Number(m[3])) : null;
      return d ?? problem('应为日期，如 2024-01-05');
    }
    case 'boolean': {
      const t = s.toLowerCase();
      return TRUE.has(t) ? true : FALSE.has(t) ? false : problem('应为“是”或“否”');
    }
    case 'resident_id': {
      let id = isAscii(s) ? s : s.normalize('NFKC');
      if (id.length !== 18 || id.charCodeAt(17) === 120) id = id.replace(/\s+/g, '').toUpperCase();
      const bad = residentIdProblem(id, todayKey);
      return bad ? problem(bad) : id;
    }
    case 'credit_code': {
      const code = (isAscii(s) ? s : s.normalize('NFKC')).replace(/\s+/g, '').toUpperCase();
      const bad = checkCreditCode(code);
      if (bad === 'format') return problem('统一社会信用代码应为 18 位数字或大写字母（不含 I、O、S、V、Z）');
      if (bad === 'checksum') return problem('统一社会信用代码校验位不正确，请核对');
      return code;
    }
    case 'mobile': {
      const t = (isAscii(s) ? s : s.normalize('NFKC')).replace(/[\s-]/g, '').replace(/^\+?86/, '');
      return MOBILE.test(t) ? t : problem('应为 11 位手机号码');
    }
  }
}

/** True when a string's JSON text is the string itself between quotes (nothing to escape, no surrogate). */
function plainJsonString(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x20 || c === 34 || c === 92 || (c >= 0xd800 && c <= 0xdfff)) return false;
  }
  return true;
}

const asText = (v: unknown): string => (v === null || v === undefined ? '' : typeof v === 'string' ? v : typeof v === 'object' ? JSON.stringify(v) : String(v));

/** Checks records one after another; remembers the keys seen (with their row) to find duplicates. */
export class DataRecordValidator {
  private readonly items: readonly DataItem[];
  private readonly keyIndex: number;
  private readonly byName = new Map<string, number>();
  private readonly seen = new Map<string, number>();
  private readonly todayKey: number;
  /** For each item, the index of its column (-1: not in the file); set by `header`. */
  private at: number[] = [];
  private width = 0;
  private unnamed: number[] = [];
  /** Per item: must have a value (required, or the key; in a delete load only the key). */
  private readonly required: boolean[];
  /** Per item: `"key":` with the comma (or the record's brace) before it, for the record's JSON text. */
  private readonly jsonPrefix: string[];
  private values: unknown[] = [];
  private lastKey = '';

  constructor(
    items: readonly DataItem[],
    keyItem: string,
    private readonly mode: LoadMode,
    today = new Date(),
  ) {
    // in a delete load only the key matters
    this.items = items;
    this.keyIndex = items.findIndex((i) => i.key === keyItem);
    if (this.keyIndex < 0) throw new LoadFailure(`资源的关键信息项 ${keyItem} 不在信息项中，请先修正资源目录`);
    // both sides normalised alike: a name declared with full-width characters (注册资本（万元）) matches the
    // header or property however it is written
    items.forEach((item, i) => {
      this.byName.set(nameKey(item.key), i);
      this.byName.set(nameKey(item.name), i);
    });
    this.required = items.map((_, i) => this.needed(i));
    this.jsonPrefix = items.map((item, i) => `${i ? ',' : '{'}${JSON.stringify(item.key)}:`);
    const china = new Date(today.getTime() + 8 * 3600_000);
    this.todayKey = china.getUTCFullYear() * 10000 + (china.getUTCMonth() + 1) * 100 + china.getUTCDate();
  }

  get keyItem(): DataItem {
    return this.items[this.keyIndex]!;
  }

  private needed(i: number): boolean {
    return this.mode === 'delete' ? i === this.keyIndex : this.items[i]!.required || i === this.keyIndex;
  }

  /** Maps the header row (CSV, XLSX); throws a LoadFailure naming what does not match. */
  header(cells: readonly (string | number)[]): void {
    const names = cells.map((h) => asText(h).normalize('NFKC').trim());
    let width = names.length;
    while (width > 0 && names[width - 1] === '') width--; // Excel often keeps empty columns at the right
    if (width === 1 && /[\t;|]/.test(names[0]!)) {
      throw new LoadFailure('无法识别表头：文件似乎不是用逗号分隔的。请用 Excel 或 WPS 另存为“CSV UTF-8（逗号分隔）”后重新上传');
    }
    const at = this.items.map(() => -1);
    const unknown: string[] = [];
    const twice: string[] = [];
    const unnamed: number[] = [];
    for (let i = 0; i < width; i++) {
      const name = names[i]!;
      if (!name) {
        unnamed.push(i);
        continue;
      }
      const c = this.byName.get(name.toLowerCase());
      if (c === undefined) unknown.push(name);
      else if (at[c] !== -1) twice.push(this.items[c]!.name);
      else at[c] = i;
    }
    const missing = this.items.filter((_, i) => this.needed(i) && at[i] === -1).map((c) => c.name);
    const parts: string[] = [];
    if (missing.length) parts.push(`缺少${this.mode === 'delete' ? '关键' : '必填'}信息项：${missing.join('、')}`);
    if (unknown.length) parts.push(`有资源未声明的列：${unknown.slice(0, 20).join('、')}${unknown.length > 20 ? ` 等 ${unknown.length} 列` : ''}（请删除这些列，或先在资源目录中增加信息项）`);
    if (twice.length) parts.push(`列重复出现：${[...new Set(twice)].join('、')}`);
    if (parts.length) {
      const first = this.items[0]!;
      throw new LoadFailure(`表头（第 1 行）与资源的信息项不符——${parts.join('；')}。表头每列须写信息项名称或代码，如“${first.name}”或 ${first.key}`);
    }
    if (this.mode === 'delete') for (let i = 0; i < at.length; i++) if (i !== this.keyIndex) at[i] = -1;
    this.at = at;
    this.width = width;
    this.unnamed = unnamed;
  }

  /** The key's duplicate check; the problems, or null when the record is good (its values kept). */
  private finish(values: unknown[], problems: RowProblem[] | undefined, line: number): RowProblem[] | null {
    const key = values[this.keyIndex];
    this.lastKey = '';
    if (key !== null && key !== undefined) {
      const k = String(key);
      // a copy of the key: a cell's text is a slice of the file's text, which the map must not keep alive
      const seenKey = k.length > 12 ? JSON.stringify(k) : k;
      const first = this.seen.get(seenKey);
      if (first !== undefined) {
        const item = this.items[this.keyIndex]!;
        (problems ??= []).push({ column: item.name, value: maskForReport(item, k), message: `与第 ${first} 行重复（${item.name}相同）` });
      } else this.seen.set(seenKey, line);
      this.lastKey = k;
    }
    if (problems) return problems;
    this.values = values;
    return null;
  }

  /** The key of the last good record. */
  get key(): string {
    return this.lastKey;
  }

  /**
   * The last good record as JSON text, `{itemKey: value}` in the declared order, appended to `out` in pieces
   * (joined once per batch: no string is built per record).
   */
  appendRecord(out: string[]): void {
    const values = this.values;
    const prefix = this.jsonPrefix;
    for (let i = 0; i < values.length; i++) {
      out.push(prefix[i]!);
      const v = values[i];
      if (typeof v === 'string') {
        if (plainJsonString(v)) out.push('"', v, '"');
        else out.push(JSON.stringify(v));
      } else if (v === null || v === undefined) out.push('null');
      else if (typeof v === 'number') out.push(Number.isFinite(v) ? String(v) : 'null');
      else if (typeof v === 'boolean') out.push(v ? 'true' : 'false');
      else out.push(JSON.stringify(v));
    }
    out.push('}');
  }

  /** Item i's value (index into `values`); a problem appended to `problems` (made when needed), which is returned. */
  private value(i: number, raw: unknown, values: unknown[], problems: RowProblem[] | undefined): RowProblem[] | undefined {
    const item = this.items[i]!;
    const v = parseValue(item, raw, this.todayKey);
    if (v === PROBLEM) {
      (problems ??= []).push({ column: item.name, value: maskForReport(item, asText(raw)), message: problemText });
      values[i] = null;
      return problems;
    }
    if (v === null && this.required[i]) (problems ??= []).push({ column: item.name, value: '', message: i === this.keyIndex ? '关键信息项，不能为空' : '必填，不能为空' });
    values[i] = v;
    return problems;
  }

  /** A row of cells under the header. */
  checkCells(cells: readonly (string | number)[], line: number): RowProblem[] | null {
    let problems: RowProblem[] | undefined;
    const n = this.items.length;
    const values: unknown[] = new Array(n);
    const at = this.at;
    for (let i = 0; i < n; i++) {
      const c = at[i]!;
      if (c < 0) {
        values[i] = null;
        if (this.required[i]) (problems ??= []).push({ column: this.items[i]!.name, value: '', message: '必填，不能为空' });
        continue;
      }
      problems = this.value(i, cells[c], values, problems);
    }
    for (const i of this.unnamed) {
      if (asText(cells[i]).trim() !== '') (problems ??= []).push({ column: `第 ${i + 1} 列`, value: maskForReport(undefined, asText(cells[i])), message: '该列没有表头，但这一行有内容' });
    }
    for (let i = this.width; i < cells.length; i++) {
      if (asText(cells[i]).trim() !== '') {
        (problems ??= []).push({ column: '', value: '', message: `这一行的列数比表头多（表头 ${this.width} 列）` });
        break;
      }
    }
    return this.finish(values, problems, line);
  }

  /** A JSON object: properties by item key or name; one the resource does not declare is a problem. */
  checkObject(record: Record<string, unknown>, line: number): RowProblem[] | null {
    let problems: RowProblem[] | undefined;
    const raw: unknown[] = this.items.map(() => undefined);
    const given: boolean[] = this.items.map(() => false);
    for (const [name, v] of Object.entries(record)) {
      const i = this.byName.get(nameKey(name));
      if (i === undefined) {
        (problems ??= []).push({ column: name.slice(0, 50), value: '', message: '资源未声明这个信息项' });
        continue;
      }
      if (given[i]) {
        (problems ??= []).push({ column: this.items[i]!.name, value: '', message: '同一条记录中出现了两次（代码和名称各一次）' });
        continue;
      }
      given[i] = true;
      raw[i] = v;
    }
    const values: unknown[] = new Array(this.items.length);
    for (let i = 0; i < this.items.length; i++) {
      if (this.mode === 'delete' && i !== this.keyIndex) {
        values[i] = null;
        continue;
      }
      problems = this.value(i, raw[i], values, problems);
    }
    return this.finish(values, problems, line);
  }
}
