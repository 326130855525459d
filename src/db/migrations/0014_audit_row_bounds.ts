import type { Kysely } from 'kysely';
import { runScript } from '../sql-script.ts';

/**
 * Two rules every audit event row keeps, as CHECK constraints, so a row breaking them cannot be written:
 * - `seq > 0`: the chain is seq 1..audit_chain_head.last_seq. A row numbered 0 or below stands outside the walk
 *   that checks the chain, yet audit search and a person's access log would show it.
 * - `at` holds whole milliseconds: the hash covers `at` as ISO 8601 to the millisecond, and every writer
 *   (chainAuditEvents, through recordAuditEvents or the exchange evidence writer) stamps millisecond times; a
 *   sub-millisecond part is a change the hash cannot see.
 *
 * Both are added NOT VALID: enforced on every row inserted or updated from now on, without scanning the rows
 * already there. Validating them here would not shorten any lock: Kysely runs all pending migrations in one
 * transaction, so the ACCESS EXCLUSIVE lock this ALTER takes would be held through the scan; and a row already
 * breaking a rule would fail the migration, so neither the server nor `yiwang audit verify` (which migrates
 * first) could start to report it. `yiwang audit verify` checks both rules on every row already written; an
 * operator may mark the constraints validated later, in its own transaction (ALTER TABLE audit_events VALIDATE
 * CONSTRAINT …, which lets writes go on while it scans).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await runScript(
    db,
    `ALTER TABLE audit_events ADD CONSTRAINT audit_events_seq_positive CHECK (seq > 0) NOT VALID;
     ALTER TABLE audit_events ADD CONSTRAINT audit_events_at_milliseconds CHECK (at = date_trunc('milliseconds', at)) NOT VALID;`,
  );
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await runScript(
    db,
    `ALTER TABLE audit_events DROP CONSTRAINT audit_events_at_milliseconds;
     ALTER TABLE audit_events DROP CONSTRAINT audit_events_seq_positive;`,
  );
}
