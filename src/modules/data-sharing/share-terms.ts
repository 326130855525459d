/**
 * The terms of a share (which items, which in clear, which rows, how long, how fast), checked against the
 * resource's declared items: used when a department asks (request-share) and when a provider narrows an
 * approval (decide-share-request). Every problem is reported beside its field, in Chinese.
 */
import type { DataItem, RowFilter } from '../../db/schema.ts';
import { LIMITS } from './data-sharing.types.ts';

export type FieldError = { field: string; message: string };

export const chars = (s: string): number => [...s].length;

/** A required free text (用途、依据、应用场景、理由): trimmed, 2–500 characters. */
export function checkText(errors: FieldError[], field: string, label: string, v: unknown): string {
  const s = typeof v === 'string' ? v.trim() : '';
  if (!s) errors.push({ field, message: `请填写${label}` });
  else if (chars(s) < LIMITS.textMin) errors.push({ field, message: `${label}至少 ${LIMITS.textMin} 个字` });
  else if (chars(s) > LIMITS.textMax) errors.push({ field, message: `${label}不能超过 ${LIMITS.textMax} 个字` });
  return s;
}

function uniq(list: unknown): string[] | null {
  if (!Array.isArray(list) || list.some((x) => typeof x !== 'string')) return null;
  return [...new Set(list as string[])];
}

/** The requested items: at least one, each declared by the resource. */
export function checkItems(errors: FieldError[], declared: DataItem[], v: unknown): string[] {
  const items = uniq(v);
  if (!items || !items.length) {
    errors.push({ field: 'items', message: '请至少选择一个信息项' });
    return [];
  }
  const unknown = items.filter((k) => !declared.some((d) => d.key === k));
  if (unknown.length) errors.push({ field: 'items', message: `该资源没有这些信息项：${unknown.join('、')}` });
  // in the resource's order
  return declared.filter((d) => items.includes(d.key)).map((d) => d.key);
}

/** Items asked for in clear: among the items, and each one personal (others are never masked). */
export function checkClearItems(errors: FieldError[], declared: DataItem[], items: string[], v: unknown): string[] {
  if (v === undefined || v === null) return [];
  const clear = uniq(v);
  if (!clear) {
    errors.push({ field: 'clearItems', message: '明文信息项应为信息项代码的列表' });
    return [];
  }
  const notAsked = clear.filter((k) => !items.includes(k));
  if (notAsked.length) {
    errors.push({ field: 'clearItems', message: `明文信息项须是所申请的信息项：${notAsked.join('、')}` });
    return [];
  }
  const notPersonal = clear.filter((k) => !declared.find((d) => d.key === k)?.personal);
  if (notPersonal.length) {
    const names = notPersonal.map((k) => declared.find((d) => d.key === k)?.name ?? k);
    errors.push({ field: 'clearItems', message: `只有个人信息项需要申请明文，这些不是个人信息：${names.join('、')}` });
    return [];
  }
  return declared.filter((d) => clear.includes(d.key)).map((d) => d.key);
}

/** A row filter {item: [values]} on declared items, each with 1–100 values. */
export function checkRowFilter(errors: FieldError[], declared: DataItem[], v: unknown): RowFilter {
  if (v === undefined || v === null) return {};
  if (typeof v !== 'object' || Array.isArray(v)) {
    errors.push({ field: 'rowFilter', message: '行过滤条件应为 {信息项: [取值…]}' });
    return {};
  }
  const out: RowFilter = {};
  for (const [key, raw] of Object.entries(v as Record<string, unknown>)) {
    const item = declared.find((d) => d.key === key);
    if (!item) {
      errors.push({ field: 'rowFilter', message: `行过滤条件中的信息项不存在：${key}` });
      continue;
    }
    const values = uniq(raw)?.map((s) => s.trim()).filter(Boolean);
    if (!values || !values.length) {
      errors.push({ field: 'rowFilter', message: `请为“${item.name}”填写至少一个取值，或不设该条件` });
      continue;
    }
    if (values.length > LIMITS.maxFilterValues) errors.push({ field: 'rowFilter', message: `“${item.name}”的取值不能超过 ${LIMITS.maxFilterValues} 个` });
    else if (values.some((s) => chars(s) > LIMITS.maxFilterValueLength)) errors.push({ field: 'rowFilter', message: `“${item.name}”的取值过长` });
    else out[key] = [...new Set(values)];
  }
  return out;
}

export function checkDuration(errors: FieldError[], v: unknown, max: number = LIMITS.maxDays): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < LIMITS.minDays) {
    errors.push({ field: 'durationDays', message: `使用期限应为 ${LIMITS.minDays}–${max} 天的整数` });
    return 0;
  }
  if (v > max) {
    errors.push({ field: 'durationDays', message: max === LIMITS.maxDays ? `使用期限不能超过 ${max} 天（五年）` : `同意的期限不能超过申请的 ${max} 天` });
    return 0;
  }
  return v;
}

export function checkRate(errors: FieldError[], v: unknown, max: number = LIMITS.maxRate): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 1) {
    errors.push({ field: 'ratePerMinute', message: `调用频率应为每分钟 1–${max} 次` });
    return 0;
  }
  if (v > max) {
    errors.push({ field: 'ratePerMinute', message: max === LIMITS.maxRate ? `调用频率不能超过每分钟 ${max} 次` : `同意的调用频率不能超过申请的每分钟 ${max} 次` });
    return 0;
  }
  return v;
}

/** Does `narrow` admit only rows that `wide` admits (every condition of wide kept, with fewer or equal values)? */
export function filterWithin(narrow: RowFilter, wide: RowFilter): boolean {
  for (const [key, values] of Object.entries(wide)) {
    const n = narrow[key];
    if (!n || !n.every((x) => values.includes(x))) return false;
  }
  return true;
}
