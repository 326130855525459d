/** The machine client behind a bearer access token, or null when the token is unknown, expired or its client disabled. */
import { sql, type Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';
import type { DepartmentKind } from '../catalogue/catalogue.types.ts';
import type { ClientPrincipal } from '../access/principal.ts';
import { CLIENT_SCOPES, type ClientScope } from '../access/permissions.ts';
import { sha256Hex } from '../../shared/tokens.ts';

export async function loadClientPrincipal(db: Kysely<DB>, token: string): Promise<ClientPrincipal | null> {
  if (!/^[A-Za-z0-9_-]{43}$/.test(token)) return null;
  const { rows } = await sql<{ client_id: string; name: string; scopes: string[]; department_id: number; kind: DepartmentKind; region_code: string }>`/* prepared:client_token */
    SELECT c.client_id, c.name, t.scopes, c.department_id, d.kind, d.region_code
      FROM client_tokens t
      JOIN api_clients c ON c.client_id = t.client_id
      JOIN departments d ON d.id = c.department_id
     WHERE t.token_hash = ${sha256Hex(token)} AND t.expires_at > now() AND c.disabled_at IS NULL`.execute(db);
  const r = rows[0];
  if (!r) return null;
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
