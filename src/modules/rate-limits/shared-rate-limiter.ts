/**
 * Rate limits shared by every app server without a database round trip per request.
 *
 * Fixed windows (a bucket's window starts at a multiple of its length since the epoch, the same on every server)
 * are counted in `rate_counters`, one row per bucket and window. Each server counts in memory and, every
 * `flushMs` (250 ms), sends its increments in ONE upsert that also returns the global totals; a decision is
 *   last known global total + this server's hits not yet sent + this hit  ≤  limit.
 * A request never waits for the database: the counters are written behind it.
 *
 * Release-day economy: a bucket this server has seen only ONCE in a window is not sent at all — a single hit
 * never reaches a limit, and on release day nearly every key is queried once. A bucket hit twice on one server
 * is sent (both hits) and from then on shared.
 *
 * What that costs (bounded overshoot, per bucket and window): every server may let through
 *   - one hit it never sends (a bucket seen once there), and
 *   - the hits that arrive there within one flush interval before it learns another server's count
 * (its view of the global total is as old as its last flush). With S servers a limit L admits at most about
 * L + S + (the hits S servers accept in 250 ms). With one server the count is exact. The limits here protect
 * against guessing ID numbers for one 考生号 and against floods from one address; that margin is harmless to both.
 *
 * Denied hits are not counted (the window is already full; counting them would cost writes during a flood).
 * If the database is unreachable, counting goes on locally and the increments are sent on a later flush.
 * Windows older than the longest window in use are deleted once a minute, by whichever server flushes.
 */
import { sql, type Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { SerialFlush } from '../../shared/serial-flush.ts';


/** The longest window a limit may have; windows older than this are deleted from the shared table. */
export const MAX_WINDOW_MS = 60 * 60_000;
export interface RateDecision {
  allowed: boolean;
  /** the count this hit makes (or would have made) in the window, as this server knows it */
  count: number;
  /** seconds until the window ends (what Retry-After says when denied) */
  retryAfterSeconds: number;
}

/** One window of one length: local counts by bucket, and what is known of the buckets sent at least once. */
interface WindowState {
  windowMs: number;
  start: number; // epoch ms
  /** hits counted here in this window (a bucket hit once stays here only: a number, no object) */
  local: Map<string, number>;
  /** buckets hit at least twice here: how many of the local hits were sent, and the last global total */
  shared: Map<string, { sent: number; global: number }>;
  /** shared buckets with hits not sent yet (a flush reads these, not every bucket) */
  dirty: Set<string>;
}

export interface SharedRateLimiterOptions {
  flushMs?: number; // how often increments are sent (default 250 ms)
  cleanupMs?: number; // how often old windows are deleted (default one minute)
  onError?: (err: unknown) => void;
}

export class SharedRateLimiter {
  private readonly windows = new Map<string, WindowState>(); // by `${windowMs}:${start}`
  private readonly flushMs: number;
  private readonly cleanupMs: number;
  private readonly onError: (err: unknown) => void;
  private lastCleanup = Date.now();
  private longestWindowMs = 0;
  private readonly flusher: SerialFlush;

  constructor(
    private readonly db: Kysely<DB>,
    o: SharedRateLimiterOptions = {},
  ) {
    this.flushMs = o.flushMs ?? 250;
    this.cleanupMs = o.cleanupMs ?? 60_000;
    this.onError = o.onError ?? ((err) => process.stderr.write(`限流计数写入失败（稍后重试）：${String(err)}\n`));
    this.flusher = new SerialFlush(() => this.flushOnce(), this.flushMs, this.onError);
  }

  /**
   * Counts a hit on `bucket` against `limit` per `windowMs` and says whether it is allowed. Synchronous: no
   * database access (the flush timer starts with the first hit).
   */
  hit(bucket: string, limit: number, windowMs: number, now: number = Date.now()): RateDecision {
    const start = now - (now % windowMs);
    const w = this.window(windowMs, start);
    const retryAfterSeconds = Math.max(1, Math.ceil((start + windowMs - now) / 1000));
    const local = w.local.get(bucket) ?? 0;
    const s = w.shared.get(bucket);
    const count = (s ? s.global + (local - s.sent) : local) + 1;
    if (count > limit) return { allowed: false, count, retryAfterSeconds };
    w.local.set(bucket, local + 1);
    if (local + 1 >= 2) {
      if (!s) w.shared.set(bucket, { sent: 0, global: 0 });
      w.dirty.add(bucket);
      this.arm();
    }
    return { allowed: true, count, retryAfterSeconds };
  }

  /**
   * Sends every bucket's unsent increments (buckets hit at least twice here) in one upsert and takes the global
   * totals it returns; drops windows that are over; deletes old windows in the table once a minute.
   */
  flush(): Promise<void> {
    return this.flusher.run(); // one flush at a time
  }

  /** Sends what is left and stops the timer (on server close). */
  stop(): Promise<void> {
    return this.flusher.stop();
  }

  /** Buckets and windows held in memory (tests, diagnostics). */
  stats(): { windows: number; buckets: number; sharedBuckets: number } {
    let buckets = 0;
    let sharedBuckets = 0;
    for (const w of this.windows.values()) {
      buckets += w.local.size;
      sharedBuckets += w.shared.size;
    }
    return { windows: this.windows.size, buckets, sharedBuckets };
  }

  private window(windowMs: number, start: number): WindowState {
    const key = `${windowMs}:${start}`;
    let w = this.windows.get(key);
    if (!w) {
      w = { windowMs, start, local: new Map(), shared: new Map(), dirty: new Set() };
      this.windows.set(key, w);
      if (windowMs > MAX_WINDOW_MS) throw new RangeError(`限流窗口不能超过 ${MAX_WINDOW_MS / 60_000} 分钟`);
      if (windowMs > this.longestWindowMs) this.longestWindowMs = windowMs;
    }
    return w;
  }

  private arm(): void {
    this.flusher.arm();
  }

  private async flushOnce(): Promise<void> {
    const now = Date.now();
    const buckets: string[] = [];
    const starts: string[] = [];
    const counts: number[] = [];
    const sending: { w: WindowState; bucket: string; n: number }[] = [];
    for (const [key, w] of this.windows) {
      // a window that ended more than one window length ago is of no use to any decision
      if (w.start + 2 * w.windowMs < now) {
        this.windows.delete(key);
        continue;
      }
      if (!w.dirty.size) continue;
      const start = new Date(w.start).toISOString();
      for (const bucket of w.dirty) {
        const n = (w.local.get(bucket) ?? 0) - w.shared.get(bucket)!.sent;
        if (n <= 0) continue;
        buckets.push(bucket);
        starts.push(start);
        counts.push(n);
        sending.push({ w, bucket, n });
      }
      w.dirty = new Set();
    }
    if (sending.length) {
      let rows: { bucket: string; window_start: Date | string; count: number }[];
      try {
        // rows are upserted in one order on every server (ORDER BY), so two servers' flushes cannot deadlock
        rows = (
          await sql<{ bucket: string; window_start: Date | string; count: number }>`
            INSERT INTO rate_counters (bucket, window_start, count)
            SELECT b, w, c FROM unnest(${buckets}::text[], ${starts}::timestamptz[], ${counts}::int[]) AS t(b, w, c) ORDER BY b, w
            ON CONFLICT (bucket, window_start) DO UPDATE SET count = rate_counters.count + excluded.count
            RETURNING bucket, window_start, count`.execute(this.db)
        ).rows;
      } catch (err) {
        for (const x of sending) x.w.dirty.add(x.bucket); // sent next time
        throw err;
      }
      const totals = new Map<string, number>();
      for (const r of rows) totals.set(`${r.bucket}\u0000${new Date(r.window_start).getTime()}`, Number(r.count));
      for (const x of sending) {
        const s = x.w.shared.get(x.bucket)!;
        s.sent += x.n;
        const total = totals.get(`${x.bucket}\u0000${x.w.start}`);
        if (total !== undefined) s.global = total;
      }
    }
    if (now - this.lastCleanup >= this.cleanupMs && this.longestWindowMs > 0) {
      this.lastCleanup = now;
      await this.cleanup(now);
    }
    // hits that came while sending are sent on the next round
    for (const w of this.windows.values()) if (w.dirty.size) return this.arm();
  }

  /**
   * Deletes the windows that started longer ago than the longest window any server may use (MAX_WINDOW_MS):
   * none of them is still running. (Not this server's own longest: another server may count longer windows.)
   */
  async cleanup(now: number = Date.now()): Promise<number> {
    const cutoff = new Date(now - MAX_WINDOW_MS);
    const r = await this.db.deleteFrom('rate_counters').where('window_start', '<', cutoff).executeTakeFirst();
    return Number(r.numDeletedRows);
  }
}
