/** Field rules of accounts, each failing with the field's name and a Chinese message. */
import { checkResidentId } from '../../shared/codes/resident-id.ts';
import { checkCreditCode } from '../../shared/codes/credit-code.ts';
import { InvalidParameterError } from '../../shared/errors.ts';

export function normaliseMobile(value: string, field = 'mobile'): string {
  const v = value.trim();
  if (!/^1[3-9]\d{9}$/.test(v)) throw new InvalidParameterError(field, '请输入 11 位中国大陆手机号码');
  return v;
}

/** 公民身份号码: 18 characters, valid birth date and check character; a lower-case x is accepted. */
export function normaliseIdNumber(value: string, field = 'idNumber'): string {
  const v = value.trim().toUpperCase();
  const problem = checkResidentId(v);
  if (problem === 'format') throw new InvalidParameterError(field, '身份证号码应为 18 位，最后一位可以是数字或 X');
  if (problem === 'birth_date') throw new InvalidParameterError(field, '身份证号码中的出生日期无效');
  if (problem === 'checksum') throw new InvalidParameterError(field, '身份证号码校验位不正确，请核对');
  return v;
}

export function normaliseCreditCode(value: string, field = 'creditCode'): string {
  const v = value.trim().toUpperCase();
  const problem = checkCreditCode(v);
  if (problem === 'format') throw new InvalidParameterError(field, '统一社会信用代码应为 18 位数字或大写字母（不含 I、O、Z、S、V）');
  if (problem === 'checksum') throw new InvalidParameterError(field, '统一社会信用代码校验位不正确，请核对');
  return v;
}

/** A person's name as on the ID card: 2–30 characters of Chinese, letters, the middle dot and spaces. */
export function normaliseName(value: string, field = 'name'): string {
  const v = value.trim().replace(/\s+/g, ' ');
  if (v.length < 2 || v.length > 30 || !/^[\p{Script=Han}A-Za-z·• ]+$/u.test(v)) {
    throw new InvalidParameterError(field, '请填写与身份证件一致的姓名（2–30 个字）');
  }
  return v.replace('•', '·');
}

/** 出生日期 from the ID number (YYYY-MM-DD) and the age in whole years on `today`. */
export function ageFromIdNumber(idNumber: string, today = new Date()): number {
  const y = Number(idNumber.slice(6, 10));
  const m = Number(idNumber.slice(10, 12));
  const d = Number(idNumber.slice(12, 14));
  let age = today.getFullYear() - y;
  if (today.getMonth() + 1 < m || (today.getMonth() + 1 === m && today.getDate() < d)) age--;
  return age;
}

/** Masks a mobile number where the purpose does not need it: 138****5678. */
export function maskMobile(mobile: string | null): string | null {
  return mobile ? `${mobile.slice(0, 3)}****${mobile.slice(7)}` : null;
}
