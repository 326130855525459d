import type { Kysely } from 'kysely';
import type { DB, DelegationRelation } from '../../db/schema.ts';
import type { AuditActor } from '../audit/audit.types.ts';
import { recordAuditEvent } from '../audit/record-audit-event.ts';
import { normaliseIdNumber, normaliseName } from '../identity/identity.validation.ts';
import { InvalidParameterError } from '../../shared/errors.ts';
import { AgentNotFoundError } from './delegation.errors.ts';
import { PERSON_GRANT_RELATIONS, type DelegationView } from './delegation.types.ts';
import { eighteenthBirthday, isUuid, normaliseItemCodes, normaliseNote, parseValidUntil } from './delegation.validation.ts';
import { loadDelegations } from './load-delegations.ts';
import { recordAccessDenied } from './record-access-denied.ts';

export interface GrantDelegationInput {
  agentName: string;
  agentIdNumber: string;
  relation?: string; // person: agent (default) | guardian; enterprise: enterprise_agent
  itemCodes?: string[]; // basic item codes; empty or absent = all items
  validUntil: string; // YYYY-MM-DD (end of that day, Beijing time) or an ISO time
  note?: string;
}

/** Who grants: the signed-in person for themself, or — with `enterpriseId` — as the enterprise's legal representative. */
export interface Grantor {
  accountId: string;
  enterpriseId?: string;
}

/**
 * 授权代办: a person (or an enterprise, through its legal representative) authorises an agent, who is named by
 * real name + ID number and must be a registered person; the message does not say which of the two did not
 * match. Scoped to basic items or all, valid from now until a date at most five years ahead, never to oneself.
 */
export async function grantDelegation(db: Kysely<DB>, grantor: Grantor, input: GrantDelegationInput, actor: AuditActor): Promise<DelegationView> {
  const enterpriseId = grantor.enterpriseId;
  if (enterpriseId !== undefined) {
    const e = isUuid(enterpriseId)
      ? await db.selectFrom('enterprises').select('legal_rep_account_id').where('id', '=', enterpriseId).executeTakeFirst()
      : undefined;
    if (e?.legal_rep_account_id !== grantor.accountId) {
      throw await recordAccessDenied(
        db,
        actor,
        { type: 'enterprise', id: enterpriseId.slice(0, 100) },
        { operation: 'delegation.grant', reason: 'not_legal_representative' },
        '只有企业的法定代表人可以授权经办人',
      );
    }
  }

  const relation: DelegationRelation = enterpriseId !== undefined ? 'enterprise_agent' : ((input.relation ?? 'agent') as DelegationRelation);
  if (enterpriseId !== undefined ? input.relation !== undefined && input.relation !== 'enterprise_agent' : !(PERSON_GRANT_RELATIONS as readonly string[]).includes(relation)) {
    throw new InvalidParameterError('relation', enterpriseId !== undefined ? '企业只能授权经办人（enterprise_agent）' : '代办关系只能是委托代办人（agent）或监护人（guardian）');
  }
  const agentName = normaliseName(input.agentName, 'agentName');
  const agentIdNumber = normaliseIdNumber(input.agentIdNumber, 'agentIdNumber');
  // decided from what was typed, before any lookup: says nothing about who is registered
  if (eighteenthBirthday(agentIdNumber).getTime() > Date.now()) throw new InvalidParameterError('agentIdNumber', '代办人须年满 18 周岁');
  const itemCodes = await normaliseItemCodes(db, input.itemCodes);
  const validUntil = parseValidUntil(input.validUntil);
  const note = normaliseNote(input.note);

  const id = await db.transaction().execute(async (trx) => {
    const agent = await trx
      .selectFrom('accounts')
      .select(['id', 'name'])
      .where('kind', '=', 'person')
      .where('status', '=', 'active')
      .where('id_number', '=', agentIdNumber)
      .executeTakeFirst();
    if (!agent || agent.name !== agentName) throw new AgentNotFoundError();
    if (agent.id === grantor.accountId) {
      throw new InvalidParameterError('agentIdNumber', enterpriseId !== undefined ? '法定代表人无需授权即可办理本企业事项' : '不能授权给自己');
    }
    const row = await trx
      .insertInto('delegations')
      .values({
        principal_type: enterpriseId !== undefined ? 'enterprise' : 'person',
        principal_account_id: enterpriseId !== undefined ? null : grantor.accountId,
        principal_enterprise_id: enterpriseId ?? null,
        agent_account_id: agent.id,
        relation,
        item_codes: itemCodes,
        valid_until: validUntil,
        note,
        created_by: grantor.accountId,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await recordAuditEvent(trx, {
      action: 'delegation.granted',
      actor,
      target: { type: 'delegation', id: row.id },
      details: {
        principal: enterpriseId !== undefined ? `enterprise:${enterpriseId}` : `person:${grantor.accountId}`,
        agent: agent.id,
        relation,
        itemCodes,
        validUntil: validUntil.toISOString(),
      },
    });
    return row.id;
  });
  const [view] = await loadDelegations(db, { id });
  return view!;
}
