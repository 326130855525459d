/** Staff: reopen a day that was closed (bookings cancelled with the closure stay cancelled). */
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';
import type { Principal } from '../access/principal.ts';
import type { AuditActor } from '../audit/audit.types.ts';
import { recordAuditEvent } from '../audit/record-audit-event.ts';
import { NotFoundError } from '../../shared/errors.ts';
import { requireServiceForStaff } from './appointment-service.ts';
import { requireDay } from './appointment-time.ts';

export async function removeClosure(db: Kysely<DB>, p: Principal, serviceCode: string, day: string, actor: AuditActor): Promise<{ day: string; reopened: true }> {
  const s = await requireServiceForStaff(db, p, serviceCode, 'appointment.manage');
  requireDay(day);
  return db.transaction().execute(async (trx) => {
    await trx.selectFrom('appointment_services').select('id').where('id', '=', s.id).forNoKeyUpdate().executeTakeFirstOrThrow();
    const removed = await trx.deleteFrom('appointment_closures').where('service_id', '=', s.id).where('day', '=', day).returning('reason').executeTakeFirst();
    if (!removed) throw new NotFoundError('该日没有设置临时闭馆', 'day');
    await recordAuditEvent(trx, { action: 'appointment.closure_set', actor, target: { type: 'appointment_service', id: s.code }, details: { day, reopened: true, reason: removed.reason } });
    return { day, reopened: true as const };
  });
}
