/**
 * The staff side's overviews: "my lists" (every list of the departments the staff member may edit, per kind, with
 * its published version and open draft), the review queue (editions in review within the reviewer's scope), and
 * one department's list as its editors and reviewers see it (draft or published edition, and its history).
 */
import type { Kysely } from 'kysely';
import type { DB, ListEditionStatus, ListKind } from '../../db/schema.ts';
import type { RegionLevel } from '../../shared/codes/region-code.ts';
import { can, departmentsInScope } from '../access/authorize.ts';
import type { Principal } from '../access/principal.ts';
import type { AuditActor } from '../audit/audit.types.ts';
import { scopeOf } from '../staff/department-scope.ts';
import { getEdition } from './get-list-edition.ts';
import { assertMayReadDrafts, findListDepartment, mayHoldList, type ListDepartment } from './list-access.ts';
import { listPublishedEditions } from './list-published-editions.ts';
import { NotFoundError } from '../../shared/errors.ts';
import { iso, type EditionWithEntries, type PublishedEditionSummary } from './three-lists.editions.ts';
import { LIST_KINDS } from './three-lists.types.ts';

export interface MyListRow {
  kind: ListKind;
  departmentId: number;
  departmentName: string;
  regionCode: string;
  published: { editionId: number; version: number; publishedAt: string; entryCount: number } | null;
  open: { editionId: number; status: 'draft' | 'in_review'; updatedAt: string; entryCount: number; reviewComment: string | null } | null;
}

const MAX_DEPARTMENTS = 300;

export async function listMyLists(db: Kysely<DB>, p: Principal): Promise<MyListRow[]> {
  const ids = (await departmentsInScope(db, p, 'lists.draft')).slice(0, MAX_DEPARTMENTS);
  if (!ids.length) return [];
  const depts = await db
    .selectFrom('departments as d')
    .innerJoin('regions as r', 'r.code', 'd.region_code')
    .select(['d.id', 'd.name', 'd.kind', 'd.region_code', 'r.level'])
    .where('d.id', 'in', ids)
    .orderBy('d.region_code')
    .orderBy('d.id')
    .execute();
  const editions = await db
    .selectFrom('list_editions')
    .select(['id', 'list_kind', 'department_id', 'status', 'version', 'published_at', 'updated_at', 'entry_count', 'review_comment'])
    .where('department_id', 'in', ids)
    .where('status', 'in', ['draft', 'in_review', 'published'])
    .execute();
  const out: MyListRow[] = [];
  for (const d of depts) {
    for (const kind of Object.keys(LIST_KINDS) as ListKind[]) {
      if (!mayHoldList(kind, { kind: d.kind, regionLevel: d.level as RegionLevel })) continue;
      const mine = editions.filter((e) => e.department_id === d.id && e.list_kind === kind);
      const pub = mine.find((e) => e.status === 'published');
      const open = mine.find((e) => e.status === 'draft' || e.status === 'in_review');
      out.push({
        kind,
        departmentId: d.id,
        departmentName: d.name,
        regionCode: d.region_code,
        published: pub ? { editionId: pub.id, version: pub.version ?? 0, publishedAt: iso(pub.published_at)!, entryCount: pub.entry_count } : null,
        open: open
          ? { editionId: open.id, status: open.status as 'draft' | 'in_review', updatedAt: iso(open.updated_at)!, entryCount: open.entry_count, reviewComment: open.review_comment }
          : null,
      });
    }
  }
  return out;
}

export interface ReviewRow {
  editionId: number;
  kind: ListKind;
  departmentId: number;
  departmentName: string;
  regionCode: string;
  baseVersion: number | null;
  note: string;
  entryCount: number;
  submittedAt: string | null;
  submittedBy: string | null;
}

/** Editions in review that this reviewer may publish, oldest submission first. */
export async function listEditionsInReview(db: Kysely<DB>, p: Principal): Promise<ReviewRow[]> {
  if (!can(p, 'lists.publish')) return [];
  const rows = await db
    .selectFrom('list_editions as e')
    .innerJoin('departments as d', 'd.id', 'e.department_id')
    .leftJoin('accounts as a', 'a.id', 'e.submitted_by')
    .select(['e.id', 'e.list_kind', 'e.department_id', 'e.base_version', 'e.note', 'e.entry_count', 'e.submitted_at', 'a.name as submitted_by', 'd.name', 'd.kind', 'd.region_code', 'd.credit_code'])
    .where('e.status', '=', 'in_review')
    .orderBy('e.submitted_at')
    .orderBy('e.id')
    .execute();
  return rows
    .filter((r) => can(p, 'lists.publish', scopeOf({ id: r.department_id, code: r.credit_code, name: r.name, kind: r.kind, regionCode: r.region_code })))
    .map((r) => ({
      editionId: r.id,
      kind: r.list_kind,
      departmentId: r.department_id,
      departmentName: r.name,
      regionCode: r.region_code,
      baseVersion: r.base_version,
      note: r.note,
      entryCount: r.entry_count,
      submittedAt: iso(r.submitted_at),
      submittedBy: r.submitted_by,
    }));
}

export interface StaffListView {
  kind: ListKind;
  department: ListDepartment;
  mayEdit: boolean;
  mayReview: boolean;
  published: EditionWithEntries | null; // the current published edition
  open: EditionWithEntries | null; // draft or in review
  history: PublishedEditionSummary[];
}

/** One department's list for its editors and reviewers (others: a recorded 403). */
export async function getStaffList(db: Kysely<DB>, p: Principal, kind: ListKind, departmentId: number, actor: AuditActor): Promise<StaffListView> {
  const department = await findListDepartment(db, departmentId);
  await assertMayReadDrafts(db, p, kind, department, actor);
  const s = scopeOf({ id: department.id, code: department.code, name: department.name, kind: department.kind, regionCode: department.regionCode });
  const eds = await db
    .selectFrom('list_editions')
    .select(['id', 'status'])
    .where('list_kind', '=', kind)
    .where('department_id', '=', department.id)
    .where('status', 'in', ['draft', 'in_review', 'published'] as ListEditionStatus[])
    .execute();
  const pubId = eds.find((e) => e.status === 'published')?.id;
  const openId = eds.find((e) => e.status !== 'published')?.id;
  const [published, open, history] = [
    pubId ? ((await getEdition(db, pubId)) ?? null) : null,
    openId ? ((await getEdition(db, openId, { includeDrafts: true })) ?? null) : null,
    await listPublishedEditions(db, { kind, departmentId: department.id, limit: 100 }),
  ];
  return { kind, department, mayEdit: can(p, 'lists.draft', s) && mayHoldList(kind, department), mayReview: can(p, 'lists.publish', s), published, open, history };
}

/** An edition (any status) for staff who may see the department's drafts. */
export async function getStaffEdition(db: Kysely<DB>, p: Principal, editionId: number, actor: AuditActor): Promise<EditionWithEntries> {
  const ed = await getEdition(db, editionId, { includeDrafts: true });
  if (!ed) throw new NotFoundError('该清单版本不存在', 'editionId');
  const d = await findListDepartment(db, ed.departmentId);
  if (ed.status !== 'published' && ed.status !== 'superseded') await assertMayReadDrafts(db, p, ed.kind, d, actor);
  return ed;
}
