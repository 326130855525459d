/**
 * 变更推送: delivers the changes of shared resources to their subscribers as signed webhooks — per
 * subscription, in event-id order (so in order per record), up to 100 events a POST, at least once.
 *
 * A run claims due subscriptions with a lease (lease_until, FOR UPDATE SKIP LOCKED), so several servers never
 * deliver the same one at once, and for each:
 * - checks its grant is still in force (and the resource still shared); if not, the subscription is stopped
 *   (cancelled, with the reason) and nothing is sent;
 * - reads the next events after its cursor and, for each, the record at the event's version — only the
 *   granted items, masked per grant; null for a delete; events of records outside the grant's row filter are
 *   skipped (the consumer may not see them);
 * - gives each event the record's `ref` — opaque, the same for every event of a record under this grant (to order
 *   and deduplicate by), unlinkable across grants — and its `key` only as the grant shows the key item: in clear
 *   when granted in clear, masked when granted masked, left out when not granted (for population data the key is
 *   the 公民身份号码);
 * - refuses to send to an address of this machine or the internal network (the host name resolved before each
 *   delivery, webhook-address.ts): a failed attempt, nothing POSTed;
 * - POSTs {subscription, resource, events:[{id, version, ref, key?, op, record}]} with
 *   `X-Yiwang-Signature: t=<unix>,v1=<hex HMAC-SHA-256(secret, t + '.' + body)>` and `X-Yiwang-Delivery: <uuid>`;
 * - on a 2xx within config.webhookTimeoutMs: advances the cursor and records `exchange.changes_delivered`
 *   (with the subjects of the records delivered — deletes too — in data_access_subjects) in one transaction;
 *   otherwise counts the attempt and waits 10 s · 2^(attempts−1) — 10 s, 20 s, 40 s … at most an hour — before
 *   trying the same events again.
 * No transaction is held while the endpoint is called.
 */
import { createHmac, randomUUID } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import type { AppContext } from '../../http/context.ts';
import type { DB, RowFilter } from '../../db/schema.ts';
import { SYSTEM_ACTOR } from '../audit/audit.types.ts';
import { recordAuditEvent } from '../audit/record-audit-event.ts';
import { accessSubjectKey, subjectHash } from './access-subject.ts';
import { passesRowFilter } from './exchange-call.ts';
import { maskValue, projectRecord } from './masking.ts';
import { resourceMeta, subjectIdentifier } from './resource-meta.ts';
import { BLOCKED_MESSAGE, isBlockedConnection, pinnedFetch, webhookAddressProblem, type Lookup } from './webhook-address.ts';

export const EVENTS_PER_DELIVERY = 100;
const SUBSCRIPTIONS_PER_RUN = 20;

/** The wait after `attempts` failed attempts in a row: 10 s, 20 s, 40 s … at most one hour. */
export function backoffSeconds(attempts: number): number {
  return Math.min(3600, 10 * 2 ** Math.max(0, attempts - 1));
}

/** The signature header of a body sent at unix time `t`. */
export function signatureHeader(secret: string, t: number, body: string): string {
  return `t=${t},v1=${createHmac('sha256', secret).update(`${t}.${body}`, 'utf8').digest('hex')}`;
}

/**
 * A record's reference in the events of one grant: HMAC-SHA-256 (the platform's access_subject key) of the grant,
 * the resource and the record's key, first 128 bits, base64url. Stable per record, so events can be ordered and
 * deduplicated by it; it reveals nothing of the key, and another grant's reference of the same record differs.
 */
export function recordRef(hmacKey: string, grantId: number, resourceId: number, recordKey: string): string {
  return createHmac('sha256', hmacKey).update(`webhook-ref\u001f${grantId}\u001f${resourceId}\u001f${recordKey}`, 'utf8').digest().subarray(0, 16).toString('base64url');
}

/** One event as sent: `key` only when the grant shows the key item (masked unless in clear). */
export interface WebhookEvent {
  id: number;
  version: number;
  ref: string;
  key?: string;
  op: 'upsert' | 'delete';
  record: Record<string, unknown> | null;
}

interface Claimed {
  id: number;
  grant_id: number;
  resource_id: number;
  url: string;
  secret: string;
  cursor_event: number;
  attempts: number;
}

interface GrantState {
  consumer_department_id: number;
  client_id: string | null;
  items: string[];
  clear_items: string[];
  row_filter: RowFilter | string;
  purpose: string;
  usable: boolean;
  code: string;
  meta_version: number;
}

export interface DeliveryRun {
  delivered: number; // POSTs answered with 2xx
  events: number; // events delivered
  failed: number;
  stopped: number; // subscriptions stopped because their grant no longer holds
}

/** One run of the job: the due subscriptions, each once. */
export async function deliverWebhooks(ctx: AppContext, o: { limit?: number; fetch?: typeof fetch; lookup?: Lookup } = {}): Promise<DeliveryRun> {
  const run: DeliveryRun = { delivered: 0, events: 0, failed: 0, stopped: 0 };
  const leaseMs = ctx.config.webhookTimeoutMs * 2 + 30_000;
  const claimed = await claimDue(ctx.db, o.limit ?? SUBSCRIPTIONS_PER_RUN, leaseMs);
  for (const s of claimed) {
    try {
      await deliverOne(ctx, s, run, o.fetch, o.lookup);
    } finally {
      await ctx.db.updateTable('data_subscriptions').set({ lease_until: null }).where('id', '=', s.id).execute();
    }
  }
  return run;
}

/** Due subscriptions with events after their cursor, leased to this run. */
async function claimDue(db: Kysely<DB>, limit: number, leaseMs: number): Promise<Claimed[]> {
  const { rows } = await sql<Claimed>`
    UPDATE data_subscriptions SET lease_until = now() + ${`${leaseMs} milliseconds`}::interval
     WHERE id IN (
       SELECT s.id FROM data_subscriptions s
        WHERE s.status = 'active' AND s.next_attempt_at <= now() AND (s.lease_until IS NULL OR s.lease_until < now())
          AND EXISTS (SELECT 1 FROM data_change_events e WHERE e.resource_id = s.resource_id AND e.id > s.cursor_event)
        ORDER BY s.next_attempt_at, s.id
        LIMIT ${limit}
        FOR UPDATE SKIP LOCKED)
    RETURNING id, grant_id, resource_id, url, secret, cursor_event, attempts`.execute(db);
  return rows.map((r) => ({ ...r, cursor_event: Number(r.cursor_event) }));
}

async function deliverOne(ctx: AppContext, s: Claimed, run: DeliveryRun, given: typeof fetch | undefined, lookup: Lookup | undefined): Promise<void> {
  const db = ctx.db;
  const { rows: gs } = await sql<GrantState>`
    SELECT g.consumer_department_id, g.client_id, g.items, g.clear_items, g.row_filter, g.purpose,
           (g.status = 'active' AND g.starts_at <= now() AND g.expires_at > now() AND r.status = 'published' AND r.share_type <> 'none') AS usable,
           r.code, r.meta_version
      FROM share_grants g JOIN data_resources r ON r.id = g.resource_id
     WHERE g.id = ${s.grant_id}`.execute(db);
  const g = gs[0];
  if (!g?.usable) {
    // a revoked or expired grant (or a resource no longer shared) stops deliveries for good
    await db.transaction().execute(async (trx) => {
      const r = await trx
        .updateTable('data_subscriptions')
        .set({ status: 'cancelled', last_error: '共享授权已撤销或过期（或资源已停止共享），订阅已停止', lease_until: null })
        .where('id', '=', s.id)
        .where('status', '=', 'active')
        .executeTakeFirst();
      if (Number(r.numUpdatedRows)) {
        await recordAuditEvent(trx, {
          action: 'exchange.subscribed',
          actor: { ...SYSTEM_ACTOR, departmentId: g?.consumer_department_id ?? null },
          target: { type: 'data_subscription', id: String(s.id) },
          details: { status: 'cancelled', reason: 'grant_not_in_force', grantId: s.grant_id, ...(g ? { resource: g.code } : {}) },
        });
      }
    });
    run.stopped++;
    return;
  }
  const meta = await resourceMeta(db, s.resource_id, g.meta_version);
  const rowFilter = (typeof g.row_filter === 'string' ? JSON.parse(g.row_filter) : g.row_filter) as RowFilter;
  const items = g.items.filter((i) => meta.itemKeys.has(i));
  const clear = new Set(g.clear_items);
  // the key as the grant shows its item: not at all, masked, or in clear (as projectRecord would show it)
  const keyMask = meta.masks.get(meta.keyItem);
  const showKey = items.includes(meta.keyItem) ? (key: string): string => (keyMask && !clear.has(meta.keyItem) ? String(maskValue(keyMask, key)) : key) : null;

  // the next events, and each one's record: as of its version (upsert), or as it was when removed (delete)
  const { rows: events } = await sql<{ id: number; version: number; record_key: string; op: 'upsert' | 'delete'; data: Record<string, unknown> | string | null }>`
    SELECT e.id, e.version, e.record_key, e.op,
           CASE WHEN e.op = 'upsert' THEN coalesce(
             -- the record in force, if this version or an earlier one wrote it (the newest row of a key is the open one)
             (SELECT d.data FROM data_records d
               WHERE d.resource_id = e.resource_id AND d.record_key = e.record_key AND d.removed_in IS NULL AND d.added_in <= e.version),
             -- else the row of this version that a later one replaced
             (SELECT d.data FROM data_records d
               WHERE d.resource_id = e.resource_id AND d.record_key = e.record_key AND d.removed_in IS NOT NULL
                 AND d.added_in <= e.version AND d.removed_in > e.version
               ORDER BY d.added_in DESC LIMIT 1))
           ELSE
             -- a delete: the record as this version removed it
             (SELECT d.data FROM data_records d
               WHERE d.resource_id = e.resource_id AND d.record_key = e.record_key AND d.removed_in IS NOT NULL
                 AND d.added_in < e.version AND d.removed_in = e.version
               ORDER BY d.added_in DESC LIMIT 1)
           END AS data
      FROM data_change_events e
     WHERE e.resource_id = ${s.resource_id} AND e.id > ${s.cursor_event}
     ORDER BY e.id
     LIMIT ${EVENTS_PER_DELIVERY}`.execute(db);
  if (!events.length) return;
  const lastId = Number(events.at(-1)!.id);
  const hmacKey = await accessSubjectKey(db);
  const out: WebhookEvent[] = [];
  const subjects: string[] = [];
  for (const e of events) {
    const data = (typeof e.data === 'string' ? JSON.parse(e.data) : e.data) as Record<string, unknown> | null;
    // outside the grant's rows (as far as the record tells): not the consumer's to know
    if (Object.keys(rowFilter).length && (!data || !passesRowFilter(rowFilter, data))) continue;
    out.push({
      id: Number(e.id),
      version: e.version,
      ref: recordRef(hmacKey, s.grant_id, s.resource_id, e.record_key),
      ...(showKey ? { key: showKey(e.record_key) } : {}),
      op: e.op,
      record: e.op === 'delete' || !data ? null : projectRecord(data, items, meta.masks, clear),
    });
    // whose data the consumer learns of: an upsert's record, and a delete's too (that the person's record went)
    subjects.push(subjectHash(hmacKey, subjectIdentifier(meta, e.record_key, data)));
  }

  const deliveryId = randomUUID();
  let error: string | null = null;
  // never to this machine or the internal network, whatever the host name resolves to now
  if (out.length && !ctx.config.webhookAllowPrivate) error = await webhookAddressProblem(s.url, lookup);
  if (out.length && !error) {
    // and the connection goes only to an address that passes the same check, resolved as it connects
    const doFetch = given ?? (ctx.config.webhookAllowPrivate ? fetch : pinnedFetch(lookup));
    const body = JSON.stringify({ subscription: s.id, resource: g.code, events: out });
    const t = Math.floor(Date.now() / 1000);
    try {
      const res = await doFetch(s.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json; charset=utf-8', 'x-yiwang-signature': signatureHeader(s.secret, t, body), 'x-yiwang-delivery': deliveryId, 'user-agent': 'Yiwang-Webhook/1' },
        body,
        redirect: 'manual',
        signal: AbortSignal.timeout(ctx.config.webhookTimeoutMs),
      });
      await res.body?.cancel().catch(() => undefined);
      if (res.status < 200 || res.status > 299) error = `推送地址返回 HTTP ${res.status}`;
    } catch (err) {
      const e = err as Error;
      error =
        e.name === 'TimeoutError'
          ? `推送地址在 ${ctx.config.webhookTimeoutMs} 毫秒内未应答`
          : isBlockedConnection(err)
            ? BLOCKED_MESSAGE
            : `推送失败：${String(e.message ?? e).slice(0, 200)}`;
    }
  }

  if (error) {
    const attempts = s.attempts + 1;
    await db
      .updateTable('data_subscriptions')
      .set({ attempts, last_error: error, next_attempt_at: sql<Date>`now() + ${`${backoffSeconds(attempts)} seconds`}::interval`, lease_until: null })
      .where('id', '=', s.id)
      .where('cursor_event', '=', s.cursor_event)
      .execute();
    run.failed++;
    return;
  }

  await db.transaction().execute(async (trx) => {
    const moved = await trx
      .updateTable('data_subscriptions')
      .set({ cursor_event: lastId, attempts: 0, last_error: null, next_attempt_at: sql<Date>`now()` })
      .where('id', '=', s.id)
      .where('cursor_event', '=', s.cursor_event)
      .executeTakeFirst();
    if (!Number(moved.numUpdatedRows) || !out.length) return; // nothing was sent (all outside the rows): the cursor moves on silently
    const ev = await recordAuditEvent(trx, {
      action: 'exchange.changes_delivered',
      actor: { ...SYSTEM_ACTOR, departmentId: g.consumer_department_id, requestId: deliveryId },
      target: { type: 'data_subscription', id: String(s.id) },
      details: {
        deliveryId,
        resource: g.code,
        grantId: s.grant_id,
        purpose: g.purpose,
        caseRef: `订阅 ${s.id}`,
        from: out[0]!.id,
        to: out.at(-1)!.id,
        count: out.length,
        items,
        subjects,
        ...(g.client_id ? { client: g.client_id } : {}),
      },
    });
    const unique = [...new Set(subjects)];
    if (unique.length) {
      await sql`INSERT INTO data_access_subjects (subject, seq) SELECT s, ${ev.seq}::bigint FROM unnest(${unique}::text[]) AS t(s)`.execute(trx);
    }
  });
  if (out.length) {
    run.delivered++;
    run.events += out.length;
  }
}
