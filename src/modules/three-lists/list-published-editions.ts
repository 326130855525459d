/**
 * The history of published editions (清单变更记录), newest first: which department published which version
 * when, with its revision note and how many entries it added, changed and removed against the previous version.
 * Published editions never change, so the counts are computed once per edition (one SQL query for a page of
 * editions) and kept in memory.
 */
import { sql, type Kysely } from 'kysely';
import type { DB, ListKind } from '../../db/schema.ts';
import type { RegionLevel } from '../../shared/codes/region-code.ts';
import { iso, type PublishedEditionSummary } from './three-lists.editions.ts';

export interface ChangeCounts {
  added: number;
  changed: number;
  removed: number;
}

const countsCache = new Map<number, ChangeCounts>();
const CACHE_LIMIT = 50_000;

/**
 * Counts of changes of each edition against the previous version of the same list (version − 1); the first
 * version counts all its entries as added. Both editions are immutable once published, so results are cached.
 */
export async function changeCountsOf(db: Kysely<DB>, editionIds: number[]): Promise<Map<number, ChangeCounts>> {
  const out = new Map<number, ChangeCounts>();
  const missing: number[] = [];
  for (const id of new Set(editionIds)) {
    const c = countsCache.get(id);
    if (c) out.set(id, c);
    else missing.push(id);
  }
  if (!missing.length) return out;
  const rows = await sql<{ id: number; added: number | string; changed: number | string; removed: number | string; status: string }>`
    WITH pairs AS (
      SELECT e.id, e.status, p.id AS prev_id
      FROM list_editions e
      LEFT JOIN list_editions p ON p.list_kind = e.list_kind AND p.department_id = e.department_id AND p.version = e.version - 1
      WHERE e.id IN (${sql.join(missing)}) AND e.version IS NOT NULL
    )
    SELECT pairs.id, pairs.status,
      (SELECT count(*) FROM list_entries a WHERE a.edition_id = pairs.id
         AND NOT EXISTS (SELECT 1 FROM list_entries b WHERE b.edition_id = pairs.prev_id AND b.entry_key = a.entry_key)) AS added,
      (SELECT count(*) FROM list_entries a JOIN list_entries b ON b.edition_id = pairs.prev_id AND b.entry_key = a.entry_key
         WHERE a.edition_id = pairs.id AND a.data <> b.data) AS changed,
      (SELECT count(*) FROM list_entries b WHERE b.edition_id = pairs.prev_id
         AND NOT EXISTS (SELECT 1 FROM list_entries a WHERE a.edition_id = pairs.id AND a.entry_key = b.entry_key)) AS removed
    FROM pairs
  `.execute(db);
  for (const r of rows.rows) {
    const c = { added: Number(r.added), changed: Number(r.changed), removed: Number(r.removed) };
    out.set(r.id, c);
    if (r.status === 'published' || r.status === 'superseded') {
      if (countsCache.size >= CACHE_LIMIT) countsCache.clear();
      countsCache.set(r.id, c);
    }
  }
  return out;
}

/** Forgets cached counts (tests that rebuild a database reuse edition ids). */
export function clearChangeCountsCache(): void {
  countsCache.clear();
}

export interface PublishedEditionsQuery {
  kind?: ListKind;
  departmentId?: number;
  regionCode?: string; // the department's region exactly
  limit?: number; // default 50, at most 500
  before?: number; // an edition id: only editions published before it (the next page)
}

export async function listPublishedEditions(db: Kysely<DB>, q: PublishedEditionsQuery = {}): Promise<PublishedEditionSummary[]> {
  const limit = Math.max(1, Math.min(500, Math.trunc(q.limit ?? 50) || 50));
  let query = db
    .selectFrom('list_editions as e')
    .innerJoin('departments as d', 'd.id', 'e.department_id')
    .innerJoin('regions as r', 'r.code', 'd.region_code')
    .select([
      'e.id',
      'e.list_kind',
      'e.department_id',
      'e.version',
      'e.status',
      'e.published_at',
      'e.note',
      'e.entry_count',
      'd.name as department_name',
      'd.region_code',
      'r.level as region_level',
    ])
    .where('e.status', 'in', ['published', 'superseded']);
  if (q.kind) query = query.where('e.list_kind', '=', q.kind);
  if (q.departmentId !== undefined) query = query.where('e.department_id', '=', q.departmentId);
  if (q.regionCode) query = query.where('d.region_code', '=', q.regionCode);
  if (q.before !== undefined) {
    query = query.where(
      sql<boolean>`(e.published_at, e.id) < (SELECT b.published_at, b.id FROM list_editions b WHERE b.id = ${q.before})`,
    );
  }
  const rows = await query.orderBy('e.published_at', 'desc').orderBy('e.id', 'desc').limit(limit).execute();
  const counts = await changeCountsOf(db, rows.map((r) => r.id));
  return rows.map((r) => {
    const c = counts.get(r.id) ?? { added: 0, changed: 0, removed: 0 };
    return {
      id: r.id,
      kind: r.list_kind,
      departmentId: r.department_id,
      departmentName: r.department_name,
      regionCode: r.region_code,
      regionLevel: r.region_level as RegionLevel,
      version: r.version ?? 0,
      status: r.status as 'published' | 'superseded',
      publishedAt: iso(r.published_at)!,
      note: r.note,
      entryCount: r.entry_count,
      ...c,
    };
  });
}
