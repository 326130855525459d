/**
 * 发布结果集: a draft (or a withdrawn set, once corrected) becomes published. It needs loaded rows (an active
 * load); queries start at its release time. Publishing with a release time already past opens queries at once,
 * which is right for a correction or a re-publication — but only when the caller says so
 * (`confirmImmediateRelease`); otherwise 409, so a stale date never lifts an embargo by accident.
 * One transaction with the `result_set.published` event; the revision moves, so every server follows.
 */
import type { Principal } from '../access/principal.ts';
import type { AuditActor } from '../audit/audit.types.ts';
import { recordAuditEvent } from '../audit/record-audit-event.ts';
import { AppError } from '../../shared/errors.ts';
import { loadSetInScope, recentLoads, toSetView } from './get-result-set-status.ts';
import { refreshQuietly } from './process-result-loads.ts';
import type { ResultSetDeps, ResultSetView } from './result-sets.types.ts';

export async function publishResultSet(
  deps: ResultSetDeps,
  p: Principal,
  code: string,
  o: { confirmImmediateRelease?: boolean },
  actor: AuditActor,
): Promise<ResultSetView> {
  const { set: seen, department } = await loadSetInScope(deps.db, p, code, actor);
  await deps.db.transaction().execute(async (trx) => {
    const set = await trx.selectFrom('result_sets').selectAll().where('id', '=', seen.id).forUpdate().executeTakeFirstOrThrow();
    if (set.status === 'published') throw new AppError('CONFLICT', '该结果集已发布', 'status');
    if (set.active_load_id === null) throw new AppError('CONFLICT', '还没有校验通过的数据：请先上传结果文件，导入完成后再发布', 'file');
    const now = new Date();
    const releaseAt = new Date(set.release_at);
    if (releaseAt.getTime() <= now.getTime() && o.confirmImmediateRelease !== true) {
      throw new AppError('CONFLICT', '发布时间已过：发布后立即可以查询。如确认立即开放查询，请勾选“确认立即开放查询”后再发布；否则请先修改发布时间', 'releaseAt');
    }
    await trx
      .updateTable('result_sets')
      .set({ status: 'published', revision: set.revision + 1, updated_at: now })
      .where('id', '=', set.id)
      .execute();
    const load = await trx.selectFrom('result_loads').select('rows_read').where('id', '=', set.active_load_id).executeTakeFirst();
    await recordAuditEvent(trx, {
      action: 'result_set.published',
      actor,
      target: { type: 'result_set', id: set.code },
      details: { setId: set.id, from: set.status, loadId: Number(set.active_load_id), rows: load?.rows_read ?? null, releaseAt: releaseAt.toISOString(), immediate: releaseAt.getTime() <= now.getTime() },
    });
  });
  await refreshQuietly(deps);
  const set = await deps.db.selectFrom('result_sets').selectAll().where('id', '=', seen.id).executeTakeFirstOrThrow();
  return toSetView(set, department, await recentLoads(deps.db, set));
}
