/**
 * My bookings (我的预约): those I made and those naming me as a party — a hold awaiting MY confirmation
 * included. Upcoming active bookings first (soonest first, holds awaiting me at the top), then the rest,
 * latest first.
 */
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';
import type { AppointmentPerson, BookingView } from './appointments.types.ts';
import { loadBookingViews } from './booking-views.ts';

const LIMIT = 200;

export async function listMyBookings(db: Kysely<DB>, person: AppointmentPerson, now: Date = new Date()): Promise<{ items: BookingView[]; awaitingMyConfirmation: number }> {
  const rows = await db
    .selectFrom('appointment_bookings as b')
    .select('b.id')
    .where((eb) =>
      eb.or([
        eb('b.booked_by', '=', person.accountId),
        ...(person.idNumber
          ? [eb.exists(eb.selectFrom('appointment_parties as p').select('p.booking_id').whereRef('p.booking_id', '=', 'b.id').where('p.id_number', '=', person.idNumber))]
          : []),
      ]),
    )
    .orderBy('b.day', 'desc')
    .orderBy('b.starts_at', 'desc')
    .orderBy('b.id', 'desc')
    .limit(LIMIT)
    .execute();
  const views = await loadBookingViews(db, rows.map((r) => r.id), person.idNumber, now);
  const nowIso = now.toISOString();
  const upcoming = views
    .filter((v) => (v.status === 'held' || v.status === 'confirmed') && v.startsAtInstant > nowIso)
    .sort((a, b) => Number(b.awaitingMyConfirmation) - Number(a.awaitingMyConfirmation) || a.startsAtInstant.localeCompare(b.startsAtInstant));
  const rest = views.filter((v) => !upcoming.includes(v));
  return { items: [...upcoming, ...rest], awaitingMyConfirmation: upcoming.filter((v) => v.awaitingMyConfirmation).length };
}
