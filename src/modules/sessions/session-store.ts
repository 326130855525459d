/**
 * Sessions live in the database, so every app server sees the same ones. The cookie carries a random token;
 * the table keeps only its SHA-256. A session ends when unused for the idle timeout, at the absolute timeout,
 * on sign-out, or when revoked from the sessions list. Each load re-reads the account, its roles and the
 * delegation it acts under, so a disabled account, a removed role or a revoked grant takes effect at once.
 */
import { sql, type Kysely, type Transaction } from 'kysely';
import type { DB } from '../../db/schema.ts';
import type { DepartmentKind } from '../catalogue/catalogue.types.ts';
import type { ActingFor, Principal, RoleGrant } from '../access/principal.ts';
import { randomToken, sha256Hex } from '../../shared/tokens.ts';

export const SESSION_COOKIE = 'yw_session';

export interface SessionTimeouts {
  idleMinutes: number;
  absoluteHours: number;
}

/** The idle clock is moved at most once a minute, so a busy session costs one write a minute, not one per request. */
const TOUCH_AFTER_MS = 60_000;

export async function createSession(
  trx: Transaction<DB> | Kysely<DB>,
  input: { accountId: string; authMethod: 'password' | 'oidc'; ip?: string | null; userAgent?: string | null; timeouts: SessionTimeouts },
): Promise<{ token: string; id: string; csrfToken: string; absoluteExpiresAt: Date }> {
  const token = randomToken();
  const csrfToken = randomToken();
  const now = Date.now();
  const absoluteExpiresAt = new Date(now + input.timeouts.absoluteHours * 3600_000);
  const idleExpiresAt = new Date(Math.min(now + input.timeouts.idleMinutes * 60_000, absoluteExpiresAt.getTime()));
  const row = await trx
    .insertInto('sessions')
    .values({
      token_hash: sha256Hex(token),
      account_id: input.accountId,
      auth_method: input.authMethod,
      csrf_token: csrfToken,
      ip: input.ip ?? null,
      user_agent: input.userAgent ? input.userAgent.slice(0, 500) : null,
      last_seen_at: new Date(now),
      idle_expires_at: idleExpiresAt,
      absolute_expires_at: absoluteExpiresAt,
      acting_delegation_id: null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return { token, id: row.id, csrfToken, absoluteExpiresAt };
}

interface SessionRow {
  session_id: string;
  csrf_token: string;
  auth_method: 'password' | 'oidc';
  last_seen_at: Date;
  acting_delegation_id: string | null;
  account_id: string;
  kind: 'person' | 'staff';
  name: string;
  id_number: string | null;
  staff_no: string | null;
  department_id: number | null;
  department_kind: DepartmentKind | null;
  region_code: string | null;
}

/**
 * The principal behind a session token, or null when there is no such live session. One plain query for the
 * session and its account (cheap to plan: this runs on every signed-in request); a second only for staff (their
 * active roles) and a third only while acting for someone (the delegation, re-checked every time).
 */
export async function loadSessionPrincipal(db: Kysely<DB>, token: string, timeouts: SessionTimeouts): Promise<Principal | null> {
  if (!/^[A-Za-z0-9_-]{43}$/.test(token)) return null;
  const hash = sha256Hex(token);
  const { rows } = await sql<SessionRow>`/* prepared:session */
    SELECT s.id AS session_id, s.csrf_token, s.auth_method, s.last_seen_at, s.acting_delegation_id,
           a.id AS account_id, a.kind, a.name, a.id_number, a.staff_no, a.department_id, d.kind AS department_kind, d.region_code
      FROM sessions s
      JOIN accounts a ON a.id = s.account_id
      LEFT JOIN departments d ON d.id = a.department_id
     WHERE s.token_hash = ${hash} AND s.revoked_at IS NULL AND s.idle_expires_at > now() AND s.absolute_expires_at > now()
       AND a.status = 'active'`.execute(db);
  const r = rows[0];
  if (!r) return null;
  if (Date.now() - new Date(r.last_seen_at).getTime() > TOUCH_AFTER_MS) {
    await sql`
      UPDATE sessions SET last_seen_at = now(),
             idle_expires_at = least(now() + make_interval(mins => ${timeouts.idleMinutes}), absolute_expires_at)
       WHERE token_hash = ${hash}`.execute(db);
  }
  const base = { accountId: r.account_id, name: r.name, sessionId: r.session_id, csrfToken: r.csrf_token, authMethod: r.auth_method };
  if (r.kind === 'staff') {
    return {
      ...base,
      kind: 'staff',
      staffNo: r.staff_no ?? '',
      departmentId: r.department_id!,
      departmentKind: r.department_kind!,
      regionCode: r.region_code!,
      roles: await loadRoleGrants(db, r.account_id),
    };
  }
  let acting: ActingFor | null = null;
  if (r.acting_delegation_id) {
    const g = await db
      .selectFrom('delegations as g')
      .leftJoin('accounts as pa', 'pa.id', 'g.principal_account_id')
      .leftJoin('enterprises as pe', 'pe.id', 'g.principal_enterprise_id')
      .select(['g.id', 'g.principal_type', 'g.principal_account_id', 'g.principal_enterprise_id', 'pa.name as person_name', 'pe.name as enterprise_name', 'g.relation', 'g.item_codes'])
      .where('g.id', '=', r.acting_delegation_id)
      .where('g.agent_account_id', '=', r.account_id)
      .where('g.revoked_at', 'is', null)
      .where('g.valid_from', '<=', sql<Date>`now()`)
      .where('g.valid_until', '>', sql<Date>`now()`)
      .executeTakeFirst();
    if (g) {
      acting = {
        delegationId: g.id,
        principalType: g.principal_type,
        principalId: (g.principal_account_id ?? g.principal_enterprise_id)!,
        principalName: (g.person_name ?? g.enterprise_name)!,
        relation: g.relation,
        itemCodes: g.item_codes,
      };
    }
  }
  return { ...base, kind: 'person', idNumber: r.id_number ?? '', acting };
}

/** A staff account's active role assignments, each with its department's place. */
export async function loadRoleGrants(db: Kysely<DB> | Transaction<DB>, accountId: string): Promise<RoleGrant[]> {
  const rows = await db
    .selectFrom('role_assignments as ra')
    .innerJoin('departments as rd', 'rd.id', 'ra.department_id')
    .select(['ra.role', 'ra.department_id', 'rd.kind', 'rd.region_code', 'ra.include_lower_levels'])
    .where('ra.account_id', '=', accountId)
    .where('ra.revoked_at', 'is', null)
    .execute();
  return rows.map((g) => ({
    role: g.role,
    departmentId: g.department_id,
    departmentKind: g.kind,
    regionCode: g.region_code,
    includeLowerLevels: g.include_lower_levels,
  }));
}

/** Ends one session by its token (sign-out). */
export async function endSessionByToken(trx: Transaction<DB> | Kysely<DB>, token: string): Promise<void> {
  await trx.updateTable('sessions').set({ revoked_at: sql`now()` }).where('token_hash', '=', sha256Hex(token)).where('revoked_at', 'is', null).execute();
}

/** Ends every live session of an account, except perhaps one (after a password change, on disabling a staff account). */
export async function endAccountSessions(trx: Transaction<DB> | Kysely<DB>, accountId: string, exceptSessionId?: string): Promise<number> {
  let q = trx.updateTable('sessions').set({ revoked_at: sql`now()` }).where('account_id', '=', accountId).where('revoked_at', 'is', null);
  if (exceptSessionId) q = q.where('id', '!=', exceptSessionId);
  const r = await q.executeTakeFirst();
  return Number(r.numUpdatedRows);
}

export interface SessionView {
  id: string;
  authMethod: 'password' | 'oidc';
  ip: string | null;
  userAgent: string | null;
  createdAt: string;
  lastSeenAt: string;
  expiresAt: string; // the earlier of the idle and absolute expiries
  current: boolean;
}

/** The account's live sessions, newest first. */
export async function listSessions(db: Kysely<DB>, accountId: string, currentSessionId?: string): Promise<SessionView[]> {
  const rows = await db
    .selectFrom('sessions')
    .select(['id', 'auth_method', 'ip', 'user_agent', 'created_at', 'last_seen_at', 'idle_expires_at', 'absolute_expires_at'])
    .where('account_id', '=', accountId)
    .where('revoked_at', 'is', null)
    .where('idle_expires_at', '>', sql<Date>`now()`)
    .where('absolute_expires_at', '>', sql<Date>`now()`)
    .orderBy('created_at', 'desc')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    authMethod: r.auth_method,
    ip: r.ip,
    userAgent: r.user_agent,
    createdAt: new Date(r.created_at).toISOString(),
    lastSeenAt: new Date(r.last_seen_at).toISOString(),
    expiresAt: new Date(Math.min(new Date(r.idle_expires_at).getTime(), new Date(r.absolute_expires_at).getTime())).toISOString(),
    current: r.id === currentSessionId,
  }));
}
