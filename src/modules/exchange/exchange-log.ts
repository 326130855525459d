/**
 * Durable access evidence with group commit (证据落库后才应答). Each exchange call hands its audit event and
 * the subjects it touched to `write`, which resolves only once they are committed. Calls arriving together are
 * written together: the first waits up to `maxWaitMs` (1 ms) for company, and while a batch is being written
 * the next ones gather; a batch (up to `maxBatch` events) is ONE transaction — the events chained into the
 * audit log under one lock of the chain head (recordAuditEvents, one multi-row insert) and one multi-row
 * insert into data_access_subjects. If the transaction fails, every call of the batch fails (nothing was sent).
 *
 * The transaction touches nothing but these tables and waits on nothing else (PGlite has one connection).
 * `stop` writes what is waiting (server close); writes after that are written at once.
 */
import { sql, type Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';
import type { AuditEventInput } from '../audit/audit.types.ts';
import { recordAuditEvents } from '../audit/record-audit-event.ts';

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

  private writeBatch(batch: readonly Waiting[]): Promise<number[]> {
    return this.db.transaction().execute(async (trx) => {
      const written = await recordAuditEvents(
        trx,
        batch.map((b) => b.event),
      );
      const subjects: string[] = [];
      const seqs: number[] = [];
      batch.forEach((b, i) => {
        for (const s of new Set(b.subjects)) {
          subjects.push(s);
          seqs.push(written[i]!.seq);
        }
      });
      for (let i = 0; i < subjects.length; i += SUBJECT_CHUNK) {
        await sql`
          INSERT INTO data_access_subjects (subject, seq)
          SELECT s, q FROM unnest(${subjects.slice(i, i + SUBJECT_CHUNK)}::text[], ${seqs.slice(i, i + SUBJECT_CHUNK)}::bigint[]) AS t(s, q)
          ON CONFLICT DO NOTHING`.execute(trx);
      }
      return written.map((w) => w.seq);
    });
  }
}
