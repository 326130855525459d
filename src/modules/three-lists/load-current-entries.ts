/**
 * Every department's current published edition of one list, with its entries: what the public index
 * (modules/transparency) loads at start and again whenever the list revision moves (see readListRevision).
 */
import type { Kysely } from 'kysely';
import type { DB, ListKind } from '../../db/schema.ts';
import type { DepartmentKind } from '../catalogue/catalogue.types.ts';
import type { RegionLevel } from '../../shared/codes/region-code.ts';
import { entryOf, iso } from './three-lists.editions.ts';
import type { EntryOf } from './three-lists.types.ts';

export interface CurrentList<K extends ListKind> {
  editionId: number;
  kind: K;
  departmentId: number;
  departmentName: string;
  departmentShortName: string;
  departmentKind: DepartmentKind;
  regionCode: string;
  regionName: string;
  regionFullName: string;
  regionLevel: RegionLevel;
  version: number;
  publishedAt: string;
  note: string;
  entries: EntryOf<K>[]; // sorted by key
}

/** Editions per entries query (keeps the bound parameters well under PostgreSQL's limit). */
const ENTRY_BATCH = 1000;

/** Current published lists of a kind, ordered by region code then department id. */
export async function loadCurrentEntries<K extends ListKind>(db: Kysely<DB>, kind: K): Promise<CurrentList<K>[]> {
  const editions = await db
    .selectFrom('list_editions as e')
    .innerJoin('departments as d', 'd.id', 'e.department_id')
    .innerJoin('regions as r', 'r.code', 'd.region_code')
    .select([
      'e.id',
      'e.department_id',
      'e.version',
      'e.published_at',
      'e.note',
      'd.name',
      'd.short_name',
      'd.kind',
      'd.region_code',
      'r.name as region_name',
      'r.full_name as region_full_name',
      'r.level as region_level',
    ])
    .where('e.list_kind', '=', kind)
    .where('e.status', '=', 'published')
    .orderBy('d.region_code')
    .orderBy('e.department_id')
    .execute();
  if (!editions.length) return [];
  const byEdition = new Map<number, CurrentList<K>>();
  const out = editions.map((e) => {
    const list: CurrentList<K> = {
      editionId: e.id,
      kind,
      departmentId: e.department_id,
      departmentName: e.name,
      departmentShortName: e.short_name,
      departmentKind: e.kind,
      regionCode: e.region_code,
      regionName: e.region_name,
      regionFullName: e.region_full_name,
      regionLevel: e.region_level as RegionLevel,
      version: e.version ?? 0,
      publishedAt: iso(e.published_at)!,
      note: e.note,
      entries: [],
    };
    byEdition.set(e.id, list);
    return list;
  });
  // The entries of exactly the editions read above, not "of the published editions" again: a publication
  // committing between the two reads would otherwise hand back the new edition's entries, which match none of
  // the editions above, and the department would show an empty list. A superseded edition keeps its entries,
  // so the two reads stay consistent without a shared snapshot (the next revision reloads the newer edition).
  const ids = [...byEdition.keys()];
  for (let i = 0; i < ids.length; i += ENTRY_BATCH) {
    const entries = await db
      .selectFrom('list_entries as x')
      .select(['x.edition_id', 'x.data'])
      .where('x.edition_id', 'in', ids.slice(i, i + ENTRY_BATCH))
      .orderBy('x.edition_id')
      .orderBy('x.entry_key')
      .execute();
    for (const x of entries) byEdition.get(x.edition_id)?.entries.push(entryOf(x.data) as EntryOf<K>);
  }
  return out;
}
