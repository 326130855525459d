/**
 * What a lookup needs from the database — the resource, the caller's grants on it, and the record only under a
 * grant in force — read for every lookup arriving together (one turn of the event loop) by ONE statement: one
 * round trip for many calls instead of one each. Nothing is cached: each call is answered from a snapshot taken
 * after it arrived, so a revoked or expired grant stops the very next call, on every server.
 */
import DataLoader from 'dataloader';
import { sql, type Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';
import type { ResourceGrantRow } from './exchange-call.ts';

/** One lookup: the resource, the record's key, and the caller (department, and the client when a machine calls). */
export interface LookupAccessKey {
  code: string;
  key: string;
  departmentId: number;
  clientId: string | null;
}

/** The resource joined to one of the caller's grants (none: one row with grant_id null), and the record's data. */
export interface LookupAccessRow extends ResourceGrantRow {
  data: Record<string, unknown> | string | null;
}

export type ExchangeLookupLoader = DataLoader<LookupAccessKey, LookupAccessRow[]>;

export function createExchangeLookupLoader(db: Kysely<DB>): ExchangeLookupLoader {
  return new DataLoader<LookupAccessKey, LookupAccessRow[]>((keys) => readLookupAccess(db, keys), {
    cache: false,
    batchScheduleFn: (dispatch) => setImmediate(dispatch),
    maxBatchSize: 500,
  });
}

/** For each lookup, in the order given: its rows (none when the resource is unknown), the latest grant first. */
export async function readLookupAccess(db: Kysely<DB>, keys: readonly LookupAccessKey[]): Promise<LookupAccessRow[][]> {
  const { rows } = await sql<LookupAccessRow & { i: number }>`/* prepared:exchange_lookups */
    SELECT q.i::int AS i, r.id AS resource_id, r.status AS resource_status, r.share_type, r.meta_version, r.data_version,
           g.id AS grant_id, g.items, g.clear_items, g.row_filter, g.rate_per_minute, g.status AS grant_status,
           (g.starts_at <= now() AND g.expires_at > now()) AS in_force,
           rec.data
      FROM unnest(${keys.map((k) => k.code)}::text[], ${keys.map((k) => k.key)}::text[], ${keys.map((k) => k.departmentId)}::int[],
                  ${keys.map((k) => k.clientId)}::text[]) WITH ORDINALITY AS q(code, key, department_id, client_id, i)
      JOIN data_resources r ON r.code = q.code
      LEFT JOIN share_grants g
        ON g.resource_id = r.id AND g.consumer_department_id = q.department_id AND g.client_id IS NOT DISTINCT FROM q.client_id
      LEFT JOIN LATERAL (
        SELECT d.data FROM data_records d
         WHERE g.status = 'active' AND g.starts_at <= now() AND g.expires_at > now()
           AND r.status = 'published' AND r.share_type <> 'none'
           -- in force at the resource's data version, read in this same snapshot: a version closes rows only as
           -- it is committed together with data_version, so the rows in force now are exactly the open ones —
           -- which the partial unique index (resource_id, record_key) WHERE removed_in IS NULL finds directly
           AND d.resource_id = r.id AND d.record_key = q.key AND d.removed_in IS NULL
      ) rec ON true
     ORDER BY q.i, g.id DESC NULLS LAST`.execute(db);
  const out: LookupAccessRow[][] = keys.map(() => []);
  for (const { i, ...row } of rows) out[i - 1]!.push(row);
  return out;
}
