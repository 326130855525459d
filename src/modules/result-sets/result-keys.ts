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
 * whitespace removed, inner runs of whitespace removed; letters upper-cased for ID numbers (x → X).
 */
export function normalizeKeyValue(column: Pick<ResultColumn, 'type'>, raw: string): string {
  const s = raw.normalize('NFKC').trim().replace(/\s+/g, '');
  return column.type === 'id_number' ? s.toUpperCase() : s;
}

/** The hash of normalised key values, in the order of the set's key columns. */
export function keyHash(salt: string, normalizedValues: readonly string[]): string {
  return createHmac('sha256', salt).update(normalizedValues.join('\u001f')).digest().subarray(0, 16).toString('base64url');
}
