/**
 * Staff: 签到 — a clerk whose check-in permission reaches the service's department checks a booking in by its
 * code, on the booking's day (China time) and only when it is confirmed. The parties may then book again.
 */
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';
import type { Principal } from '../access/principal.ts';
import type { AuditActor } from '../audit/audit.types.ts';
import { recordAuditEvent } from '../audit/record-audit-event.ts';
import { AppError, ForbiddenError } from '../../shared/errors.ts';
import { BOOKING_STATUSES, type StaffBookingView } from './appointments.types.ts';
import { chinaClock, formatChinaDate, formatChinaDateTime } from './appointment-time.ts';
import { normaliseBookingCode } from './booking-codes.ts';
import { loadStaffBookingViews } from './booking-views.ts';
import { deactivateParties } from './release-bookings.ts';
import { requireStaffBooking } from './staff-booking-access.ts';

export async function checkInBooking(db: Kysely<DB>, p: Principal, code: string, actor: AuditActor, opts: { now?: Date } = {}): Promise<StaffBookingView> {
  const now = opts.now ?? new Date();
  if (p.kind !== 'staff') throw new ForbiddenError('签到须由工作人员办理');
  const c = normaliseBookingCode(code);
  const { id } = await requireStaffBooking(db, p, c);
  await db.transaction().execute(async (trx) => {
    const b = await trx.selectFrom('appointment_bookings').select(['status', 'day', 'checked_in_at']).where('id', '=', id).forUpdate().executeTakeFirstOrThrow();
    if (b.status === 'checked_in') throw new AppError('CONFLICT', `该预约已于 ${b.checked_in_at ? formatChinaDateTime(b.checked_in_at) : ''} 签到`, 'code');
    if (b.status === 'held') throw new AppError('CONFLICT', '该预约尚未经双方确认，不能签到', 'code');
    if (b.status !== 'confirmed') throw new AppError('CONFLICT', `该预约${BOOKING_STATUSES[b.status]}，不能签到`, 'code');
    const today = chinaClock(now).day;
    if (b.day !== today) throw new AppError('CONFLICT', `该预约的日期是 ${formatChinaDate(b.day)}，只能在当天签到`, 'code');
    await trx.updateTable('appointment_bookings').set({ status: 'checked_in', checked_in_at: now, checked_in_by: p.accountId }).where('id', '=', id).where('status', '=', 'confirmed').execute();
    await deactivateParties(trx, [id]);
    await recordAuditEvent(trx, { action: 'appointment.checked_in', actor, target: { type: 'appointment_booking', id: c } });
  });
  const [view] = await loadStaffBookingViews(db, { ids: [id] });
  return view!;
}
