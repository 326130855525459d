/**
 * China time for appointments (Asia/Shanghai: UTC+8 all year, no daylight saving): the instant a slot starts,
 * the time a day opens for booking, and how instants are written in messages. The machine's time zone is
 * never used.
 */
import { InvalidParameterError } from '../../shared/errors.ts';
import { dayNumber, fromDayNumber, isValidDay, weekdayOf } from '../calendar/working-calendar.ts';

const MS_PER_DAY = 86_400_000;
const CHINA_OFFSET_MS = 8 * 3_600_000;

const HHMM = /^([01][0-9]|2[0-3]):([0-5][0-9])$/;
/** A session may end at midnight: '24:00'. */
const HHMM_END = /^(([01][0-9]|2[0-3]):([0-5][0-9])|24:00)$/;

export const isTimeOfDay = (s: string): boolean => HHMM.test(s);
export const isEndTime = (s: string): boolean => HHMM_END.test(s);

/** Minutes since midnight of 'HH:MM' or 'HH:MM:SS' (no checks: validate first). */
export function minutesOf(t: string): number {
  return Number(t.slice(0, 2)) * 60 + Number(t.slice(3, 5));
}

/** 'HH:MM' of minutes since midnight (1440 → '24:00'). */
export function hhmm(minutes: number): string {
  return `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
}

/** 'HH:MM:SS' from the database → 'HH:MM'. */
export const shortTime = (t: string): string => t.slice(0, 5);

/** The instant of a China wall-clock time on a day. */
export function chinaInstant(day: string, time: string): Date {
  return new Date(dayNumber(day) * MS_PER_DAY + minutesOf(time) * 60_000 - CHINA_OFFSET_MS);
}

/** The China day and time of an instant. */
export function chinaClock(now: Date): { day: string; minutes: number; time: string } {
  const shifted = new Date(now.getTime() + CHINA_OFFSET_MS);
  const day = shifted.toISOString().slice(0, 10);
  const minutes = shifted.getUTCHours() * 60 + shifted.getUTCMinutes();
  return { day, minutes, time: shifted.toISOString().slice(11, 19) };
}

export function addDays(day: string, n: number): string {
  return fromDayNumber(dayNumber(day) + n);
}

export function weekdayOfDay(day: string): number {
  return weekdayOf(dayNumber(day));
}

/** 2026-12-10 → 2026年12月10日. */
export function formatChinaDate(day: string): string {
  return `${Number(day.slice(0, 4))}年${Number(day.slice(5, 7))}月${Number(day.slice(8, 10))}日`;
}

/** An instant as China time: 2026年12月10日 08:00. */
export function formatChinaDateTime(at: Date): string {
  const c = chinaClock(at);
  return `${formatChinaDate(c.day)} ${hhmm(c.minutes)}`;
}

/** A 'YYYY-MM-DD' input, or 400 naming the field. */
export function requireDay(day: unknown, field = 'day'): string {
  if (typeof day !== 'string' || !isValidDay(day)) throw new InvalidParameterError(field, '日期格式不正确，应为 YYYY-MM-DD 的有效日期');
  // the years the working calendar and the date arithmetic cover; a day far outside them is no booking day
  if (day < '2000-01-01' || day > '2099-12-31') throw new InvalidParameterError(field, '日期应在 2000 年至 2099 年之间');
  return day;
}

/** An 'HH:MM' input, or 400 naming the field. */
export function requireTime(t: unknown, field = 'startsAt'): string {
  if (typeof t !== 'string' || !HHMM.test(t)) throw new InvalidParameterError(field, '时间格式不正确，应为 HH:MM（如 09:30）');
  return t;
}
