/**
 * 目录版本: the meta versions of a catalogue entry, newest first — for the public only of a published (or
 * retired) entry, for a steward of the provider department of any entry.
 */
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';
import type { Principal } from '../access/principal.ts';
import type { AuditActor } from '../audit/audit.types.ts';
import type { DataResourceVersionView } from './data-catalogue.types.ts';
import { DataResourceNotFoundError, loadResourceInScope, loadResourceRow } from './get-data-resource.ts';

/** Who is asking: the public (published entries) or a staff member (the entry's scope is checked). */
export type ResourceReader = 'public' | { p: Principal; actor: AuditActor };

/** The entry's id, once the reader may see it. */
export async function resourceIdFor(db: Kysely<DB>, code: string, reader: ResourceReader): Promise<number> {
  if (reader === 'public') {
    const r = await loadResourceRow(db, code);
    if (!r || r.status === 'draft') throw new DataResourceNotFoundError(code);
    return r.id;
  }
  return (await loadResourceInScope(db, reader.p, code, reader.actor)).row.id;
}

export async function listResourceVersions(db: Kysely<DB>, code: string, reader: ResourceReader): Promise<DataResourceVersionView[]> {
  const id = await resourceIdFor(db, code, reader);
  const rows = await db
    .selectFrom('data_resource_versions as v')
    .leftJoin('accounts as a', 'a.id', 'v.changed_by')
    .select(['v.version', 'v.note', 'v.changed_at', 'a.name as changed_by_name'])
    .where('v.resource_id', '=', id)
    .orderBy('v.version', 'desc')
    .execute();
  return rows.map((r) => ({
    version: r.version,
    note: r.note,
    changedAt: new Date(r.changed_at).toISOString(),
    // names of staff are shown to staff only
    changedBy: reader === 'public' ? null : r.changed_by_name,
  }));
}
