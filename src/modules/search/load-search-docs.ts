import { sql, type Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';
import type { SearchDoc } from './search.types.ts';

/** Every published implementation item with what search needs, in one pass over the database. */
export async function loadSearchDocs(db: Kysely<DB>): Promise<SearchDoc[]> {
  const rows = await db
    .selectFrom('impl_items as i')
    .innerJoin('impl_item_versions as v', (j) => j.onRef('v.item_code', '=', 'i.code').onRef('v.version', '=', 'i.published_version'))
    .innerJoin('departments as d', 'd.id', 'i.department_id')
    .innerJoin('regions as r', 'r.code', 'i.region_code')
    .innerJoin('basic_items as b', 'b.code', 'i.basic_code')
    .select([
      'i.code', 'i.basic_code', 'i.popularity', 'v.name', 'v.summary', 'v.keywords', 'v.conditions', 'v.legal_basis',
      'v.result_name', 'v.type', 'v.objects', 'v.themes', 'v.online_depth', 'v.visits', 'v.promised_days', 'v.legal_days',
      'v.tongban', 'r.code as region_code', 'r.name as region_name', 'r.level as region_level', 'r.parent_code',
      'v.id as version_id', 'd.credit_code', 'd.name as department_name', 'b.popularity as basic_popularity',
    ])
    .where('v.status', '=', 'published')
    .orderBy('i.code')
    .execute();
  // material names of the published versions, aggregated in a second plain pass (one grouped scan)
  const materials = await db
    .selectFrom('item_materials as m')
    .innerJoin('impl_item_versions as v', 'v.id', 'm.version_id')
    .select(['m.version_id', sql<string>`string_agg(m.name, ' ' ORDER BY m.seq)`.as('names')])
    .where('v.status', '=', 'published')
    .groupBy('m.version_id')
    .execute();
  const namesByVersion = new Map(materials.map((m) => [m.version_id, m.names]));
  return rows.map((r) => ({
    code: r.code,
    basicCode: r.basic_code,
    name: r.name,
    summary: r.summary,
    keywords: r.keywords,
    bodyText: [r.conditions.join(' '), namesByVersion.get(r.version_id) ?? '', r.legal_basis.join(' '), r.result_name].join(' '),
    regionCode: r.region_code,
    regionName: r.region_name,
    regionLevel: r.region_level,
    cityCode: r.region_level === 'county' ? r.parent_code : r.region_level === 'city' ? r.region_code : null,
    departmentCode: r.credit_code,
    departmentName: r.department_name,
    type: r.type,
    objects: r.objects,
    themes: r.themes,
    onlineDepth: r.online_depth,
    visits: r.visits,
    promisedDays: r.promised_days,
    legalDays: r.legal_days,
    tongban: r.tongban,
    popularity: r.popularity,
    basicPopularity: r.basic_popularity,
  }));
}

export async function loadSynonyms(db: Kysely<DB>): Promise<Map<string, string[]>> {
  const rows = await db.selectFrom('search_synonyms').selectAll().execute();
  return new Map(rows.map((r) => [r.term, r.expansions]));
}
