/**
 * Staff: the day's list (当日预约名单) — each slot with its places and its bookings (code, status, parties
 * with masked ID numbers). Slots booked under earlier opening hours stay listed (outsideHours) so no booking
 * disappears from the list.
 */
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';
import type { Principal } from '../access/principal.ts';
import { getWorkingCalendar } from '../calendar/working-calendar.ts';
import type { StaffDayList, StaffSlot } from './appointments.types.ts';
import { dayOpening, deriveSlots, loadClosures, loadSlotRows, requireServiceForStaff, serviceView, staffCan } from './appointment-service.ts';
import { minutesOf, requireDay, shortTime, weekdayOfDay } from './appointment-time.ts';
import { loadStaffBookingViews } from './booking-views.ts';

export async function getDayList(db: Kysely<DB>, p: Principal, code: string, day: string): Promise<StaffDayList> {
  const s = await requireServiceForStaff(db, p, code, ['appointment.checkin', 'appointment.manage']);
  requireDay(day);
  const [cal, closures, rows, bookings] = await Promise.all([
    getWorkingCalendar(db),
    loadClosures(db, s.id, day, day),
    loadSlotRows(db, s.id, day, day),
    loadStaffBookingViews(db, { serviceId: s.id, day }),
  ]);
  const opening = dayOpening(s, day, cal, closures.get(day));
  const dayRows = rows.get(day) ?? new Map();
  const slots = new Map<string, StaffSlot>();
  if (opening.status === 'open') {
    for (const x of deriveSlots(s)) {
      const r = dayRows.get(x.startsAt);
      const capacity = r?.capacity ?? s.capacity;
      const taken = r?.taken ?? 0;
      slots.set(x.startsAt, { startsAt: x.startsAt, endsAt: x.endsAt, capacity, taken, free: Math.max(0, capacity - taken), changed: capacity !== s.capacity, outsideHours: false, bookings: [] });
    }
  }
  for (const [startsAt, r] of dayRows) {
    if (slots.has(startsAt)) continue;
    slots.set(startsAt, {
      startsAt,
      endsAt: shortTime(r.ends_at),
      capacity: r.capacity,
      taken: r.taken,
      free: Math.max(0, r.capacity - r.taken),
      changed: r.capacity !== s.capacity,
      outsideHours: true,
      bookings: [],
    });
  }
  for (const b of bookings) slots.get(b.startsAt)?.bookings.push(b);
  const ordered = [...slots.values()].sort((a, b) => minutesOf(a.startsAt) - minutesOf(b.startsAt));
  const [canManage, canCheckIn] = await Promise.all([staffCan(db, p, s, 'appointment.manage'), staffCan(db, p, s, 'appointment.checkin')]);
  return { service: serviceView(s), day, weekday: weekdayOfDay(day), opening, slots: ordered, canManage, canCheckIn };
}
