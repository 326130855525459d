/**
 * 取消变更订阅: the caller cancels one of its own subscriptions; nothing more is delivered. Audited
 * (`exchange.subscribed` with details.status 'cancelled'). Another consumer's subscription is "not found".
 */
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { recordAuditEvent } from '../audit/record-audit-event.ts';
import { NotFoundError } from '../../shared/errors.ts';
import { evidenceActor, newRequestId } from './exchange-call.ts';
import type { ExchangeCaller } from './exchange.types.ts';
import { selectOwnSubscriptions, toSubscription, type SubscriptionSummary } from './subscription-records.ts';

export async function cancelSubscription(db: Kysely<DB>, caller: ExchangeCaller, id: number): Promise<SubscriptionSummary> {
  return db.transaction().execute(async (trx) => {
    const row = await selectOwnSubscriptions(trx, caller).where('s.id', '=', id).forUpdate('s').executeTakeFirst();
    if (!row) throw new NotFoundError('未找到该订阅', 'id');
    if (row.status === 'cancelled') return toSubscription(row);
    await trx.updateTable('data_subscriptions').set({ status: 'cancelled', lease_until: null }).where('id', '=', id).execute();
    await recordAuditEvent(trx, {
      action: 'exchange.subscribed',
      actor: evidenceActor(caller, newRequestId(caller.actor.requestId ?? undefined)),
      target: { type: 'data_subscription', id: String(id) },
      details: { status: 'cancelled', resource: row.code, grantId: row.grant_id },
    });
    return { ...toSubscription(row), status: 'cancelled' };
  });
}
