/**
 * The checks of a set's own fields (creating or changing it): code, title, description, columns, key columns and
 * release time. Every problem is collected, so a form shows them all at once (FieldErrorsError).
 *
 * Columns: 1–50, each a key (`exam_no`: lower-case letters, digits, `_`) and a label (考生号), unique among keys
 * and labels alike — a file's header may name a column by either, so no header may be able to mean two columns.
 * Key columns: 1–3 distinct existing columns, all required, none a decimal (a key is compared as text).
 */
import type { ResultColumn } from '../../db/schema.ts';
import { FieldErrorsError } from '../../shared/errors.ts';
import { CODE_PATTERN, COLUMN_KEY_PATTERN, COLUMN_TYPES, MAX_COLUMNS, MAX_KEY_COLUMNS } from './result-sets.types.ts';

export interface FieldProblem {
  field: string;
  message: string;
}

/** Words the staff pages and the API use as addresses next to the codes. */
const RESERVED_CODES = new Set(['new', 'templates']);
const CONTROL = /[\u0000-\u001f\u007f]/;
const length = (s: string) => [...s].length;

export function checkCode(raw: string, problems: FieldProblem[]): string {
  const code = raw.trim();
  if (!new RegExp(CODE_PATTERN).test(code)) problems.push({ field: 'code', message: '代码由 3–64 位小写字母、数字和连字符组成（用于查询地址，如 gaokao-2026）' });
  else if (RESERVED_CODES.has(code)) problems.push({ field: 'code', message: `“${code}”是保留字，请换一个代码` });
  return code;
}

export function checkTitle(raw: string, problems: FieldProblem[]): string {
  const title = raw.trim();
  if (!title) problems.push({ field: 'title', message: '请填写名称' });
  else if (length(title) > 100 || CONTROL.test(title)) problems.push({ field: 'title', message: '名称不能超过 100 个字，且不能含控制字符' });
  return title;
}

export function checkDescription(raw: string | undefined, problems: FieldProblem[]): string {
  const d = (raw ?? '').trim();
  if (length(d) > 2000) problems.push({ field: 'description', message: '说明不能超过 2000 个字' });
  return d;
}

const RELEASE = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:\d{2})$/;

/** An ISO 8601 time with its offset (a time without one would be read in the server's zone, which is never meant). */
export function checkReleaseAt(raw: string, problems: FieldProblem[]): Date | undefined {
  const s = raw.trim();
  if (!s) {
    problems.push({ field: 'releaseAt', message: '请填写发布时间' });
    return undefined;
  }
  const m = RELEASE.exec(s);
  const at = m ? new Date(s) : undefined;
  if (!m || !at || Number.isNaN(at.getTime()) || Number(m[1]) < 2000 || Number(m[1]) > 2100) {
    problems.push({ field: 'releaseAt', message: '发布时间格式不正确（如 2026-06-25T12:00:00+08:00）' });
    return undefined;
  }
  return at;
}

export function checkColumns(
  columns: readonly ResultColumn[],
  keyColumns: readonly string[],
  problems: FieldProblem[],
): { columns: ResultColumn[]; keyColumns: string[] } {
  const out: ResultColumn[] = columns.map((c) => ({
    key: String(c.key ?? '').trim(),
    label: String(c.label ?? '').trim(),
    type: c.type,
    required: c.required === true,
  }));
  if (!out.length) problems.push({ field: 'columns', message: '请至少定义一列' });
  if (out.length > MAX_COLUMNS) problems.push({ field: 'columns', message: `最多定义 ${MAX_COLUMNS} 列` });
  const names = new Map<string, number>(); // every key and label, lower-cased, with its column
  out.forEach((c, i) => {
    const f = `columns[${i}]`;
    if (!new RegExp(COLUMN_KEY_PATTERN).test(c.key)) {
      problems.push({ field: `${f}.key`, message: `第 ${i + 1} 列的字段名须以小写字母开头，由小写字母、数字和下划线组成，最长 40 位` });
    }
    if (!c.label || length(c.label) > 40 || CONTROL.test(c.label)) problems.push({ field: `${f}.label`, message: `第 ${i + 1} 列的列名须为 1–40 个字` });
    if (!Object.hasOwn(COLUMN_TYPES, c.type)) problems.push({ field: `${f}.type`, message: `第 ${i + 1} 列的类型不正确` });
    for (const [name, field] of [
      [c.key, 'key'],
      [c.label, 'label'],
    ] as const) {
      if (!name) continue;
      const seen = names.get(name.toLowerCase());
      if (seen !== undefined && !(seen === i && field === 'label')) {
        problems.push({ field: `${f}.${field}`, message: `第 ${i + 1} 列的${field === 'key' ? '字段名' : '列名'}“${name}”与第 ${seen + 1} 列重复（文件表头可以写字段名或列名，两者都不能重复）` });
      } else names.set(name.toLowerCase(), i);
    }
  });
  const keys = keyColumns.map((k) => String(k).trim());
  if (!keys.length) problems.push({ field: 'keyColumns', message: '请选择查询时要填写的关键字段（1–3 列，如考生号和身份证号）' });
  if (keys.length > MAX_KEY_COLUMNS) problems.push({ field: 'keyColumns', message: `关键字段最多 ${MAX_KEY_COLUMNS} 列` });
  if (new Set(keys).size !== keys.length) problems.push({ field: 'keyColumns', message: '关键字段不能重复' });
  for (const k of keys) {
    const c = out.find((x) => x.key === k);
    if (!c) problems.push({ field: 'keyColumns', message: `关键字段“${k}”不是已定义的列` });
    else if (!c.required) problems.push({ field: 'keyColumns', message: `关键字段“${c.label}”必须是必填列` });
    else if (c.type === 'decimal') problems.push({ field: 'keyColumns', message: `关键字段“${c.label}”不能是数值列（请改为文本）` });
  }
  return { columns: out, keyColumns: keys };
}

export function throwIfProblems(problems: FieldProblem[]): void {
  if (problems.length) throw new FieldErrorsError(problems);
}

/**
 * Same columns and keys (order matters: hashes follow the key order). The stored rows depend on everything but
 * the labels, so `labels: false` compares what loaded rows depend on.
 */
export function sameDefinition(
  a: { columns: ResultColumn[]; keyColumns: string[] },
  b: { columns: ResultColumn[]; keyColumns: string[] },
  o: { labels: boolean } = { labels: true },
): boolean {
  const col = (c: ResultColumn) => `${c.key}\u0000${o.labels ? c.label : ''}\u0000${c.type}\u0000${c.required ? 1 : 0}`;
  return a.columns.map(col).join('\u0001') === b.columns.map(col).join('\u0001') && a.keyColumns.join('\u0001') === b.keyColumns.join('\u0001');
}
