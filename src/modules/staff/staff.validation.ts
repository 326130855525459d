/** Field rules of staff accounts, each failing with the field's name and a Chinese message. */
import { InvalidParameterError } from '../../shared/errors.ts';

/** 工号: 4–20 letters or digits, stored in capitals (sign-in compares in capitals). */
export function normaliseStaffNo(value: string, field = 'staffNo'): string {
  const v = value.trim().toUpperCase();
  if (!/^[A-Z0-9]{4,20}$/.test(v)) throw new InvalidParameterError(field, '工号应为 4–20 位字母或数字');
  return v;
}

/** Free text of a limited length (a change note, an address …): trimmed, non-empty when required. */
export function normaliseText(value: string | undefined, field: string, label: string, o: { max: number; required?: boolean }): string | undefined {
  const v = value?.trim();
  if (!v) {
    if (o.required) throw new InvalidParameterError(field, `请填写${label}`);
    return undefined;
  }
  if (v.length > o.max) throw new InvalidParameterError(field, `${label}不能超过 ${o.max} 个字`);
  if (/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/.test(v)) throw new InvalidParameterError(field, `${label}含有无效字符`);
  return v;
}
