/**
 * The service items that exercise a power: for each basic item code the power names, the department's published
 * implementation items of it (实施清单: impl_items with that basic code and the power's department), with the
 * basic item's name. Codes without an implementation item in the department are kept (named, without links).
 */
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';
import type { ServiceItemLink } from './powers.page.ts';

export async function findPowerServices(db: Kysely<DB>, departmentId: number, basicCodes: readonly string[]): Promise<ServiceItemLink[]> {
  const codes = [...new Set(basicCodes)];
  if (!codes.length) return [];
  const [basics, impls] = await Promise.all([
    db.selectFrom('basic_items').select(['code', 'name']).where('code', 'in', codes).execute(),
    db
      .selectFrom('impl_items as i')
      .innerJoin('impl_item_versions as v', (j) => j.onRef('v.item_code', '=', 'i.code').onRef('v.version', '=', 'i.published_version'))
      .innerJoin('regions as r', 'r.code', 'i.region_code')
      .select(['i.code', 'i.basic_code', 'v.name', 'r.name as region_name'])
      .where('i.basic_code', 'in', codes)
      .where('i.department_id', '=', departmentId)
      .where('i.published_version', 'is not', null)
      .orderBy('i.code')
      .execute(),
  ]);
  const names = new Map(basics.map((b) => [b.code, b.name]));
  return codes.map((code) => ({
    basicCode: code,
    basicName: names.get(code),
    items: impls.filter((i) => i.basic_code === code).map((i) => ({ code: i.code, name: i.name, regionName: i.region_name })),
  }));
}
