/**
 * What a sign-in through the identity provider must remember between requests, kept in `auth_pending` (shared
 * by every app server) under the SHA-256 of a random key the browser holds:
 * - 'oidc_state': from the redirect to the callback (PKCE verifier, nonce, where to go back), keyed by `state`;
 * - 'oidc_link': from the callback to the first-sign-in page (the verified identity), keyed by a cookie.
 * Each is used once: it is deleted as it is read for good.
 */
import { sql, type Kysely, type Transaction } from 'kysely';
import type { DB } from '../../../db/schema.ts';
import { sha256Hex } from '../../../shared/tokens.ts';

export const STATE_TTL_SECONDS = 10 * 60;
export const LINK_TTL_SECONDS = 15 * 60;

/** The authorization request in flight. */
export interface PendingState {
  codeVerifier: string;
  nonce: string;
  back: string;
}

/** An identity the provider verified that has no account here yet (首次登录). */
export interface PendingLink {
  issuer: string;
  subject: string;
  name: string | null; // as the provider gave it, if it is a valid name
  idNumber: string | null; // 公民身份号码, normalised, only when valid
  mobile: string | null; // a mainland mobile number, only when valid
  back: string;
}

type Kind = 'oidc_state' | 'oidc_link';
type Db = Kysely<DB> | Transaction<DB>;

export async function putPending(db: Db, kind: Kind, key: string, data: PendingState | PendingLink, ttlSeconds: number): Promise<void> {
  await db
    .insertInto('auth_pending')
    .values({ key_hash: sha256Hex(key), kind, data: JSON.stringify(data), expires_at: new Date(Date.now() + ttlSeconds * 1000) })
    .execute();
}

/** Reads and deletes (single use); undefined when unknown, of another kind, or expired. */
export async function takePending<T extends PendingState | PendingLink>(db: Db, kind: Kind, key: string): Promise<T | undefined> {
  const row = await db
    .deleteFrom('auth_pending')
    .where('key_hash', '=', sha256Hex(key))
    .where('kind', '=', kind)
    .returning(['data', sql<boolean>`expires_at > now()`.as('live')])
    .executeTakeFirst();
  return row?.live ? (row.data as unknown as T) : undefined;
}

/** Reads without using up (to show a page about it). */
export async function peekPending<T extends PendingState | PendingLink>(db: Db, kind: Kind, key: string): Promise<T | undefined> {
  const row = await db
    .selectFrom('auth_pending')
    .select('data')
    .where('key_hash', '=', sha256Hex(key))
    .where('kind', '=', kind)
    .where('expires_at', '>', sql<Date>`now()`)
    .executeTakeFirst();
  return row?.data as unknown as T | undefined;
}

/** Forgets what expired (called now and then, when a new sign-in starts). */
export async function purgeExpiredPending(db: Db): Promise<void> {
  await db.deleteFrom('auth_pending').where('expires_at', '<', sql<Date>`now()`).execute();
}
