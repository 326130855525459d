/** Staff: one booking by its code (typed or scanned from the QR code), before checking it in. */
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';
import type { Principal } from '../access/principal.ts';
import type { StaffBookingView } from './appointments.types.ts';
import { normaliseBookingCode } from './booking-codes.ts';
import { loadStaffBookingViews } from './booking-views.ts';
import { requireStaffBooking } from './staff-booking-access.ts';

export async function getStaffBooking(db: Kysely<DB>, p: Principal, code: string): Promise<StaffBookingView> {
  const { id } = await requireStaffBooking(db, p, normaliseBookingCode(code));
  const [view] = await loadStaffBookingViews(db, { ids: [id] });
  return view!;
}
