/**
 * 撤回共享申请: the requesting department (data.share.request over the consumer) withdraws a request still
 * waiting for the provider's answer; share.withdrawn. Anything already answered is a 409.
 */
import type { Principal } from '../access/principal.ts';
import type { AuditActor } from '../audit/audit.types.ts';
import { recordAuditEvent } from '../audit/record-audit-event.ts';
import { assertCanRecorded } from '../staff/assert-can-recorded.ts';
import { AppError, InvalidParameterError } from '../../shared/errors.ts';
import type { ShareRequestView } from './data-sharing.types.ts';
import type { ShareDeps } from './request-share.ts';
import { chars } from './share-terms.ts';
import { consumerScope, loadRequestVisible, requestQuery, toRequestView, type RequestRow } from './share-views.ts';

export async function withdrawShareRequest(deps: ShareDeps, p: Principal, id: number, input: { reason?: string }, actor: AuditActor): Promise<ShareRequestView> {
  const reason = typeof input.reason === 'string' ? input.reason.trim() : '';
  if (chars(reason) > 500) throw new InvalidParameterError('reason', '撤回原因不能超过 500 个字');
  const seen = await loadRequestVisible(deps.db, p, id, actor);
  await assertCanRecorded(deps.db, p, 'data.share.request', consumerScope(seen), { actor, target: { type: 'share_request', id: String(seen.id) } }, '只有申请部门可以撤回该申请');
  await deps.db.transaction().execute(async (trx) => {
    const r = await trx.selectFrom('share_requests').select(['id', 'status']).where('id', '=', seen.id).forUpdate().executeTakeFirstOrThrow();
    if (r.status !== 'pending') throw new AppError('CONFLICT', '只有待答复的申请可以撤回', 'status');
    await trx
      .updateTable('share_requests')
      .set({ status: 'withdrawn', decided_at: new Date(), decided_by: p.kind === 'staff' ? p.accountId : null, reason: reason || null })
      .where('id', '=', r.id)
      .execute();
    await recordAuditEvent(trx, {
      action: 'share.withdrawn',
      actor,
      target: { type: 'share_request', id: String(r.id) },
      details: { requestId: r.id, resource: seen.resource_code, consumerDepartmentId: seen.consumer_id, reason: reason || null },
    });
  });
  return toRequestView((await requestQuery(deps.db).where('r.id', '=', seen.id).executeTakeFirstOrThrow()) as RequestRow);
}
