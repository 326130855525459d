/**
 * Counters in the database, shared by every app server: login failures per account identifier and per IP
 * (with a temporary lockout), and send limits for one-time codes. Keys name what they count:
 * 'login-id:<kind>:<identifier>', 'login-ip:<ip>', 'code-to:<mobile>', 'code-ip:<ip>'.
 * Lockouts are keyed by what was typed, not by the account, so an unknown identifier locks exactly like a
 * known one and the lock reveals nothing.
 */
import { sql, type Kysely, type Transaction } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { RateLimitedError } from '../../shared/errors.ts';

export interface Limit {
  max: number; // this many in the window …
  windowSeconds: number;
  lockSeconds: number; // … locks the key this long
}

export const LOGIN_PER_IDENTIFIER: Limit = { max: 5, windowSeconds: 15 * 60, lockSeconds: 15 * 60 };
export const LOGIN_PER_IP: Limit = { max: 30, windowSeconds: 15 * 60, lockSeconds: 15 * 60 };
export const CODES_PER_DESTINATION: Limit = { max: 5, windowSeconds: 3600, lockSeconds: 3600 };
export const CODES_PER_IP: Limit = { max: 20, windowSeconds: 3600, lockSeconds: 3600 };

/** Seconds until the latest lock among `keys` ends, or 0 when none is locked. */
export async function lockedFor(db: Kysely<DB> | Transaction<DB>, keys: string[]): Promise<number> {
  const row = await db
    .selectFrom('auth_throttle')
    .select(sql<number>`ceil(extract(epoch FROM max(locked_until) - now()))`.as('seconds'))
    .where('key', 'in', keys)
    .where('locked_until', '>', sql<Date>`now()`)
    .executeTakeFirst();
  return Math.max(0, Number(row?.seconds ?? 0));
}

/** Counts one event against `key`; returns the seconds of lock it caused (0 if none). */
export async function countAgainst(db: Kysely<DB> | Transaction<DB>, key: string, limit: Limit): Promise<number> {
  const w = `${limit.windowSeconds} seconds`;
  const l = `${limit.lockSeconds} seconds`;
  const { rows } = await sql<{ locked: boolean }>`
    INSERT INTO auth_throttle AS t (key, failures, window_start, locked_until)
    VALUES (${key}, 1, now(), CASE WHEN 1 >= ${limit.max} THEN now() + ${l}::interval END)
    ON CONFLICT (key) DO UPDATE SET
      failures = CASE WHEN t.window_start < now() - ${w}::interval THEN 1 ELSE t.failures + 1 END,
      window_start = CASE WHEN t.window_start < now() - ${w}::interval THEN now() ELSE t.window_start END,
      locked_until = CASE
        WHEN (CASE WHEN t.window_start < now() - ${w}::interval THEN 1 ELSE t.failures + 1 END) >= ${limit.max}
        THEN now() + ${l}::interval ELSE t.locked_until END
    RETURNING (locked_until IS NOT NULL AND locked_until > now()) AS locked`.execute(db);
  return rows[0]?.locked ? limit.lockSeconds : 0;
}

export async function clearCounter(db: Kysely<DB> | Transaction<DB>, key: string): Promise<void> {
  await db.deleteFrom('auth_throttle').where('key', '=', key).execute();
}

/** Throws 429 (with Retry-After) while any of `keys` is locked. */
export async function assertNotLocked(db: Kysely<DB>, keys: string[], message: (minutes: number) => string): Promise<void> {
  const seconds = await lockedFor(db, keys);
  if (seconds > 0) throw new RateLimitedError(message(Math.ceil(seconds / 60)), seconds);
}
