/**
 * The message adapter's copy of each notification (短信提醒): sent by a background job, never inside the
 * transaction that made the notification. At least once, never lost, never sent by two servers at the same time:
 *
 * 1. Claim: a short transaction takes a batch of due rows (sms_state 'pending', not leased, past their backoff)
 *    under FOR UPDATE SKIP LOCKED, counts the attempt (sms_attempts + 1) and leases them (sms_lease_until) for
 *    LEASE_MS. The rows stay 'pending': nothing is marked sent before the adapter has taken it.
 * 2. Send: after the claim commits (no transaction is held while the adapter is called), each row is handed to
 *    the adapter; then it is marked 'sent'. A send that throws keeps its error (sms_last_error) and is tried again
 *    after 30 s · 2^(attempts−1) (30 s, 1 min, 2 min, 4 min); the MAX_ATTEMPTS-th failure marks it 'failed'.
 *    Rows the run has not reached when its lease is nearly over are handed back, attempt uncounted.
 * 3. A server that stops between claim and result (a crash, a lost connection) leaves its rows leased; when the
 *    lease runs out another run claims them again and sends them again. So a message may be sent twice (the
 *    adapter took it but 'sent' was never written), never lost: at-least-once. A row whose last allowed attempt
 *    left no result is marked 'failed' when found, so a message that crashes its sender is not tried for ever.
 *
 * Only the claim's own result is written back on a failure (the update is fenced by sms_attempts), so a run that
 * stalled past its lease cannot undo a newer claim.
 */
import { sql, type Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';
import type { MessageSender } from '../identity/messages/message-sender.ts';

export const MAX_ATTEMPTS = 5;
/** How long a claimed batch is held: well above a batch of sends (the webhook adapter gives up after 10 s each). */
export const LEASE_MS = 10 * 60_000;
/** A run stops sending this long before its lease runs out, and hands the rest back. */
const LEASE_MARGIN_MS = 60_000;
const ERROR_CHARS = 1000;

/** The wait after the `attempts`-th failed attempt: 30 s, 1 min, 2 min … at most an hour. */
export function smsBackoffSeconds(attempts: number): number {
  return Math.min(3600, 30 * 2 ** Math.max(0, attempts - 1));
}

interface Claimed {
  id: number;
  title: string;
  body: string;
  mobile: string;
  attempts: number; // this attempt's number: the fence of its result
}

export async function sendNotificationMessages(
  db: Kysely<DB>,
  sender: MessageSender,
  batch = 100,
  o: { leaseMs?: number } = {},
): Promise<{ sent: number; failed: number }> {
  const leaseMs = o.leaseMs ?? LEASE_MS;
  const started = Date.now();
  const claimed = await claim(db, batch, leaseMs);
  const stopAt = started + Math.max(leaseMs / 2, leaseMs - LEASE_MARGIN_MS);
  let sent = 0;
  let failed = 0;
  for (let i = 0; i < claimed.length; i++) {
    const r = claimed[i]!;
    if (Date.now() >= stopAt) {
      await release(db, claimed.slice(i));
      break;
    }
    try {
      await sender.send({ channel: 'sms', to: r.mobile, text: `【一网通办】${r.title}：${r.body}` });
    } catch (err) {
      failed++;
      const last = r.attempts >= MAX_ATTEMPTS;
      await db
        .updateTable('notifications')
        .set({
          sms_state: last ? 'failed' : 'pending',
          sms_lease_until: null,
          sms_next_attempt_at: last ? null : sql<Date>`now() + ${`${smsBackoffSeconds(r.attempts)} seconds`}::interval`,
          sms_last_error: errorText(err),
        })
        .where('id', '=', r.id)
        .where('sms_state', '=', 'pending')
        .where('sms_attempts', '=', r.attempts)
        .execute();
      continue;
    }
    // the adapter has it: sent (also when a later claim took the row after this run's lease ran out)
    await db.updateTable('notifications').set({ sms_state: 'sent', sms_lease_until: null, sms_next_attempt_at: null, sms_last_error: null }).where('id', '=', r.id).execute();
    sent++;
  }
  return { sent, failed };
}

/** Due rows, leased to this run: those without a mobile number need no SMS, those out of attempts have failed. */
async function claim(db: Kysely<DB>, batch: number, leaseMs: number): Promise<Claimed[]> {
  return db.transaction().execute(async (trx) => {
    const rows = await trx
      .selectFrom('notifications as n')
      .innerJoin('accounts as a', 'a.id', 'n.account_id')
      .select(['n.id', 'n.title', 'n.body', 'n.sms_attempts', 'a.mobile'])
      .where('n.sms_state', '=', 'pending')
      .where((eb) => eb.or([eb('n.sms_lease_until', 'is', null), eb('n.sms_lease_until', '<=', sql<Date>`now()`)]))
      .where((eb) => eb.or([eb('n.sms_next_attempt_at', 'is', null), eb('n.sms_next_attempt_at', '<=', sql<Date>`now()`)]))
      .orderBy('n.id')
      .limit(batch)
      .forUpdate('n')
      .skipLocked()
      .execute();
    const none = rows.filter((r) => !r.mobile).map((r) => r.id);
    const spent = rows.filter((r) => r.mobile && r.sms_attempts >= MAX_ATTEMPTS).map((r) => r.id);
    const due = rows.filter((r) => r.mobile && r.sms_attempts < MAX_ATTEMPTS);
    if (none.length) await trx.updateTable('notifications').set({ sms_state: 'none', sms_lease_until: null }).where('id', 'in', none).execute();
    if (spent.length) {
      await trx
        .updateTable('notifications')
        .set({ sms_state: 'failed', sms_lease_until: null, sms_last_error: 'the last attempt left no result before its lease ran out' })
        .where('id', 'in', spent)
        .execute();
    }
    if (due.length) {
      await trx
        .updateTable('notifications')
        .set({ sms_attempts: sql`sms_attempts + 1`, sms_lease_until: sql<Date>`now() + ${`${Math.max(1, Math.round(leaseMs))} milliseconds`}::interval` })
        .where('id', 'in', due.map((r) => r.id))
        .execute();
    }
    return due.map((r) => ({ id: r.id, title: r.title, body: r.body, mobile: r.mobile!, attempts: r.sms_attempts + 1 }));
  });
}

/** Hands rows back unsent (their attempt uncounted), for the next run. */
async function release(db: Kysely<DB>, rows: Claimed[]): Promise<void> {
  for (const r of rows) {
    await db
      .updateTable('notifications')
      .set({ sms_attempts: r.attempts - 1, sms_lease_until: null })
      .where('id', '=', r.id)
      .where('sms_state', '=', 'pending')
      .where('sms_attempts', '=', r.attempts)
      .execute();
  }
}

function errorText(err: unknown): string {
  const s = err instanceof Error ? err.message || err.name : String(err);
  return s.slice(0, ERROR_CHARS);
}
