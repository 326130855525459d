/** 变更订阅列表: the caller's subscriptions (under its own grants), newest first. */
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';
import type { ExchangeCaller } from './exchange.types.ts';
import { selectOwnSubscriptions, toSubscription, type SubscriptionSummary } from './subscription-records.ts';

export async function listSubscriptions(db: Kysely<DB>, caller: ExchangeCaller): Promise<SubscriptionSummary[]> {
  const rows = await selectOwnSubscriptions(db, caller).orderBy('s.id', 'desc').limit(200).execute();
  return rows.map(toSubscription);
}
