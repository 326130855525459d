/**
 * How a result set's rows are found: the key columns' values (考生号 + 身份证号 …), normalised, are hashed with
 * the set's salt (HMAC-SHA-256, first 128 bits, base64url: 22 characters). Rows are stored and looked up by this
 * hash alone, so a wrong value in any key column misses the same way, with the same work, as any other.
 */
import { createHmac, randomBytes } from 'node:crypto';
import type { ResultColumn } from '../../db/schema.ts';

/** A new salt for a set (hex, 32 bytes). */
export function newSalt(): string {
  return randomBytes(32).toString('hex');
}

/**
 * One key value as it is compared: Unicode NFKC (full-width digits and letters become half-width), outer
 * whitespace removed, inner runs of whitespace removed; letters upper-cased for ID numbers (x → X); an integer
 * column's value as its number's decimal text (canonicalInteger: '+123' and '0123' → '123'), as the query
 * shows it — the loader and the query both normalise here, so what is shown is what finds the row.
 */
export function normalizeKeyValue(column: Pick<ResultColumn, 'type'>, raw: string): string {
  const s = spelledKeyValue(column, raw);
  return column.type === 'integer' ? canonicalInteger(s) : s;
}

/**
 * A key value normalised as before integer values were canonicalised (sets loaded earlier hashed '+123' and
 * '0123' as written): the query also tries this form, so such a set is still found by what was in its file.
 */
export function spelledKeyValue(column: Pick<ResultColumn, 'type'>, raw: string): string {
  const s = raw.normalize('NFKC').trim().replace(/\s+/g, '');
  return column.type === 'id_number' ? s.toUpperCase() : s;
}

/** An integer written with an optional sign and any leading zeros as its decimal text ('-0' → '0'); other text unchanged. */
export function canonicalInteger(s: string): string {
  const m = /^([+-]?)0*(\d+)$/.exec(s);
  if (!m) return s;
  return m[1] === '-' && m[2] !== '0' ? `-${m[2]}` : m[2]!;
}

/** The hash of normalised key values, in the order of the set's key columns. */
export function keyHash(salt: string, normalizedValues: readonly string[]): string {
  return createHmac('sha256', salt).update(normalizedValues.join('\u001f')).digest().subarray(0, 16).toString('base64url');
}
