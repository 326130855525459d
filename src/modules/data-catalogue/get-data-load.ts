/**
 * One load (数据装载) of a resource as its data stewards see it — status, progress, counts, the version it
 * became, its error report — and the one way every load operation reaches a resource: by code, within the
 * staff member's scope ('data.resource.manage' over the provider department); a refusal is recorded
 * (`access.denied`) before the 403.
 */
import type { Kysely, Selectable } from 'kysely';
import type { DataLoadMode, DataLoadStatus, DataLoadTable, DataResourceTable, DB } from '../../db/schema.ts';
import type { Principal } from '../access/principal.ts';
import type { AuditActor } from '../audit/audit.types.ts';
import type { BlobStorage } from '../attachments/blob-storage.ts';
import { assertCanRecorded } from '../staff/assert-can-recorded.ts';
import { findDepartmentRef, scopeOf } from '../staff/department-scope.ts';
import type { DepartmentRef } from '../staff/staff.types.ts';
import { AppError, NotFoundError } from '../../shared/errors.ts';

export type ResourceRow = Selectable<DataResourceTable>;
export type LoadRow = Selectable<DataLoadTable>;

export const LOADS_API = '/api/v1/staff/data/resources';
export const LOADS_PAGES = '/admin/data/resources';
export const loadsApiOf = (code: string) => `${LOADS_API}/${encodeURIComponent(code)}/loads`;
export const loadsPageOf = (code: string) => `${LOADS_PAGES}/${encodeURIComponent(code)}/loads`;
export const RESOURCE_CODE = '^[A-Za-z0-9][A-Za-z0-9/-]{2,63}$';

export const LOAD_MODE_LABELS: Record<DataLoadMode, string> = {
  full: '全量替换',
  upsert: '增量更新（按关键项新增或替换）',
  delete: '按关键项删除',
  rollback: '版本回滚',
};

export const LOAD_STATUS_LABELS: Record<DataLoadStatus, string> = {
  pending: '排队等待',
  loading: '正在校验装载',
  applied: '已生效',
  failed: '未通过，未装载',
};

export interface DataLoadView {
  id: number;
  version: number | null; // the data version it became
  current: boolean; // the version in force
  mode: DataLoadMode;
  modeLabel: string;
  status: DataLoadStatus;
  statusLabel: string;
  rollbackTo: number | null;
  fileName: string;
  format: 'csv' | 'xlsx' | 'json' | null;
  fileBytes: number;
  bytesRead: number;
  progressPercent: number;
  rowsRead: number;
  rowsBad: number;
  rowsUpserted: number;
  rowsDeleted: number;
  message: string | null;
  errorReportUrl: string | null;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
}

export const resourceNotFound = () => new NotFoundError('数据资源不存在', 'code');
export const loadNotFound = () => new NotFoundError('该装载记录不存在', 'loadId');

/** The resource by code, after checking that `p` may manage its provider's data (404 if there is no such resource). */
export async function resourceForLoads(db: Kysely<DB>, p: Principal, code: string, actor: AuditActor): Promise<{ resource: ResourceRow; provider: DepartmentRef }> {
  if (!new RegExp(RESOURCE_CODE).test(code)) throw resourceNotFound();
  const resource = await db.selectFrom('data_resources').selectAll().where('code', '=', code).executeTakeFirst();
  if (!resource) throw resourceNotFound();
  const provider = await findDepartmentRef(db, { id: resource.provider_department_id });
  if (!provider) throw resourceNotFound();
  await assertCanRecorded(
    db,
    p,
    'data.resource.manage',
    scopeOf(provider),
    { actor, target: { type: 'data_resource', id: resource.code } },
    '您只能装载本人管理范围内部门提供的数据资源',
  );
  return { resource, provider };
}

const iso = (d: Date | string | null) => (d === null ? null : new Date(d).toISOString());

export function toLoadView(code: string, l: LoadRow, currentVersion: number): DataLoadView {
  const fileBytes = Number(l.file_bytes);
  const bytesRead = Number(l.bytes_read);
  const done = l.status === 'applied' || l.status === 'failed';
  return {
    id: Number(l.id),
    version: l.version,
    current: l.version !== null && l.version === currentVersion,
    mode: l.mode,
    modeLabel: LOAD_MODE_LABELS[l.mode],
    status: l.status,
    statusLabel: LOAD_STATUS_LABELS[l.status],
    rollbackTo: l.rollback_to,
    fileName: l.file_name,
    format: l.format,
    fileBytes,
    bytesRead,
    progressPercent: done ? 100 : fileBytes > 0 ? Math.min(99, Math.floor((bytesRead / fileBytes) * 100)) : 0,
    rowsRead: l.rows_read,
    rowsBad: l.rows_bad,
    rowsUpserted: l.rows_upserted,
    rowsDeleted: l.rows_deleted,
    message: l.message,
    errorReportUrl: l.error_report_key ? `${loadsApiOf(code)}/${Number(l.id)}/errors.csv` : null,
    createdAt: iso(l.created_at)!,
    startedAt: iso(l.started_at),
    finishedAt: iso(l.finished_at),
  };
}

/** One load of a resource, with its progress. */
export async function getDataLoad(db: Kysely<DB>, p: Principal, code: string, loadId: number, actor: AuditActor): Promise<DataLoadView> {
  const { resource } = await resourceForLoads(db, p, code, actor);
  const load = await db.selectFrom('data_loads').selectAll().where('id', '=', loadId).where('resource_id', '=', resource.id).executeTakeFirst();
  if (!load) throw loadNotFound();
  return toLoadView(resource.code, load, resource.data_version);
}

/** The error report of a failed load (CSV, UTF-8 with BOM: 行号, 列, 值, 问题 — personal values masked). */
export async function readDataLoadErrorReport(
  deps: { db: Kysely<DB>; storage: BlobStorage },
  p: Principal,
  code: string,
  loadId: number,
  actor: AuditActor,
): Promise<{ fileName: string; bytes: Buffer }> {
  const { resource } = await resourceForLoads(deps.db, p, code, actor);
  const load = await deps.db.selectFrom('data_loads').select(['id', 'error_report_key', 'file_name']).where('id', '=', loadId).where('resource_id', '=', resource.id).executeTakeFirst();
  if (!load) throw loadNotFound();
  if (!load.error_report_key) throw new NotFoundError('这次装载没有错误报告', 'loadId');
  const base = load.file_name.replace(/\.(csv|xlsx|json|ndjson)$/i, '') || '数据';
  try {
    return { fileName: `${base}-错误报告.csv`, bytes: await deps.storage.get(load.error_report_key) };
  } catch {
    throw new AppError('NOT_FOUND', '错误报告文件已不存在', 'loadId');
  }
}
