/**
 * 取消预约: any party may cancel a held or confirmed booking until cancel_hours before the slot starts; the
 * place is freed and the parties may book again, in one transaction with the audit event.
 */
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';
import type { AuditActor } from '../audit/audit.types.ts';
import { recordAuditEvent } from '../audit/record-audit-event.ts';
import { AppError, InvalidParameterError, NotFoundError } from '../../shared/errors.ts';
import { BOOKING_STATUSES, SERVICE_LIMITS, type AppointmentPerson, type BookingView } from './appointments.types.ts';
import { cancelDeadline } from './appointment-service.ts';
import { formatChinaDateTime, shortTime } from './appointment-time.ts';
import { normaliseBookingCode } from './booking-codes.ts';
import { BOOKING_NOT_FOUND, isBookingParty } from './booking-access.ts';
import { loadBookingViews } from './booking-views.ts';
import { releaseBookings } from './release-bookings.ts';

export async function cancelBooking(
  db: Kysely<DB>,
  person: AppointmentPerson,
  code: string,
  actor: AuditActor,
  opts: { now?: Date; reason?: string } = {},
): Promise<BookingView> {
  const now = opts.now ?? new Date();
  const c = normaliseBookingCode(code);
  const reason = (opts.reason ?? '').trim();
  if ([...reason].length > SERVICE_LIMITS.cancelReason) throw new InvalidParameterError('reason', `取消原因不能超过 ${SERVICE_LIMITS.cancelReason} 个字`);
  const id = await db.transaction().execute(async (trx) => {
    const b = await trx
      .selectFrom('appointment_bookings')
      .select(['id', 'status', 'day', 'starts_at', 'booked_by', 'service_id'])
      .where('code', '=', c)
      .forUpdate()
      .executeTakeFirst();
    if (!b || !(await isBookingParty(trx, b.id, b.booked_by, person))) throw new NotFoundError(BOOKING_NOT_FOUND, 'code');
    if (b.status !== 'held' && b.status !== 'confirmed') throw new AppError('CONFLICT', `该预约${BOOKING_STATUSES[b.status]}，不能取消`, 'code');
    const s = await trx.selectFrom('appointment_services').select('cancel_hours').where('id', '=', b.service_id).executeTakeFirstOrThrow();
    const deadline = cancelDeadline(s, b.day, shortTime(b.starts_at));
    if (now > deadline) {
      throw new AppError('CONFLICT', `取消截止时间为 ${formatChinaDateTime(deadline)}（预约时段开始前 ${s.cancel_hours} 小时），现已不能取消`, 'code');
    }
    const released = await releaseBookings(trx, [b.id], { to: 'cancelled', now, reason: reason || '本人取消' });
    if (!released.length) throw new AppError('CONFLICT', '该预约的状态已变化，请刷新后查看', 'code');
    const role = b.booked_by === person.accountId ? 'booker' : 'partner';
    await recordAuditEvent(trx, { action: 'appointment.cancelled', actor, target: { type: 'appointment_booking', id: c }, details: { by: role, ...(reason ? { reason } : {}) } });
    return b.id;
  });
  const [view] = await loadBookingViews(db, [id], person.idNumber, now);
  return view!;
}
