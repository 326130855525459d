/**
 * 统一社会信用代码 (GB 32100-2015): registering department (1) + organisation type (1) + area code (6)
 * + organisation code (9, GB 11714) + check (1), over a 31-character alphabet without I O S V Z.
 */
export const CREDIT_CODE_ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28] as const;
const PATTERN = /^[0-9A-HJ-NP-RTUW-Y]{2}\d{6}[0-9A-HJ-NP-RTUW-Y]{9}[0-9A-HJ-NP-RTUW-Y]$/;

/** Registering departments (登记管理部门) by first character. */
export const CREDIT_REGISTRARS: Record<string, string> = {
  '1': '机构编制',
  '5': '民政',
  '9': '工商（市场监管）',
  Y: '其他',
};

export type CreditCodeProblem = 'format' | 'checksum';

export function creditCodeCheckChar(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += CREDIT_CODE_ALPHABET.indexOf(first17[i]!) * WEIGHTS[i]!;
  return CREDIT_CODE_ALPHABET[(31 - (sum % 31)) % 31]!;
}

export function checkCreditCode(code: string): CreditCodeProblem | null {
  if (!PATTERN.test(code)) return 'format';
  return creditCodeCheckChar(code.slice(0, 17)) === code[17] ? null : 'checksum';
}

export function isValidCreditCode(code: string): boolean {
  return checkCreditCode(code) === null;
}

/** The 6-digit administrative area code embedded in a credit code. */
export function creditCodeArea(code: string): string {
  return code.slice(2, 8);
}

/** GB 11714 organisation-code check character for 8 body characters (weights 3 7 9 10 5 8 4 2). */
export function organisationCodeCheckChar(body8: string): string {
  const weights = [3, 7, 9, 10, 5, 8, 4, 2];
  let sum = 0;
  for (let i = 0; i < 8; i++) {
    const c = body8[i]!;
    const v = /\d/.test(c) ? Number(c) : c.charCodeAt(0) - 55; // A=10 …
    sum += v * weights[i]!;
  }
  const r = 11 - (sum % 11);
  return r === 10 ? 'X' : r === 11 ? '0' : String(r);
}

/**
 * Builds a valid credit code for a government body (registrar 1, type 1 = 机关) in an area, from an
 * 8-digit organisation-code body. Used by the demo seed; real codes come from the registrar.
 */
export function buildGovernmentCreditCode(areaCode: string, orgBody8: string): string {
  const org = orgBody8 + organisationCodeCheckChar(orgBody8);
  const first17 = `11${areaCode}${org}`;
  return first17 + creditCodeCheckChar(first17);
}
