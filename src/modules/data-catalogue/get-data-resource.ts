/**
 * 查看数据资源目录: one catalogue entry as the public sees it (published or retired entries only — a draft is
 * not found) or as a data steward of its provider department sees it (any status; a refusal outside the
 * steward's scope is recorded before the 403). Never any records: the catalogue describes data, it does not
 * show it. Also the row → view mapping and the snapshot of a meta version, shared by the other operations.
 */
import type { Kysely, Selectable } from 'kysely';
import type { DataItem, DataResourceTable, DB } from '../../db/schema.ts';
import type { Principal } from '../access/principal.ts';
import type { AuditActor } from '../audit/audit.types.ts';
import { NotFoundError } from '../../shared/errors.ts';
import { assertCanRecorded } from '../staff/assert-can-recorded.ts';
import { findDepartmentRef, scopeOf } from '../staff/department-scope.ts';
import type { DepartmentRef } from '../staff/staff.types.ts';
import type { DataResourceView, ResourceFormat, ShareMethod } from './data-catalogue.types.ts';

export type DataResourceRow = Selectable<DataResourceTable>;

export class DataResourceNotFoundError extends NotFoundError {
  constructor(code: string) {
    super(`未找到数据资源“${code}”`, 'code');
  }
}

const iso = (d: Date | string | null): string | null => (d === null ? null : new Date(d).toISOString());

function parseItems(v: unknown): DataItem[] {
  return (typeof v === 'string' ? JSON.parse(v) : v) as DataItem[];
}

export async function loadResourceRow(db: Kysely<DB>, code: string): Promise<DataResourceRow | undefined> {
  return db.selectFrom('data_resources').selectAll().where('code', '=', code).executeTakeFirst();
}

export async function regionName(db: Kysely<DB>, code: string): Promise<string> {
  const r = await db.selectFrom('regions').select('name').where('code', '=', code).executeTakeFirst();
  return r?.name ?? code;
}

export function toResourceView(r: DataResourceRow, provider: DepartmentRef, providerRegionName: string): DataResourceView {
  return {
    code: r.code,
    name: r.name,
    status: r.status,
    provider: { id: provider.id, code: provider.code, name: provider.name, regionCode: provider.regionCode, regionName: providerRegionName },
    catalogueKind: r.catalogue_kind,
    baseLibrary: r.base_library,
    classification: r.classification,
    abstract: r.abstract,
    format: r.format as ResourceFormat,
    items: parseItems(r.items),
    keyItem: r.key_item,
    shareType: r.share_type,
    shareConditions: r.share_conditions,
    shareMethod: r.share_method as ShareMethod,
    openType: r.open_type,
    updateCycle: r.update_cycle,
    grade: r.grade,
    relatedCodes: r.related_codes ?? [],
    publishedAt: iso(r.published_at),
    metaVersion: r.meta_version,
    dataVersion: r.data_version,
    recordCount: Number(r.record_count),
    updatedAt: iso(r.updated_at)!,
  };
}

/** The catalogue entry as a meta version keeps it (no status, counts or dates: those are not metadata). */
export function snapshotOf(r: DataResourceRow, provider: { id: number; name: string }): Record<string, unknown> {
  return {
    code: r.code,
    name: r.name,
    providerDepartmentId: provider.id,
    providerName: provider.name,
    catalogueKind: r.catalogue_kind,
    baseLibrary: r.base_library,
    classification: r.classification,
    abstract: r.abstract,
    format: r.format,
    items: parseItems(r.items),
    keyItem: r.key_item,
    shareType: r.share_type,
    shareConditions: r.share_conditions,
    shareMethod: r.share_method,
    openType: r.open_type,
    updateCycle: r.update_cycle,
    grade: r.grade,
    relatedCodes: r.related_codes ?? [],
  };
}

async function viewOf(db: Kysely<DB>, r: DataResourceRow): Promise<{ view: DataResourceView; provider: DepartmentRef }> {
  const provider = await findDepartmentRef(db, { id: r.provider_department_id });
  if (!provider) throw new DataResourceNotFoundError(r.code);
  return { view: toResourceView(r, provider, await regionName(db, provider.regionCode)), provider };
}

/** A published (or retired) entry; a draft or an unknown code is 404. */
export async function getPublicDataResource(db: Kysely<DB>, code: string): Promise<DataResourceView> {
  const r = await loadResourceRow(db, code);
  if (!r || r.status === 'draft') throw new DataResourceNotFoundError(code);
  return (await viewOf(db, r)).view;
}

/** The entry for a steward of its provider department (data.resource.manage there); otherwise recorded 403. */
export async function loadResourceInScope(
  db: Kysely<DB>,
  p: Principal,
  code: string,
  actor: AuditActor,
): Promise<{ row: DataResourceRow; view: DataResourceView; provider: DepartmentRef }> {
  const row = await loadResourceRow(db, code);
  if (!row) throw new DataResourceNotFoundError(code);
  const { view, provider } = await viewOf(db, row);
  await assertCanRecorded(db, p, 'data.resource.manage', scopeOf(provider), { actor, target: { type: 'data_resource', id: code } }, '您只能管理本人管理范围内部门提供的数据资源');
  return { row, view, provider };
}

export async function getDataResourceForStaff(db: Kysely<DB>, p: Principal, code: string, actor: AuditActor): Promise<DataResourceView> {
  return (await loadResourceInScope(db, p, code, actor)).view;
}
