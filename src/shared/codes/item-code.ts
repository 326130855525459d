/**
 * Service-item codes (事项编码). GB/T 39554.1 fixes the lengths (basic code 12, implementation code up to 36)
 * while the segment layout varies by province, so the layout is declared here as data and every code is
 * checked against it.
 *
 *   basic code (基本编码, 12):       type (2 letters) + department class (3 digits) + serial (5) + sub-item (2)
 *                                    e.g. XK00400001 00 → "XK0040000100"
 *   implementation code (实施编码):  department credit code (18, carries the region code) + basic code (12)
 *                                    + handling-item suffix (2)  = 32 characters
 */
import { ITEM_TYPES, type ItemType } from '../../modules/catalogue/catalogue.types.ts';
import { checkCreditCode, creditCodeArea } from './credit-code.ts';

export const BASIC_CODE_LAYOUT = [
  { name: 'type', length: 2, pattern: /^[A-Z]{2}$/ },
  { name: 'departmentClass', length: 3, pattern: /^\d{3}$/ },
  { name: 'serial', length: 5, pattern: /^\d{5}$/ },
  { name: 'subItem', length: 2, pattern: /^\d{2}$/ },
] as const;
export const BASIC_CODE_LENGTH = 12;
export const IMPLEMENTATION_CODE_LENGTH = 32;
export const IMPLEMENTATION_CODE_MAX = 36;

export function buildBasicCode(type: ItemType, departmentClass: string, serial: number, subItem = 0): string {
  return `${type}${departmentClass}${String(serial).padStart(5, '0')}${String(subItem).padStart(2, '0')}`;
}

export type ItemCodeProblem = 'format' | 'type' | 'credit_code' | 'region';

export function checkBasicCode(code: string): ItemCodeProblem | null {
  if (code.length !== BASIC_CODE_LENGTH) return 'format';
  let at = 0;
  for (const seg of BASIC_CODE_LAYOUT) {
    if (!seg.pattern.test(code.slice(at, at + seg.length))) return 'format';
    at += seg.length;
  }
  return code.slice(0, 2) in ITEM_TYPES ? null : 'type';
}

export function buildImplementationCode(creditCode: string, basicCode: string, suffix = 1): string {
  return `${creditCode}${basicCode}${String(suffix).padStart(2, '0')}`;
}

/** Splits an implementation code into its parts, or returns what is wrong. `regionCode`, when given, must match. */
export function parseImplementationCode(
  code: string,
  regionCode?: string,
): { creditCode: string; basicCode: string; suffix: string; regionCode: string } | ItemCodeProblem {
  if (code.length !== IMPLEMENTATION_CODE_LENGTH) return 'format';
  const creditCode = code.slice(0, 18);
  const basicCode = code.slice(18, 30);
  const suffix = code.slice(30);
  if (!/^\d{2}$/.test(suffix)) return 'format';
  if (checkCreditCode(creditCode) !== null) return 'credit_code';
  const basicProblem = checkBasicCode(basicCode);
  if (basicProblem) return basicProblem;
  const area = creditCodeArea(creditCode);
  if (regionCode && area !== regionCode) return 'region';
  return { creditCode, basicCode, suffix, regionCode: area };
}
