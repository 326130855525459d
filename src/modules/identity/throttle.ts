/**
 * Counters in the database, shared by every app server: password attempts per identifier typed, per account and
 * per IP (with a temporary lockout), wrong current passwords per account, and send limits for one-time codes.
 * Keys name what they count: 'login-id:<kind>:<identifier>', 'login-account:<account id>', 'login-ip:<ip>',
 * 'password-change:<account id>', 'code-to:<mobile>', 'code-ip:<ip>'.
 * A password attempt is counted BEFORE the password is verified (takeAttempts), atomically, so parallel attempts
 * cannot all pass a check made before any of them was counted; a success then clears or refunds its count.
 * The identifier typed is always a key, so an unknown identifier locks exactly like a known one; the account's
 * key adds that its mobile and its ID number share one budget.
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
export const LOGIN_PER_ACCOUNT: Limit = { max: 5, windowSeconds: 15 * 60, lockSeconds: 15 * 60 };
export const LOGIN_PER_IP: Limit = { max: 30, windowSeconds: 15 * 60, lockSeconds: 15 * 60 };
export const PASSWORD_CHANGE_PER_ACCOUNT: Limit = { max: 5, windowSeconds: 15 * 60, lockSeconds: 15 * 60 };
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

/**
 * Counts one attempt against each key, in one transaction, before the attempt is checked: an attempt is let
 * through only if no key is locked; the attempt that reaches a key's `max` is let through and locks the key, so
 * at most `max` attempts per window are ever checked, however many arrive at once (the upsert takes the row's
 * lock: concurrent attempts are counted one after another, on every app server). A refused attempt counts
 * nothing (the transaction is rolled back) and throws 429 with the longest remaining lock.
 * When a lock has ended, or the window has, counting starts again at one.
 * Returns whether this attempt was the last one let through (it reached a key's `max` and locked it).
 */
export async function takeAttempts(db: Kysely<DB>, counted: { key: string; limit: Limit }[], message: (minutes: number) => string): Promise<{ reachedLimit: boolean }> {
  // one order everywhere (by key), so two attempts locking overlapping keys cannot deadlock
  const sorted = [...new Map(counted.map((c) => [c.key, c])).values()].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  // a refusal thrown inside rolls the transaction back: the keys counted before it in the loop are not counted
  return db.transaction().execute(async (trx) => {
    let reachedLimit = false;
    for (const { key, limit } of sorted) {
      const w = `${limit.windowSeconds} seconds`;
      const l = `${limit.lockSeconds} seconds`;
      // the WHERE of DO UPDATE leaves a locked row alone and returns no row: that is the refusal
      const { rows } = await sql<{ failures: number }>`
        INSERT INTO auth_throttle AS t (key, failures, window_start, locked_until)
        VALUES (${key}, 1, now(), CASE WHEN 1 >= ${limit.max} THEN now() + ${l}::interval END)
        ON CONFLICT (key) DO UPDATE SET
          failures = CASE WHEN t.locked_until IS NOT NULL OR t.window_start < now() - ${w}::interval THEN 1 ELSE t.failures + 1 END,
          window_start = CASE WHEN t.locked_until IS NOT NULL OR t.window_start < now() - ${w}::interval THEN now() ELSE t.window_start END,
          locked_until = CASE
            WHEN (CASE WHEN t.locked_until IS NOT NULL OR t.window_start < now() - ${w}::interval THEN 1 ELSE t.failures + 1 END) >= ${limit.max}
            THEN now() + ${l}::interval END
          WHERE t.locked_until IS NULL OR t.locked_until <= now()
        RETURNING failures`.execute(trx);
      if (!rows.length) {
        const seconds = Math.max(1, await lockedFor(trx, sorted.map((c) => c.key)));
        throw new RateLimitedError(message(Math.ceil(seconds / 60)), seconds);
      }
      if (Number(rows[0]!.failures) >= limit.max) reachedLimit = true;
    }
    return { reachedLimit };
  });
}
