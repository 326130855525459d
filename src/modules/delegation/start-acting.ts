import { sql, type Kysely } from 'kysely';
import type { DB, DelegationRelation } from '../../db/schema.ts';
import type { ActingFor, PersonPrincipal } from '../access/principal.ts';
import type { AuditActor } from '../audit/audit.types.ts';
import { recordAuditEvent } from '../audit/record-audit-event.ts';
import { DelegationNotActiveError } from './delegation.errors.ts';
import { isUuid } from './delegation.validation.ts';
import { recordAccessDenied } from './record-access-denied.ts';

/**
 * 开始代办: the current session — only this one — acts for the principal of a delegation granted to the
 * signed-in person and in force now. Switching from another principal is allowed (the event names both).
 * A delegation granted to someone else, or an unknown id, is refused and recorded.
 */
export async function startActing(db: Kysely<DB>, p: PersonPrincipal, delegationId: string, actor: AuditActor): Promise<ActingFor> {
  const g = isUuid(delegationId)
    ? await db
        .selectFrom('delegations as g')
        .leftJoin('accounts as pa', 'pa.id', 'g.principal_account_id')
        .leftJoin('enterprises as pe', 'pe.id', 'g.principal_enterprise_id')
        .select([
          'g.id',
          'g.agent_account_id',
          'g.principal_type',
          'g.principal_account_id',
          'g.principal_enterprise_id',
          'g.relation',
          'g.item_codes',
          'pa.name as person_name',
          'pe.name as enterprise_name',
          sql<boolean>`g.revoked_at IS NULL AND g.valid_from <= now() AND g.valid_until > now()`.as('active'),
        ])
        .where('g.id', '=', delegationId)
        .executeTakeFirst()
    : undefined;
  if (!g || g.agent_account_id !== p.accountId) {
    throw await recordAccessDenied(
      db,
      actor,
      { type: 'delegation', id: delegationId.slice(0, 100) },
      { operation: 'delegation.start_acting', reason: 'not_the_agent' },
      '未找到授权给您的该项代办',
    );
  }
  if (!g.active) throw new DelegationNotActiveError('该授权已撤销或已过期，不能开始代办');
  const acting: ActingFor = {
    delegationId: g.id,
    principalType: g.principal_type,
    principalId: (g.principal_account_id ?? g.principal_enterprise_id)!,
    principalName: (g.person_name ?? g.enterprise_name) ?? '',
    relation: g.relation as DelegationRelation,
    itemCodes: g.item_codes,
  };
  await db.transaction().execute(async (trx) => {
    const r = await trx
      .updateTable('sessions')
      .set({ acting_delegation_id: g.id })
      .where('id', '=', p.sessionId)
      .where('account_id', '=', p.accountId)
      .where('revoked_at', 'is', null)
      .executeTakeFirst();
    if (Number(r.numUpdatedRows) !== 1) throw new DelegationNotActiveError('当前会话已结束，请重新登录');
    await recordAuditEvent(trx, {
      action: 'delegation.acting_started',
      actor: { ...actor, type: acting.principalType === 'enterprise' ? 'enterprise_agent' : 'citizen', onBehalfOf: `${acting.principalType}:${acting.principalId}` },
      target: { type: 'delegation', id: g.id },
      details: { sessionId: p.sessionId, previousDelegationId: p.acting?.delegationId ?? null },
    });
  });
  return acting;
}
