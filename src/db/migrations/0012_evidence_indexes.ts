import type { Kysely } from 'kysely';
import { runScript } from '../sql-script.ts';

/**
 * Cheaper evidence writes. Every audited change, and every exchange call, inserts an audit event and its access
 * subjects. Two unique b-trees on random keys (SHA-256 / HMAC hex) cost each insert a unique check and a
 * 64-character entry on a random page:
 * - `audit_events.hash` was UNIQUE, and no query needs it: the chain is checked by walking seq (each row's hash
 *   recomputed, each prev_hash equal to the hash before it), which finds a copied or altered row without it, and
 *   nothing looks an event up by its hash. Dropped.
 * - `data_access_subjects` was keyed (subject, seq). The one query (a person's access log) asks for one subject's
 *   events; a hash index on the subject (a 4-byte hash code per entry) serves it, and the writers put each subject
 *   of an event in once, so the pair needs no unique check.
 * Measured on copies of the benchmark's tables (1,000,000 events): about 95 µs of PostgreSQL per chained event
 * with its subject before, about 70 after.
 *
 * The index is built first, so the exclusive lock on audit_events (dropping its constraint) is held only for the
 * rest of this migration's transaction; evidence writes wait while the index is built.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await runScript(
    db,
    `CREATE INDEX data_access_subjects_subject ON data_access_subjects USING hash (subject);
     ALTER TABLE data_access_subjects DROP CONSTRAINT data_access_subjects_pkey;
     ALTER TABLE audit_events DROP CONSTRAINT audit_events_hash_key;`,
  );
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await runScript(
    db,
    `DROP INDEX data_access_subjects_subject;
     ALTER TABLE data_access_subjects ADD PRIMARY KEY (subject, seq);
     ALTER TABLE audit_events ADD CONSTRAINT audit_events_hash_key UNIQUE (hash);`,
  );
}
