import type { Kysely } from 'kysely';
import { runScript } from '../sql-script.ts';

/**
 * The SMS copy of a notification is sent at least once (modules/applications/send-notification-messages.ts): a run
 * leases the pending rows it claims instead of marking them sent before the adapter has them, and a failed send
 * waits before it is tried again, its error kept.
 * - sms_lease_until: a server sending the row holds it until then; a lease that ran out (the server stopped) is
 *   claimed again.
 * - sms_next_attempt_at: after a failed attempt, not before then (backoff); NULL = now.
 * - sms_last_error: what the adapter said on the last failed attempt.
 * Nullable without defaults: adding them rewrites nothing.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await runScript(
    db,
    `ALTER TABLE notifications
       ADD COLUMN sms_lease_until timestamptz,
       ADD COLUMN sms_next_attempt_at timestamptz,
       ADD COLUMN sms_last_error text;`,
  );
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await runScript(
    db,
    `ALTER TABLE notifications
       DROP COLUMN sms_lease_until,
       DROP COLUMN sms_next_attempt_at,
       DROP COLUMN sms_last_error;`,
  );
}
