/**
 * Staff: 临时闭馆 — close a day of a service for booking, with a reason. The day's held and confirmed bookings
 * are cancelled with that reason (places freed, each audited), in the same transaction as the closure. The
 * service row is locked first: bookings hold it FOR SHARE, so none can slip in beside the closure.
 */
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';
import type { Principal } from '../access/principal.ts';
import type { AuditActor } from '../audit/audit.types.ts';
import { recordAuditEvents } from '../audit/record-audit-event.ts';
import { AppError, InvalidParameterError } from '../../shared/errors.ts';
import { SERVICE_LIMITS, type ClosureInput, type ClosureResult } from './appointments.types.ts';
import { requireServiceForStaff } from './appointment-service.ts';
import { chinaClock, requireDay } from './appointment-time.ts';
import { releaseBookings } from './release-bookings.ts';

export async function setClosure(db: Kysely<DB>, p: Principal, input: ClosureInput, actor: AuditActor, opts: { now?: Date } = {}): Promise<ClosureResult> {
  const now = opts.now ?? new Date();
  const s = await requireServiceForStaff(db, p, input.serviceCode, 'appointment.manage');
  const day = requireDay(input.day);
  const reason = typeof input.reason === 'string' ? input.reason.trim() : '';
  if (!reason) throw new InvalidParameterError('reason', '请填写闭馆原因（将告知已预约的群众）');
  if ([...reason].length > SERVICE_LIMITS.closureReason) throw new InvalidParameterError('reason', `闭馆原因不能超过 ${SERVICE_LIMITS.closureReason} 个字`);
  if (day < chinaClock(now).day) throw new AppError('CONFLICT', '不能关闭已过去的日期', 'day');
  const createdBy = p.kind === 'staff' ? p.accountId : null;

  return db.transaction().execute(async (trx) => {
    await trx.selectFrom('appointment_services').select('id').where('id', '=', s.id).forNoKeyUpdate().executeTakeFirstOrThrow();
    await trx
      .insertInto('appointment_closures')
      .values({ service_id: s.id, day, reason, created_by: createdBy, created_at: now })
      .onConflict((oc) => oc.columns(['service_id', 'day']).doUpdateSet({ reason, created_by: createdBy }))
      .execute();
    const active = await trx
      .selectFrom('appointment_bookings')
      .select('id')
      .where('service_id', '=', s.id)
      .where('day', '=', day)
      .where('status', 'in', ['held', 'confirmed'])
      .orderBy('id')
      .execute();
    const cancelReason = `临时闭馆：${reason}`;
    const released = await releaseBookings(
      trx,
      active.map((r) => r.id),
      { to: 'cancelled', now, reason: cancelReason },
    );
    const cancelled = released.map((r) => r.code);
    await recordAuditEvents(trx, [
      { action: 'appointment.closure_set', actor, target: { type: 'appointment_service', id: s.code }, details: { day, reason, cancelled } },
      ...released.map((r) => ({
        action: 'appointment.cancelled' as const,
        actor,
        target: { type: 'appointment_booking', id: r.code },
        details: { by: 'staff', reason: cancelReason },
      })),
    ]);
    return { day, reason, cancelled };
  });
}
