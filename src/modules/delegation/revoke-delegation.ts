import { sql, type Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';
import type { AuditActor } from '../audit/audit.types.ts';
import { recordAuditEvent } from '../audit/record-audit-event.ts';
import { DelegationNotActiveError } from './delegation.errors.ts';
import { isUuid } from './delegation.validation.ts';
import { recordAccessDenied } from './record-access-denied.ts';

/**
 * 撤销授权: the principal (for an enterprise, its legal representative) revokes a delegation, or the agent
 * renounces it. Sessions acting under it stop doing so in the same transaction; and since every request
 * re-reads the delegation (loadSessionPrincipal), the agent's access ends with the very next request.
 * Anyone else — and an unknown id — gets the same 403, recorded as `access.denied`.
 */
export async function revokeDelegation(db: Kysely<DB>, accountId: string, delegationId: string, actor: AuditActor): Promise<void> {
  const g = isUuid(delegationId)
    ? await db
        .selectFrom('delegations as g')
        .leftJoin('enterprises as e', 'e.id', 'g.principal_enterprise_id')
        .select(['g.principal_account_id', 'g.agent_account_id', 'e.legal_rep_account_id'])
        .where('g.id', '=', delegationId)
        .executeTakeFirst()
    : undefined;
  const by = !g
    ? null
    : g.principal_account_id === accountId
      ? 'principal'
      : g.legal_rep_account_id === accountId
        ? 'legal_representative'
        : g.agent_account_id === accountId
          ? 'agent'
          : null;
  if (!by) {
    throw await recordAccessDenied(
      db,
      actor,
      { type: 'delegation', id: delegationId.slice(0, 100) },
      { operation: 'delegation.revoke', reason: 'not_a_party' },
      '未找到该授权，或您无权撤销',
    );
  }
  await db.transaction().execute(async (trx) => {
    const r = await trx
      .updateTable('delegations')
      .set({ revoked_at: sql`now()`, revoked_by: accountId })
      .where('id', '=', delegationId)
      .where('revoked_at', 'is', null)
      .executeTakeFirst();
    if (Number(r.numUpdatedRows) !== 1) throw new DelegationNotActiveError('该授权已撤销');
    const s = await trx.updateTable('sessions').set({ acting_delegation_id: null }).where('acting_delegation_id', '=', delegationId).executeTakeFirst();
    await recordAuditEvent(trx, {
      action: 'delegation.revoked',
      actor,
      target: { type: 'delegation', id: delegationId },
      details: { by, actingSessionsEnded: Number(s.numUpdatedRows) },
    });
  });
}
