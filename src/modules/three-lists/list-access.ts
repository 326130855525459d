/**
 * Whose list it is, and who may touch it: the department (an unknown one is a 404 naming the field), the rule
 * that the negative list belongs only to the province's development and reform commission, and the permission
 * checks over the department (lists.draft to edit and submit, lists.publish to review) — refusals are recorded.
 */
import { sql, type Kysely, type Transaction } from 'kysely';
import type { DB, ListKind } from '../../db/schema.ts';
import type { RegionLevel } from '../../shared/codes/region-code.ts';
import { AppError, InvalidParameterError, NotFoundError } from '../../shared/errors.ts';
import { can } from '../access/authorize.ts';
import type { Permission } from '../access/permissions.ts';
import type { Principal } from '../access/principal.ts';
import type { AuditActor } from '../audit/audit.types.ts';
import type { DepartmentKind } from '../catalogue/catalogue.types.ts';
import { assertCanRecorded, recordDenial } from '../staff/assert-can-recorded.ts';
import { scopeOf } from '../staff/department-scope.ts';
import { LIST_KINDS } from './three-lists.types.ts';

export interface ListDepartment {
  id: number;
  code: string;
  name: string;
  kind: DepartmentKind;
  regionCode: string;
  regionLevel: RegionLevel;
}

export function isListKind(v: unknown): v is ListKind {
  return typeof v === 'string' && Object.hasOwn(LIST_KINDS, v);
}

export function assertListKind(v: unknown): ListKind {
  if (!isListKind(v)) throw new InvalidParameterError('kind', '清单类型无效，应为 power（权力清单）、negative（负面清单）或 fund（专项资金清单）');
  return v;
}

/** May this department hold a list of this kind? The negative list is the province's, held by its 发展改革委. */
export function mayHoldList(kind: ListKind, d: { kind: DepartmentKind; regionLevel: RegionLevel }): boolean {
  return kind !== 'negative' || (d.kind === 'development_reform' && d.regionLevel === 'province');
}

export async function findListDepartment(db: Kysely<DB>, id: number): Promise<ListDepartment> {
  const d = Number.isSafeInteger(id) && id > 0 && id <= 2_147_483_647
    ? await db
        .selectFrom('departments as d')
        .innerJoin('regions as r', 'r.code', 'd.region_code')
        .select(['d.id', 'd.credit_code', 'd.name', 'd.kind', 'd.region_code', 'r.level'])
        .where('d.id', '=', id)
        .executeTakeFirst()
    : undefined;
  if (!d) throw new NotFoundError('未找到该部门，请从列表中选择', 'departmentId');
  return { id: d.id, code: d.credit_code, name: d.name, kind: d.kind, regionCode: d.region_code, regionLevel: d.level as RegionLevel };
}

const target = (kind: ListKind, d: ListDepartment) => ({ type: 'list_edition', id: `${kind}:${d.id}` });
const scope = (d: ListDepartment) => scopeOf({ id: d.id, code: d.code, name: d.name, kind: d.kind, regionCode: d.regionCode });

/** The department of a list someone wants to edit (lists.draft over it; the negative list only at the province's 发改委). */
export async function departmentForDrafting(db: Kysely<DB>, p: Principal, kind: ListKind, departmentId: number, actor: AuditActor): Promise<ListDepartment> {
  const d = await findListDepartment(db, departmentId);
  await assertCanRecorded(db, p, 'lists.draft', scope(d), { actor, target: target(kind, d) }, '您只能编制本人管理范围内部门的清单');
  if (!mayHoldList(kind, d)) throw new AppError('FORBIDDEN', '企业投资项目负面清单由省发展和改革委员会统一编制，其他部门不能编制', 'departmentId');
  return d;
}

/** Review (lists.publish over the department), recorded when refused. */
export async function assertMayReview(db: Kysely<DB>, p: Principal, kind: ListKind, d: ListDepartment, actor: AuditActor): Promise<void> {
  await assertCanRecorded(db, p, 'lists.publish', scope(d), { actor, target: target(kind, d) }, '您没有审核该部门清单的权限');
}

/** Reading a department's drafts: its editors or its reviewers. */
export async function assertMayReadDrafts(db: Kysely<DB>, p: Principal, kind: ListKind, d: ListDepartment, actor: AuditActor): Promise<void> {
  const s = scope(d);
  if (can(p, 'lists.draft', s) || can(p, 'lists.publish', s)) return;
  throw await recordDenial(db, { actor, target: target(kind, d) }, { permission: 'lists.draft' as Permission, reason: 'out_of_scope', departmentId: d.id }, '您不能查看该部门的清单草稿');
}

export const accountOf = (p: Principal): string | null => (p.kind === 'client' ? null : p.accountId);

export type OpenEdition = { id: number; status: 'draft' | 'in_review'; base_version: number | null; entry_count: number };

/** The open edition (draft or in review) of a department's list, locked for the transaction. */
export async function lockOpenEdition(trx: Transaction<DB>, kind: ListKind, departmentId: number): Promise<OpenEdition | undefined> {
  const r = await trx
    .selectFrom('list_editions')
    .select(['id', 'status', 'base_version', 'entry_count'])
    .where('list_kind', '=', kind)
    .where('department_id', '=', departmentId)
    .where('status', 'in', ['draft', 'in_review'])
    .forUpdate()
    .executeTakeFirst();
  return r as OpenEdition | undefined;
}

/**
 * The department's draft, created when there is none as a copy of its current published edition
 * (base_version = that version). A draft in review cannot be edited (409).
 */
export async function draftForEditing(trx: Transaction<DB>, kind: ListKind, d: ListDepartment, accountId: string | null): Promise<{ id: number; created: boolean; baseVersion: number | null }> {
  const open = await lockOpenEdition(trx, kind, d.id);
  if (open?.status === 'in_review') throw new AppError('CONFLICT', '该清单已提交审核，审核结束（发布或退回）前不能修改', 'status');
  if (open) return { id: open.id, created: false, baseVersion: open.base_version };
  const published = await trx
    .selectFrom('list_editions')
    .select(['id', 'version', 'entry_count'])
    .where('list_kind', '=', kind)
    .where('department_id', '=', d.id)
    .where('status', '=', 'published')
    .executeTakeFirst();
  const row = await trx
    .insertInto('list_editions')
    .values({
      list_kind: kind,
      department_id: d.id,
      status: 'draft',
      base_version: published?.version ?? null,
      entry_count: published?.entry_count ?? 0,
      created_by: accountId,
      updated_at: new Date(),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  if (published) {
    await trx
      .insertInto('list_entries')
      .columns(['edition_id', 'entry_key', 'data'])
      .expression((eb) => eb.selectFrom('list_entries').select([sql<number>`${row.id}::integer`.as('edition_id'), 'entry_key', 'data']).where('edition_id', '=', published.id))
      .execute();
  }
  return { id: row.id, created: true, baseVersion: published?.version ?? null };
}

/** After entries changed: the edition's entry count and time. */
export async function touchEdition(trx: Transaction<DB>, editionId: number): Promise<number> {
  const c = await trx.selectFrom('list_entries').select((eb) => eb.fn.countAll<string | number>().as('n')).where('edition_id', '=', editionId).executeTakeFirstOrThrow();
  const n = Number(c.n);
  await trx.updateTable('list_editions').set({ entry_count: n, updated_at: new Date() }).where('id', '=', editionId).execute();
  return n;
}
