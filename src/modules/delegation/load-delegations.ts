/** Reads delegations with the names of both parties, the item names and the state as of the database clock. */
import { sql, type Kysely, type Transaction } from 'kysely';
import type { DB, DelegationRelation } from '../../db/schema.ts';
import { maskResidentId } from '../../shared/codes/resident-id.ts';
import { RELATION_LABELS, STATE_LABELS, type DelegationState, type DelegationView } from './delegation.types.ts';

export interface DelegationFilter {
  id?: string;
  principalAccountId?: string;
  principalEnterpriseIds?: string[];
  agentAccountId?: string;
  /** only those in force now */
  activeOnly?: boolean;
}

export async function loadDelegations(db: Kysely<DB> | Transaction<DB>, f: DelegationFilter): Promise<DelegationView[]> {
  if (f.principalEnterpriseIds && !f.principalEnterpriseIds.length) return [];
  let q = db
    .selectFrom('delegations as g')
    .innerJoin('accounts as ag', 'ag.id', 'g.agent_account_id')
    .leftJoin('accounts as pa', 'pa.id', 'g.principal_account_id')
    .leftJoin('enterprises as pe', 'pe.id', 'g.principal_enterprise_id')
    .select([
      'g.id',
      'g.principal_type',
      'g.principal_account_id',
      'g.principal_enterprise_id',
      'g.relation',
      'g.item_codes',
      'g.valid_from',
      'g.valid_until',
      'g.note',
      'g.created_at',
      'g.revoked_at',
      'ag.id as agent_id',
      'ag.name as agent_name',
      'ag.id_number as agent_id_number',
      'pa.name as principal_person_name',
      'pe.name as principal_enterprise_name',
      sql<boolean>`g.valid_until <= now()`.as('expired'),
    ]);
  if (f.id) q = q.where('g.id', '=', f.id);
  if (f.principalAccountId) q = q.where('g.principal_account_id', '=', f.principalAccountId);
  if (f.principalEnterpriseIds) q = q.where('g.principal_enterprise_id', 'in', f.principalEnterpriseIds);
  if (f.agentAccountId) q = q.where('g.agent_account_id', '=', f.agentAccountId);
  if (f.activeOnly) q = q.where('g.revoked_at', 'is', null).where('g.valid_from', '<=', sql<Date>`now()`).where('g.valid_until', '>', sql<Date>`now()`);
  const rows = await q.orderBy('g.created_at', 'desc').orderBy('g.id').limit(500).execute();

  const codes = [...new Set(rows.flatMap((r) => r.item_codes))];
  const names = new Map<string, string>();
  if (codes.length) {
    for (const b of await db.selectFrom('basic_items').select(['code', 'name']).where('code', 'in', codes).execute()) names.set(b.code, b.name);
  }
  return rows.map((r) => {
    const state: DelegationState = r.revoked_at ? 'revoked' : r.expired ? 'expired' : 'active';
    const relation = r.relation as DelegationRelation;
    return {
      id: r.id,
      principal:
        r.principal_type === 'person'
          ? { type: 'person', id: r.principal_account_id!, name: r.principal_person_name ?? '' }
          : { type: 'enterprise', id: r.principal_enterprise_id!, name: r.principal_enterprise_name ?? '' },
      agent: { id: r.agent_id, name: r.agent_name, idNumber: r.agent_id_number ? maskResidentId(r.agent_id_number) : null },
      relation,
      relationLabel: RELATION_LABELS[relation],
      itemCodes: r.item_codes,
      items: r.item_codes.map((c) => ({ code: c, name: names.get(c) ?? c })),
      validFrom: new Date(r.valid_from).toISOString(),
      validUntil: new Date(r.valid_until).toISOString(),
      state,
      stateLabel: STATE_LABELS[state],
      note: r.note,
      createdAt: new Date(r.created_at).toISOString(),
      revokedAt: r.revoked_at ? new Date(r.revoked_at).toISOString() : null,
    };
  });
}
