/**
 * Who may see and act on an application: its applicant, and staff whose role assignments reach its department.
 * Everyone else is told it does not exist.
 *
 * The applicant of a person's application is that person, or whoever submitted it for them. The applicant of an
 * enterprise's application is whoever acts for the enterprise right now — its legal representative, or an agent
 * acting for it under a delegation in force — and never merely whoever submitted it: an agent whose delegation
 * was revoked or has expired loses the enterprise's applications with it.
 */
import type { Kysely, Transaction } from 'kysely';
import type { DB, StaffRole } from '../../db/schema.ts';
import type { DepartmentScope, Principal, StaffPrincipal } from '../access/principal.ts';
import { can, grantCovers } from '../access/authorize.ts';
import { roleHas } from '../access/permissions.ts';
import { NotFoundError } from '../../shared/errors.ts';
import { canActFor } from '../delegation/can-act-for.ts';

export interface ApplicantKeys {
  submitted_by: string;
  subject_type: 'person' | 'enterprise';
  subject_id: string;
}

/**
 * Is the principal this application's applicant, as far as the principal alone tells? While acting: when the
 * application is for the subject acted for (the acting delegation was re-read with this request). Otherwise:
 * for a person's application, its submitter or that person; an enterprise's application never (its legal
 * representative is known only from the database: use `isApplicantNow`).
 */
export function isApplicant(p: Principal | null | undefined, a: ApplicantKeys): boolean {
  if (!p || p.kind !== 'person') return false;
  if (p.acting) return p.acting.principalType === a.subject_type && p.acting.principalId === a.subject_id;
  return a.subject_type === 'person' && (a.submitted_by === p.accountId || a.subject_id === p.accountId);
}

/** Is the principal this application's applicant now: `isApplicant`, or the legal representative of its enterprise. */
export async function isApplicantNow(db: Kysely<DB> | Transaction<DB>, p: Principal | null | undefined, a: ApplicantKeys): Promise<boolean> {
  if (isApplicant(p, a)) return true;
  return a.subject_type === 'enterprise' && (await canActFor(db, p, { type: 'enterprise', id: a.subject_id }));
}

/** The staff roles of the principal that reach a department and may handle applications. */
export function handlingRoles(p: Principal | null | undefined, scope: DepartmentScope): StaffRole[] {
  if (!p || p.kind !== 'staff') return [];
  const out = new Set<StaffRole>();
  for (const g of (p as StaffPrincipal).roles) if (roleHas(g.role, 'application.handle') && grantCovers(g, scope)) out.add(g.role);
  return [...out];
}

export function canHandle(p: Principal | null | undefined, scope: DepartmentScope): boolean {
  return can(p, 'application.handle', scope);
}

export async function loadDepartmentScope(db: Kysely<DB> | Transaction<DB>, departmentId: number): Promise<DepartmentScope & { name: string }> {
  const d = await db.selectFrom('departments').select(['id', 'kind', 'region_code', 'name']).where('id', '=', departmentId).executeTakeFirst();
  if (!d) throw new NotFoundError('部门不存在', 'departmentId');
  return { departmentId: d.id, departmentKind: d.kind, regionCode: d.region_code, name: d.name };
}

export const APPLICATION_NOT_FOUND = '办件不存在，或您无权查看';
