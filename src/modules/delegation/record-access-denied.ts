import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';
import type { AuditActor } from '../audit/audit.types.ts';
import { recordAuditEventAlone } from '../audit/record-audit-event.ts';
import { ForbiddenError } from '../../shared/errors.ts';

/**
 * A refusal is itself evidence: writes `access.denied` (outcome denied) in its own transaction — the request
 * changes nothing else — and returns the 403 to throw. The same answer whether or not the target exists.
 */
export async function recordAccessDenied(
  db: Kysely<DB>,
  actor: AuditActor,
  target: { type: string; id: string },
  details: { operation: string; reason: string },
  message = '您无权查看或办理该对象的事务',
): Promise<ForbiddenError> {
  await recordAuditEventAlone(db, { action: 'access.denied', actor, target, outcome: 'denied', details });
  return new ForbiddenError(message);
}
