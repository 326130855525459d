/**
 * 脱敏: personal data items as an exchange consumer receives them unless its grant names them in clear_items.
 * resident_id 110105********002X (first 6 + 8 stars + last 4), name 王* (first character + stars), mobile
 * 138****0001, address the first 6 characters + ***, full ***. Characters, not UTF-16 units, are counted.
 */
import type { DataItem } from '../../db/schema.ts';

export type MaskKind = NonNullable<DataItem['mask']>;

export function maskValue(kind: MaskKind, value: unknown): unknown {
  if (value === null || value === undefined || value === '') return value;
  const s = String(value);
  const chars = [...s];
  switch (kind) {
    case 'resident_id':
      // 18 characters: 6 + 8 stars + 4; anything shorter keeps less and never the middle
      if (chars.length >= 18) return `${chars.slice(0, 6).join('')}${'*'.repeat(chars.length - 10)}${chars.slice(-4).join('')}`;
      if (chars.length >= 8) return `${chars.slice(0, 2).join('')}${'*'.repeat(chars.length - 4)}${chars.slice(-2).join('')}`;
      return '*'.repeat(chars.length);
    case 'name':
      return `${chars[0]}${'*'.repeat(Math.max(1, chars.length - 1))}`;
    case 'mobile':
      if (chars.length >= 11) return `${chars.slice(0, 3).join('')}${'*'.repeat(chars.length - 7)}${chars.slice(-4).join('')}`;
      return '*'.repeat(chars.length);
    case 'address':
      return chars.length > 6 ? `${chars.slice(0, 6).join('')}***` : '***';
    case 'full':
      return '***';
  }
}

/** How each personal item of a resource is masked (a personal item without a declared mask: fully). */
export function masksOf(items: readonly DataItem[]): Map<string, MaskKind> {
  const m = new Map<string, MaskKind>();
  for (const i of items) if (i.personal) m.set(i.key, i.mask ?? 'full');
  return m;
}

/**
 * The record as the consumer may see it: only `items` (in that order), personal ones masked unless in `clear`.
 * An item the record lacks is null.
 */
export function projectRecord(data: Record<string, unknown>, items: readonly string[], masks: ReadonlyMap<string, MaskKind>, clear: ReadonlySet<string>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of items) {
    const v = data[k] ?? null;
    const mask = masks.get(k);
    out[k] = mask && !clear.has(k) ? maskValue(mask, v) : v;
  }
  return out;
}
