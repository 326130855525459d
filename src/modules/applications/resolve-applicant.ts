/**
 * The applicant of a new application or draft (申请人): the signed-in person, or — while acting (代办) — the
 * person or enterprise they act for, provided the delegation covers the item.
 */
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';
import type { PersonPrincipal } from '../access/principal.ts';
import { ForbiddenError, NotFoundError } from '../../shared/errors.ts';

export interface Applicant {
  subjectType: 'person' | 'enterprise';
  subjectId: string;
  name: string;
  idNumber: string; // resident ID or credit code
  delegationId: string | null;
  /** For prefilling forms. */
  person: { name: string; idNumber: string; mobile: string };
  enterprise?: { name: string; creditCode: string; legalRepName: string };
}

export async function resolveApplicant(db: Kysely<DB>, p: PersonPrincipal, basicCode?: string, o: { withMobile?: boolean } = {}): Promise<Applicant> {
  // the session already carries the person's name and ID number; the mobile is read only to prefill a form
  const mobile = o.withMobile ? ((await db.selectFrom('accounts').select('mobile').where('id', '=', p.accountId).executeTakeFirst())?.mobile ?? '') : '';
  const person = { name: p.name, idNumber: p.idNumber, mobile };
  const acting = p.acting;
  if (!acting) return { subjectType: 'person', subjectId: p.accountId, name: p.name, idNumber: p.idNumber, delegationId: null, person };
  if (basicCode && acting.itemCodes.length && !acting.itemCodes.includes(basicCode)) {
    throw new ForbiddenError(`您代办的授权不包括此事项，请以本人身份办理或请${acting.principalName}扩大授权范围`);
  }
  if (acting.principalType === 'enterprise') {
    const e = await db.selectFrom('enterprises').select(['id', 'name', 'credit_code', 'legal_rep_name']).where('id', '=', acting.principalId).executeTakeFirst();
    if (!e) throw new NotFoundError('所代办的企业不存在');
    return {
      subjectType: 'enterprise',
      subjectId: e.id,
      name: e.name,
      idNumber: e.credit_code,
      delegationId: acting.delegationId,
      person,
      enterprise: { name: e.name, creditCode: e.credit_code, legalRepName: e.legal_rep_name },
    };
  }
  const principal = await db.selectFrom('accounts').select(['id', 'name', 'id_number', 'mobile']).where('id', '=', acting.principalId).executeTakeFirst();
  if (!principal) throw new NotFoundError('被代办人不存在');
  return {
    subjectType: 'person',
    subjectId: principal.id,
    name: principal.name,
    idNumber: principal.id_number ?? '',
    delegationId: acting.delegationId,
    person: { name: principal.name, idNumber: principal.id_number ?? '', mobile: principal.mobile ?? '' },
  };
}
