/**
 * 修改结果集: title, description, labels and release time may change at any time; the structure (column keys,
 * types, required flags, order and key columns) only while the set is a draft and no upload is being checked —
 * loaded rows were validated, stored and hashed by that structure. Changing the structure of a draft that has
 * rows retires those rows (the load becomes 'superseded'): the department uploads again.
 *
 * Release time: moving a published, not yet released set to a time already past would lift the embargo at once;
 * that needs `confirmImmediateRelease` (a checkbox on the page), never happens by a typo. Every change bumps the
 * revision, so every server's memory of the set follows. One transaction, on the row locked FOR UPDATE.
 */
import type { Updateable } from 'kysely';
import type { ResultSetTable } from '../../db/schema.ts';
import type { Principal } from '../access/principal.ts';
import type { AuditActor } from '../audit/audit.types.ts';
import { recordAuditEvent } from '../audit/record-audit-event.ts';
import { AppError } from '../../shared/errors.ts';
import { loadSetInScope, recentLoads, toSetView } from './get-result-set-status.ts';
import { deleteLoadRows, refreshQuietly } from './process-result-loads.ts';
import type { ResultSetChange, ResultSetDeps, ResultSetView } from './result-sets.types.ts';
import { checkColumns, checkDescription, checkReleaseAt, checkTitle, sameDefinition, throwIfProblems, type FieldProblem } from './validate-result-set.ts';

export async function updateResultSet(deps: ResultSetDeps, p: Principal, code: string, change: ResultSetChange, actor: AuditActor): Promise<ResultSetView> {
  const { set: seen, department } = await loadSetInScope(deps.db, p, code, actor);
  const problems: FieldProblem[] = [];
  const title = change.title === undefined ? undefined : checkTitle(change.title, problems);
  const description = change.description === undefined ? undefined : checkDescription(change.description, problems);
  const definition =
    change.columns === undefined && change.keyColumns === undefined
      ? undefined
      : checkColumns(change.columns ?? seen.columns, change.keyColumns ?? seen.key_columns, problems);
  const releaseAt = change.releaseAt === undefined ? undefined : checkReleaseAt(change.releaseAt, problems);
  throwIfProblems(problems);

  let retired: number | null = null;
  const changed = await deps.db.transaction().execute(async (trx) => {
    const set = await trx.selectFrom('result_sets').selectAll().where('id', '=', seen.id).forUpdate().executeTakeFirstOrThrow();
    if (change.revision !== undefined && change.revision !== set.revision) {
      throw new AppError('CONFLICT', '该结果集已被修改（可能有上传的数据刚刚导入完成），请刷新页面后重新修改', 'revision');
    }
    const now = new Date();
    const changes: Record<string, unknown> = {};
    const values: Updateable<ResultSetTable> = {};
    if (title !== undefined && title !== set.title) {
      changes.title = { from: set.title, to: title };
      values.title = title;
    }
    if (description !== undefined && description !== set.description) {
      changes.description = true;
      values.description = description;
    }
    if (definition && !sameDefinition(definition, { columns: set.columns, keyColumns: set.key_columns })) {
      if (!sameDefinition(definition, { columns: set.columns, keyColumns: set.key_columns }, { labels: false })) {
        if (set.status !== 'draft') {
          throw new AppError('CONFLICT', '已发布或撤回的结果集只能修改列名，不能增删列、改类型或关键字段；如需调整请新建结果集', 'columns');
        }
        const running = await trx.selectFrom('result_loads').select('id').where('set_id', '=', set.id).where('status', 'in', ['pending', 'loading']).executeTakeFirst();
        if (running) throw new AppError('CONFLICT', '有文件正在校验导入，完成后才能修改列定义', 'columns');
        if (set.active_load_id !== null) {
          retired = Number(set.active_load_id);
          await trx
            .updateTable('result_loads')
            .set({ status: 'superseded', message: '列定义已修改，此前导入的数据作废，请重新上传', heartbeat_at: new Date() })
            .where('id', '=', retired)
            .execute();
          values.active_load_id = null;
          changes.retiredLoadId = retired;
        }
      }
      changes.columns = definition.columns.map((c) => `${c.key}:${c.label}:${c.type}${c.required ? ':required' : ''}`);
      changes.keyColumns = definition.keyColumns;
      values.columns = JSON.stringify(definition.columns);
      values.key_columns = JSON.stringify(definition.keyColumns);
    }
    if (releaseAt !== undefined && releaseAt.getTime() !== new Date(set.release_at).getTime()) {
      const wasEmbargoed = new Date(set.release_at).getTime() > now.getTime();
      if (set.status === 'published' && wasEmbargoed && releaseAt.getTime() <= now.getTime() && change.confirmImmediateRelease !== true) {
        throw new AppError('CONFLICT', '新的发布时间已过：保存后立即可以查询。如确认提前发布，请勾选“确认立即开放查询”后再保存', 'releaseAt');
      }
      changes.releaseAt = { from: new Date(set.release_at).toISOString(), to: releaseAt.toISOString() };
      values.release_at = releaseAt;
    }
    if (!Object.keys(changes).length) return false;
    await trx
      .updateTable('result_sets')
      .set({ ...values, revision: set.revision + 1, updated_at: now })
      .where('id', '=', set.id)
      .execute();
    await recordAuditEvent(trx, { action: 'result_set.saved', actor, target: { type: 'result_set', id: set.code }, details: { setId: set.id, changes } });
    return true;
  });
  if (changed) {
    await refreshQuietly(deps);
    if (retired !== null) await deleteLoadRows(deps.db, retired);
  }
  const set = await deps.db.selectFrom('result_sets').selectAll().where('id', '=', seen.id).executeTakeFirstOrThrow();
  return toSetView(set, department, await recentLoads(deps.db, set));
}
