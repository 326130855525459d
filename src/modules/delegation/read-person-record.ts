import type { Kysely, Transaction } from 'kysely';
import type { DB, DelegationRelation } from '../../db/schema.ts';
import type { Principal } from '../access/principal.ts';
import type { AuditActor } from '../audit/audit.types.ts';
import { can } from '../access/authorize.ts';
import { recordAuditEvent } from '../audit/record-audit-event.ts';
import { maskResidentId, residentIdSex } from '../../shared/codes/resident-id.ts';
import { maskMobile } from '../identity/identity.validation.ts';
import { PersonNotFoundError } from './delegation.errors.ts';
import { RELATION_LABELS, type PersonRecord } from './delegation.types.ts';
import { birthDateOf, eighteenthBirthday, isUuid, normalisePurpose } from './delegation.validation.ts';
import { loadDelegations } from './load-delegations.ts';
import { recordAccessDenied } from './record-access-denied.ts';

/**
 * 查阅个人档案. Allowed:
 * - the person themself (not recorded: it is their own);
 * - an agent acting in this session for that person under a delegation in force (recorded; the purpose is
 *   what they give, else the delegation);
 * - staff holding `person.read`, who must state the purpose (用途, 2–200 characters; recorded).
 * Recorded reads are `person.record_accessed` with `details.purpose`, written in the transaction that reads the
 * record, so no record leaves without its trace; the person sees them on their access log.
 * Anyone else gets 403 and an `access.denied` event — also for an id that does not exist, so the answer does
 * not tell who is registered. An unknown id is a 404 only for those who would have been allowed.
 */
export async function readPersonRecord(
  db: Kysely<DB>,
  p: Principal,
  input: { personId: string; purpose?: string },
  actor: AuditActor,
): Promise<PersonRecord> {
  const { personId } = input;
  let access: { purpose: string; via: 'staff' | 'delegation'; delegationId?: string } | null = null;
  if (p.kind === 'person' && p.accountId === personId) {
    access = null; // one's own record
  } else if (p.kind === 'person' && p.acting?.principalType === 'person' && p.acting.principalId === personId) {
    const purpose = input.purpose?.trim() ? normalisePurpose(input.purpose) : `代办（${RELATION_LABELS[p.acting.relation]}）`;
    access = { purpose, via: 'delegation', delegationId: p.acting.delegationId };
  } else if (p.kind === 'staff' && can(p, 'person.read')) {
    access = { purpose: normalisePurpose(input.purpose), via: 'staff' };
  } else {
    throw await recordAccessDenied(
      db,
      actor,
      { type: 'person', id: personId.slice(0, 100) },
      { operation: 'person.read', reason: p.kind === 'staff' ? 'missing_permission' : 'not_self_or_agent' },
      '您无权查阅该自然人档案',
    );
  }
  if (!isUuid(personId)) throw new PersonNotFoundError();
  const audited = access;
  return db.transaction().execute(async (trx) => {
    const record = await loadRecord(trx, personId);
    if (audited) {
      await recordAuditEvent(trx, {
        action: 'person.record_accessed',
        actor,
        target: { type: 'person', id: personId },
        details: { purpose: audited.purpose, via: audited.via, ...(audited.delegationId ? { delegationId: audited.delegationId } : {}) },
      });
    }
    return record;
  });
}

async function loadRecord(trx: Transaction<DB>, personId: string): Promise<PersonRecord> {
  const a = await trx
    .selectFrom('accounts')
    .select(['id', 'name', 'id_number', 'mobile', 'status', 'created_at'])
    .where('id', '=', personId)
    .where('kind', '=', 'person')
    .executeTakeFirst();
  if (!a?.id_number) throw new PersonNotFoundError();
  const enterprises = await trx.selectFrom('enterprises').select(['id', 'credit_code', 'name']).where('legal_rep_account_id', '=', personId).orderBy('created_at').execute();
  const granted = await loadDelegations(trx, { principalAccountId: personId, activeOnly: true });
  const received = await loadDelegations(trx, { agentAccountId: personId, activeOnly: true });
  const sex = residentIdSex(a.id_number);
  const summary = (direction: 'granted' | 'received', relation: DelegationRelation, counterpart: string, itemCodes: string[], validUntil: string) => ({
    direction,
    relation,
    relationLabel: RELATION_LABELS[relation],
    counterpart,
    itemCodes,
    validUntil,
  });
  return {
    id: a.id,
    name: a.name,
    idNumber: maskResidentId(a.id_number),
    mobile: maskMobile(a.mobile),
    birthDate: birthDateOf(a.id_number),
    sex,
    sexLabel: sex === 'male' ? '男' : '女',
    minor: eighteenthBirthday(a.id_number).getTime() > Date.now(),
    status: a.status,
    createdAt: new Date(a.created_at).toISOString(),
    enterprises: enterprises.map((e) => ({ id: e.id, creditCode: e.credit_code, name: e.name })),
    delegations: [
      ...granted.map((g) => summary('granted', g.relation, g.agent.name, g.itemCodes, g.validUntil)),
      ...received.map((g) => summary('received', g.relation, g.principal.name, g.itemCodes, g.validUntil)),
    ],
  };
}
