import type { Kysely } from 'kysely';
import { runScript } from '../sql-script.ts';

/**
 * Cheaper evidence writes. Every audited change, and every exchange call, inserts an audit event and its access
 * subjects; a b-tree on a random key (a SHA-256) dirties a random page per insert. Two such indexes served no
 * query:
 * - `audit_events.hash` was UNIQUE. The chain is checked by walking seq (each row's hash recomputed, each
 *   prev_hash equal to the hash before it), which finds a copied or altered row without it; no query looks an
 *   event up by its hash.
 * - `data_access_subjects` was keyed (subject, seq). The one query (a person's access log) asks for one subject's
 *   events; a hash index on the subject serves it, and a batch writes each subject of an event once (the writers
 *   de-duplicate), so the pair needs no unique check.
 * Measured on copies of the benchmark's tables (1,000,000 events): about 95 µs of PostgreSQL per chained event
 * with the subject before, about 70 after.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await runScript(
    db,
    `ALTER TABLE audit_events DROP CONSTRAINT audit_events_hash_key;
     ALTER TABLE data_access_subjects DROP CONSTRAINT data_access_subjects_pkey;
     CREATE INDEX data_access_subjects_subject ON data_access_subjects USING hash (subject);`,
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
