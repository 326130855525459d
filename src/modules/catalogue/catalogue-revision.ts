import { sql, type Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';

/** Bumped in the same transaction as any publication; each app server polls it to refresh what it derives. */
export async function bumpCatalogueRevision(db: Kysely<DB>): Promise<number> {
  const row = await db
    .updateTable('catalogue_revision')
    .set({ revision: sql`revision + 1`, updated_at: sql`now()` })
    .where('id', '=', 1)
    .returning('revision')
    .executeTakeFirstOrThrow();
  return Number(row.revision);
}

export async function readCatalogueRevision(db: Kysely<DB>): Promise<number> {
  const row = await db.selectFrom('catalogue_revision').select('revision').where('id', '=', 1).executeTakeFirstOrThrow();
  return Number(row.revision);
}
