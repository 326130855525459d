import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';
import type { PersonPrincipal } from '../access/principal.ts';
import type { DelegationLists } from './delegation.types.ts';
import { loadDelegations } from './load-delegations.ts';

/** 我的代办: what I granted, what my enterprises granted, and what was granted to me — each with its state. */
export async function listDelegations(db: Kysely<DB>, p: PersonPrincipal): Promise<DelegationLists> {
  const enterprises = await db
    .selectFrom('enterprises')
    .select(['id', 'credit_code', 'name', 'legal_rep_name', 'created_at'])
    .where('legal_rep_account_id', '=', p.accountId)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  const [granted, enterpriseGrants, received] = await Promise.all([
    loadDelegations(db, { principalAccountId: p.accountId }),
    loadDelegations(db, { principalEnterpriseIds: enterprises.map((e) => e.id) }),
    loadDelegations(db, { agentAccountId: p.accountId }),
  ]);
  return {
    granted,
    enterprises: enterprises.map((e) => ({
      id: e.id,
      creditCode: e.credit_code,
      name: e.name,
      legalRepName: e.legal_rep_name,
      createdAt: new Date(e.created_at).toISOString(),
      grants: enterpriseGrants.filter((g) => g.principal.id === e.id),
    })),
    received,
    actingDelegationId: p.acting?.delegationId ?? null,
  };
}
