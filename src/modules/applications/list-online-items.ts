import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';

/**
 * Items of these regions whose published version has an online form, most popular first (the /apply start
 * page's list). `regionCodes`: the applicant's county and its city and province.
 */
export async function listOnlineItems(db: Kysely<DB>, regionCodes: string[], limit = 20): Promise<{ code: string; name: string; departmentName: string }[]> {
  if (!regionCodes.length) return [];
  const rows = await db
    .selectFrom('impl_items as i')
    .innerJoin('impl_item_versions as v', (j) => j.onRef('v.item_code', '=', 'i.code').onRef('v.version', '=', 'i.published_version'))
    .innerJoin('departments as d', 'd.id', 'i.department_id')
    .select(['i.code', 'v.name', 'd.name as department_name'])
    .where('i.region_code', 'in', regionCodes)
    .where('v.form', 'is not', null)
    .orderBy('i.popularity', 'desc')
    .orderBy('i.code')
    .limit(limit)
    .execute();
  return rows.map((r) => ({ code: r.code, name: r.name, departmentName: r.department_name }));
}
