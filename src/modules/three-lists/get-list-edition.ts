/**
 * One edition of a list with all its entries (sorted by key). By default only published and superseded
 * editions are found (what the public may see); the staff side passes `includeDrafts`.
 */
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';
import type { RegionLevel } from '../../shared/codes/region-code.ts';
import { entryOf, iso, type EditionSummary, type EditionWithEntries } from './three-lists.editions.ts';

export async function getEdition(db: Kysely<DB>, id: number, opts: { includeDrafts?: boolean } = {}): Promise<EditionWithEntries | undefined> {
  if (!Number.isSafeInteger(id) || id <= 0 || id > 2_147_483_647) return undefined;
  let q = db
    .selectFrom('list_editions as e')
    .innerJoin('departments as d', 'd.id', 'e.department_id')
    .innerJoin('regions as r', 'r.code', 'd.region_code')
    .selectAll('e')
    .select(['d.name as department_name', 'd.region_code', 'r.level as region_level'])
    .where('e.id', '=', id);
  if (!opts.includeDrafts) q = q.where('e.status', 'in', ['published', 'superseded']);
  const row = await q.executeTakeFirst();
  if (!row) return undefined;
  const entries = await db.selectFrom('list_entries').select('data').where('edition_id', '=', id).orderBy('entry_key').execute();
  return { ...editionSummaryOf(row), regionLevel: row.region_level as RegionLevel, entries: entries.map((e) => entryOf(e.data)) };
}

type EditionRow = {
  id: number;
  list_kind: EditionSummary['kind'];
  department_id: number;
  department_name: string;
  region_code: string;
  status: EditionSummary['status'];
  version: number | null;
  base_version: number | null;
  note: string;
  review_comment: string | null;
  entry_count: number;
  created_at: Date | string;
  updated_at: Date | string;
  submitted_at: Date | string | null;
  published_at: Date | string | null;
};

export function editionSummaryOf(r: EditionRow): EditionSummary {
  return {
    id: r.id,
    kind: r.list_kind,
    departmentId: r.department_id,
    departmentName: r.department_name,
    regionCode: r.region_code,
    status: r.status,
    version: r.version,
    baseVersion: r.base_version,
    note: r.note,
    reviewComment: r.review_comment,
    entryCount: r.entry_count,
    createdAt: iso(r.created_at)!,
    updatedAt: iso(r.updated_at)!,
    submittedAt: iso(r.submitted_at),
    publishedAt: iso(r.published_at),
  };
}
