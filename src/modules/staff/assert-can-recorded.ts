/**
 * `assertCan` for records of the staff administration and the guide drafts: a refusal is itself evidence, so
 * it writes an `access.denied` event (in a transaction of its own — there is no change to join) before the 403.
 */
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { can } from '../access/authorize.ts';
import type { Permission } from '../access/permissions.ts';
import type { DepartmentScope, Principal } from '../access/principal.ts';
import type { AuditActor } from '../audit/audit.types.ts';
import { recordAuditEventAlone } from '../audit/record-audit-event.ts';
import { ForbiddenError } from '../../shared/errors.ts';

export interface DenialContext {
  actor: AuditActor;
  target: { type: string; id: string };
}

/** Records the refusal and returns the error to throw. */
export async function recordDenial(
  db: Kysely<DB>,
  c: DenialContext,
  details: { permission?: Permission; reason: string; departmentId?: number },
  message?: string,
): Promise<ForbiddenError> {
  await recordAuditEventAlone(db, { action: 'access.denied', actor: c.actor, target: c.target, outcome: 'denied', details });
  return new ForbiddenError(message);
}

export async function assertCanRecorded(
  db: Kysely<DB>,
  p: Principal,
  permission: Permission,
  scope: DepartmentScope,
  c: DenialContext,
  message?: string,
): Promise<void> {
  if (can(p, permission, scope)) return;
  throw await recordDenial(db, c, { permission, reason: 'out_of_scope', departmentId: scope.departmentId }, message);
}
