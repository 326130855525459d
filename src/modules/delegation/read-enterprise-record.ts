import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';
import type { Principal } from '../access/principal.ts';
import type { AuditActor } from '../audit/audit.types.ts';
import type { EnterpriseRecord } from './delegation.types.ts';
import { isUuid } from './delegation.validation.ts';
import { loadDelegations } from './load-delegations.ts';
import { recordAccessDenied } from './record-access-denied.ts';

/**
 * 查阅法人档案: the enterprise's legal representative, or an agent acting in this session for it under a
 * delegation in force. Anyone else — and an unknown id — gets the same 403, recorded as `access.denied`.
 */
export async function readEnterpriseRecord(db: Kysely<DB>, p: Principal, enterpriseId: string, actor: AuditActor): Promise<EnterpriseRecord> {
  const e = isUuid(enterpriseId)
    ? await db.selectFrom('enterprises').select(['id', 'credit_code', 'name', 'legal_rep_name', 'legal_rep_account_id', 'created_at']).where('id', '=', enterpriseId).executeTakeFirst()
    : undefined;
  const allowed =
    e !== undefined &&
    p.kind === 'person' &&
    (e.legal_rep_account_id === p.accountId || (p.acting?.principalType === 'enterprise' && p.acting.principalId === e.id));
  if (!e || !allowed) {
    throw await recordAccessDenied(
      db,
      actor,
      { type: 'enterprise', id: enterpriseId.slice(0, 100) },
      { operation: 'enterprise.read', reason: 'not_legal_representative_or_agent' },
      '您无权查看该企业的信息',
    );
  }
  return {
    id: e.id,
    creditCode: e.credit_code,
    name: e.name,
    legalRepName: e.legal_rep_name,
    createdAt: new Date(e.created_at).toISOString(),
    agents: await loadDelegations(db, { principalEnterpriseIds: [e.id], activeOnly: true }),
  };
}
