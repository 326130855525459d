/** One booking, for its parties only (anyone else: 404). */
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';
import type { AppointmentPerson, BookingView } from './appointments.types.ts';
import { normaliseBookingCode } from './booking-codes.ts';
import { requireOwnBooking } from './booking-access.ts';
import { loadBookingViews } from './booking-views.ts';

export async function getBooking(db: Kysely<DB>, person: AppointmentPerson, code: string, now: Date = new Date()): Promise<BookingView> {
  const { id } = await requireOwnBooking(db, person, normaliseBookingCode(code));
  const [view] = await loadBookingViews(db, [id], person.idNumber, now);
  return view!;
}
