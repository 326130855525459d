/**
 * 数据装载: the background job body. Any server may run it; each load is claimed by one atomic UPDATE on the row
 * picked with FOR UPDATE SKIP LOCKED — the oldest pending load of a resource that has no other load running (a
 * second upload waits for the first), or a load whose server stopped beating (`heartbeat_at` older than
 * STALE_MS), which is started again from the first row. The claim carries its own `started_at`; a server that
 * was only slow finds its claim gone at the end and stops without touching anything.
 *
 * The file is streamed (read-data-file.ts) and every record checked against the declared items
 * (validate-data-record.ts) in a tight loop; good records are serialised once per batch (BATCH_ROWS). Progress
 * (bytes, rows, bad rows, heartbeat) is written once per batch on its own connection, committed, so the
 * steward's page shows it. After the first bad record nothing more is written; the rest is only checked, for a
 * complete error report. Where the checked batches go depends on the database:
 * - PostgreSQL (a pool of connections): the applying transaction is opened at the start on a connection of its
 *   own, and each batch is written into it (apply-data-load.ts: straight into data_records, or the staging
 *   table) while the reader goes on with the next — checking and writing overlap. The first bad record rolls it
 *   back. At the end, in that same transaction: the claim checked, the resource row locked and its data_version
 *   checked unchanged, version N = data_version + 1 finished and committed.
 * - PGlite (ONE connection, which an open transaction would hold): two steps. The batches are spooled to a file
 *   on local disk while checking; then, only when every record is good, ONE transaction — the claim checked, the
 *   resource row locked, the spooled batches applied as version N.
 * Either way the version is applied in ONE transaction together with the change events (if anyone subscribes),
 * the resource's data_version, record_count and updated_at, the load 'applied', and `data_load.finished` as the
 * last write; nothing of it is visible before it commits.
 *
 * A load with any bad record is 'failed' with an error report (行号, 列, 值, 问题; personal values masked) and
 * `data_load.finished`, in one transaction; nothing of it is applied. The uploaded file is deleted once the load
 * has finished either way.
 */
import { createReadStream, createWriteStream, mkdtempSync, rmSync, type WriteStream } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { sql, type ControlledTransaction, type Kysely, type Transaction } from 'kysely';
import type { DataItem, DataLoadMode, DB } from '../../db/schema.ts';
import type { DbKind } from '../../db/database.ts';
import { recordAuditEvent } from '../audit/record-audit-event.ts';
import { SYSTEM_ACTOR } from '../audit/audit.types.ts';
import type { BlobStorage } from '../attachments/blob-storage.ts';
import type { ReadProgress } from '../result-sets/read-result-file.ts';
import { LoadFailure, LoadTakenOver } from '../result-sets/result-sets.errors.ts';
import { MAX_REPORT_PROBLEMS, reportCsv } from '../result-sets/process-result-loads.ts';
import { deleteStoredParts } from '../result-sets/upload-result-file.ts';
import { applyBatches, hasSubscribers, VersionWriter, writeChangeEvents, type AppliedCounts, type StagedBatch } from './apply-data-load.ts';
import { readCellRows, readDataFile, type DataFileFormat } from './read-data-file.ts';
import { DataRecordValidator, type LoadMode, type RowProblem } from './validate-data-record.ts';

export const STALE_MS = 2 * 60_000;
export const BATCH_ROWS = 10_000;
const BEAT_MS = 10_000;

export interface DataLoadProcessDeps {
  db: Kysely<DB>;
  dbKind: DbKind;
  storage: BlobStorage;
}

export interface ProcessOptions {
  staleMs?: number;
  batchRows?: number;
  log?: (message: string) => void;
  /** Process only this load (the benchmark); default: every claimable load. */
  onlyLoadId?: number;
}

export interface ProcessSummary {
  applied: number;
  failed: number;
  lost: number; // taken over by another server
}

interface Claimed {
  id: number;
  resourceId: number;
  mode: Exclude<DataLoadMode, 'rollback'>;
  fileKey: string;
  fileBytes: number;
  format: DataFileFormat;
  fileName: string;
  createdBy: string | null;
  startedAt: Date;
}

const defaultLog = (m: string): void => void process.stderr.write(`${m}\n`);

async function claim(db: Kysely<DB>, staleMs: number, onlyLoadId?: number): Promise<Claimed | undefined> {
  const startedAt = new Date();
  const stale = sql`now() - make_interval(secs => ${staleMs / 1000})`;
  const r = await sql<{ id: number; resource_id: number; mode: Claimed['mode']; file_key: string; file_bytes: number; format: DataFileFormat; file_name: string; created_by: string | null }>`
    UPDATE data_loads
       SET status = 'loading', started_at = ${startedAt}, heartbeat_at = now(), bytes_read = 0, rows_read = 0, rows_bad = 0,
           rows_upserted = 0, rows_deleted = 0, message = NULL, error_report_key = NULL
     WHERE id = (SELECT l.id FROM data_loads l
                  WHERE l.mode <> 'rollback' ${onlyLoadId === undefined ? sql`` : sql`AND l.id = ${onlyLoadId}`}
                    AND ((l.status = 'loading' AND (l.heartbeat_at IS NULL OR l.heartbeat_at < ${stale}))
                      OR (l.status = 'pending'
                          AND NOT EXISTS (SELECT 1 FROM data_loads o WHERE o.resource_id = l.resource_id AND o.id < l.id AND o.status IN ('pending', 'loading'))
                          AND NOT EXISTS (SELECT 1 FROM data_loads o WHERE o.resource_id = l.resource_id AND o.status = 'loading' AND o.heartbeat_at >= ${stale}))
                  )
                  ORDER BY l.id LIMIT 1 FOR UPDATE SKIP LOCKED)
    RETURNING id, resource_id, mode, file_key, file_bytes, format, file_name, created_by`.execute(db);
  const row = r.rows[0];
  if (!row) return undefined;
  return {
    id: Number(row.id),
    resourceId: row.resource_id,
    mode: row.mode,
    fileKey: row.file_key,
    fileBytes: Number(row.file_bytes),
    format: row.format,
    fileName: row.file_name,
    createdBy: row.created_by,
    startedAt,
  };
}

/** Locks the load and checks that this claim still holds it. */
async function holdClaim(trx: Transaction<DB>, load: Claimed): Promise<void> {
  const row = await trx.selectFrom('data_loads').select(['status', 'started_at']).where('id', '=', load.id).forUpdate().executeTakeFirst();
  if (!row || row.status !== 'loading' || !row.started_at || new Date(row.started_at).getTime() !== load.startedAt.getTime()) throw new LoadTakenOver();
}

/** The checked batches on local disk (two lines each: keys, records), read back in order when applying. */
class Spool {
  private readonly dir = mkdtempSync(join(tmpdir(), 'yiwang-data-load-'));
  private readonly path = join(this.dir, 'batches');
  private out: WriteStream | undefined = createWriteStream(this.path);
  private failed: unknown;
  batches = 0;

  constructor() {
    this.out!.on('error', (err) => (this.failed = err));
  }

  async write(b: StagedBatch): Promise<void> {
    if (this.failed) throw this.failed;
    this.batches++;
    const ok = this.out!.write(`${b.rows}\n${b.keys}\n${b.datas}\n`);
    if (!ok) await new Promise<void>((resolve) => this.out!.once('drain', resolve));
  }

  async close(): Promise<void> {
    const out = this.out;
    this.out = undefined;
    if (out) await new Promise<void>((resolve, reject) => out.end((err?: Error | null) => (err ? reject(err) : resolve())));
    if (this.failed) throw this.failed;
  }

  async *read(): AsyncGenerator<StagedBatch> {
    const lines = createInterface({ input: createReadStream(this.path, { highWaterMark: 1024 * 1024 }), crlfDelay: Infinity });
    let at = 0;
    let rows = 0;
    let keys = '';
    for await (const line of lines) {
      if (at === 0) rows = Number(line);
      else if (at === 1) keys = line;
      else yield { rows, keys, datas: line };
      at = (at + 1) % 3;
    }
  }

  remove(): void {
    this.out?.destroy();
    rmSync(this.dir, { recursive: true, force: true });
  }
}

type Outcome = 'applied' | 'failed' | 'lost';

/** Where the checked batches go while the file is read. */
interface BatchSink {
  write(b: StagedBatch): Promise<void>;
  /** A bad record was found: nothing of this load will be applied. */
  discard(): Promise<void>;
  /** Every record was good: applies the version in ONE transaction (LoadTakenOver when the claim is gone). */
  apply(rows: number): Promise<void>;
  /** Releases what is held (a transaction not committed is rolled back); safe to call more than once. */
  close(): Promise<void>;
}

/** PGlite: the batches spooled to local disk, applied after the whole file was checked. */
class SpoolSink implements BatchSink {
  private readonly spool = new Spool();

  constructor(
    private readonly deps: DataLoadProcessDeps,
    private readonly load: Claimed,
    private readonly code: string,
  ) {}

  write(b: StagedBatch): Promise<void> {
    return this.spool.write(b);
  }

  async discard(): Promise<void> {}

  async apply(rows: number): Promise<void> {
    await this.spool.close();
    const { deps, load, code, spool } = this;
    await deps.db.transaction().execute(async (trx) => {
      await holdClaim(trx, load);
      const resource = await trx.selectFrom('data_resources').select(['id', 'data_version', 'record_count']).where('id', '=', load.resourceId).forUpdate().executeTakeFirstOrThrow();
      const version = resource.data_version + 1;
      const counts = await applyBatches(trx, { resourceId: resource.id, version, mode: load.mode, recordCount: Number(resource.record_count), batches: spool.read() });
      await completeVersion(trx, load, code, rows, version, counts);
    });
  }

  async close(): Promise<void> {
    this.spool.remove();
  }
}

/** Batches written ahead of the reader: one executing, one waiting on the connection. */
const IN_FLIGHT = 2;

/**
 * PostgreSQL: the applying transaction, open from the start on its own connection; each batch is written as
 * soon as it is checked while the reader goes on (at most IN_FLIGHT batches ahead).
 */
class TransactionSink implements BatchSink {
  private inFlight: Promise<void>[] = [];

  private constructor(
    private readonly trx: ControlledTransaction<DB>,
    private readonly writer: VersionWriter,
    private readonly load: Claimed,
    private readonly code: string,
    private readonly version: number,
    private readonly recordCount: number,
  ) {}

  static async open(deps: DataLoadProcessDeps, load: Claimed, code: string): Promise<TransactionSink> {
    const trx = await deps.db.startTransaction().execute();
    try {
      // not locked yet (a rollback or a resource edit meanwhile must not wait for the whole file): no other load of
      // the resource runs (the claim), a rollback refuses while this one is loading; checked again under the lock
      const r = await trx.selectFrom('data_resources').select(['data_version', 'record_count']).where('id', '=', load.resourceId).executeTakeFirstOrThrow();
      const version = r.data_version + 1;
      const writer = await VersionWriter.start(trx, { resourceId: load.resourceId, version, mode: load.mode });
      return new TransactionSink(trx, writer, load, code, version, Number(r.record_count));
    } catch (err) {
      await trx.rollback().execute().catch(() => undefined);
      throw err;
    }
  }

  async write(b: StagedBatch): Promise<void> {
    const p = this.writer.add(b);
    p.catch(() => undefined); // awaited below or in drain; never an unhandled rejection meanwhile
    this.inFlight.push(p);
    if (this.inFlight.length >= IN_FLIGHT) await this.inFlight.shift();
  }

  private async drain(): Promise<void> {
    const pending = this.inFlight;
    this.inFlight = [];
    for (const p of pending) await p;
  }

  async discard(): Promise<void> {
    await this.close();
  }

  async apply(rows: number): Promise<void> {
    const { trx, load } = this;
    await this.drain();
    await holdClaim(trx, load);
    const resource = await trx.selectFrom('data_resources').select(['data_version']).where('id', '=', load.resourceId).forUpdate().executeTakeFirstOrThrow();
    if (resource.data_version !== this.version - 1) throw new Error(`data_version of resource ${load.resourceId} changed while loading (${this.version - 1} → ${resource.data_version})`);
    const counts = await this.writer.finish(this.recordCount);
    await completeVersion(trx, load, this.code, rows, this.version, counts);
    await trx.commit().execute();
  }

  async close(): Promise<void> {
    if (this.trx.isCommitted || this.trx.isRolledBack) return;
    await Promise.allSettled(this.inFlight);
    this.inFlight = [];
    await this.trx.rollback().execute();
  }
}

async function processOne(deps: DataLoadProcessDeps, load: Claimed, o: Required<Omit<ProcessOptions, 'onlyLoadId'>>): Promise<Outcome> {
  const { db } = deps;
  const resource = await db.selectFrom('data_resources').select(['id', 'code', 'items', 'key_item']).where('id', '=', load.resourceId).executeTakeFirstOrThrow();
  const items = (typeof resource.items === 'string' ? JSON.parse(resource.items) : resource.items) as DataItem[];

  const progress: ReadProgress = { bytes: 0 };
  let rowsRead = 0;
  let rowsBad = 0;
  let lost = false;
  let lastBeat = Date.now();
  const problems: { line: number; p: RowProblem }[] = [];
  let truncated = false;

  const beat = async () => {
    lastBeat = Date.now();
    const r = await db
      .updateTable('data_loads')
      .set({ bytes_read: Math.min(progress.bytes, load.fileBytes), rows_read: rowsRead, rows_bad: rowsBad, heartbeat_at: sql`now()` })
      .where('id', '=', load.id)
      .where('status', '=', 'loading')
      .where('started_at', '=', load.startedAt)
      .executeTakeFirst();
    if (Number(r.numUpdatedRows) === 0) {
      lost = true;
      throw new LoadTakenOver();
    }
  };
  // one beat at a time: per batch (its failure fails the load, LoadTakenOver included, at the next batch), and
  // from a timer when no batch completes for a while (its failure is ignored, unless the claim is gone); while
  // applying, the timer beats only on PostgreSQL (PGlite has one connection, held by the applying transaction)
  let applying = false;
  let beating: Promise<void> | undefined;
  let beatFailure: unknown;
  const startBeat = (failLoad: boolean) => {
    const run = beat()
      .catch((err: unknown) => {
        if (failLoad && beatFailure === undefined) beatFailure = err;
      })
      .finally(() => {
        if (beating === run) beating = undefined;
      });
    beating = run;
  };
  const timer = setInterval(() => {
    if (beating || Date.now() - lastBeat < BEAT_MS || (applying && deps.dbKind !== 'postgres')) return;
    startBeat(false);
  }, BEAT_MS / 2);
  timer.unref();
  const stopBeating = async () => {
    clearInterval(timer);
    while (beating) await beating;
  };

  let sink: BatchSink | undefined;
  let failure: string | undefined;
  try {
    sink = deps.dbKind === 'postgres' ? await TransactionSink.open(deps, load, resource.code) : new SpoolSink(deps, load, resource.code);
    const out = sink;
    const validator = new DataRecordValidator(items, resource.key_item, load.mode as LoadMode);
    const withData = load.mode !== 'delete';
    let writing = true;
    let discarded = false;
    let keys: string[] = [];
    let datas: string[] = ['[']; // the batch's records as JSON text, in pieces
    const take = (bad: RowProblem[] | null, line: number) => {
      if (!bad) {
        if (writing) {
          keys.push(validator.key);
          if (withData) {
            if (keys.length > 1) datas.push(',');
            validator.appendRecord(datas);
          }
        }
        return;
      }
      rowsBad++;
      writing = false;
      keys = [];
      datas = ['['];
      for (const p of bad) {
        if (problems.length < MAX_REPORT_PROBLEMS) problems.push({ line, p });
        else truncated = true;
      }
    };
    const flush = async () => {
      if (writing) {
        if (keys.length) {
          datas.push(']');
          await out.write({ rows: keys.length, keys: JSON.stringify(keys), datas: withData ? datas.join('') : '' });
        }
      } else if (!discarded) {
        discarded = true;
        await out.discard();
      }
      keys = [];
      datas = ['['];
      // the previous batch's beat (normally long done), then this one's, overlapping the next batch
      while (beating) await beating;
      if (beatFailure !== undefined) throw beatFailure;
      if (lost) throw new LoadTakenOver();
      startBeat(true);
    };

    if (load.format === 'json') {
      for await (const row of readDataFile(deps.storage, { ...load, format: 'json' }, progress)) {
        if (row.kind !== 'object') continue;
        rowsRead++;
        take(validator.checkObject(row.record, row.line), row.line);
        if (rowsRead % o.batchRows === 0) await flush();
      }
      if (rowsRead === 0) throw new LoadFailure('文件中没有记录：JSON 文件应为对象数组或每行一个对象');
    } else {
      let header = false;
      for await (const rows of readCellRows(deps.storage, { ...load, format: load.format }, progress)) {
        for (const row of rows) {
          const cells = row.cells;
          if (!header) {
            if (cells.every((c) => c === '')) continue;
            validator.header(cells);
            header = true;
            continue;
          }
          // an empty line of a spreadsheet
          let empty = true;
          for (let i = 0; i < cells.length; i++) {
            const c = cells[i];
            if (c !== '' && (typeof c !== 'string' || c.trim() !== '')) {
              empty = false;
              break;
            }
          }
          if (empty) continue;
          rowsRead++;
          take(validator.checkCells(cells, row.line), row.line);
          if (rowsRead % o.batchRows === 0) await flush();
        }
      }
      if (!header) throw new LoadFailure('文件是空的：第 1 行应为表头（信息项名称），从第 2 行起为数据');
      if (rowsRead === 0) throw new LoadFailure('文件中只有表头，没有数据行');
    }
    progress.bytes = load.fileBytes;
    await flush();
    while (beating) await beating;
    if (beatFailure !== undefined) throw beatFailure;
    if (lost) throw new LoadTakenOver();
    if (rowsBad) failure = `共 ${rowsRead} 行，其中 ${rowsBad} 行有错误，本次装载未生效，数据保持不变。请下载错误报告，修改后重新上传。`;
  } catch (err) {
    if (err instanceof LoadTakenOver || lost) {
      await stopBeating();
      await sink?.close().catch(() => undefined);
      return 'lost';
    }
    if (err instanceof LoadFailure) failure = err.message;
    else {
      o.log(`数据装载出错（load ${load.id}）：${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
      failure = '处理文件时出错，本次装载未生效，数据保持不变。请重新上传；如仍然出错，请联系平台管理员。';
    }
  }

  try {
    if (failure !== undefined) {
      await sink?.close().catch(() => undefined); // rolled back (a broken connection is given up by the pool)
      await stopBeating();
      await fail(deps, load, resource.code, failure, { rowsRead, rowsBad, bytes: Math.min(progress.bytes, load.fileBytes) }, problems, truncated);
    } else {
      applying = true;
      try {
        await sink!.apply(rowsRead);
      } finally {
        await stopBeating();
      }
    }
  } catch (err) {
    if (err instanceof LoadTakenOver) return 'lost';
    throw err;
  } finally {
    await sink?.close().catch((err: unknown) => o.log(`数据装载结束时释放事务失败（load ${load.id}）：${String(err)}`));
  }
  await deleteStoredParts(deps.storage, load.fileKey, load.fileBytes).catch((err: unknown) => o.log(`删除已装载的上传文件失败（${load.fileKey}）：${String(err)}`));
  return failure !== undefined ? 'failed' : 'applied';
}

async function fail(
  deps: DataLoadProcessDeps,
  load: Claimed,
  code: string,
  message: string,
  counts: { rowsRead: number; rowsBad: number; bytes: number },
  problems: { line: number; p: RowProblem }[],
  truncated: boolean,
): Promise<void> {
  let reportKey: string | null = null;
  if (problems.length) {
    reportKey = `${load.fileKey}/errors.csv`;
    await deps.storage.put(reportKey, reportCsv(problems, truncated), 'text/csv; charset=utf-8');
  }
  await deps.db.transaction().execute(async (trx) => {
    await holdClaim(trx, load);
    await trx
      .updateTable('data_loads')
      .set({
        status: 'failed',
        message,
        error_report_key: reportKey,
        rows_read: counts.rowsRead,
        rows_bad: counts.rowsBad,
        bytes_read: counts.bytes,
        finished_at: new Date(),
        heartbeat_at: sql`now()`,
      })
      .where('id', '=', load.id)
      .execute();
    await recordAuditEvent(trx, {
      action: 'data_load.finished',
      actor: SYSTEM_ACTOR,
      target: { type: 'data_load', id: String(load.id) },
      details: { resourceId: load.resourceId, resourceCode: code, mode: load.mode, status: 'failed', rows: counts.rowsRead, rowsBad: counts.rowsBad, errorReport: reportKey !== null, message, uploadedBy: load.createdBy },
    });
  });
}

/**
 * The end of an applied load, in its transaction (the claim held, the resource row locked, the records written):
 * change events if anyone subscribes, the resource's version and count, the load 'applied', the audit event last.
 */
async function completeVersion(trx: Transaction<DB>, load: Claimed, code: string, rows: number, version: number, counts: AppliedCounts): Promise<void> {
  const events = (await hasSubscribers(trx, load.resourceId)) ? await writeChangeEvents(trx, load.resourceId, version) : 0;
  const now = new Date();
  await trx.updateTable('data_resources').set({ data_version: version, record_count: counts.recordCount, updated_at: now }).where('id', '=', load.resourceId).execute();
  const same = load.mode === 'delete' ? rows - counts.deleted : rows - counts.upserted;
  const message =
    load.mode === 'delete'
      ? `已生效为第 ${version} 版：删除 ${counts.deleted} 条记录${same > 0 ? `（${same} 个关键项本来就没有记录）` : ''}`
      : `已生效为第 ${version} 版：新增或更新 ${counts.upserted} 条，删除 ${counts.deleted} 条记录${same > 0 ? `（${same} 条与现有记录相同，未变）` : ''}`;
  await trx
    .updateTable('data_loads')
    .set({
      status: 'applied',
      version,
      message,
      rows_read: rows,
      rows_bad: 0,
      rows_upserted: counts.upserted,
      rows_deleted: counts.deleted,
      bytes_read: load.fileBytes,
      finished_at: now,
      heartbeat_at: sql`now()`,
    })
    .where('id', '=', load.id)
    .execute();
  await recordAuditEvent(trx, {
    action: 'data_load.finished',
    actor: SYSTEM_ACTOR,
    target: { type: 'data_load', id: String(load.id) },
    details: {
      resourceId: load.resourceId,
      resourceCode: code,
      mode: load.mode,
      status: 'applied',
      version,
      rows,
      upserted: counts.upserted,
      deleted: counts.deleted,
      recordCount: counts.recordCount,
      changeEvents: events,
      uploadedBy: load.createdBy,
    },
  });
}

/** Processes every claimable load, one after another. */
export async function processDataLoads(deps: DataLoadProcessDeps, opts: ProcessOptions = {}): Promise<ProcessSummary> {
  const o = { staleMs: opts.staleMs ?? STALE_MS, batchRows: opts.batchRows ?? BATCH_ROWS, log: opts.log ?? defaultLog };
  const summary: ProcessSummary = { applied: 0, failed: 0, lost: 0 };
  for (;;) {
    const load = await claim(deps.db, o.staleMs, opts.onlyLoadId);
    if (!load) break;
    summary[await processOne(deps, load, o)]++;
    if (opts.onlyLoadId !== undefined) break;
  }
  return summary;
}
