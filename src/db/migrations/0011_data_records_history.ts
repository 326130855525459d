import type { Kysely } from 'kysely';
import { runScript } from '../sql-script.ts';

/**
 * The records a version closed (removed_in set), by key: what a change webhook sends for a delete (the record as
 * it was) and for an upsert a later version has already replaced. Only closed rows are indexed, so a first load
 * (all rows open) writes no entry here; the records in force keep their own partial unique index.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await runScript(db, `CREATE INDEX data_records_history ON data_records (resource_id, record_key, added_in) WHERE removed_in IS NOT NULL;`);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await runScript(db, 'DROP INDEX data_records_history;');
}
