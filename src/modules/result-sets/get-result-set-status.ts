/**
 * A result set as its department sees it: the definition, the status, and the loads (uploads) with their
 * progress, counts, messages and error reports — never the rows themselves: staff, like everyone else, see a
 * result only by querying it after the release time.
 *
 * Also the one way every department-side operation reaches a set: by code, within the staff member's scope
 * ('results.publish' over the set's department); a refusal is recorded (`access.denied`) before the 403.
 */
import type { Kysely, Selectable } from 'kysely';
import type { DB, ResultLoadTable, ResultSetTable } from '../../db/schema.ts';
import type { Principal } from '../access/principal.ts';
import type { AuditActor } from '../audit/audit.types.ts';
import { assertCanRecorded } from '../staff/assert-can-recorded.ts';
import { findDepartmentRef, scopeOf } from '../staff/department-scope.ts';
import type { DepartmentRef } from '../staff/staff.types.ts';
import { NotFoundError } from '../../shared/errors.ts';
import { loadNotFound, setNotFound } from './result-sets.errors.ts';
import { LOAD_STATUS_LABELS, SET_STATUS_LABELS, type ResultLoadView, type ResultSetDeps, type ResultSetView } from './result-sets.types.ts';

export type SetRow = Selectable<ResultSetTable>;
export type LoadRow = Selectable<ResultLoadTable>;

export const STAFF_API = '/api/v1/staff/result-sets';
export const errorReportUrl = (code: string, loadId: number) => `${STAFF_API}/${encodeURIComponent(code)}/loads/${loadId}/errors.csv`;

/** The set by code, after checking that `p` may publish for its department (404 if there is no such set). */
export async function loadSetInScope(db: Kysely<DB>, p: Principal, code: string, actor: AuditActor): Promise<{ set: SetRow; department: DepartmentRef }> {
  if (!/^[a-z0-9-]{3,64}$/.test(code)) throw setNotFound();
  const set = await db.selectFrom('result_sets').selectAll().where('code', '=', code).executeTakeFirst();
  if (!set) throw setNotFound();
  const department = await findDepartmentRef(db, { id: set.department_id });
  if (!department) throw setNotFound();
  await assertCanRecorded(db, p, 'results.publish', scopeOf(department), { actor, target: { type: 'result_set', id: set.code } }, '您无权管理其他部门的结果集');
  return { set, department };
}

const iso = (d: Date | string | null) => (d === null ? null : new Date(d).toISOString());

export function toLoadView(code: string, l: LoadRow, activeLoadId: number | null): ResultLoadView {
  const fileBytes = Number(l.file_bytes);
  const bytesRead = Number(l.bytes_read);
  const done = l.status === 'ready' || l.status === 'failed' || l.status === 'superseded';
  return {
    id: Number(l.id),
    status: l.status,
    statusLabel: LOAD_STATUS_LABELS[l.status],
    active: activeLoadId !== null && Number(l.id) === Number(activeLoadId),
    fileName: l.file_name,
    format: l.format,
    fileBytes,
    bytesRead,
    progressPercent: done ? 100 : fileBytes > 0 ? Math.min(99, Math.floor((bytesRead / fileBytes) * 100)) : 0,
    rowsRead: l.rows_read,
    rowsBad: l.rows_bad,
    message: l.message,
    errorReportUrl: l.error_report_key ? errorReportUrl(code, Number(l.id)) : null,
    createdAt: iso(l.created_at)!,
    startedAt: iso(l.started_at),
    finishedAt: iso(l.finished_at),
  };
}

export function toSetView(set: SetRow, department: { id: number; name: string }, loads: LoadRow[], now = new Date()): ResultSetView {
  const active = set.active_load_id === null ? undefined : loads.find((l) => Number(l.id) === Number(set.active_load_id));
  return {
    code: set.code,
    title: set.title,
    description: set.description,
    department: { id: department.id, name: department.name },
    status: set.status,
    statusLabel: SET_STATUS_LABELS[set.status],
    releaseAt: iso(set.release_at)!,
    released: new Date(set.release_at).getTime() <= now.getTime(),
    rows: active ? active.rows_read : null,
    loadInProgress: loads.some((l) => l.status === 'pending' || l.status === 'loading'),
    columns: set.columns,
    keyColumns: set.key_columns,
    revision: set.revision,
    activeLoadId: set.active_load_id === null ? null : Number(set.active_load_id),
    createdAt: iso(set.created_at)!,
    updatedAt: iso(set.updated_at)!,
    loads: loads.map((l) => toLoadView(set.code, l, set.active_load_id)),
  };
}

/** The latest loads of a set (and always its active one), newest first. */
export async function recentLoads(db: Kysely<DB>, set: SetRow, limit = 20): Promise<LoadRow[]> {
  const loads = await db.selectFrom('result_loads').selectAll().where('set_id', '=', set.id).orderBy('id', 'desc').limit(limit).execute();
  if (set.active_load_id !== null && !loads.some((l) => Number(l.id) === Number(set.active_load_id))) {
    const active = await db.selectFrom('result_loads').selectAll().where('id', '=', set.active_load_id).executeTakeFirst();
    if (active) loads.push(active);
  }
  return loads;
}

export async function getResultSetStatus(db: Kysely<DB>, p: Principal, code: string, actor: AuditActor): Promise<ResultSetView> {
  const { set, department } = await loadSetInScope(db, p, code, actor);
  return toSetView(set, department, await recentLoads(db, set));
}

/** One load of a set, with its progress. */
export async function getResultLoad(db: Kysely<DB>, p: Principal, code: string, loadId: number, actor: AuditActor): Promise<ResultLoadView> {
  const { set } = await loadSetInScope(db, p, code, actor);
  const load = await db.selectFrom('result_loads').selectAll().where('id', '=', loadId).where('set_id', '=', set.id).executeTakeFirst();
  if (!load) throw loadNotFound();
  return toLoadView(set.code, load, set.active_load_id);
}

/** The error report of a failed load (CSV, UTF-8 with BOM), for the department to fix its file. */
export async function readErrorReport(
  deps: Pick<ResultSetDeps, 'db' | 'storage'>,
  p: Principal,
  code: string,
  loadId: number,
  actor: AuditActor,
): Promise<{ fileName: string; bytes: Buffer }> {
  const { set } = await loadSetInScope(deps.db, p, code, actor);
  const load = await deps.db.selectFrom('result_loads').select(['id', 'error_report_key', 'file_name']).where('id', '=', loadId).where('set_id', '=', set.id).executeTakeFirst();
  if (!load) throw loadNotFound();
  if (!load.error_report_key) throw new NotFoundError('这次上传没有错误报告', 'loadId');
  const base = load.file_name.replace(/\.(csv|xlsx)$/i, '');
  return { fileName: `${base}-错误报告.csv`, bytes: await deps.storage.get(load.error_report_key) };
}
