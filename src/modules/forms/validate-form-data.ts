/**
 * Validates and coerces the data of an application form (申请表单) — the same code on the server and, bundled by
 * esbuild, in the browser (no Node imports here).
 *
 * - types are coerced strictly: a number field given "abc" is an error, never NaN; strings are trimmed and an
 *   empty string is no value; full-width digits and letters (１２３, Ｘ) are read as half-width where codes and
 *   numbers are expected;
 * - keys the form does not define are dropped, and so are fields hidden by their condition (`when`) — with any
 *   error they had;
 * - required fields, option membership, lengths, ranges, resident ID and credit code check digits, phone numbers
 *   (mainland mobile or landline), county codes of addresses, table rows per column;
 * - every message is Chinese and names the field's label; paths name table cells as `members[2].name` (rows
 *   counted from 0; the message says 第 3 行). A table row whose cells are all empty is ignored (the page renders
 *   blank rows to type into) and left out of the values.
 */
import { checkResidentId } from '../../shared/codes/resident-id.ts';
import { checkCreditCode } from '../../shared/codes/credit-code.ts';
import { regionLevelOf } from '../../shared/codes/region-code.ts';
import { InvalidParameterError } from '../../shared/errors.ts';
import { evaluateCondition, isPresent } from './conditions.ts';
import type { FieldDef, FormDefinition, FormError, FormErrorCode, ValidationResult } from './form.types.ts';

export interface ValidateOptions {
  /** 'YYYY-MM-DD' for date bounds given as 'today' and for resident IDs' birth dates; default: today in China */
  today?: string;
  /** the region list (ctx.regions, or any lookup): an address's county must be in it; default: any county-shaped code */
  regions?: { get(code: string): { level: string } | undefined };
}

export const DEFAULT_TEXT_MAX = 200;
export const DEFAULT_TEXTAREA_MAX = 2000;

/** Today in China (UTC+8, no daylight saving), 'YYYY-MM-DD'. */
export function chinaDate(now: Date = new Date()): string {
  return new Date(now.getTime() + 8 * 3600_000).toISOString().slice(0, 10);
}

/** Validates the whole form's data. */
export function validateFormData(form: FormDefinition, data: unknown, opts: ValidateOptions = {}): ValidationResult {
  return new Run(form, data, opts).validate(form.steps.flatMap((s) => s.fields));
}

/** Validates the fields of one step (conditions still read the other steps' values in `data`). */
export function validateStep(form: FormDefinition, stepKey: string, data: unknown, opts: ValidateOptions = {}): ValidationResult {
  const step = form.steps.find((s) => s.key === stepKey);
  if (!step) throw new InvalidParameterError('step', `表单中没有“${stepKey}”这一步`);
  return new Run(form, data, opts).validate(step.fields);
}

interface Coerced {
  value: unknown; // undefined = no value
  errors: FormError[];
}

const EMPTY: Coerced = { value: undefined, errors: [] };
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/;
const MOBILE = /^1[3-9]\d{9}$/;
const LANDLINE = /^0\d{2,3}-?\d{7,8}(?:-\d{1,6})?$/;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const NUMBER = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)$/;

const has = (o: object, k: string) => Object.prototype.hasOwnProperty.call(o, k);
const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const chars = (s: string) => [...s].length;

/** Full-width ASCII (ＡＢＣ１２３) as half-width. */
function halfWidth(s: string): string {
  return s.replace(/[\uFF01-\uFF5E]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0)).replace(/\u3000/g, ' ');
}

function wellFormed(s: string): boolean {
  try {
    encodeURIComponent(s); // throws on a lone surrogate (which PostgreSQL's jsonb refuses)
    return true;
  } catch {
    return false;
  }
}

function validDate(s: string): boolean {
  const m = DATE.exec(s);
  if (!m) return false;
  const y = Number(m[1]);
  const mo = Number(m[2]);
  const d = Number(m[3]);
  const dt = new Date(Date.UTC(y, mo - 1, d));
  return y >= 1800 && y <= 2200 && dt.getUTCFullYear() === y && dt.getUTCMonth() === mo - 1 && dt.getUTCDate() === d;
}

function requiredVerb(f: FieldDef): string {
  return f.type === 'select' || f.type === 'multiselect' ? '请选择' : '请填写';
}

class Run {
  private readonly byKey = new Map<string, FieldDef>();
  private readonly coerced = new Map<string, Coerced>();
  private readonly shown = new Map<string, boolean>();
  private readonly busy = new Set<string>();
  private readonly data: Record<string, unknown>;
  private readonly today: string;

  constructor(
    form: FormDefinition,
    data: unknown,
    private readonly opts: ValidateOptions,
  ) {
    for (const s of form.steps) for (const f of s.fields) this.byKey.set(f.key, f);
    this.data = isRecord(data) ? data : {};
    this.today = opts.today ?? chinaDate();
  }

  validate(fields: FieldDef[]): ValidationResult {
    const values: Record<string, unknown> = {};
    const errors: FormError[] = [];
    for (const f of fields) {
      if (f.type === 'attachment' || !this.visible(f.key)) continue;
      const c = this.coerce(f.key);
      errors.push(...c.errors);
      if (c.errors.length) continue;
      const name = `“${f.label}”`;
      if (f.type === 'table') {
        const rows = (c.value as unknown[] | undefined)?.length ?? 0;
        const min = f.minRows ?? 0;
        if (rows === 0 && f.required) {
          errors.push(err(f.key, 'required', `请至少填写 ${Math.max(1, min)} 行${name}`));
          continue;
        }
        if (rows > 0 && rows < min) {
          errors.push(err(f.key, 'min_rows', `${name}至少填写 ${min} 行，现有 ${rows} 行`));
          continue;
        }
      } else if (c.value === undefined && f.required) {
        if (f.type === 'address') {
          errors.push(err(`${f.key}.regionCode`, 'required', `请选择${name}所在的区县`));
          errors.push(err(`${f.key}.detail`, 'required', `请填写${name}的详细地址`));
        } else {
          errors.push(err(f.key, 'required', `${requiredVerb(f)}${name}`));
        }
        continue;
      }
      if (c.value !== undefined) values[f.key] = c.value;
    }
    return { values, errors };
  }

  /** Whether a top-level field is shown: its condition holds over the shown values (a cycle counts as hidden). */
  private visible(key: string): boolean {
    const memo = this.shown.get(key);
    if (memo !== undefined) return memo;
    const f = this.byKey.get(key);
    if (!f || this.busy.has(`v:${key}`)) return false;
    this.busy.add(`v:${key}`);
    const result = !f.when || evaluateCondition(f.when, (k) => this.visibleValue(k));
    this.busy.delete(`v:${key}`);
    this.shown.set(key, result);
    return result;
  }

  /** The coerced value of a shown field, for conditions (an invalid value counts as none). */
  private visibleValue(key: string): unknown {
    if (!this.visible(key)) return undefined;
    const c = this.coerce(key);
    return c.errors.length ? undefined : c.value;
  }

  private coerce(key: string): Coerced {
    const memo = this.coerced.get(key);
    if (memo) return memo;
    const f = this.byKey.get(key);
    if (!f || this.busy.has(`c:${key}`)) return EMPTY;
    this.busy.add(`c:${key}`);
    const raw = has(this.data, key) ? this.data[key] : undefined;
    const c = f.type === 'table' ? this.coerceTable(f, raw) : this.coerceValue(f, raw, key, `“${f.label}”`);
    this.busy.delete(`c:${key}`);
    this.coerced.set(key, c);
    return c;
  }

  private coerceTable(f: FieldDef, raw: unknown): Coerced {
    if (raw === undefined || raw === null || raw === '') return EMPTY;
    if (!Array.isArray(raw)) return { value: undefined, errors: [err(f.key, 'type', `“${f.label}”应为表格（逐行填写）`)] };
    const columns = f.columns ?? [];
    const rows: Record<string, unknown>[] = [];
    const errors: FormError[] = [];
    raw.forEach((row, i) => {
      const rowPath = `${f.key}[${i}]`;
      if (row === undefined || row === null) return;
      if (!isRecord(row)) {
        errors.push(err(rowPath, 'type', `“${f.label}”第 ${i + 1} 行格式不正确`));
        return;
      }
      if (!columns.some((col) => has(row, col.key) && isPresent(row[col.key]))) return; // a blank row
      const cells = new Map<string, Coerced>();
      for (const col of columns) {
        cells.set(col.key, this.coerceValue(col, has(row, col.key) ? row[col.key] : undefined, `${rowPath}.${col.key}`, `“${f.label}”第 ${i + 1} 行的“${col.label}”`));
      }
      const colVisible = new Map<string, boolean>();
      const visibleCol = (k: string): boolean => {
        const memo = colVisible.get(k);
        if (memo !== undefined) return memo;
        colVisible.set(k, false); // a cycle counts as hidden
        const col = columns.find((c) => c.key === k)!;
        const v = !col.when || evaluateCondition(col.when, read);
        colVisible.set(k, v);
        return v;
      };
      const read = (k: string): unknown => {
        const cell = cells.get(k);
        if (cell) return visibleCol(k) && !cell.errors.length ? cell.value : undefined;
        return this.visibleValue(k);
      };
      const out: Record<string, unknown> = {};
      for (const col of columns) {
        if (!visibleCol(col.key)) continue;
        const c = cells.get(col.key)!;
        if (c.errors.length) errors.push(...c.errors);
        else if (c.value === undefined) {
          if (col.required) errors.push(err(`${rowPath}.${col.key}`, 'required', `${requiredVerb(col)}“${f.label}”第 ${i + 1} 行的“${col.label}”`));
        } else out[col.key] = c.value;
      }
      rows.push(out);
    });
    if (f.maxRows !== undefined && rows.length > f.maxRows) {
      errors.push(err(f.key, 'max_rows', `“${f.label}”最多填写 ${f.maxRows} 行，现有 ${rows.length} 行`));
    }
    return { value: rows.length ? rows : undefined, errors };
  }

  /** One value of any type but table (a top-level field or a table cell). `name` is the quoted label for messages. */
  private coerceValue(f: FieldDef, raw: unknown, path: string, name: string): Coerced {
    const fail = (code: FormErrorCode, message: string): Coerced => ({ value: undefined, errors: [err(path, code, message)] });
    switch (f.type) {
      case 'attachment':
      case 'table':
        return EMPTY;
      case 'select': {
        if (raw === undefined || raw === null || raw === '') return EMPTY;
        if (typeof raw !== 'string' && typeof raw !== 'number') return fail('type', `${name}应为一个选项`);
        const v = String(raw).trim();
        if (!v) return EMPTY;
        if (!(f.options ?? []).some((o) => o.value === v)) return fail('option', `${name}的选项无效，请从列表中选择`);
        return { value: v, errors: [] };
      }
      case 'multiselect': {
        if (raw === undefined || raw === null || raw === '') return EMPTY;
        const list = Array.isArray(raw) ? raw : [raw];
        const picked: string[] = [];
        for (const x of list) {
          if (typeof x !== 'string' && typeof x !== 'number') return fail('type', `${name}应为选项列表`);
          const v = String(x).trim();
          if (!v || picked.includes(v)) continue;
          if (!(f.options ?? []).some((o) => o.value === v)) return fail('option', `${name}含有无效的选项，请从列表中选择`);
          picked.push(v);
        }
        if (!picked.length) return EMPTY;
        // keep the options' order, whatever order they came in
        const ordered = (f.options ?? []).map((o) => o.value).filter((v) => picked.includes(v));
        if (typeof f.min === 'number' && ordered.length < f.min) return fail('min_items', `${name}至少选择 ${f.min} 项`);
        if (typeof f.max === 'number' && ordered.length > f.max) return fail('max_items', `${name}最多选择 ${f.max} 项`);
        return { value: ordered, errors: [] };
      }
      case 'address': {
        if (raw === undefined || raw === null || raw === '') return EMPTY;
        if (!isRecord(raw)) return fail('type', `${name}应包含所在区县和详细地址`);
        const region = this.text(raw.regionCode, false);
        const detail = this.text(raw.detail, false);
        const errors: FormError[] = [];
        if (region.error) errors.push(err(`${path}.regionCode`, region.error, `${name}的区县${region.error === 'type' ? '格式不正确' : '含有不可见的控制字符'}`));
        if (detail.error) errors.push(err(`${path}.detail`, detail.error, `${name}的详细地址${detail.error === 'type' ? '格式不正确' : '含有不可见的控制字符'}`));
        if (errors.length) return { value: undefined, errors };
        const code = region.value;
        const text = detail.value;
        if (code === undefined && text === undefined) return EMPTY;
        if (code === undefined) errors.push(err(`${path}.regionCode`, 'required', `请选择${name}所在的区县`));
        else if (!/^\d{6}$/.test(code) || regionLevelOf(code) !== 'county' || (this.opts.regions && this.opts.regions.get(code)?.level !== 'county')) {
          errors.push(err(`${path}.regionCode`, 'region', `${name}的区县不在可选范围内，请从列表中选择`));
        }
        const max = f.maxLength ?? DEFAULT_TEXT_MAX;
        if (text === undefined) errors.push(err(`${path}.detail`, 'required', `请填写${name}的详细地址`));
        else if (chars(text) > max) errors.push(err(`${path}.detail`, 'max_length', `${name}的详细地址不能超过 ${max} 个字`));
        if (errors.length) return { value: undefined, errors };
        return { value: { regionCode: code!, detail: text! }, errors: [] };
      }
      case 'number': {
        if (raw === undefined || raw === null || raw === '') return EMPTY;
        let n: number;
        if (typeof raw === 'number') {
          if (!Number.isFinite(raw)) return fail('type', `${name}应为数字`);
          n = raw;
        } else if (typeof raw === 'string') {
          const s = halfWidth(raw).trim();
          if (!s) return EMPTY;
          if (!NUMBER.test(s)) return fail('type', `${name}应为数字${f.unit ? `（单位：${f.unit}）` : ''}`);
          n = Number(s);
          if (!Number.isFinite(n)) return fail('type', `${name}应为数字`);
        } else return fail('type', `${name}应为数字`);
        if (f.integer && !Number.isInteger(n)) return fail('integer', `${name}应为整数`);
        const unit = f.unit ?? '';
        if (typeof f.min === 'number' && n < f.min) return fail('min', `${name}不能小于 ${f.min}${unit}`);
        if (typeof f.max === 'number' && n > f.max) return fail('max', `${name}不能大于 ${f.max}${unit}`);
        return { value: n, errors: [] };
      }
      case 'date': {
        const t = this.text(raw, false);
        if (t.error) return fail(t.error, `${name}应为日期`);
        if (t.value === undefined) return EMPTY;
        const s = halfWidth(t.value);
        if (!validDate(s)) return fail('date', `${name}不是有效的日期，请按“年-月-日”填写（如 2026-03-01）`);
        const bound = (b: number | string | undefined) => (b === 'today' ? this.today : typeof b === 'string' ? b : undefined);
        const min = bound(f.min);
        const max = bound(f.max);
        if (min && s < min) return fail('min', `${name}不能早于 ${min}${f.min === 'today' ? '（今天）' : ''}`);
        if (max && s > max) return fail('max', `${name}不能晚于 ${max}${f.max === 'today' ? '（今天）' : ''}`);
        return { value: s, errors: [] };
      }
      case 'resident_id': {
        const t = this.text(raw, false);
        if (t.error) return fail(t.error, `${name}应为公民身份号码`);
        if (t.value === undefined) return EMPTY;
        const id = halfWidth(t.value).replace(/\s+/g, '').toUpperCase();
        const problem = checkResidentId(id, new Date(`${this.today}T23:59:59+08:00`));
        if (problem === 'format') return fail('resident_id', `${name}应为 18 位公民身份号码（最后一位可以是 X）`);
        if (problem === 'birth_date') return fail('resident_id', `${name}中的出生日期不正确，请核对号码`);
        if (problem === 'checksum') return fail('resident_id', `${name}的校验位不正确，请核对号码`);
        return { value: id, errors: [] };
      }
      case 'credit_code': {
        const t = this.text(raw, false);
        if (t.error) return fail(t.error, `${name}应为统一社会信用代码`);
        if (t.value === undefined) return EMPTY;
        const code = halfWidth(t.value).replace(/\s+/g, '').toUpperCase();
        const problem = checkCreditCode(code);
        if (problem === 'format') return fail('credit_code', `${name}应为 18 位统一社会信用代码（数字和大写字母，不含 I、O、S、V、Z）`);
        if (problem === 'checksum') return fail('credit_code', `${name}的校验位不正确，请核对代码`);
        return { value: code, errors: [] };
      }
      case 'phone': {
        const t = this.text(raw, false);
        if (t.error) return fail(t.error, `${name}应为电话号码`);
        if (t.value === undefined) return EMPTY;
        let s = halfWidth(t.value).replace(/[\s()（）]+/g, '');
        s = s.replace(/^(?:\+86|0086)-?/, '');
        if (!MOBILE.test(s) && !LANDLINE.test(s)) return fail('phone', `${name}应为 11 位手机号码或带区号的固定电话（如 0571-88001234）`);
        return { value: s, errors: [] };
      }
      case 'text':
      case 'textarea': {
        const multiline = f.type === 'textarea';
        const t = this.text(raw, multiline);
        if (t.error === 'type') return fail('type', `${name}应为文字`);
        if (t.error) return fail(t.error, `${name}含有不可见的控制字符，请重新输入`);
        if (t.value === undefined) return EMPTY;
        const max = f.maxLength ?? (multiline ? DEFAULT_TEXTAREA_MAX : DEFAULT_TEXT_MAX);
        if (chars(t.value) > max) return fail('max_length', `${name}不能超过 ${max} 个字（现有 ${chars(t.value)} 个）`);
        if (f.pattern && !new RegExp(`^(?:${f.pattern})$`, 'u').test(t.value)) return fail('pattern', f.patternMessage ?? `${name}的格式不正确`);
        return { value: t.value, errors: [] };
      }
    }
  }

  /** A string value: trimmed, '' as none; a finite number becomes its digits; anything else is a type error. */
  private text(raw: unknown, multiline: boolean): { value?: string; error?: 'type' | 'control_chars' } {
    if (raw === undefined || raw === null) return {};
    let s: string;
    if (typeof raw === 'number' && Number.isFinite(raw)) s = String(raw);
    else if (typeof raw === 'string') s = raw;
    else return { error: 'type' };
    s = multiline ? s.replace(/\r\n?/g, '\n') : s.replace(/[\r\n\t]+/g, ' ');
    s = s.trim();
    if (!s) return {};
    if (CONTROL.test(s) || !wellFormed(s)) return { error: 'control_chars' };
    return { value: s };
  }
}

function err(field: string, code: FormErrorCode, message: string): FormError {
  return { field, code, message };
}
