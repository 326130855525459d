/**
 * The message adapter's copy of each notification (短信提醒): sent by a background job, never inside the
 * transaction that made the notification. A short transaction claims a batch under FOR UPDATE SKIP LOCKED
 * (marking it sent), so two servers never send the same message; the sends happen after it commits, and a
 * failed send puts the row back to be retried, up to 5 attempts, then marks it failed.
 */
import { sql, type Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';
import type { MessageSender } from '../identity/messages/message-sender.ts';

const MAX_ATTEMPTS = 5;

export async function sendNotificationMessages(db: Kysely<DB>, sender: MessageSender, batch = 100): Promise<{ sent: number; failed: number }> {
  const claimed = await db.transaction().execute(async (trx) => {
    const rows = await trx
      .selectFrom('notifications as n')
      .innerJoin('accounts as a', 'a.id', 'n.account_id')
      .select(['n.id', 'n.title', 'n.body', 'n.sms_attempts', 'a.mobile'])
      .where('n.sms_state', '=', 'pending')
      .orderBy('n.id')
      .limit(batch)
      .forUpdate('n')
      .skipLocked()
      .execute();
    const none = rows.filter((r) => !r.mobile).map((r) => r.id);
    const some = rows.filter((r) => r.mobile).map((r) => r.id);
    if (none.length) await trx.updateTable('notifications').set({ sms_state: 'none' }).where('id', 'in', none).execute();
    if (some.length) await trx.updateTable('notifications').set({ sms_state: 'sent', sms_attempts: sql`sms_attempts + 1` }).where('id', 'in', some).execute();
    return rows.filter((r) => r.mobile);
  });
  let sent = 0;
  let failed = 0;
  for (const r of claimed) {
    try {
      await sender.send({ channel: 'sms', to: r.mobile!, text: `【一网通办】${r.title}：${r.body}` });
      sent++;
    } catch {
      failed++;
      await db
        .updateTable('notifications')
        .set({ sms_state: r.sms_attempts + 1 >= MAX_ATTEMPTS ? 'failed' : 'pending' })
        .where('id', '=', r.id)
        .execute();
    }
  }
  return { sent, failed };
}
