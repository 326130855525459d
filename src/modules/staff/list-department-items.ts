/**
 * 本部门事项: the implementation items of the departments in the principal's `catalogue.draft.read` scope —
 * the workbench list that shows a clerk their own department's items and nothing else.
 */
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { paginate } from '../../db/paginate.ts';
import { departmentsInScope } from '../access/authorize.ts';
import type { Principal } from '../access/principal.ts';
import type { Page } from './staff.types.ts';

export interface DepartmentItem {
  code: string;
  name: string;
  region: { code: string; name: string };
  department: { code: string; name: string };
  publishedVersion: number | null;
  latestVersion: number;
  draftOpen: boolean; // a version newer than the published one awaits publication
}

export async function listDepartmentItems(db: Kysely<DB>, p: Principal, input: { page: number; size: number }): Promise<Page<DepartmentItem>> {
  const ids = await departmentsInScope(db, p, 'catalogue.draft.read');
  const empty = { total: 0, page: input.page, size: input.size, items: [] };
  if (!ids.length) return empty;
  const base = db.selectFrom('impl_items as i').where('i.department_id', 'in', ids);
  const { rows, ...pageInfo } = await paginate(base, input, (q) =>
    q
      .innerJoin('impl_item_versions as v', (j) => j.onRef('v.item_code', '=', 'i.code').onRef('v.version', '=', 'i.latest_version'))
      .innerJoin('departments as d', 'd.id', 'i.department_id')
      .innerJoin('regions as r', 'r.code', 'i.region_code')
      .select(['i.code', 'v.name', 'v.status', 'i.published_version', 'i.latest_version', 'd.credit_code', 'd.name as dept_name', 'r.code as region_code', 'r.name as region_name'])
      .orderBy('i.region_code')
      .orderBy('d.id')
      .orderBy('i.code'),
  );
  if (!pageInfo.total) return empty;
  return {
    ...pageInfo,
    items: rows.map((r) => ({
      code: r.code,
      name: r.name,
      region: { code: r.region_code, name: r.region_name },
      department: { code: r.credit_code, name: r.dept_name },
      publishedVersion: r.published_version,
      latestVersion: r.latest_version,
      draftOpen: r.status === 'draft',
    })),
  };
}
