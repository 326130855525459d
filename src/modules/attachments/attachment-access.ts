/**
 * Who may read an applicant's files (查阅申请材料). Deny by default:
 * - while it belongs to no application: the account that uploaded it (a draft's files are theirs alone);
 * - once it belongs to an application (submitted with it, or uploaded for a 补正), its uploader no longer counts
 *   as such: the person who submitted a person's application, and the applicant (主体) — the person themself, or
 *   whoever may act for the subject now (the enterprise's legal representative, or an agent acting in this
 *   session under a delegation in force that covers the item; `canActFor`). An agent whose delegation was
 *   revoked loses the enterprise's files, even those they uploaded;
 * - staff holding `application.handle` over the application's department (its kind and region, from
 *   `departments`).
 * Callers answer everyone else with 404, exactly as for a file that does not exist.
 */
import type { Kysely } from 'kysely';
import type { DB, SubjectType } from '../../db/schema.ts';
import type { DepartmentKind } from '../catalogue/catalogue.types.ts';
import type { Principal } from '../access/principal.ts';
import { can } from '../access/authorize.ts';
import { canActFor } from '../delegation/can-act-for.ts';
import type { AttachmentAccess } from './attachments.types.ts';

/** The parts of an application that decide who may see its files. */
export interface ApplicationFileScope {
  id: number;
  number: string;
  state: string;
  submittedBy: string;
  subjectType: SubjectType;
  subjectId: string;
  basicCode: string;
  departmentId: number;
  departmentKind: DepartmentKind;
  departmentRegionCode: string;
}

export async function loadApplicationFileScope(db: Kysely<DB>, where: { id: number } | { number: string }): Promise<ApplicationFileScope | undefined> {
  let q = db
    .selectFrom('applications as a')
    .innerJoin('departments as d', 'd.id', 'a.department_id')
    .innerJoin('impl_items as i', 'i.code', 'a.item_code')
    .select(['a.id', 'a.number', 'a.state', 'a.submitted_by', 'a.subject_type', 'a.subject_id', 'a.department_id', 'd.kind', 'd.region_code', 'i.basic_code']);
  q = 'id' in where ? q.where('a.id', '=', where.id) : q.where('a.number', '=', where.number);
  const r = await q.executeTakeFirst();
  if (!r) return undefined;
  return {
    id: r.id,
    number: r.number,
    state: r.state,
    submittedBy: r.submitted_by,
    subjectType: r.subject_type,
    subjectId: r.subject_id,
    basicCode: r.basic_code,
    departmentId: r.department_id,
    departmentKind: r.kind,
    departmentRegionCode: r.region_code,
  };
}

/** The submitter, or someone who may act for the applicant right now. */
export async function isApplicantSide(db: Kysely<DB>, p: Principal | null | undefined, a: ApplicationFileScope): Promise<boolean> {
  if (!p || p.kind !== 'person') return false;
  // an enterprise's files: whoever acts for it now (a revoked agent who submitted them no longer does)
  if (a.subjectType === 'person' && a.submittedBy === p.accountId) return true;
  return canActFor(db, p, { type: a.subjectType, id: a.subjectId }, a.basicCode);
}

/** Staff who handle applications of that department (窗口受理, 审核, 审批 — within their scope). */
export function isHandlingStaff(p: Principal | null | undefined, a: ApplicationFileScope): boolean {
  return p?.kind === 'staff' && can(p, 'application.handle', { departmentId: a.departmentId, departmentKind: a.departmentKind, regionCode: a.departmentRegionCode });
}

/** May `p` read the files of this application, and as whom? (For pages that list them with previews.) */
export async function applicationFileAccess(db: Kysely<DB>, p: Principal | null | undefined, a: ApplicationFileScope): Promise<Exclude<AttachmentAccess, 'owner'> | null> {
  if (isHandlingStaff(p, a)) return 'staff';
  if (await isApplicantSide(db, p, a)) return 'applicant';
  return null;
}

/** The columns of an attachment row that decide access. */
export interface AttachmentOwnership {
  owner_id: string;
  application_id: number | null;
}

export async function attachmentAccess(db: Kysely<DB>, p: Principal | null | undefined, row: AttachmentOwnership): Promise<AttachmentAccess | null> {
  if (!p || p.kind === 'client') return null;
  // a draft's files are its owner's alone; an application's are the applicant's, whoever uploaded them
  if (row.application_id === null) return p.kind === 'person' && row.owner_id === p.accountId ? 'owner' : null;
  const a = await loadApplicationFileScope(db, { id: row.application_id });
  return a ? applicationFileAccess(db, p, a) : null;
}

/** May `p` read attachment `id`? False for an unknown id as for a forbidden one. */
export async function canReadAttachment(db: Kysely<DB>, p: Principal | null | undefined, id: string): Promise<boolean> {
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id)) return false;
  const row = await db.selectFrom('attachments').select(['owner_id', 'application_id']).where('id', '=', id.toLowerCase()).executeTakeFirst();
  return row !== undefined && (await attachmentAccess(db, p, row)) !== null;
}
