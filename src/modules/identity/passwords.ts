/**
 * Passwords: argon2id (OWASP's minimum parameters: 19 MiB, 2 passes, 1 lane), a strength rule explained in
 * Chinese, and a verification that costs the same whether or not the account exists.
 */
import argon2 from 'argon2';
import { InvalidParameterError } from '../../shared/errors.ts';

const OPTIONS = { type: argon2.argon2id, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export function hashPassword(password: string): Promise<string> {
  return argon2.hash(password, OPTIONS);
}

/** A hash of nothing anyone knows, verified against when the account does not exist (same work, same timing). */
let dummyHash: Promise<string> | undefined;

export async function verifyPassword(hash: string | null | undefined, password: string): Promise<boolean> {
  if (!hash) {
    dummyHash ??= hashPassword(`no-account-${Math.random()}`);
    await argon2.verify(await dummyHash, password).catch(() => false);
    return false;
  }
  try {
    return await argon2.verify(hash, password);
  } catch {
    return false;
  }
}

/** Passwords seen in every leak; refused whatever their classes. */
const COMMON = new Set([
  'password1!', 'Password1!', 'Passw0rd!', 'P@ssw0rd', 'P@ssword1', 'Aa123456!', 'Abc@1234', 'Abc123456!', 'Admin@123', 'Qwer1234!',
  'Aa123456', 'Abc12345', 'Admin123', 'Woaini1314', 'Qwerty123', 'Zhang123456', 'Aa111111', 'A1234567', 'Asdf1234',
]);

/**
 * The rule (explained to the user when it fails): 8 to 64 characters; at least three of upper-case letters,
 * lower-case letters, digits and symbols; not the mobile number, the ID number or its last six digits; not a
 * well-known password.
 */
export function checkPasswordStrength(password: string, personal: { mobile?: string | null; idNumber?: string | null } = {}, field = 'password'): void {
  if (password.length < 8) throw new InvalidParameterError(field, '密码至少需要 8 位');
  if (password.length > 64) throw new InvalidParameterError(field, '密码不能超过 64 位');
  if (/\s/.test(password)) throw new InvalidParameterError(field, '密码不能包含空格');
  const classes = [/[A-Z]/, /[a-z]/, /[0-9]/, /[^A-Za-z0-9]/].filter((r) => r.test(password)).length;
  if (classes < 3) throw new InvalidParameterError(field, '密码过于简单：需包含大写字母、小写字母、数字、符号中的至少三类');
  const lower = password.toLowerCase();
  if (COMMON.has(password) || /^(.)\1+$/.test(password)) throw new InvalidParameterError(field, '这是常见的弱密码，容易被猜到，请换一个');
  if (personal.mobile && lower.includes(personal.mobile)) throw new InvalidParameterError(field, '密码不能包含手机号码');
  if (personal.idNumber && (lower.includes(personal.idNumber.toLowerCase()) || lower.includes(personal.idNumber.slice(-6).toLowerCase()))) {
    throw new InvalidParameterError(field, '密码不能包含身份证号码或其后六位');
  }
}
