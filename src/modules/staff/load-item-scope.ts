/** An implementation item's place: its department (kind, region) and versions — what the draft rules decide on. */
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { NotFoundError } from '../../shared/errors.ts';
import type { DepartmentRef } from './staff.types.ts';

export interface ItemScope {
  code: string;
  name: string; // of the latest version
  department: DepartmentRef;
  regionName: string;
  publishedVersion: number | null;
  latestVersion: number;
}

export async function loadItemScope(db: Kysely<DB>, code: string): Promise<ItemScope> {
  const r = await db
    .selectFrom('impl_items as i')
    .innerJoin('departments as d', 'd.id', 'i.department_id')
    .innerJoin('regions as g', 'g.code', 'd.region_code')
    .innerJoin('impl_item_versions as v', (j) => j.onRef('v.item_code', '=', 'i.code').onRef('v.version', '=', 'i.latest_version'))
    .select(['i.code', 'v.name', 'i.published_version', 'i.latest_version', 'd.id', 'd.credit_code', 'd.name as dept_name', 'd.kind', 'd.region_code', 'g.name as region_name'])
    .where('i.code', '=', code)
    .executeTakeFirst();
  if (!r) throw new NotFoundError(`未找到编码为 ${code} 的事项`, 'code');
  return {
    code: r.code,
    name: r.name,
    department: { id: r.id, code: r.credit_code, name: r.dept_name, kind: r.kind, regionCode: r.region_code },
    regionName: r.region_name,
    publishedVersion: r.published_version,
    latestVersion: r.latest_version,
  };
}
