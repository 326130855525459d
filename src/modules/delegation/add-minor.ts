import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';
import type { AuditActor } from '../audit/audit.types.ts';
import { recordAuditEvent } from '../audit/record-audit-event.ts';
import { normaliseIdNumber, normaliseName } from '../identity/identity.validation.ts';
import { ForbiddenError, InvalidParameterError } from '../../shared/errors.ts';
import { MinorAlreadyHasAccountError } from './delegation.errors.ts';
import { eighteenthBirthday } from './delegation.validation.ts';

export interface AddMinorInput {
  name: string;
  idNumber: string; // the child's 公民身份号码
}

export interface AddedMinor {
  accountId: string;
  delegationId: string;
  name: string;
  validUntil: string; // the child's 18th birthday
}

/**
 * 添加未成年子女: a parent adds a child under 18 (from the birth date in the ID number). The child gets a person
 * account without password or mobile (they cannot sign in), and the parent a `parent` delegation that ends on
 * the child's 18th birthday. Both in one transaction, with both audit events.
 *
 * Parenthood cannot be checked against the household register (户籍) from here; the page says the statement is
 * the parent's own. An ID number that already has an account is refused: a second parent is not added this way.
 */
export async function addMinor(db: Kysely<DB>, parentAccountId: string, input: AddMinorInput, actor: AuditActor): Promise<AddedMinor> {
  const name = normaliseName(input.name);
  const idNumber = normaliseIdNumber(input.idNumber);
  const until = eighteenthBirthday(idNumber);
  if (until.getTime() <= Date.now()) throw new InvalidParameterError('idNumber', '该身份证号码的持有人已年满 18 周岁，请其本人注册后再授权代办');
  try {
    return await db.transaction().execute(async (trx) => {
      const parent = await trx.selectFrom('accounts').select(['id_number']).where('id', '=', parentAccountId).where('kind', '=', 'person').executeTakeFirst();
      if (!parent?.id_number) throw new ForbiddenError('仅实名注册的个人可以添加未成年子女');
      if (eighteenthBirthday(parent.id_number).getTime() > Date.now()) throw new ForbiddenError('未成年人不能添加子女');
      if (parent.id_number === idNumber) throw new InvalidParameterError('idNumber', '不能添加自己');
      const exists = await trx.selectFrom('accounts').select('id').where('kind', '=', 'person').where('id_number', '=', idNumber).executeTakeFirst();
      if (exists) throw new MinorAlreadyHasAccountError();
      const child = await trx
        .insertInto('accounts')
        .values({ kind: 'person', name, id_number: idNumber, mobile: null, password_hash: null, status: 'active', staff_no: null, department_id: null })
        .returning('id')
        .executeTakeFirstOrThrow();
      const grant = await trx
        .insertInto('delegations')
        .values({
          principal_type: 'person',
          principal_account_id: child.id,
          principal_enterprise_id: null,
          agent_account_id: parentAccountId,
          relation: 'parent',
          item_codes: [],
          valid_until: until,
          note: '添加未成年子女时建立，至子女年满 18 周岁',
          created_by: parentAccountId,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      await recordAuditEvent(trx, { action: 'account.minor_added', actor, target: { type: 'account', id: child.id }, details: { delegationId: grant.id } });
      await recordAuditEvent(trx, {
        action: 'delegation.granted',
        actor,
        target: { type: 'delegation', id: grant.id },
        details: { principal: `person:${child.id}`, agent: parentAccountId, relation: 'parent', itemCodes: [], validUntil: until.toISOString() },
      });
      return { accountId: child.id, delegationId: grant.id, name, validUntil: until.toISOString() };
    });
  } catch (err) {
    if ((err as { code?: string }).code === '23505') throw new MinorAlreadyHasAccountError();
    throw err;
  }
}
