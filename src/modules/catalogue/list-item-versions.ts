import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { ItemNotFoundError } from './catalogue.errors.ts';
import type { ItemVersionSummary } from './item-guide.types.ts';

/** Versions of an item. The public sees published and superseded ones; drafts only with includeDrafts. */
export async function listItemVersions(db: Kysely<DB>, code: string, includeDrafts = false): Promise<ItemVersionSummary[]> {
  let q = db
    .selectFrom('impl_item_versions')
    .select(['version', 'status', 'change_note', 'created_at', 'published_at'])
    .where('item_code', '=', code)
    .orderBy('version', 'desc');
  if (!includeDrafts) q = q.where('status', '!=', 'draft');
  const rows = await q.execute();
  if (!rows.length) throw new ItemNotFoundError(code);
  return rows.map((r) => ({
    version: r.version,
    status: r.status,
    changeNote: r.change_note,
    createdAt: r.created_at.toISOString(),
    publishedAt: r.published_at ? r.published_at.toISOString() : null,
  }));
}
