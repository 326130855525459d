/**
 * The evidence of every result query (found, not found, embargoed, withdrawn, rate limited, invalid), written
 * to `result_queries` behind the requests: rows are buffered in memory and written by ONE multi-row INSERT
 * (unnest of arrays) every `flushMs` (200 ms) or as soon as `maxRows` (2,000) are waiting, and on close.
 *
 * The trade-off: a crash (the process killed, the machine gone) loses at most the rows of one flush interval
 * — those buffered and not yet written. A synchronous INSERT per query would put a database write, and a wait
 * for it, into every request on release day, when tens of thousands of queries a second arrive at once; the
 * query itself needs no database at all. The log records that queries happened; it is not what answers them,
 * so a fraction of a second of it is the right thing to risk. A clean shutdown (`stop`) writes everything.
 *
 * If the database refuses a write, the rows are kept and tried again with the next flush, up to `maxBuffered`
 * rows (then the oldest are dropped and counted: memory must not grow without bound while the database is away).
 */
import { sql, type Kysely } from 'kysely';
import type { DB, ResultQueryOutcome } from '../../db/schema.ts';
import { SerialFlush } from '../../shared/serial-flush.ts';

export interface QueryLogEntry {
  setId: number;
  at: number; // epoch ms
  ip: string;
  keyHash: string | null; // never the raw key values
  outcome: ResultQueryOutcome;
  requestId: string;
}

export interface QueryLogWriterOptions {
  flushMs?: number;
  maxRows?: number;
  maxBuffered?: number;
  onError?: (err: unknown) => void;
}

/** Columns, not row objects: appending a row is six array pushes. */
interface Columns {
  setIds: number[];
  ats: number[];
  ips: string[];
  keyHashes: (string | null)[];
  outcomes: string[];
  requestIds: string[];
}

/** Rows per INSERT at most (after an outage the buffer may hold many more). */
const MAX_STATEMENT_ROWS = 10_000;

const empty = (): Columns => ({ setIds: [], ats: [], ips: [], keyHashes: [], outcomes: [], requestIds: [] });

export class QueryLogWriter {
  private buf: Columns = empty();
  private readonly flushMs: number;
  private readonly maxRows: number;
  private readonly maxBuffered: number;
  private readonly onError: (err: unknown) => void;
  private readonly flusher: SerialFlush;
  /** rows written, and rows dropped because the database was away too long */
  written = 0;
  dropped = 0;

  constructor(
    private readonly db: Kysely<DB>,
    o: QueryLogWriterOptions = {},
  ) {
    this.flushMs = o.flushMs ?? 200;
    this.maxRows = o.maxRows ?? 2000;
    this.maxBuffered = o.maxBuffered ?? 200_000;
    this.onError = o.onError ?? ((err) => process.stderr.write(`查询日志写入失败（稍后重试）：${String(err)}\n`));
    this.flusher = new SerialFlush(() => this.writeBuffered(), this.flushMs, this.onError);
  }

  append(e: QueryLogEntry): void {
    const b = this.buf;
    // the database has been refusing writes for a while: memory stays bounded, and what is lost is counted
    if (b.setIds.length >= this.maxBuffered) {
      this.dropped++;
      return;
    }
    b.setIds.push(e.setId);
    b.ats.push(e.at);
    b.ips.push(e.ip);
    b.keyHashes.push(e.keyHash);
    b.outcomes.push(e.outcome);
    b.requestIds.push(e.requestId);
    if (b.setIds.length >= this.maxRows && !this.flusher.busy) this.flush().catch(this.onError);
    else this.schedule();
  }

  /** Rows waiting to be written. */
  get pending(): number {
    return this.buf.setIds.length;
  }

  /** Writes what is buffered now (after any write in progress). */
  flush(): Promise<void> {
    return this.flusher.run();
  }

  /** Writes everything and stops the timer (on server close). */
  stop(): Promise<void> {
    return this.flusher.stop();
  }

  private schedule(): void {
    this.flusher.arm();
  }

  private async writeBuffered(): Promise<void> {
    while (this.buf.setIds.length) {
      const b = this.take(MAX_STATEMENT_ROWS);
      try {
        await sql`
          INSERT INTO result_queries (set_id, at, ip, key_hash, outcome, request_id)
          SELECT s, to_timestamp(t / 1000.0), i, k, o, r
            FROM unnest(${b.setIds}::int[], ${b.ats}::float8[], ${b.ips}::text[], ${b.keyHashes}::text[], ${b.outcomes}::text[], ${b.requestIds}::text[])
              AS x(s, t, i, k, o, r)`.execute(this.db);
        this.written += b.setIds.length;
      } catch (err) {
        this.requeue(b);
        throw err;
      }
      // on close everything goes now; otherwise a remainder smaller than a batch waits for the timer
      if (!this.flusher.stopped && this.buf.setIds.length < this.maxRows) break;
    }
    if (this.buf.setIds.length) this.schedule();
  }

  /** The first `n` buffered rows, taken out of the buffer. */
  private take(n: number): Columns {
    const b = this.buf;
    if (b.setIds.length <= n) {
      this.buf = empty();
      return b;
    }
    const cut = <T>(a: T[]): T[] => a.splice(0, n);
    return { setIds: cut(b.setIds), ats: cut(b.ats), ips: cut(b.ips), keyHashes: cut(b.keyHashes), outcomes: cut(b.outcomes), requestIds: cut(b.requestIds) };
  }

  /** Puts rows that failed back in front of the buffer, within `maxBuffered` (the oldest are dropped first). */
  private requeue(failed: Columns): void {
    const b = this.buf;
    const keep = Math.max(0, Math.min(failed.setIds.length, this.maxBuffered - b.setIds.length));
    const from = failed.setIds.length - keep;
    this.dropped += from;
    const join = <T>(x: T[], y: T[]): T[] => x.slice(from).concat(y);
    this.buf = {
      setIds: join(failed.setIds, b.setIds),
      ats: join(failed.ats, b.ats),
      ips: join(failed.ips, b.ips),
      keyHashes: join(failed.keyHashes, b.keyHashes),
      outcomes: join(failed.outcomes, b.outcomes),
      requestIds: join(failed.requestIds, b.requestIds),
    };
    this.schedule();
  }
}
