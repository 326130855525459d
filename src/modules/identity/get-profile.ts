import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';
import type { Principal } from '../access/principal.ts';
import { ROLES } from '../access/permissions.ts';
import { maskResidentId } from '../../shared/codes/resident-id.ts';
import { maskMobile } from './identity.validation.ts';

export interface Profile {
  id: string;
  kind: 'person' | 'staff';
  name: string;
  idNumber: string | null; // masked: 330106********123X
  mobile: string | null; // masked: 138****5678
  staffNo: string | null;
  department: { code: string; name: string; regionCode: string } | null;
  roles: { role: string; label: string; department: string; includeLowerLevels: boolean }[];
  acting: { principalType: 'person' | 'enterprise'; principalId: string; principalName: string; relation: string } | null;
  enterprises: { id: string; creditCode: string; name: string }[]; // where this person is the legal representative
  oidcLinked: boolean;
  hasPassword: boolean;
  createdAt: string;
}

/** The signed-in account's own profile (个人中心), personal numbers masked: the page does not need them whole. */
export async function getProfile(db: Kysely<DB>, p: Exclude<Principal, { kind: 'client' }>): Promise<Profile> {
  const a = await db
    .selectFrom('accounts as a')
    .leftJoin('departments as d', 'd.id', 'a.department_id')
    .select(['a.id', 'a.kind', 'a.name', 'a.id_number', 'a.mobile', 'a.staff_no', 'a.password_hash', 'a.created_at', 'd.credit_code', 'd.name as dept_name', 'd.region_code'])
    .where('a.id', '=', p.accountId)
    .executeTakeFirstOrThrow();
  const roles =
    p.kind === 'staff'
      ? await db
          .selectFrom('role_assignments as r')
          .innerJoin('departments as d', 'd.id', 'r.department_id')
          .select(['r.role', 'r.include_lower_levels', 'd.name'])
          .where('r.account_id', '=', p.accountId)
          .where('r.revoked_at', 'is', null)
          .orderBy('r.granted_at')
          .execute()
      : [];
  const enterprises =
    p.kind === 'person'
      ? await db.selectFrom('enterprises').select(['id', 'credit_code', 'name']).where('legal_rep_account_id', '=', p.accountId).orderBy('created_at').execute()
      : [];
  const link = await db.selectFrom('oidc_links').select('issuer').where('account_id', '=', p.accountId).executeTakeFirst();
  return {
    id: a.id,
    kind: a.kind,
    name: a.name,
    idNumber: a.id_number ? maskResidentId(a.id_number) : null,
    mobile: maskMobile(a.mobile),
    staffNo: a.staff_no,
    department: a.credit_code ? { code: a.credit_code, name: a.dept_name!, regionCode: a.region_code! } : null,
    roles: roles.map((r) => ({ role: r.role, label: ROLES[r.role].label, department: r.name, includeLowerLevels: r.include_lower_levels })),
    acting:
      p.kind === 'person' && p.acting
        ? { principalType: p.acting.principalType, principalId: p.acting.principalId, principalName: p.acting.principalName, relation: p.acting.relation }
        : null,
    enterprises: enterprises.map((e) => ({ id: e.id, creditCode: e.credit_code, name: e.name })),
    oidcLinked: Boolean(link),
    hasPassword: Boolean(a.password_hash),
    createdAt: new Date(a.created_at).toISOString(),
  };
}
