/**
 * 撤回结果集: a published set stops answering at once (this server refreshes its memory now; the others see the
 * revision move on their next poll). The rows stay, so the set can be corrected (a new upload) and published
 * again. One transaction with the `result_set.withdrawn` event, which keeps the reason.
 */
import type { Principal } from '../access/principal.ts';
import type { AuditActor } from '../audit/audit.types.ts';
import { recordAuditEvent } from '../audit/record-audit-event.ts';
import { AppError, InvalidParameterError } from '../../shared/errors.ts';
import { loadSetInScope, recentLoads, toSetView } from './get-result-set-status.ts';
import { refreshQuietly } from './process-result-loads.ts';
import type { ResultSetDeps, ResultSetView } from './result-sets.types.ts';

export async function withdrawResultSet(deps: ResultSetDeps, p: Principal, code: string, o: { reason?: string }, actor: AuditActor): Promise<ResultSetView> {
  const reason = (o.reason ?? '').trim();
  if ([...reason].length > 500) throw new InvalidParameterError('reason', '撤回原因不能超过 500 个字');
  const { set: seen, department } = await loadSetInScope(deps.db, p, code, actor);
  await deps.db.transaction().execute(async (trx) => {
    const set = await trx.selectFrom('result_sets').selectAll().where('id', '=', seen.id).forUpdate().executeTakeFirstOrThrow();
    if (set.status !== 'published') throw new AppError('CONFLICT', '只有已发布的结果集可以撤回', 'status');
    await trx
      .updateTable('result_sets')
      .set({ status: 'withdrawn', revision: set.revision + 1, updated_at: new Date() })
      .where('id', '=', set.id)
      .execute();
    await recordAuditEvent(trx, { action: 'result_set.withdrawn', actor, target: { type: 'result_set', id: set.code }, details: { setId: set.id, reason: reason || null } });
  });
  await refreshQuietly(deps);
  const set = await deps.db.selectFrom('result_sets').selectAll().where('id', '=', seen.id).executeTakeFirstOrThrow();
  return toSetView(set, department, await recentLoads(deps.db, set));
}
