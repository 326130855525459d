/**
 * 装载记录与版本: a resource's loads, newest first — each applied one a numbered data version (the one in force
 * marked), the running ones with their progress, the failed ones with their error reports.
 */
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';
import type { Principal } from '../access/principal.ts';
import type { AuditActor } from '../audit/audit.types.ts';
import { resourceForLoads, toLoadView, type DataLoadView } from './get-data-load.ts';

export interface DataLoadList {
  resource: { code: string; name: string; status: string; dataVersion: number; recordCount: number; keyItem: string; provider: { id: number; name: string } };
  inProgress: boolean;
  loads: DataLoadView[];
  page: number;
  size: number;
  total: number;
}

export async function listDataLoads(db: Kysely<DB>, p: Principal, code: string, o: { page?: number; size?: number }, actor: AuditActor): Promise<DataLoadList> {
  const { resource, provider } = await resourceForLoads(db, p, code, actor);
  const page = o.page ?? 1;
  const size = o.size ?? 50;
  const [rows, total, running] = await Promise.all([
    db.selectFrom('data_loads').selectAll().where('resource_id', '=', resource.id).orderBy('id', 'desc').limit(size).offset((page - 1) * size).execute(),
    db.selectFrom('data_loads').select((eb) => eb.fn.countAll<number>().as('n')).where('resource_id', '=', resource.id).executeTakeFirstOrThrow(),
    db.selectFrom('data_loads').select('id').where('resource_id', '=', resource.id).where('status', 'in', ['pending', 'loading']).limit(1).executeTakeFirst(),
  ]);
  return {
    resource: {
      code: resource.code,
      name: resource.name,
      status: resource.status,
      dataVersion: resource.data_version,
      recordCount: Number(resource.record_count),
      keyItem: resource.key_item,
      provider: { id: provider.id, name: provider.name },
    },
    inProgress: running !== undefined,
    loads: rows.map((l) => toLoadView(resource.code, l, resource.data_version)),
    page,
    size,
    total: Number(total.n),
  };
}
