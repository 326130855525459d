/**
 * 订阅数据变更: a consumer with a grant in force on a resource subscribes a webhook address to its changes.
 * The signing secret is returned once (kept to sign deliveries). Deliveries start with the changes made from
 * now on. Audited (`exchange.subscribed`) in the same transaction; a caller without a grant is refused and
 * that is recorded (`exchange.refused`).
 */
import { sql } from 'kysely';
import type { AppContext } from '../../http/context.ts';
import { recordAuditEvent } from '../audit/record-audit-event.ts';
import { randomToken } from '../../shared/tokens.ts';
import { AppError } from '../../shared/errors.ts';
import { evidenceActor, grantsForCall, newRequestId } from './exchange-call.ts';
import type { ExchangeCaller } from './exchange.types.ts';
import { checkWebhookUrl, selectOwnSubscriptions, toSubscription, type SubscriptionSummary } from './subscription-records.ts';

/** Subscriptions per grant at most. */
const MAX_PER_GRANT = 10;

export async function createSubscription(ctx: AppContext, caller: ExchangeCaller, input: { resourceCode: string; url: string }): Promise<SubscriptionSummary & { secret: string }> {
  const url = checkWebhookUrl(input.url, ctx.config.webhookAllowPrivate);
  const code = input.resourceCode;
  const requestId = newRequestId(caller.actor.requestId ?? undefined);
  const refusal = { resourceCode: code, requestId, method: 'query' as const, purpose: '订阅数据变更', caseRef: '-' };
  const { resource: r0, live } = await grantsForCall(ctx, caller, code, refusal, undefined);
  const grant = live[0]!;
  const secret = randomToken();

  const id = await ctx.db.transaction().execute(async (trx) => {
    const n = await trx.selectFrom('data_subscriptions').select(sql<number>`count(*)`.as('n')).where('grant_id', '=', grant.id).where('status', '=', 'active').executeTakeFirstOrThrow();
    if (Number(n.n) >= MAX_PER_GRANT) throw new AppError('CONFLICT', `同一共享授权最多订阅 ${MAX_PER_GRANT} 个推送地址，请先取消不用的订阅`, 'url');
    // from now on: the changes already recorded are not sent
    const last = await trx.selectFrom('data_change_events').select(sql<number | null>`max(id)`.as('id')).where('resource_id', '=', r0.resource_id).executeTakeFirst();
    const s = await trx
      .insertInto('data_subscriptions')
      .values({ grant_id: grant.id, resource_id: r0.resource_id, url, secret, cursor_event: Number(last?.id ?? 0), created_by: null })
      .returning('id')
      .executeTakeFirstOrThrow();
    await recordAuditEvent(trx, {
      action: 'exchange.subscribed',
      actor: evidenceActor(caller, requestId),
      target: { type: 'data_subscription', id: String(s.id) },
      details: { status: 'active', resource: code, grantId: grant.id, url, ...(caller.clientId ? { client: caller.clientId } : {}) },
    });
    return s.id;
  });
  const row = await selectOwnSubscriptions(ctx.db, caller).where('s.id', '=', id).executeTakeFirstOrThrow();
  return { ...toSubscription(row), secret };
}
