/**
 * 版本回滚: restores the records in force at an earlier data version K as a NEW version N = data_version + 1,
 * in one transaction with the resource row locked — history is never rewritten. Rows in force now but not at K
 * are closed (removed_in = N); rows in force at K but not now are inserted again as copies (added_in = N).
 * The rollback is itself a load (mode 'rollback', rollback_to K, applied at once) with change events when
 * anyone subscribes, and `data_load.rolled_back` as the last write. K must be an earlier applied version of
 * the resource; the current version, a version that does not exist, or a load still running → 4xx.
 */
import { sql } from 'kysely';
import type { Principal } from '../access/principal.ts';
import type { AuditActor } from '../audit/audit.types.ts';
import { recordAuditEvent } from '../audit/record-audit-event.ts';
import { AppError, InvalidParameterError } from '../../shared/errors.ts';
import { hasSubscribers, writeChangeEvents } from './apply-data-load.ts';
import { resourceForLoads, toLoadView, type DataLoadView } from './get-data-load.ts';
import type { DataLoadDeps } from './upload-data-file.ts';

export async function rollbackDataVersion(deps: Pick<DataLoadDeps, 'db'>, p: Principal, code: string, to: number, actor: AuditActor): Promise<DataLoadView> {
  const { resource } = await resourceForLoads(deps.db, p, code, actor);
  if (!Number.isSafeInteger(to) || to < 1) throw new InvalidParameterError('to', '请填写要回滚到的版本号（正整数）');
  const load = await deps.db.transaction().execute(async (trx) => {
    const r = await trx.selectFrom('data_resources').select(['id', 'code', 'data_version', 'record_count']).where('id', '=', resource.id).forUpdate().executeTakeFirstOrThrow();
    if (to === r.data_version) throw new AppError('CONFLICT', `第 ${to} 版就是当前生效的版本，无需回滚`, 'to');
    const target = await trx.selectFrom('data_loads').select('id').where('resource_id', '=', r.id).where('version', '=', to).where('status', '=', 'applied').executeTakeFirst();
    if (!target || to > r.data_version) throw new InvalidParameterError('to', `没有第 ${to} 版数据，请从版本列表中选择`);
    const running = await trx.selectFrom('data_loads').select('id').where('resource_id', '=', r.id).where('status', 'in', ['pending', 'loading']).executeTakeFirst();
    if (running) throw new AppError('CONFLICT', '该资源有数据装载正在排队或进行，请等其完成后再回滚', 'to');
    const version = r.data_version + 1;
    const closed = await sql<{ removed: number; kept: number }>`WITH c AS (
        UPDATE data_records SET removed_in = ${version}::int
         WHERE resource_id = ${r.id} AND removed_in IS NULL AND added_in > ${to}::int
        RETURNING record_key)
      SELECT count(*)::int AS removed FROM c`.execute(trx);
    const removed = Number(closed.rows[0]?.removed ?? 0);
    const back = await sql`INSERT INTO data_records (resource_id, record_key, data, added_in)
      SELECT resource_id, record_key, data, ${version}::int FROM data_records
       WHERE resource_id = ${r.id} AND added_in <= ${to}::int AND removed_in > ${to}::int AND removed_in <> ${version}::int`.execute(trx);
    const restored = Number(back.numAffectedRows ?? 0);
    const replaced = Number(
      (
        await sql<{ n: number }>`SELECT count(*)::int AS n FROM data_records a
          WHERE a.resource_id = ${r.id} AND a.added_in = ${version}::int
            AND EXISTS (SELECT 1 FROM data_records d WHERE d.resource_id = ${r.id} AND d.record_key = a.record_key AND d.removed_in = ${version}::int)`.execute(trx)
      ).rows[0]?.n ?? 0,
    );
    const recordCount = Number(r.record_count) - removed + restored;
    const events = (await hasSubscribers(trx, r.id)) ? await writeChangeEvents(trx, r.id, version) : 0;
    const now = new Date();
    await trx.updateTable('data_resources').set({ data_version: version, record_count: recordCount, updated_at: now }).where('id', '=', r.id).execute();
    const row = await trx
      .insertInto('data_loads')
      .values({
        resource_id: r.id,
        version,
        mode: 'rollback',
        status: 'applied',
        rollback_to: to,
        file_name: '',
        rows_upserted: restored,
        rows_deleted: removed - replaced,
        message: `已回滚到第 ${to} 版的数据，生效为第 ${version} 版：恢复 ${restored} 条，删除 ${removed - replaced} 条记录`,
        created_by: p.kind === 'client' ? null : p.accountId,
        started_at: now,
        finished_at: now,
        heartbeat_at: now,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    await recordAuditEvent(trx, {
      action: 'data_load.rolled_back',
      actor,
      target: { type: 'data_load', id: String(row.id) },
      details: { resourceId: r.id, resourceCode: r.code, from: r.data_version, to, version, restored, deleted: removed - replaced, recordCount, changeEvents: events },
    });
    return row;
  });
  return toLoadView(resource.code, load, load.version!);
}
