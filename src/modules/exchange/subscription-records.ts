/** What the subscription operations share: the summary a client sees, and reading a client's subscriptions. */
import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { InvalidParameterError } from '../../shared/errors.ts';
import type { ExchangeCaller } from './exchange.types.ts';
import { isBlockedHost } from './webhook-address.ts';

type Db = Kysely<DB> | Transaction<DB>;

export interface SubscriptionSummary {
  id: number;
  resourceCode: string;
  url: string;
  status: 'active' | 'cancelled';
  grantId: number;
  cursorEvent: number;
  attempts: number;
  nextAttemptAt: Date;
  lastError: string | null;
  createdAt: Date;
}

/** The caller's subscriptions (those under its own grants), joined with the resource code. */
export function selectOwnSubscriptions(db: Db, caller: ExchangeCaller) {
  return db
    .selectFrom('data_subscriptions as s')
    .innerJoin('share_grants as g', 'g.id', 's.grant_id')
    .innerJoin('data_resources as r', 'r.id', 's.resource_id')
    .select(['s.id', 'r.code', 's.url', 's.status', 's.grant_id', 's.cursor_event', 's.attempts', 's.next_attempt_at', 's.last_error', 's.created_at'])
    .where('g.consumer_department_id', '=', caller.departmentId)
    .where((eb) => (caller.clientId === null ? eb('g.client_id', 'is', null) : eb('g.client_id', '=', caller.clientId)));
}

type Row = Awaited<ReturnType<ReturnType<typeof selectOwnSubscriptions>['executeTakeFirstOrThrow']>>;

export function toSubscription(r: Row): SubscriptionSummary {
  return {
    id: r.id,
    resourceCode: r.code,
    url: r.url,
    status: r.status,
    grantId: r.grant_id,
    cursorEvent: Number(r.cursor_event),
    attempts: r.attempts,
    nextAttemptAt: new Date(r.next_attempt_at),
    lastError: r.last_error,
    createdAt: new Date(r.created_at),
  };
}

/**
 * A webhook address: https to a public host — not an IP literal of this machine or an internal network, nor
 * localhost (webhook-address.ts; the addresses a name resolves to are checked before each delivery). With
 * `allowPrivate` (config.webhookAllowPrivate: tests, local development) internal addresses are allowed, and plain
 * http to this machine (127.0.0.1, localhost, ::1). No credentials in the URL, no fragment.
 */
export function checkWebhookUrl(v: string, allowPrivate: boolean): string {
  const s = v.trim();
  let u: URL;
  try {
    u = new URL(s);
  } catch {
    throw new InvalidParameterError('url', '推送地址格式不正确');
  }
  const local = ['127.0.0.1', 'localhost', '[::1]'].includes(u.hostname);
  if (u.protocol !== 'https:' && !(allowPrivate && u.protocol === 'http:' && local)) throw new InvalidParameterError('url', '推送地址须为 https 地址');
  if (!allowPrivate && isBlockedHost(u)) throw new InvalidParameterError('url', '推送地址不能指向本机或内部网络地址（内网、回环、链路本地地址等）');
  if (u.username || u.password) throw new InvalidParameterError('url', '推送地址中不能包含用户名或密码');
  if (u.hash) throw new InvalidParameterError('url', '推送地址中不能包含 # 片段');
  if (s.length > 2000) throw new InvalidParameterError('url', '推送地址过长');
  return u.toString();
}
