/**
 * 确认预约: the other party of a two-party booking (a person signed in whose 身份证号 is the one the booker gave)
 * confirms; the place is then held for good. The booking row is locked FOR UPDATE: a confirmation and the
 * hold's expiry (job, or a booking that found the slot full) cannot both win.
 */
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';
import type { AuditActor } from '../audit/audit.types.ts';
import { recordAuditEvent } from '../audit/record-audit-event.ts';
import { AppError, NotFoundError } from '../../shared/errors.ts';
import { BOOKING_STATUSES, type AppointmentPerson, type BookingView } from './appointments.types.ts';
import { chinaClock, formatChinaDate, formatChinaDateTime } from './appointment-time.ts';
import { noShowBar } from './no-show-bar.ts';
import { isUniqueViolation } from '../staff/db-errors.ts';
import { normaliseBookingCode } from './booking-codes.ts';
import { BOOKING_NOT_FOUND } from './booking-access.ts';
import { loadBookingViews } from './booking-views.ts';

export async function confirmBooking(db: Kysely<DB>, person: AppointmentPerson, code: string, actor: AuditActor, opts: { now?: Date } = {}): Promise<BookingView> {
  const now = opts.now ?? new Date();
  const c = normaliseBookingCode(code);
  const id = await db.transaction().execute(async (trx) => {
    const b = await trx.selectFrom('appointment_bookings').select(['id', 'service_id', 'status', 'hold_until', 'booked_by']).where('code', '=', c).forUpdate().executeTakeFirst();
    if (!b) throw new NotFoundError(BOOKING_NOT_FOUND, 'code');
    const party = person.idNumber
      ? await trx.selectFrom('appointment_parties').select(['role', 'confirmed_at']).where('booking_id', '=', b.id).where('id_number', '=', person.idNumber).executeTakeFirst()
      : undefined;
    if (!party) {
      if (b.booked_by === person.accountId) throw new AppError('CONFLICT', '须由另一方本人登录后确认', 'code');
      throw new NotFoundError(BOOKING_NOT_FOUND, 'code');
    }
    if (b.status === 'confirmed') throw new AppError('CONFLICT', '该预约已确认，无需重复确认', 'code');
    if (b.status !== 'held') throw new AppError('CONFLICT', `该预约${BOOKING_STATUSES[b.status]}，不能确认`, 'code');
    if (party.role === 'booker' || party.confirmed_at) throw new AppError('CONFLICT', '您已确认，请等待另一方登录后确认', 'code');
    if (b.hold_until && b.hold_until <= now) throw new AppError('CONFLICT', `预约保留已于 ${formatChinaDateTime(b.hold_until)} 到期，请重新预约`, 'code');
    // the other party's own limits apply now (not when the booker named them): the no-show bar …
    const s = await trx.selectFrom('appointment_services').select(['id', 'no_show_limit', 'no_show_days', 'bar_days']).where('id', '=', b.service_id).executeTakeFirstOrThrow();
    const bar = await noShowBar(trx, s, person.idNumber, chinaClock(now).day);
    if (bar) throw new AppError('FORBIDDEN', `您近 ${s.no_show_days} 天内在该服务爽约 ${bar.noShows} 次，${formatChinaDate(bar.until)}起方可再次预约`, 'code');
    // … and one active booking per person per service (the unique index decides, also against a booking made
    // at this moment); the name on record is the one the partner's verified account carries
    try {
      await trx
        .updateTable('appointment_parties')
        .set({ confirmed_at: now, account_id: person.accountId, name: person.name, active: true })
        .where('booking_id', '=', b.id)
        .where('id_number', '=', person.idNumber)
        .execute();
    } catch (err) {
      if (isUniqueViolation(err) && (err as { constraint?: string }).constraint === 'appointment_parties_one_active') {
        throw new AppError('CONFLICT', '您在该服务已有一个有效预约，不能再确认这个预约', 'code');
      }
      throw err;
    }
    await trx.updateTable('appointment_bookings').set({ status: 'confirmed', confirmed_at: now, hold_until: null }).where('id', '=', b.id).where('status', '=', 'held').execute();
    await recordAuditEvent(trx, { action: 'appointment.confirmed', actor, target: { type: 'appointment_booking', id: c } });
    return b.id;
  });
  const [view] = await loadBookingViews(db, [id], person.idNumber, now);
  return view!;
}
