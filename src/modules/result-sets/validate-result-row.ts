/**
 * The checks of a result file: its header against the set's columns, then each row.
 *
 * Header: each file column names a declared column by its key (exam_no) or its label (考生号). A required column
 * missing, a column the set does not declare, or one named twice fails the whole load at once, naming them.
 * Rows: required values present, integers and decimals that parse, resident IDs with a valid birth date and
 * check character (GB 11643), no two rows with the same key. A row's problems name the row (as a spreadsheet
 * numbers it), the column's label, the value and what is wrong, in Chinese, for the error report.
 *
 * A good row becomes what the query shows: `{columnKey: value}` in the declared order, numbers as numbers, an
 * empty optional value as null, ID numbers masked; and the hash of its normalised key values (result-keys.ts).
 */
import type { ResultColumn } from '../../db/schema.ts';
import { checkResidentId } from '../../shared/codes/resident-id.ts';
import { maskIdNumber } from '../results/masking.ts';
import { keyHash, normalizeKeyValue } from './result-keys.ts';
import { LoadFailure } from './result-sets.errors.ts';

export interface HeaderMap {
  /** For each declared column, the index of its file column, or -1 when the file leaves it out (optional columns). */
  at: number[];
  /** File columns with an empty header: a value under one is a problem of that row. */
  unnamed: number[];
  width: number;
}

export interface RowProblem {
  column: string; // the column's label ('' for the row as a whole)
  value: string;
  message: string;
}

export type RowResult = { ok: true; keyHash: string; data: string } | { ok: false; problems: RowProblem[] };

const MAX_TEXT = 200;
const clean = (s: string) => s.normalize('NFKC').trim();
const ASCII = /^[\x00-\x7f]*$/;
const asText = (v: string | number | undefined) => (v === undefined ? '' : typeof v === 'number' ? String(v) : v);
const shown = (v: string | number | undefined) => {
  const s = asText(v);
  return s.length > 100 ? `${s.slice(0, 100)}…` : s;
};

/** A cell as the error report shows it: ID numbers masked (the report is kept; the row number finds the line). */
const reported = (c: ResultColumn, v: string | number | undefined) => (c.type === 'id_number' ? maskIdNumber(shown(v)) : shown(v));

export function mapHeader(columns: readonly ResultColumn[], header: readonly (string | number)[]): HeaderMap {
  const byName = new Map<string, number>();
  columns.forEach((c, i) => {
    byName.set(c.key.toLowerCase(), i);
    byName.set(clean(c.label).toLowerCase(), i);
  });
  const names = header.map((h) => clean(asText(h)));
  let width = names.length;
  while (width > 0 && names[width - 1] === '') width--; // Excel often keeps empty columns at the right
  if (width === 1 && /[\t;|]/.test(names[0]!)) {
    throw new LoadFailure('无法识别表头：文件似乎不是用逗号分隔的。请用 Excel 或 WPS 另存为“CSV UTF-8（逗号分隔）”后重新上传');
  }
  const at = columns.map(() => -1);
  const unknown: string[] = [];
  const twice: string[] = [];
  const unnamed: number[] = [];
  for (let i = 0; i < width; i++) {
    const name = names[i]!;
    if (!name) {
      unnamed.push(i);
      continue;
    }
    const c = byName.get(name.toLowerCase());
    if (c === undefined) unknown.push(name);
    else if (at[c] !== -1) twice.push(columns[c]!.label);
    else at[c] = i;
  }
  const missing = columns.filter((c, i) => c.required && at[i] === -1).map((c) => c.label);
  const parts: string[] = [];
  if (missing.length) parts.push(`缺少必填列：${missing.join('、')}`);
  if (unknown.length) parts.push(`有结果集未定义的列：${unknown.slice(0, 20).join('、')}${unknown.length > 20 ? ` 等 ${unknown.length} 列` : ''}（请删除这些列，或先在结果集中定义）`);
  if (twice.length) parts.push(`列重复出现：${[...new Set(twice)].join('、')}`);
  if (parts.length) {
    throw new LoadFailure(`表头（第 1 行）不符合结果集的列定义——${parts.join('；')}。表头每列须写列名或字段名，如“${columns[0]!.label}”或 ${columns[0]!.key}`);
  }
  return { at, unnamed, width };
}

type Parsed = { value: string | number | null; key: string } | { problem: string };

function parseCell(c: ResultColumn, raw: string | number | undefined): Parsed {
  if (typeof raw === 'number') {
    if (c.type === 'integer') return Number.isSafeInteger(raw) ? { value: raw, key: String(raw) } : { problem: '应为整数' };
    if (c.type === 'decimal') {
      if (!Number.isFinite(raw)) return { problem: '应为数字' };
      const v = Math.round(raw * 1e6) / 1e6; // a formula's float noise (0.1 + 0.2)
      return { value: v, key: String(v) };
    }
    if (c.type === 'id_number') return { problem: 'Excel 把身份证号存成了数字，末几位已经丢失：请把该列设为“文本”格式后重新录入' };
    if (Number.isInteger(raw) && !Number.isSafeInteger(raw)) return { problem: '数字超过 15 位，Excel 已丢失精度：请把该列设为“文本”格式后重新录入' };
    return { value: String(raw), key: String(raw) };
  }
  const s = raw === undefined ? '' : ASCII.test(raw) ? raw.trim() : clean(raw);
  if (s === '') return { value: null, key: '' };
  switch (c.type) {
    case 'text':
      return [...s].length > MAX_TEXT ? { problem: `内容过长（最多 ${MAX_TEXT} 个字）` } : { value: s, key: s };
    case 'integer':
      return /^[+-]?\d{1,15}$/.test(s) ? { value: Number(s), key: s } : { problem: '应为整数' };
    case 'decimal':
      return /^[+-]?(\d{1,15}(\.\d{1,6})?|\.\d{1,6})$/.test(s) ? { value: Number(s), key: s } : { problem: '应为数字（最多 6 位小数）' };
    case 'id_number': {
      const id = s.replace(/\s+/g, '').toUpperCase();
      const bad = checkResidentId(id);
      if (bad === 'format') return { problem: '身份证号应为 18 位（最后一位可以是 X）' };
      if (bad === 'birth_date') return { problem: '身份证号中的出生日期不正确' };
      if (bad === 'checksum') return { problem: '身份证号校验位不正确，请核对号码' };
      return { value: maskIdNumber(id), key: id };
    }
  }
}

const B64 = new Int8Array(128).fill(-1);
[...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'].forEach((c, i) => (B64[c.charCodeAt(0)] = i));

/**
 * The key hashes seen so far, each with its row: an open-addressing table in typed arrays rather than a Map of
 * strings — a million keys are 50 MB outside the garbage-collected heap instead of a hundred inside it, which
 * the collector would walk again and again during a load. A hash (22 base64url characters, 132 bits) is packed
 * into five 32-bit words without loss, so two different keys never count as the same.
 */
export class KeySet {
  private words = new Uint32Array(5 << 12);
  private lines = new Uint32Array(1 << 12); // 0: an empty slot (rows are numbered from 1)
  private size = 0;
  private readonly w = new Uint32Array(5);

  /** Adds the hash with its row; if it was there already, returns that first row instead (and adds nothing). */
  addOrGet(hash: string, line: number): number | undefined {
    if (hash.length !== 22) throw new Error('key hash of unexpected length');
    if ((this.size + 1) * 2 > this.lines.length) this.grow();
    const w = this.w;
    w.fill(0);
    for (let i = 0; i < 22; i++) {
      const v = B64[hash.charCodeAt(i)] ?? -1;
      if (v < 0) throw new Error('key hash is not base64url');
      w[(i / 5) | 0] = w[(i / 5) | 0]! * 64 + v;
    }
    const mask = this.lines.length - 1;
    for (let slot = w[0]! & mask; ; slot = (slot + 1) & mask) {
      if (this.lines[slot] === 0) {
        this.words.set(w, slot * 5);
        this.lines[slot] = line;
        this.size++;
        return undefined;
      }
      const o = slot * 5;
      if (this.words[o] === w[0] && this.words[o + 1] === w[1] && this.words[o + 2] === w[2] && this.words[o + 3] === w[3] && this.words[o + 4] === w[4]) return this.lines[slot];
    }
  }

  private grow(): void {
    const oldWords = this.words;
    const oldLines = this.lines;
    this.words = new Uint32Array(oldWords.length * 2);
    this.lines = new Uint32Array(oldLines.length * 2);
    const mask = this.lines.length - 1;
    for (let s = 0; s < oldLines.length; s++) {
      if (oldLines[s] === 0) continue;
      let slot = oldWords[s * 5]! & mask;
      while (this.lines[slot] !== 0) slot = (slot + 1) & mask;
      this.words.set(oldWords.subarray(s * 5, s * 5 + 5), slot * 5);
      this.lines[slot] = oldLines[s]!;
    }
  }
}

/** Checks rows one after another; remembers the keys seen (with their row) to find duplicates. */
export class RowValidator {
  private readonly seen = new KeySet();
  private readonly keyIndexes: number[];
  private readonly keyLabels: string;

  constructor(
    private readonly columns: readonly ResultColumn[],
    keyColumns: readonly string[],
    private readonly salt: string,
    private readonly header: HeaderMap,
  ) {
    this.keyIndexes = keyColumns.map((k) => columns.findIndex((c) => c.key === k));
    this.keyLabels = this.keyIndexes.map((i) => columns[i]!.label).join('+');
  }

  check(cells: readonly (string | number)[], line: number): RowResult {
    const problems: RowProblem[] = [];
    const data: Record<string, string | number | null> = {};
    const keys: string[] = [];
    for (let i = 0; i < this.columns.length; i++) {
      const c = this.columns[i]!;
      const at = this.header.at[i]!;
      const raw = at >= 0 ? cells[at] : undefined;
      const r = parseCell(c, raw);
      if ('problem' in r) {
        problems.push({ column: c.label, value: reported(c, raw), message: r.problem });
        data[c.key] = null;
        continue;
      }
      if (r.value === null && c.required) problems.push({ column: c.label, value: '', message: '必填，不能为空' });
      data[c.key] = r.value;
    }
    for (const i of this.header.unnamed) {
      if (asText(cells[i]).trim() !== '') problems.push({ column: `第 ${i + 1} 列`, value: shown(cells[i]), message: '该列没有表头，但这一行有内容' });
    }
    for (let i = this.header.width; i < cells.length; i++) {
      if (asText(cells[i]).trim() !== '') {
        problems.push({ column: '', value: shown(cells[i]), message: `这一行的列数比表头多（表头 ${this.header.width} 列）` });
        break;
      }
    }
    let keyComplete = true;
    for (const i of this.keyIndexes) {
      const at = this.header.at[i]!;
      const raw = asText(at >= 0 ? cells[at] : undefined);
      const v = normalizeKeyValue(this.columns[i]!, raw);
      if (!v) keyComplete = false;
      keys.push(v);
    }
    let hash = '';
    if (keyComplete) {
      hash = keyHash(this.salt, keys);
      const first = this.seen.addOrGet(hash, line);
      if (first !== undefined) {
        problems.push({ column: this.keyLabels, value: keys.map((k, n) => reported(this.columns[this.keyIndexes[n]!]!, k)).join(' / '), message: `与第 ${first} 行重复（${this.keyLabels} 相同）` });
      }
    }
    if (problems.length) return { ok: false, problems };
    return { ok: true, keyHash: hash, data: JSON.stringify(data) };
  }
}
