/** 可预约日期: per day of a range, whether it can be booked and how many places are free. */
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { dayNumber, getWorkingCalendar } from '../calendar/working-calendar.ts';
import { InvalidParameterError } from '../../shared/errors.ts';
import { SERVICE_LIMITS, type Availability } from './appointments.types.ts';
import { loadClosures, loadSlotRows, requireService, serviceView } from './appointment-service.ts';
import { dayAvailability } from './appointment-availability.ts';
import { addDays, chinaClock, requireDay } from './appointment-time.ts';

/** `from` defaults to today (China), `to` to the last day the window reaches (at least a week). */
export async function getAvailability(db: Kysely<DB>, code: string, range: { from?: string; to?: string } = {}, now: Date = new Date()): Promise<Availability> {
  const s = await requireService(db, code, 'code');
  const from = range.from === undefined ? chinaClock(now).day : requireDay(range.from, 'from');
  const to = range.to === undefined ? addDays(from, Math.max(s.window_days, 6)) : requireDay(range.to, 'to');
  const span = dayNumber(to) - dayNumber(from);
  if (span < 0) throw new InvalidParameterError('to', '结束日期不能早于开始日期');
  if (span >= SERVICE_LIMITS.availabilityDays) throw new InvalidParameterError('to', `一次最多查询 ${SERVICE_LIMITS.availabilityDays} 天`);
  const [cal, closures, rows] = await Promise.all([getWorkingCalendar(db), loadClosures(db, s.id, from, to), loadSlotRows(db, s.id, from, to)]);
  const days = [];
  for (let d = from; d <= to; d = addDays(d, 1)) days.push(dayAvailability(s, d, now, cal, closures.get(d), rows.get(d)).day);
  return { service: serviceView(s), from, to, days };
}
