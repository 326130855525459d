/**
 * 核验码: 16 characters of Crockford's base32 (no I, L, O, U), 80 bits from the system's cryptographic random
 * source, printed in four groups: `7KQ2-M9XD-4HVB-0RTE`. What people type is normalised the Crockford way:
 * case does not matter, O reads as 0, I and L read as 1, and hyphens and spaces may be left out.
 */
import { randomBytes } from 'node:crypto';

const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
export const VERIFICATION_CODE_PATTERN = /^[0-9A-HJKMNP-TV-Z]{4}(?:-[0-9A-HJKMNP-TV-Z]{4}){3}$/;

/** A new code: 10 random bytes = 80 bits, 5 bits per character. */
export function newVerificationCode(): string {
  const bytes = randomBytes(10);
  let bits = 0;
  let value = 0;
  let out = '';
  for (const b of bytes) {
    value = (value << 8) | b;
    bits += 8;
    while (bits >= 5) {
      out += ALPHABET[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
    value &= (1 << bits) - 1;
  }
  return group(out);
}

function group(s: string): string {
  return `${s.slice(0, 4)}-${s.slice(4, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}`;
}

/** The stored form of what someone typed (`7kq2 m9xd-4hvb-orte` → `7KQ2-M9XD-4HVB-0RTE`), or null if it cannot be a code. */
export function normaliseVerificationCode(input: string): string | null {
  if (input.length > 64) return null;
  const s = input
    .normalize('NFKC') // full-width letters and digits (ＡＢ１２) as typed with a Chinese input method
    .toUpperCase()
    .replace(/[\s\-‐‑–—_]/g, '')
    .replace(/O/g, '0')
    .replace(/[IL]/g, '1');
  if (s.length !== 16) return null;
  for (const c of s) if (!ALPHABET.includes(c)) return null;
  return group(s);
}
