/**
 * 撤销共享授权: the provider (data.share.review over the resource's department) or the consumer
 * (data.share.request over its own department) ends a grant, with a reason. The grant becomes 'revoked' for
 * good (revoked_at / revoked_by / reason, revision + 1 so every cache of it moves) and the exchange refuses it
 * from the next call; share.revoked. Revoking a revoked grant is a 409; an expired grant may still be revoked
 * (it makes the end explicit).
 */
import type { Principal } from '../access/principal.ts';
import { can } from '../access/authorize.ts';
import type { AuditActor } from '../audit/audit.types.ts';
import { recordAuditEvent } from '../audit/record-audit-event.ts';
import { recordDenial } from '../staff/assert-can-recorded.ts';
import { AppError, FieldErrorsError } from '../../shared/errors.ts';
import type { ShareGrantView } from './data-sharing.types.ts';
import type { ShareDeps } from './request-share.ts';
import { checkText, type FieldError } from './share-terms.ts';
import { consumerScope, grantQuery, loadGrantVisible, providerScope, toGrantView, type GrantRow } from './share-views.ts';

export async function revokeShareGrant(deps: ShareDeps, p: Principal, id: number, input: { reason?: string }, actor: AuditActor): Promise<ShareGrantView> {
  const seen = await loadGrantVisible(deps.db, p, id, actor);
  const asProvider = can(p, 'data.share.review', providerScope(seen));
  const asConsumer = can(p, 'data.share.request', consumerScope(seen));
  if (!asProvider && !asConsumer) {
    throw await recordDenial(deps.db, { actor, target: { type: 'share_grant', id: String(seen.id) } }, { reason: 'out_of_scope', departmentId: seen.provider_id }, '只有数据提供部门或使用部门可以撤销该授权');
  }
  const errors: FieldError[] = [];
  const reason = checkText(errors, 'reason', '撤销理由', input.reason);
  if (seen.status === 'revoked') throw new AppError('CONFLICT', '该授权已撤销', 'status');
  if (errors.length) throw new FieldErrorsError(errors);
  await deps.db.transaction().execute(async (trx) => {
    const g = await trx.selectFrom('share_grants').select(['id', 'status', 'revision']).where('id', '=', seen.id).forUpdate().executeTakeFirstOrThrow();
    if (g.status === 'revoked') throw new AppError('CONFLICT', '该授权已撤销', 'status');
    await trx
      .updateTable('share_grants')
      .set({ status: 'revoked', revoked_at: new Date(), revoked_by: p.kind === 'staff' ? p.accountId : null, revoke_reason: reason, revision: g.revision + 1 })
      .where('id', '=', g.id)
      .execute();
    await recordAuditEvent(trx, {
      action: 'share.revoked',
      actor,
      target: { type: 'share_grant', id: String(g.id) },
      details: { grantId: g.id, requestId: seen.request_id, resource: seen.resource_code, consumerDepartmentId: seen.consumer_id, by: asProvider ? 'provider' : 'consumer', reason },
    });
  });
  return toGrantView((await grantQuery(deps.db).where('g.id', '=', seen.id).executeTakeFirstOrThrow()) as GrantRow);
}
