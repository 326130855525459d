/**
 * The machine client behind a bearer access token, or null when the token is unknown, expired or its client
 * disabled. Nothing is cached: every request reads the token, the client and its department as they are now.
 *
 * The requests that arrive together (in one turn of the event loop) are resolved together: `createClientPrincipalLoader`
 * gathers their tokens and reads them with ONE statement (one round trip for many API calls instead of one each).
 * An exchange lookup reads its token's client in its own statement instead (read-lookup-access.ts).
 */
import type DataLoader from 'dataloader';
import { sql, type Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';
import type { DepartmentKind } from '../catalogue/catalogue.types.ts';
import type { ClientPrincipal } from '../access/principal.ts';
import { CLIENT_SCOPES, type ClientScope } from '../access/permissions.ts';
import { sha256Hex } from '../../shared/tokens.ts';
import { perTurnLoader } from '../../shared/per-turn-loader.ts';

const TOKEN = /^[A-Za-z0-9_-]{43}$/;

export type ClientPrincipalLoader = DataLoader<string, ClientPrincipal | null>;

/** Resolves tokens in batches: those asked for in one turn of the event loop are read by one statement. */
export function createClientPrincipalLoader(db: Kysely<DB>): ClientPrincipalLoader {
  return perTurnLoader<string, ClientPrincipal | null>((tokens) => loadClientPrincipals(db, tokens));
}

export async function loadClientPrincipal(db: Kysely<DB>, token: string): Promise<ClientPrincipal | null> {
  const [p] = await loadClientPrincipals(db, [token]);
  return p ?? null;
}

/** A token's client as read from client_tokens, api_clients and departments. */
export interface ClientTokenRow {
  client_id: string;
  name: string;
  scopes: string[];
  department_id: number;
  kind: DepartmentKind;
  region_code: string;
}

/** The principal of a token's client (as read now). */
export function toClientPrincipal(r: ClientTokenRow): ClientPrincipal {
  return {
    kind: 'client',
    clientId: r.client_id,
    name: r.name,
    // a scope the client lost since the token was issued no longer counts
    scopes: r.scopes.filter((s): s is ClientScope => (CLIENT_SCOPES as readonly string[]).includes(s)),
    departmentId: r.department_id,
    departmentKind: r.kind,
    regionCode: r.region_code,
  };
}

/** The SHA-256 by which a well-formed bearer token is stored; null for anything that cannot be a token. */
export function bearerTokenHash(token: string): string | null {
  return TOKEN.test(token) ? sha256Hex(token) : null;
}

/** The principal of each token, in the order given (null where the token does not stand for a client now). */
export async function loadClientPrincipals(db: Kysely<DB>, tokens: readonly string[]): Promise<(ClientPrincipal | null)[]> {
  const hashes = tokens.map(bearerTokenHash);
  const asked = hashes.filter((h): h is string => h !== null);
  if (!asked.length) return tokens.map(() => null);
  const { rows } = await sql<ClientTokenRow & { token_hash: string }>`/* prepared:client_tokens */
    SELECT t.token_hash, c.client_id, c.name, t.scopes, c.department_id, d.kind, d.region_code
      FROM client_tokens t
      JOIN api_clients c ON c.client_id = t.client_id
      JOIN departments d ON d.id = c.department_id
     WHERE t.token_hash = ANY(${asked}::bpchar[]) AND t.expires_at > now() AND c.disabled_at IS NULL`.execute(db);
  const byHash = new Map(rows.map((r) => [r.token_hash, r]));
  return hashes.map((h) => {
    const r = h === null ? undefined : byHash.get(h);
    return r ? toClientPrincipal(r) : null;
  });
}
