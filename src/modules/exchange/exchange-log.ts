/**
 * Durable access evidence with group commit (证据落库后才应答). Each exchange call hands its audit event and
 * the subjects it touched to `write`, which resolves only once they are committed. Calls arriving together are
 * written together: the first waits up to `maxWaitMs` (1 ms) for company, and while a batch is being written
 * the next ones gather. A batch (up to `maxBatch` events) is written atomically, chained into the audit log
 * with one multi-row insert, together with one multi-row insert into data_access_subjects: while the chain's
 * head is still where this writer's last batch left it, as ONE statement that compares-and-sets the head (one
 * round trip, one commit); otherwise as a transaction that locks the head and appends after it. If the write
 * fails, every call of the batch fails (nothing was sent).
 *
 * The transaction touches nothing but these tables and waits on nothing else (PGlite has one connection).
 * `stop` writes what is waiting (server close); writes after that are written at once.
 */
import { sql, type Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';
import type { AuditEventInput } from '../audit/audit.types.ts';
import { chainAuditEvents, recordAuditEvents, type ChainedEvent, type ChainHead } from '../audit/record-audit-event.ts';

export interface Evidence {
  event: AuditEventInput;
  /** subject hashes (HMAC of the records' identifiers) */
  subjects: readonly string[];
}

interface Waiting extends Evidence {
  resolve: (r: { seq: number }) => void;
  reject: (err: unknown) => void;
}

export interface ExchangeLogOptions {
  maxWaitMs?: number;
  maxBatch?: number;
}

/** Subject rows per statement at most. */
const SUBJECT_CHUNK = 5000;

export class ExchangeLogWriter {
  private pending: Waiting[] = [];
  private timer: NodeJS.Timeout | undefined;
  private draining: Promise<void> | undefined;
  private stopped = false;
  private readonly maxWaitMs: number;
  private readonly maxBatch: number;
  /** events written, and batches (transactions) that wrote them */
  written = 0;
  batches = 0;
  /** batches written by the one-statement compare-and-set, and those whose comparison failed (head moved) */
  fastBatches = 0;
  headMisses = 0;
  /** the chain's head as this writer's last batch left it; undefined when not known */
  private head: ChainHead | undefined;

  constructor(
    private readonly db: Kysely<DB>,
    o: ExchangeLogOptions = {},
  ) {
    this.maxWaitMs = o.maxWaitMs ?? 1;
    this.maxBatch = o.maxBatch ?? 500;
  }

  /** Writes the evidence (with others waiting at the same time); resolves with its audit seq once committed. */
  write(e: Evidence): Promise<{ seq: number }> {
    return new Promise((resolve, reject) => {
      this.pending.push({ ...e, resolve, reject });
      this.kick();
    });
  }

  /** Events waiting to be written. */
  get waiting(): number {
    return this.pending.length;
  }

  /** Writes everything waiting and writes later evidence at once (server close). */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    while (this.draining || this.pending.length) await (this.draining ?? this.drain());
  }

  private kick(): void {
    if (this.draining) return; // the batch being written takes these next
    if (this.stopped || this.maxWaitMs <= 0 || this.pending.length >= this.maxBatch) {
      if (this.timer) clearTimeout(this.timer);
      this.timer = undefined;
      void this.drain();
      return;
    }
    if (!this.timer) {
      this.timer = setTimeout(() => {
        this.timer = undefined;
        void this.drain();
      }, this.maxWaitMs);
    }
  }

  private drain(): Promise<void> {
    if (this.draining) return this.draining;
    const run = (async () => {
      while (this.pending.length) {
        const batch = this.pending.splice(0, this.maxBatch);
        try {
          const seqs = await this.writeBatch(batch);
          this.written += batch.length;
          this.batches++;
          batch.forEach((b, i) => b.resolve({ seq: seqs[i]! }));
        } catch (err) {
          for (const b of batch) b.reject(err);
        }
      }
    })();
    this.draining = run.finally(() => {
      this.draining = undefined;
      if (this.pending.length) this.kick();
    });
    return this.draining;
  }

  /**
   * One batch, appended to the chain. Fast path: the head this writer left last time is still the head — ONE
   * autocommit statement compares-and-sets the head and inserts the events and their subjects only if it
   * matched (a single statement is atomic; a concurrent appender's update of the head row makes the comparison
   * fail after its commit, never both succeed). Otherwise (first batch, another writer appended since): one
   * transaction that locks the head, reads it and appends after it.
   */
  private async writeBatch(batch: readonly Waiting[]): Promise<number[]> {
    const events = batch.map((b) => b.event);
    if (this.head) {
      const from = this.head;
      this.head = undefined; // known again only once this batch is written
      const { rows, texts, last } = chainAuditEvents(from, events);
      const { subjects, seqs } = subjectRows(batch, rows);
      const { rows: done } = await sql<{ appended: number }>`/* prepared:exchange_evidence */
        WITH head AS (
          UPDATE audit_chain_head SET last_seq = ${last.seq}, last_hash = ${last.hash}
           WHERE id = 1 AND last_seq = ${from.seq} AND last_hash = ${from.hash}
          RETURNING 1
        ), events AS (
          INSERT INTO audit_events (${sql.raw(AUDIT_COLUMNS.join(', '))})
          SELECT ${sql.raw(AUDIT_COLUMNS.join(', '))}
            FROM json_populate_recordset(null::audit_events, ${rowsJson(texts, rows)}::json)
           WHERE EXISTS (SELECT FROM head)
        ), subjects AS (
          INSERT INTO data_access_subjects (subject, seq)
          SELECT s, q FROM unnest(${subjects}::text[], ${seqs}::bigint[]) AS t(s, q)
           WHERE EXISTS (SELECT FROM head)
        )
        SELECT count(*)::int AS appended FROM head`.execute(this.db);
      if (done[0]?.appended === 1) {
        this.head = last;
        this.fastBatches++;
        return rows.map((r) => r.seq);
      }
      this.headMisses++;
    }
    let end: ChainHead | undefined;
    const seqs = await this.db.transaction().execute(async (trx) => {
      const written = await recordAuditEvents(trx, events);
      const { subjects, seqs } = subjectRows(batch, written);
      for (let i = 0; i < subjects.length; i += SUBJECT_CHUNK) {
        await sql`
          INSERT INTO data_access_subjects (subject, seq)
          SELECT s, q FROM unnest(${subjects.slice(i, i + SUBJECT_CHUNK)}::text[], ${seqs.slice(i, i + SUBJECT_CHUNK)}::bigint[]) AS t(s, q)`.execute(trx);
      }
      end = written[written.length - 1];
      return written.map((w) => w.seq);
    });
    // the head as this transaction left it, now committed (a failed one leaves it unknown)
    this.head = end;
    return seqs;
  }
}

/** The columns of an audit event row, as chainAuditEvents gives them. */
const AUDIT_COLUMNS = [
  'seq', 'at', 'actor_type', 'actor_id', 'on_behalf_of', 'action', 'target_type', 'target_id', 'outcome', 'ip',
  'user_agent', 'request_id', 'department_id', 'region_code', 'details', 'prev_hash', 'hash',
] as const satisfies readonly (keyof ChainedEvent)[];

/** Each event's subjects, each once, paired with the event's seq. */
function subjectRows(batch: readonly Waiting[], written: readonly { seq: number }[]): { subjects: string[]; seqs: number[] } {
  const subjects: string[] = [];
  const seqs: number[] = [];
  batch.forEach((b, i) => {
    for (const s of new Set(b.subjects)) {
      subjects.push(s);
      seqs.push(written[i]!.seq);
    }
  });
  return { subjects, seqs };
}

/**
 * The rows as a JSON array for json_populate_recordset, from their hashed texts (already JSON objects of every
 * column but the hash, which is a hex string): each with the hash added, rather than serialising them again.
 */
function rowsJson(texts: readonly string[], rows: readonly ChainedEvent[]): string {
  let out = '[';
  for (let i = 0; i < texts.length; i++) {
    const t = texts[i]!;
    out += `${i ? ',' : ''}${t.slice(0, -1)}${t.length > 2 ? ',' : ''}"hash":"${rows[i]!.hash}"}`;
  }
  return `${out}]`;
}
