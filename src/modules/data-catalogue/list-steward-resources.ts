/**
 * 我的数据资源: the catalogue entries of the departments a data steward manages (data.resource.manage), any
 * status, newest change first, with their data version and record count.
 */
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { paginate } from '../../db/paginate.ts';
import { departmentsInScope } from '../access/authorize.ts';
import type { Principal } from '../access/principal.ts';
import type { DataResourceSummary, ResourceStatus } from './data-catalogue.types.ts';
import { SUMMARY_COLUMNS, toResourceSummary } from './resource-summary.ts';

export interface StewardResourceList {
  total: number;
  page: number;
  size: number;
  items: DataResourceSummary[];
}

export async function listStewardResources(
  db: Kysely<DB>,
  p: Principal,
  o: { page: number; size: number; status?: ResourceStatus },
): Promise<StewardResourceList> {
  const ids = await departmentsInScope(db, p, 'data.resource.manage');
  if (!ids.length) return { total: 0, page: o.page, size: o.size, items: [] };
  let q = db.selectFrom('data_resources as r').innerJoin('departments as d', 'd.id', 'r.provider_department_id').where('r.provider_department_id', 'in', ids);
  if (o.status) q = q.where('r.status', '=', o.status);
  const res = await paginate(q, o, (b) =>
    b
      .select(SUMMARY_COLUMNS)
      .orderBy('r.updated_at', 'desc')
      .orderBy('r.code'),
  );
  return {
    total: res.total,
    page: res.page,
    size: res.size,
    items: res.rows.map(toResourceSummary),
  };
}
