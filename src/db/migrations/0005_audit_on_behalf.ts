import type { Kysely } from 'kysely';
import { runScript } from '../sql-script.ts';

/** A person's access log (访问记录) reads the events done on their behalf (代办): index them. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await runScript(db, `CREATE INDEX audit_events_on_behalf_idx ON audit_events (on_behalf_of, seq) WHERE on_behalf_of IS NOT NULL;`);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await runScript(db, 'DROP INDEX audit_events_on_behalf_idx;');
}
