/** Random secrets and their stored form. Random 256-bit values need no slow hash: SHA-256 is enough to store them. */
import { hash, randomBytes, randomInt, timingSafeEqual } from 'node:crypto';

/** 32 random bytes, base64url: 43 characters. */
export function randomToken(): string {
  return randomBytes(32).toString('base64url');
}

/** SHA-256 hex of a text's UTF-8 bytes: a token's stored form, and the audit and request hashes. */
export function sha256Hex(value: string): string {
  return hash('sha256', value, 'hex');
}

/** A six-digit one-time code (验证码). */
export function randomDigits(length = 6): string {
  let out = '';
  for (let i = 0; i < length; i++) out += String(randomInt(10));
  return out;
}

/** Compares two strings in time that does not depend on where they differ. */
export function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
