/** 可预约时段: the slots of one day with their free places, and whether each can be booked now. */
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { getWorkingCalendar } from '../calendar/working-calendar.ts';
import type { DaySlots } from './appointments.types.ts';
import { loadClosures, loadSlotRows, requireService, serviceView } from './appointment-service.ts';
import { dayAvailability } from './appointment-availability.ts';
import { requireDay } from './appointment-time.ts';

export async function getDaySlots(db: Kysely<DB>, code: string, day: string, now: Date = new Date()): Promise<DaySlots> {
  const s = await requireService(db, code, 'code');
  requireDay(day);
  const [cal, closures, rows] = await Promise.all([getWorkingCalendar(db), loadClosures(db, s.id, day, day), loadSlotRows(db, s.id, day, day)]);
  const a = dayAvailability(s, day, now, cal, closures.get(day), rows.get(day));
  return { service: serviceView(s), day: a.day, slots: a.slots };
}
