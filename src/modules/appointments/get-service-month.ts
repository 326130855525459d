/** Staff: a month of a service — per day its opening (open, closed with reason, holiday, rest day), places and bookings. */
import { sql, type Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';
import type { Principal } from '../access/principal.ts';
import { getWorkingCalendar } from '../calendar/working-calendar.ts';
import { InvalidParameterError } from '../../shared/errors.ts';
import type { MonthDay, ServiceMonth } from './appointments.types.ts';
import { dayOpening, deriveSlots, loadClosures, loadSlotRows, requireServiceForStaff, serviceView, staffCan } from './appointment-service.ts';
import { addDays, weekdayOfDay } from './appointment-time.ts';

export async function getServiceMonth(db: Kysely<DB>, p: Principal, code: string, month: string): Promise<ServiceMonth> {
  if (typeof month !== 'string' || !/^(19|20|21)[0-9]{2}-(0[1-9]|1[0-2])$/.test(month)) throw new InvalidParameterError('month', '月份格式不正确，应为 YYYY-MM');
  const s = await requireServiceForStaff(db, p, code, ['appointment.checkin', 'appointment.manage']);
  const from = `${month}-01`;
  const last = lastDayOf(month);
  const [cal, closures, rows, counts] = await Promise.all([
    getWorkingCalendar(db),
    loadClosures(db, s.id, from, last),
    loadSlotRows(db, s.id, from, last),
    db
      .selectFrom('appointment_bookings')
      .select(['day', sql<number>`count(*)`.as('n')])
      .where('service_id', '=', s.id)
      .where('day', '>=', from)
      .where('day', '<=', last)
      .where('status', 'in', ['held', 'confirmed', 'checked_in'])
      .groupBy('day')
      .execute(),
  ]);
  const bookings = new Map(counts.map((c) => [c.day, Number(c.n)]));
  const slots = deriveSlots(s);
  const days: MonthDay[] = [];
  for (let d = from; d <= last; d = addDays(d, 1)) {
    const opening = dayOpening(s, d, cal, closures.get(d));
    const dayRows = rows.get(d) ?? new Map();
    let capacity = 0;
    let taken = 0;
    if (opening.status === 'open') for (const x of slots) capacity += dayRows.get(x.startsAt)?.capacity ?? s.capacity;
    const current = new Set(slots.map((x) => x.startsAt));
    for (const [startsAt, r] of dayRows) {
      taken += r.taken;
      if (opening.status === 'open' && !current.has(startsAt)) capacity += r.capacity;
    }
    days.push({ day: d, weekday: weekdayOfDay(d), opening, capacity, taken, bookings: bookings.get(d) ?? 0 });
  }
  return { service: serviceView(s), month, days, canManage: await staffCan(db, p, s, 'appointment.manage') };
}

function lastDayOf(month: string): string {
  const y = Number(month.slice(0, 4));
  const m = Number(month.slice(5, 7));
  const next = m === 12 ? `${y + 1}-01-01` : `${y}-${String(m + 1).padStart(2, '0')}-01`;
  return addDays(next, -1);
}
