/** The list revision counter (list_revision), bumped by every publication: a server reloads its lists when it moves. */
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';

export async function readListRevision(db: Kysely<DB>): Promise<number> {
  const r = await db.selectFrom('list_revision').select('revision').where('id', '=', 1).executeTakeFirst();
  return Number(r?.revision ?? 0);
}
