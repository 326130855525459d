/** Who may see a booking: its parties (by 身份证号) and the person who made it. Everyone else is told it does not exist. */
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { NotFoundError } from '../../shared/errors.ts';
import type { AppointmentPerson } from './appointments.types.ts';

export const BOOKING_NOT_FOUND = '预约不存在，或您无权查看';

/** Is the person a party of the booking (or its booker)? */
export async function isBookingParty(db: Kysely<DB>, bookingId: number, bookedBy: string, person: AppointmentPerson): Promise<boolean> {
  if (bookedBy === person.accountId) return true;
  if (!person.idNumber) return false;
  const p = await db.selectFrom('appointment_parties').select('role').where('booking_id', '=', bookingId).where('id_number', '=', person.idNumber).executeTakeFirst();
  return !!p;
}

/** The booking's id when the person is one of its parties; 404 otherwise. */
export async function requireOwnBooking(db: Kysely<DB>, person: AppointmentPerson, code: string): Promise<{ id: number }> {
  const b = await db.selectFrom('appointment_bookings').select(['id', 'booked_by']).where('code', '=', code).executeTakeFirst();
  if (!b || !(await isBookingParty(db, b.id, b.booked_by, person))) throw new NotFoundError(BOOKING_NOT_FOUND, 'code');
  return { id: b.id };
}
