/** Conditions (显示条件 / 情形必要): evaluation and the fields they read. Isomorphic. */
import type { Condition } from './form.types.ts';

/** Whether a value counts as given (a non-empty string, a number, a non-empty array or object). */
export function isPresent(v: unknown): boolean {
  if (v === undefined || v === null) return false;
  if (typeof v === 'string') return v.trim() !== '';
  if (Array.isArray(v)) return v.length > 0;
  if (typeof v === 'object') return Object.keys(v as object).length > 0;
  return true;
}

function same(a: unknown, b: string | number): boolean {
  if (typeof a === 'number' || typeof a === 'string') return String(a) === String(b);
  return false;
}

/**
 * Whether a condition holds, reading field values with `read` (for a table column: the row's cells first).
 * A missing value equals nothing and is not "notEmpty".
 */
export function evaluateCondition(c: Condition, read: (field: string) => unknown): boolean {
  if ('all' in c) return c.all.every((x) => evaluateCondition(x, read));
  if ('any' in c) return c.any.some((x) => evaluateCondition(x, read));
  const v = read(c.field);
  if ('notEmpty' in c) return isPresent(v);
  if (!isPresent(v)) return false;
  const wanted = 'equals' in c ? [c.equals] : c.in;
  const have = Array.isArray(v) ? v : [v];
  return have.some((h) => wanted.some((w) => same(h, w)));
}

/** Whether a condition holds over a values object (the result of validateFormData). */
export function conditionHolds(c: Condition, values: Record<string, unknown>): boolean {
  return evaluateCondition(c, (f) => (Object.prototype.hasOwnProperty.call(values, f) ? values[f] : undefined));
}

/** Every field key a condition reads. */
export function conditionFields(c: Condition, out: string[] = []): string[] {
  if ('all' in c) for (const x of c.all) conditionFields(x, out);
  else if ('any' in c) for (const x of c.any) conditionFields(x, out);
  else out.push(c.field);
  return out;
}

/** The values a condition compares with (for checking them against a select's options). */
export function conditionValues(c: Condition, out: { field: string; value: string | number }[] = []): { field: string; value: string | number }[] {
  if ('all' in c) for (const x of c.all) conditionValues(x, out);
  else if ('any' in c) for (const x of c.any) conditionValues(x, out);
  else if ('equals' in c) out.push({ field: c.field, value: c.equals });
  else if ('in' in c) for (const v of c.in) out.push({ field: c.field, value: v });
  return out;
}
