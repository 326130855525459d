/**
 * The client credentials grant (RFC 6749 §4.4): a client proves its secret and gets a bearer access token for
 * an hour, for the scopes it asked for (all of its own when it asked for none). Secrets are compared in
 * constant time, against the current secret and — during a rotation's grace period — the previous one.
 * Failures count per client id as typed (`client-id:<id>`), so an unknown id locks exactly like a known one;
 * too many lock the id for a while. Each refusal and each token is audited.
 */
import { sql, type Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';
import type { RequestFacts } from '../identity/identity.types.ts';
import { clearCounter, countAgainst, lockedFor, type Limit } from '../identity/throttle.ts';
import { recordAuditEvent } from '../audit/record-audit-event.ts';
import { randomToken, safeEqual, sha256Hex } from '../../shared/tokens.ts';
import { knownScopes } from './client-records.ts';
import { OAuthError } from './oauth-error.ts';
import { TOKEN_LIFETIME_SECONDS } from './clients.types.ts';

export const CLIENT_AUTH_FAILURES: Limit = { max: 10, windowSeconds: 15 * 60, lockSeconds: 15 * 60 };

export interface IssuedToken {
  accessToken: string;
  tokenType: 'Bearer';
  expiresIn: number;
  scope: string; // the scopes granted, space-separated
}

// what an unknown client's secret is compared against, so the work is the same either way
const NO_SECRET = sha256Hex('no such client');

const REFUSED = '客户端认证失败';

export async function issueClientToken(
  db: Kysely<DB>,
  input: { clientId: string; clientSecret: string; scope?: string },
  from: RequestFacts,
): Promise<IssuedToken> {
  const typedId = input.clientId.slice(0, 64);
  const key = `client-id:${typedId}`;
  const wait = await lockedFor(db, [key]);
  if (wait > 0) throw new OAuthError('invalid_client', `认证失败次数过多，该客户端已临时锁定，请 ${Math.ceil(wait / 60)} 分钟后再试`, wait);

  const c = await db
    .selectFrom('api_clients as c')
    .innerJoin('departments as d', 'd.id', 'c.department_id')
    .select(['c.client_id', 'c.scopes', 'c.secret_hash', 'c.previous_secret_hash', 'c.disabled_at', 'c.department_id', 'd.region_code'])
    .select(sql<boolean>`coalesce(c.previous_expires_at > now(), false)`.as('previous_valid'))
    .where('c.client_id', '=', input.clientId)
    .executeTakeFirst();
  const given = sha256Hex(input.clientSecret);
  const current = safeEqual(given, c?.secret_hash ?? NO_SECRET);
  const previous = safeEqual(given, (c?.previous_valid && c.previous_secret_hash) || NO_SECRET) && !!c?.previous_valid;
  const ok = !!c && !c.disabled_at && (current || previous);

  const refuse = async (reason: 'unknown_client' | 'disabled' | 'wrong_secret' | 'client_changed'): Promise<never> => {
    await db.transaction().execute(async (trx) => {
      await countAgainst(trx, key, CLIENT_AUTH_FAILURES);
      await recordAuditEvent(trx, {
        action: 'client.token_refused',
        actor: { type: 'anonymous', ...from },
        target: { type: 'client', id: typedId },
        outcome: 'failure',
        details: { reason },
      });
    });
    throw new OAuthError('invalid_client', REFUSED);
  };
  if (!ok) return refuse(!c ? 'unknown_client' : c.disabled_at ? 'disabled' : 'wrong_secret');

  const actor = { type: 'client' as const, id: c.client_id, departmentId: c.department_id, regionCode: c.region_code, ...from };
  const held = knownScopes(c.scopes);
  const asked = input.scope === undefined ? held : [...new Set(input.scope.split(/\s+/).filter(Boolean))];
  const beyond = asked.filter((s) => !(held as string[]).includes(s));
  if (!asked.length || beyond.length) {
    await db.transaction().execute(async (trx) => {
      await recordAuditEvent(trx, {
        action: 'client.token_refused',
        actor,
        target: { type: 'client', id: c.client_id },
        outcome: 'denied',
        details: { reason: 'invalid_scope', asked: asked.slice(0, 20).map((s) => s.slice(0, 60)) },
      });
    });
    throw new OAuthError('invalid_scope', beyond.length ? `该客户端无权申请以下权限范围：${beyond.slice(0, 5).join(' ').slice(0, 200)}` : '该客户端没有可用的权限范围');
  }

  const accessToken = randomToken();
  const expiresIn = await db.transaction().execute(async (trx) => {
    // tidy up as we go: this client's expired tokens are of no use to anyone
    await trx.deleteFrom('client_tokens').where('client_id', '=', c.client_id).where('expires_at', '<=', sql<Date>`now()`).execute();
    // The secret is checked again as the token is stored, with the client's row share-locked: a rotation or a
    // disabling that committed since the check above wins (its row lock is waited for, then the row re-read),
    // so it cannot miss a token it should have ended. A token the previous secret obtains during a rotation's
    // grace period ends with that grace period.
    const lifetime = `${TOKEN_LIFETIME_SECONDS} seconds`;
    const { rows } = await sql<{ expires_in: number }>`
      INSERT INTO client_tokens (token_hash, client_id, scopes, expires_at)
      SELECT ${sha256Hex(accessToken)}, c.client_id, ${asked}::text[],
             CASE WHEN c.secret_hash = ${given} THEN now() + ${lifetime}::interval
                  ELSE least(now() + ${lifetime}::interval, c.previous_expires_at) END
        FROM api_clients c
       WHERE c.client_id = ${c.client_id} AND c.disabled_at IS NULL
         AND (c.secret_hash = ${given} OR (c.previous_secret_hash = ${given} AND c.previous_expires_at > now()))
         FOR SHARE
      RETURNING floor(extract(epoch FROM expires_at - now()))::int AS expires_in`.execute(trx);
    if (!rows.length) return null;
    await clearCounter(trx, key);
    await recordAuditEvent(trx, {
      action: 'client.token_issued',
      actor,
      target: { type: 'client', id: c.client_id },
      details: { scopes: asked, expiresIn: rows[0]!.expires_in, ...(current ? {} : { previousSecret: true }) },
    });
    return rows[0]!.expires_in;
  });
  // rotated (this secret no longer accepted) or disabled between the check and the insert
  if (expiresIn === null) return refuse('client_changed');
  return { accessToken, tokenType: 'Bearer', expiresIn, scope: asked.join(' ') };
}
