/** One meta version of a catalogue entry with its snapshot (the metadata as it was then). */
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { NotFoundError } from '../../shared/errors.ts';
import type { DataResourceVersionView } from './data-catalogue.types.ts';
import { resourceIdFor, type ResourceReader } from './list-resource-versions.ts';

export async function getResourceVersion(db: Kysely<DB>, code: string, version: number, reader: ResourceReader): Promise<DataResourceVersionView> {
  const id = await resourceIdFor(db, code, reader);
  const r = await db
    .selectFrom('data_resource_versions as v')
    .leftJoin('accounts as a', 'a.id', 'v.changed_by')
    .select(['v.version', 'v.note', 'v.changed_at', 'v.snapshot', 'a.name as changed_by_name'])
    .where('v.resource_id', '=', id)
    .where('v.version', '=', version)
    .executeTakeFirst();
  if (!r) throw new NotFoundError(`数据资源“${code}”没有第 ${version} 版目录`, 'version');
  return {
    version: r.version,
    note: r.note,
    changedAt: new Date(r.changed_at).toISOString(),
    changedBy: reader === 'public' ? null : r.changed_by_name,
    snapshot: (typeof r.snapshot === 'string' ? JSON.parse(r.snapshot) : r.snapshot) as Record<string, unknown>,
  };
}
