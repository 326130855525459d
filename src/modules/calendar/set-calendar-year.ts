/**
 * 设定年度工作日历: an administrator enters (or corrects) one year's statutory holidays and makeup working days
 * as the State Council's notice publishes them. The year's rows are replaced in one transaction under the
 * calendar's lock, the year is marked source 'administrator' (the start-up loader never overwrites it), the
 * audit event is written in the same transaction and the revision moves, so every server recomputes deadlines
 * with it — this one at once, the others on their next check.
 */
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { assertCan } from '../access/authorize.ts';
import type { Principal } from '../access/principal.ts';
import type { AuditActor } from '../audit/audit.types.ts';
import { recordAuditEvent } from '../audit/record-audit-event.ts';
import { InvalidParameterError } from '../../shared/errors.ts';
import { bumpCalendarRevision, insertCalendarDays, lockCalendar, yearRange } from './calendar-store.ts';
import { CALENDAR_LIMITS, WEEKDAY_LABELS, type CalendarYearView, type SetCalendarYearInput } from './calendar.types.ts';
import { getCalendarYear } from './get-calendar-year.ts';
import { dayNumber, invalidateWorkingCalendar, isValidDay, weekdayOf, type CalendarDayRow } from './working-calendar.ts';

/** Checks an arrangement; the first fault is an InvalidParameterError naming its field (`days.3.day` …). */
export function validateCalendarYear(input: SetCalendarYearInput): { year: number; notice: string; days: CalendarDayRow[] } {
  const { minYear, maxYear } = CALENDAR_LIMITS;
  const year = input.year;
  if (!Number.isInteger(year) || year < minYear || year > maxYear) throw new InvalidParameterError('year', `年份应为 ${minYear}–${maxYear} 之间的整数`);
  const notice = (input.notice ?? '').trim();
  if (!notice) throw new InvalidParameterError('notice', `请填写所依据的通知，如：国务院办公厅关于${year}年部分节假日安排的通知`);
  if (notice.length > CALENDAR_LIMITS.notice) throw new InvalidParameterError('notice', `通知名称不能超过 ${CALENDAR_LIMITS.notice} 个字`);
  if (!Array.isArray(input.days) || !input.days.length) throw new InvalidParameterError('days', '请至少填写一天放假安排');
  if (input.days.length > CALENDAR_LIMITS.days) throw new InvalidParameterError('days', `一年最多填写 ${CALENDAR_LIMITS.days} 天`);

  const seen = new Set<string>();
  const days: CalendarDayRow[] = [];
  input.days.forEach((d, i) => {
    const field = (f: string) => `days.${i}.${f}`;
    const day = typeof d.day === 'string' ? d.day.trim() : '';
    if (!isValidDay(day)) throw new InvalidParameterError(field('day'), `日期“${day}”不正确，应为 YYYY-MM-DD，如 ${year}-01-01`);
    if (Number(day.slice(0, 4)) !== year) throw new InvalidParameterError(field('day'), `日期 ${day} 不在 ${year} 年内`);
    if (seen.has(day)) throw new InvalidParameterError(field('day'), `日期 ${day} 重复填写`);
    seen.add(day);
    if (d.kind !== 'holiday' && d.kind !== 'workday') throw new InvalidParameterError(field('kind'), `${day} 的类型只能是放假（holiday）或调休上班（workday）`);
    const weekday = weekdayOf(dayNumber(day));
    if (d.kind === 'workday' && weekday !== 0 && weekday !== 6) {
      throw new InvalidParameterError(field('kind'), `${day} 是${WEEKDAY_LABELS[weekday]}，本来就是工作日；调休上班只能安排在周六或周日`);
    }
    const name = typeof d.name === 'string' ? d.name.trim() : '';
    if (!name) throw new InvalidParameterError(field('name'), `请填写 ${day} 的节日名称，如 春节`);
    if (name.length > CALENDAR_LIMITS.name) throw new InvalidParameterError(field('name'), `${day} 的名称不能超过 ${CALENDAR_LIMITS.name} 个字`);
    days.push({ day, kind: d.kind, name });
  });
  if (!days.some((d) => d.kind === 'holiday')) throw new InvalidParameterError('days', '请至少填写一天放假（休）');
  days.sort((a, b) => (a.day < b.day ? -1 : 1));
  return { year, notice, days };
}

export async function setCalendarYear(db: Kysely<DB>, p: Principal, input: SetCalendarYearInput, actor: AuditActor): Promise<CalendarYearView> {
  assertCan(p, 'calendar.manage', undefined, '只有平台管理员可以维护工作日历');
  const { year, notice, days } = validateCalendarYear(input);
  const [first, last] = yearRange(year);
  await db.transaction().execute(async (trx) => {
    await lockCalendar(trx);
    const previous = await trx.selectFrom('calendar_years').select('source').where('year', '=', year).executeTakeFirst();
    await trx.deleteFrom('calendar_days').where('day', '>=', first).where('day', '<=', last).execute();
    await insertCalendarDays(trx, days);
    const row = { source: 'administrator' as const, notice, updated_by: p.kind === 'client' ? null : p.accountId };
    await trx
      .insertInto('calendar_years')
      .values({ year, ...row })
      .onConflict((oc) => oc.column('year').doUpdateSet({ ...row, updated_at: new Date() }))
      .execute();
    const revision = await bumpCalendarRevision(trx);
    await recordAuditEvent(trx, {
      action: 'calendar.year_set',
      actor,
      target: { type: 'calendar_year', id: String(year) },
      details: {
        notice,
        holidays: days.filter((d) => d.kind === 'holiday').map((d) => d.day),
        workdays: days.filter((d) => d.kind === 'workday').map((d) => d.day),
        previousSource: previous?.source ?? null,
        revision,
      },
    });
  });
  invalidateWorkingCalendar(db); // this server computes with it at once; the others on their next revision check
  return getCalendarYear(db, year);
}
