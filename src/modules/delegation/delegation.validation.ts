/** Field rules of delegations, enterprises and record access, each failing with the field's name and a Chinese message. */
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { InvalidParameterError } from '../../shared/errors.ts';
import { checkBasicCode } from '../../shared/codes/item-code.ts';

const CONTROL = /[\u0000-\u001f\u007f]/;
/** China Standard Time, no daylight saving: dates typed on a page are days in Beijing time. */
const CST_OFFSET_MS = 8 * 3600_000;
/** A grant lasts at most five years (a day's slack, so the date five years on can be picked on a date field). */
export const MAX_GRANT_YEARS = 5;

/** 企业名称: 2–100 characters, spaces collapsed, no control characters. */
export function normaliseEnterpriseName(value: string, field = 'name'): string {
  const v = value.trim().replace(/\s+/g, ' ');
  if (v.length < 2 || v.length > 100 || CONTROL.test(v) || /[<>]/.test(v)) {
    throw new InvalidParameterError(field, '请填写营业执照上的企业名称（2–100 个字）');
  }
  return v;
}

/** 用途: why staff (or an agent) open a person's record — 2 to 200 characters, recorded in the audit log. */
export function normalisePurpose(value: string | undefined, field = 'purpose'): string {
  const v = (value ?? '').trim().replace(/\s+/g, ' ');
  if (!v) throw new InvalidParameterError(field, '查阅个人档案须说明用途（如“受理某某申请核验身份”）');
  if (v.length < 2 || v.length > 200 || CONTROL.test(v)) throw new InvalidParameterError(field, '用途应为 2–200 个字');
  return v;
}

export function normaliseNote(value: string | undefined, field = 'note'): string {
  const v = (value ?? '').trim().replace(/\s+/g, ' ');
  if (v.length > 200 || CONTROL.test(v)) throw new InvalidParameterError(field, '备注不能超过 200 个字');
  return v;
}

/**
 * 有效期至: a date (YYYY-MM-DD, valid until the end of that day, Beijing time) or a full ISO time with a zone.
 * It must lie in the future and at most five years ahead.
 */
export function parseValidUntil(value: string, now = new Date(), field = 'validUntil'): Date {
  const v = value.trim();
  let at: Date | undefined;
  const day = /^(\d{4})-(\d{2})-(\d{2})$/.exec(v);
  if (day) {
    const [y, m, d] = [Number(day[1]), Number(day[2]), Number(day[3])];
    const probe = new Date(Date.UTC(y, m - 1, d));
    if (probe.getUTCFullYear() === y && probe.getUTCMonth() === m - 1 && probe.getUTCDate() === d) {
      at = new Date(Date.UTC(y, m - 1, d + 1) - CST_OFFSET_MS - 1); // 23:59:59.999 Beijing time
    }
  } else if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/.test(v)) {
    const t = new Date(v);
    if (!Number.isNaN(t.getTime())) at = t;
  }
  if (!at) throw new InvalidParameterError(field, '请填写有效期截止日期，格式为 年-月-日（如 2027-06-30）');
  if (at.getTime() <= now.getTime()) throw new InvalidParameterError(field, '有效期截止日期必须晚于现在');
  const max = new Date(now);
  max.setUTCFullYear(max.getUTCFullYear() + MAX_GRANT_YEARS);
  if (at.getTime() > max.getTime() + 86_400_000) throw new InvalidParameterError(field, `授权有效期最长 ${MAX_GRANT_YEARS} 年`);
  return at;
}

/** Basic item codes (基本编码): upper-cased, de-duplicated, each one in the basic catalogue. Empty = all items. */
export async function normaliseItemCodes(db: Kysely<DB>, codes: readonly string[] | undefined, field = 'itemCodes'): Promise<string[]> {
  const list = [...new Set((codes ?? []).map((c) => c.trim().toUpperCase()).filter(Boolean))];
  if (list.length > 50) throw new InvalidParameterError(field, '一次授权最多指定 50 个事项；不指定表示全部事项');
  const malformed = list.find((c) => checkBasicCode(c) !== null);
  if (malformed) throw new InvalidParameterError(field, `事项编码 ${malformed.slice(0, 40)} 格式不正确，应为 12 位基本编码（如 XK0040000100）`);
  if (!list.length) return [];
  const found = new Set((await db.selectFrom('basic_items').select('code').where('code', 'in', list).execute()).map((r) => r.code));
  const unknown = list.find((c) => !found.has(c));
  if (unknown) throw new InvalidParameterError(field, `事项编码 ${unknown} 不在基本目录中`);
  return list.sort();
}

/** Splits what a form's text field holds into codes (separated by spaces, commas or 、). */
export function splitCodes(text: string | undefined): string[] {
  return (text ?? '').split(/[\s,，、;；]+/).filter(Boolean);
}

/** 出生日期 (YYYY-MM-DD) from a validated ID number. */
export function birthDateOf(idNumber: string): string {
  return `${idNumber.slice(6, 10)}-${idNumber.slice(10, 12)}-${idNumber.slice(12, 14)}`;
}

/** The start of the 18th birthday, Beijing time (29 February rolls to 1 March in a common year). */
export function eighteenthBirthday(idNumber: string): Date {
  const y = Number(idNumber.slice(6, 10));
  const m = Number(idNumber.slice(10, 12));
  const d = Number(idNumber.slice(12, 14));
  return new Date(Date.UTC(y + 18, m - 1, d) - CST_OFFSET_MS);
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
/** Ids that go to uuid columns are checked first: PostgreSQL would refuse anything else with an error (a 500). */
export function isUuid(value: string): boolean {
  return UUID.test(value);
}
