/**
 * What a lookup needs from the database — the resource, the caller's grants on it, and the record only under a
 * grant in force — read for every lookup arriving together (one turn of the event loop) by ONE statement: one
 * round trip for many calls instead of one each. Nothing is cached: each call is answered from a snapshot taken
 * after it arrived, so a revoked or expired grant stops the very next call, on every server.
 *
 * The caller is either known (the department, and the client when a machine calls: once-only, the platform acting
 * for a department) or given by a bearer token: then the same statement reads the token's client as well (a token
 * expired or a client disabled reads as no caller, and nothing else), so an exchange call over HTTP costs one
 * statement, not one for its token and one for its data.
 */
import type DataLoader from 'dataloader';
import { sql, type Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { perTurnLoader } from '../../shared/per-turn-loader.ts';
import type { ClientPrincipal } from '../access/principal.ts';
import { toClientPrincipal, type ClientTokenRow } from '../clients/load-client-principal.ts';
import type { ResourceGrantRow } from './exchange-call.ts';
import { normaliseIdentifier } from './resource-meta.ts';

/** One lookup: the resource, the record's key, and the caller (known, or the client of a bearer token's hash). */
export type LookupAccessKey = { code: string; key: string } & ({ departmentId: number; clientId: string | null } | { tokenHash: string });

/** The resource joined to one of the caller's grants (none: one row with grant_id null), and the record's data. */
export interface LookupAccessRow extends ResourceGrantRow {
  data: Record<string, unknown> | string | null;
}

/** A lookup as read: its rows (none when the resource is unknown), and the token's client when one was given. */
export interface LookupAccess {
  rows: LookupAccessRow[];
  /** for a lookup by token: the client it stands for now (null: unknown, expired or disabled); else undefined */
  principal?: ClientPrincipal | null;
}

export type ExchangeLookupLoader = DataLoader<LookupAccessKey, LookupAccess>;

export function createExchangeLookupLoader(db: Kysely<DB>): ExchangeLookupLoader {
  return perTurnLoader<LookupAccessKey, LookupAccess>((keys) => readLookupAccess(db, keys));
}

type Row = LookupAccessRow & Partial<ClientTokenRow> & { i: number; resource_id: number | null };

/** Text PostgreSQL cannot take (NUL): such a lookup is answered as finding nothing, and never fails its batch. */
const UNSENDABLE = /\u0000/;

/**
 * For each lookup, in the order given: its rows (the latest grant first) and, by token, the caller read. One
 * lookup's bad text cannot fail the others read with it: lookups PostgreSQL could not take are not sent.
 */
export async function readLookupAccess(db: Kysely<DB>, all: readonly LookupAccessKey[]): Promise<LookupAccess[]> {
  const empty = (k: LookupAccessKey): LookupAccess => ('tokenHash' in k ? { rows: [], principal: null } : { rows: [] });
  const sendable = (k: LookupAccessKey) => !UNSENDABLE.test(k.code) && !UNSENDABLE.test(k.key);
  const keys = all.filter(sendable);
  if (keys.length < all.length) {
    const read = keys.length ? await readLookupAccess(db, keys) : [];
    let j = 0;
    return all.map((k) => (sendable(k) ? read[j++]! : empty(k)));
  }
  const byToken = (k: LookupAccessKey) => ('tokenHash' in k ? k : undefined);
  const known = (k: LookupAccessKey) => ('tokenHash' in k ? undefined : k);
  const { rows } = await sql<Row>`/* prepared:exchange_lookups */
    SELECT q.i::int AS i, c.client_id, c.name, t.scopes, c.department_id, dep.kind, dep.region_code,
           r.id AS resource_id, r.status AS resource_status, r.share_type, r.meta_version, r.data_version,
           g.id AS grant_id, g.items, g.clear_items, g.row_filter, g.rate_per_minute, g.status AS grant_status,
           (g.starts_at <= now() AND g.expires_at > now()) AS in_force,
           rec.data
      FROM unnest(${keys.map((k) => byToken(k)?.tokenHash ?? null)}::bpchar[], ${keys.map((k) => known(k)?.departmentId ?? null)}::int[],
                  ${keys.map((k) => known(k)?.clientId ?? null)}::text[], ${keys.map((k) => k.code)}::text[], ${keys.map((k) => k.key)}::text[],
                  ${keys.map((k) => normaliseIdentifier(k.key))}::text[])
           WITH ORDINALITY AS q(token_hash, department_id, client_id, code, key, id_key, i)
      -- by token: its client as it is now (a token expired or a client disabled: no caller, so no grant)
      LEFT JOIN client_tokens t ON t.token_hash = q.token_hash AND t.expires_at > now()
      LEFT JOIN api_clients c ON c.client_id = t.client_id AND c.disabled_at IS NULL
      LEFT JOIN departments dep ON dep.id = c.department_id
      CROSS JOIN LATERAL (
        SELECT CASE WHEN q.token_hash IS NULL THEN q.department_id ELSE c.department_id END AS department_id,
               CASE WHEN q.token_hash IS NULL THEN q.client_id ELSE c.client_id END AS client_id
      ) who
      LEFT JOIN data_resources r ON r.code = q.code AND who.department_id IS NOT NULL
      LEFT JOIN share_grants g
        ON g.resource_id = r.id AND g.consumer_department_id = who.department_id AND g.client_id IS NOT DISTINCT FROM who.client_id
      LEFT JOIN LATERAL (
        SELECT d.data FROM data_records d
         WHERE g.status = 'active' AND g.starts_at <= now() AND g.expires_at > now()
           AND r.status = 'published' AND r.share_type <> 'none'
           -- in force at the resource's data version, read in this same snapshot: a version closes rows only as
           -- it is committed together with data_version, so the rows in force now are exactly the open ones —
           -- which the partial unique index (resource_id, record_key) WHERE removed_in IS NULL finds directly
           AND d.resource_id = r.id AND d.removed_in IS NULL
           -- a key of an identifier item (身份证号 / 信用代码) as the loader stored it: NFKC, no spaces, upper case
           -- (id_key); any other key as given. The item's type is read only when the two forms differ.
           AND d.record_key = CASE
             WHEN q.id_key <> q.key
                  AND (r.items @> jsonb_build_array(jsonb_build_object('key', r.key_item, 'type', 'resident_id'))
                       OR r.items @> jsonb_build_array(jsonb_build_object('key', r.key_item, 'type', 'credit_code')))
             THEN q.id_key ELSE q.key END
      ) rec ON true
     ORDER BY q.i, g.id DESC NULLS LAST`.execute(db);
  const out = keys.map(empty);
  for (const { i, client_id, name, scopes, department_id, kind, region_code, ...row } of rows) {
    const o = out[i - 1]!;
    if (o.principal === null && client_id && name && scopes && department_id && kind && region_code) {
      o.principal = toClientPrincipal({ client_id, name, scopes, department_id, kind, region_code });
    }
    if (row.resource_id !== null) o.rows.push(row as LookupAccessRow);
  }
  return out;
}
