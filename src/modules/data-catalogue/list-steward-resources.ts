/**
 * 我的数据资源: the catalogue entries of the departments a data steward manages (data.resource.manage), any
 * status, newest change first, with their data version and record count.
 */
import type { Kysely } from 'kysely';
import type { DataItem, DB } from '../../db/schema.ts';
import { paginate } from '../../db/paginate.ts';
import { departmentsInScope } from '../access/authorize.ts';
import type { Principal } from '../access/principal.ts';
import type { DataResourceSummary, ResourceStatus } from './data-catalogue.types.ts';

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
      .select([
        'r.code', 'r.name', 'r.status', 'r.provider_department_id', 'r.catalogue_kind', 'r.base_library', 'r.classification', 'r.abstract', 'r.share_type',
        'r.open_type', 'r.grade', 'r.update_cycle', 'r.items', 'r.record_count', 'r.data_version', 'r.meta_version', 'r.published_at',
        'd.name as provider_name', 'd.credit_code as provider_code',
      ])
      .orderBy('r.updated_at', 'desc')
      .orderBy('r.code'),
  );
  return {
    total: res.total,
    page: res.page,
    size: res.size,
    items: res.rows.map((r) => ({
      code: r.code,
      name: r.name,
      status: r.status,
      providerName: r.provider_name,
      providerDepartmentId: r.provider_department_id,
      providerCode: r.provider_code,
      catalogueKind: r.catalogue_kind,
      baseLibrary: r.base_library,
      classification: r.classification,
      abstract: r.abstract,
      shareType: r.share_type,
      openType: r.open_type,
      grade: r.grade,
      updateCycle: r.update_cycle,
      itemCount: ((typeof r.items === 'string' ? JSON.parse(r.items) : r.items) as DataItem[]).length,
      recordCount: Number(r.record_count),
      dataVersion: r.data_version,
      metaVersion: r.meta_version,
      publishedAt: r.published_at ? new Date(r.published_at).toISOString() : null,
    })),
  };
}
