/** A booking for staff: only in the departments their check-in permission reaches; anyone else is told it does not exist. */
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';
import type { Principal } from '../access/principal.ts';
import { NotFoundError } from '../../shared/errors.ts';
import { findService, staffCan } from './appointment-service.ts';

export const STAFF_BOOKING_NOT_FOUND = '预约码不存在，或不属于您有权办理的预约服务';

export async function requireStaffBooking(db: Kysely<DB>, p: Principal, code: string): Promise<{ id: number; serviceCode: string }> {
  const b = await db
    .selectFrom('appointment_bookings as b')
    .innerJoin('appointment_services as s', 's.id', 'b.service_id')
    .select(['b.id', 's.code as service_code'])
    .where('b.code', '=', code)
    .executeTakeFirst();
  const s = b && (await findService(db, b.service_code));
  if (!b || !s || !(await staffCan(db, p, s, 'appointment.checkin'))) throw new NotFoundError(STAFF_BOOKING_NOT_FOUND, 'code');
  return { id: b.id, serviceCode: b.service_code };
}
