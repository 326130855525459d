/**
 * 结果数据校验导入: the background loader. Any server may run it; each load is claimed by one atomic UPDATE on
 * the row picked with FOR UPDATE SKIP LOCKED, so two servers never take the same load. A server that dies
 * mid-load stops beating (`heartbeat_at`); after STALE_MS another server takes the load over and starts again
 * from the first row. The claim carries its own `started_at`: every later write of the first server names it, so
 * a server that was only slow finds its claim gone and stops without touching anything.
 *
 * A load streams the file (read-result-file.ts), checks each row (validate-result-row.ts) and writes good rows
 * in batches of BATCH_ROWS with one multi-row INSERT each (insertRows), the next batch being parsed while the
 * previous one is written; progress (bytes, rows, bad rows, heartbeat) is written once
 * per batch, never per row. After the first bad row nothing more is written: the rest is only checked, for a
 * complete error report.
 *
 * Outcome — never a half-loaded set:
 * - any bad row, or a failure of the whole file: the load is 'failed' with a message (and, for row problems, an
 *   error report CSV in storage: 行号, 列, 值, 问题; UTF-8 with BOM for Excel); its rows are deleted; the set is
 *   untouched.
 * - every row good: in ONE transaction the previous active load becomes 'superseded', the set points at this
 *   load, the load is 'ready', the set's revision moves, `result_set.load_finished` is written; this server's
 *   memory is refreshed; the superseded rows are deleted in batches RETIRE_MS later (a later run), when every
 *   server has switched to the new load.
 * The uploaded file is deleted once its load has finished either way (the rows, or the report, are what remain).
 */
import { sql, type Kysely } from 'kysely';
import { stringify } from 'csv-stringify/sync';
import type { DB } from '../../db/schema.ts';
import { recordAuditEvent } from '../audit/record-audit-event.ts';
import { SYSTEM_ACTOR } from '../audit/audit.types.ts';
import { readResultFile, type ReadProgress, type StoredFile } from './read-result-file.ts';
import { LoadFailure, LoadTakenOver } from './result-sets.errors.ts';
import type { ResultSetDeps } from './result-sets.types.ts';
import { mapHeader, RowValidator, type RowProblem } from './validate-result-row.ts';
import { deleteStoredParts } from './upload-result-file.ts';
import { isUniqueViolation } from '../staff/db-errors.ts';

export const STALE_MS = 2 * 60_000;
/**
 * A replaced load's rows are kept this long before they are deleted: another server that was just reading them
 * into memory (it started, or the set was just released) finishes with a whole set, not a half-deleted one, and
 * its next poll of the revision switches it to the new load.
 */
export const RETIRE_MS = 60_000;
export const BATCH_ROWS = 5000;
/** The error report lists at most this many problems (the message still counts every bad row). */
export const MAX_REPORT_PROBLEMS = 100_000;
const BEAT_MS = 10_000;
const DELETE_BATCH = 20_000;

export interface ProcessOptions {
  staleMs?: number;
  /** How long a replaced load's rows are kept (0: deleted at once). */
  retireAfterMs?: number;
  batchRows?: number;
  log?: (message: string) => void;
}

export interface ProcessSummary {
  ready: number;
  failed: number;
  lost: number; // taken over by another server
  cleaned: number; // finished loads whose leftover rows were deleted
}

interface Claimed extends StoredFile {
  id: number;
  setId: number;
  startedAt: Date;
  createdBy: string | null;
  fileName: string;
}

const defaultLog = (m: string): void => void process.stderr.write(`${m}\n`);

/** Refreshes this server's memory of published sets; a failure only delays it until the next poll. */
export async function refreshQuietly(deps: Pick<ResultSetDeps, 'resultSets'>, log = defaultLog): Promise<void> {
  try {
    await deps.resultSets.refreshNow();
  } catch (err) {
    log(`结果集内存刷新失败（将在下次轮询时刷新）：${String(err)}`);
  }
}

/** Deletes a finished load's rows in batches (short statements: no long lock, no huge transaction). */
export async function deleteLoadRows(db: Kysely<DB>, loadId: number, batch = DELETE_BATCH): Promise<number> {
  let total = 0;
  for (;;) {
    const r = await sql`DELETE FROM result_rows WHERE load_id = ${loadId}
      AND key_hash IN (SELECT key_hash FROM result_rows WHERE load_id = ${loadId} LIMIT ${batch})`.execute(db);
    const n = Number(r.numAffectedRows ?? 0);
    total += n;
    if (n < batch) return total;
  }
}

async function claim(db: Kysely<DB>, staleMs: number): Promise<Claimed | undefined> {
  const startedAt = new Date();
  const r = await sql<{ id: number; set_id: number; file_key: string; file_bytes: number; format: 'csv' | 'xlsx'; created_by: string | null; file_name: string }>`
    UPDATE result_loads
       SET status = 'loading', started_at = ${startedAt}, heartbeat_at = now(), bytes_read = 0, rows_read = 0, rows_bad = 0,
           message = NULL, error_report_key = NULL
     WHERE id = (SELECT id FROM result_loads
                  WHERE status = 'pending'
                     OR (status = 'loading' AND (heartbeat_at IS NULL OR heartbeat_at < now() - make_interval(secs => ${staleMs / 1000})))
                  ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED)
    RETURNING id, set_id, file_key, file_bytes, format, created_by, file_name`.execute(db);
  const row = r.rows[0];
  if (!row) return undefined;
  return {
    id: Number(row.id),
    setId: row.set_id,
    fileKey: row.file_key,
    fileBytes: Number(row.file_bytes),
    format: row.format,
    startedAt,
    createdBy: row.created_by,
    fileName: row.file_name,
  };
}

/** Locks the load and checks that this claim still holds it. */
async function holdClaim(trx: Kysely<DB>, load: Claimed): Promise<void> {
  const row = await trx.selectFrom('result_loads').select(['status', 'started_at']).where('id', '=', load.id).forUpdate().executeTakeFirst();
  if (!row || row.status !== 'loading' || !row.started_at || new Date(row.started_at).getTime() !== load.startedAt.getTime()) throw new LoadTakenOver();
}

export function reportCsv(problems: { line: number; p: RowProblem }[], truncated: boolean): Buffer {
  // a value that Excel would run as a formula is shown as text
  const safe = (v: string) => (/^[=+@\t\r]/.test(v) || /^-[^0-9.]/.test(v) ? `'${v}` : v);
  const rows: string[][] = problems.map(({ line, p }) => [String(line), p.column, safe(p.value), p.message]);
  if (truncated) rows.push(['', '', '', `错误过多，仅列出前 ${MAX_REPORT_PROBLEMS} 条`]);
  return Buffer.from(`\uFEFF${stringify(rows, { header: true, columns: ['行号', '列', '值', '问题'], record_delimiter: 'windows' })}`, 'utf8');
}

/**
 * One batch of rows in one statement: the keys and the data as two JSON arrays of strings, made into SQL arrays
 * and unnested side by side. JSON is serialised natively on this side and parsed fast on the server (PGlite
 * too); it beat binding text[] parameters (escaped element by element in JavaScript) and json_to_recordset.
 * No ON CONFLICT on the way: the row checks already refused duplicate keys, and speculative insertion costs a
 * third of the time. A conflict can only come from a server that lost this load (taken over) but still wrote a
 * batch: the same file, the same rows — those are skipped.
 */
export async function insertRows(db: Kysely<DB>, loadId: number, keys: string[], datas: string[]): Promise<void> {
  const k = JSON.stringify(keys);
  const d = JSON.stringify(datas);
  const run = (onConflict: boolean) => sql`INSERT INTO result_rows (load_id, key_hash, data)
    SELECT ${loadId}::bigint, r.k, r.d
      FROM unnest(ARRAY(SELECT v FROM json_array_elements_text(${k}::json) WITH ORDINALITY AS t(v, n) ORDER BY n),
                  ARRAY(SELECT v FROM json_array_elements_text(${d}::json) WITH ORDINALITY AS t(v, n) ORDER BY n)) AS r(k, d)
    ${onConflict ? sql`ON CONFLICT DO NOTHING` : sql``}`.execute(db);
  try {
    await run(false);
  } catch (err) {
    if (!isUniqueViolation(err)) throw err;
    await run(true);
  }
}

async function processOne(deps: ResultSetDeps, load: Claimed, o: Required<ProcessOptions>): Promise<'ready' | 'failed' | 'lost'> {
  const { db } = deps;
  const set = await db.selectFrom('result_sets').select(['id', 'code', 'columns', 'key_columns', 'salt']).where('id', '=', load.setId).executeTakeFirstOrThrow();
  await deleteLoadRows(db, load.id); // what an earlier attempt (a server that died) left

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
      .updateTable('result_loads')
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
  // a heartbeat even when no batch completes for a while (a slow part of an XLSX, a slow storage)
  let beating: Promise<void> | undefined;
  const timer = setInterval(() => {
    if (beating || Date.now() - lastBeat < BEAT_MS) return;
    beating = beat()
      .catch(() => undefined)
      .finally(() => (beating = undefined));
  }, BEAT_MS / 2);
  timer.unref();

  // batches being written: two at once on PostgreSQL (a pool), one on PGlite (one connection)
  const inflight = new Set<Promise<void>>();
  const maxInflight = deps.dbKind === 'postgres' ? 2 : 1;
  let keys: string[] = [];
  let datas: string[] = [];
  const flush = async () => {
    const k = keys;
    const d = datas;
    keys = [];
    datas = [];
    while (inflight.size >= maxInflight) await Promise.race(inflight); // a failed write throws here
    if (lost) throw new LoadTakenOver();
    const write = (async () => {
      if (k.length) await insertRows(db, load.id, k, d);
      await beat();
    })();
    inflight.add(write);
    // a failed write stays in the set, so the next race (or the final wait) sees its error
    write.then(
      () => inflight.delete(write),
      () => undefined,
    );
  };

  const finish = async (): Promise<void> => {
    clearInterval(timer);
    if (beating) await beating;
    await Promise.allSettled([...inflight]);
  };

  let failure: string | undefined;
  try {
    let validator: RowValidator | undefined;
    let writing = true;
    for await (const row of readResultFile(deps.storage, load, progress)) {
      if (!validator) {
        if (row.cells.every((c) => c === '')) continue;
        validator = new RowValidator(set.columns, set.key_columns, set.salt, mapHeader(set.columns, row.cells));
        continue;
      }
      if (row.cells.every((c) => c === '' || (typeof c === 'string' && c.trim() === ''))) continue; // an empty line of a spreadsheet
      rowsRead++;
      const r = validator.check(row.cells, row.line);
      if (r.ok) {
        if (writing) {
          keys.push(r.keyHash);
          datas.push(r.data);
        }
      } else {
        rowsBad++;
        writing = false;
        keys = [];
        datas = [];
        for (const p of r.problems) {
          if (problems.length < MAX_REPORT_PROBLEMS) problems.push({ line: row.line, p });
          else truncated = true;
        }
      }
      if (rowsRead % o.batchRows === 0) await flush();
    }
    if (!validator) throw new LoadFailure('文件是空的：第 1 行应为表头（列名），从第 2 行起为数据');
    if (rowsRead === 0) throw new LoadFailure('文件中只有表头，没有数据行');
    progress.bytes = load.fileBytes;
    await flush();
    await Promise.all([...inflight]);
    if (rowsBad) failure = `共 ${rowsRead} 行，其中 ${rowsBad} 行有错误，数据未导入，原有数据不变。请下载错误报告，修改后重新上传。`;
  } catch (err) {
    if (err instanceof LoadTakenOver || lost) {
      await finish();
      return 'lost';
    }
    if (err instanceof LoadFailure) failure = err.message;
    else {
      o.log(`结果数据导入出错（load ${load.id}）：${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
      failure = '处理文件时出错，数据未导入，原有数据不变。请重新上传；如仍然出错，请联系平台管理员。';
    }
  }
  await finish();

  try {
    if (failure !== undefined) await fail(deps, load, set.code, failure, { rowsRead, rowsBad, bytes: Math.min(progress.bytes, load.fileBytes) }, problems, truncated);
    else await activate(deps, load, set.code, rowsRead, o);
  } catch (err) {
    if (err instanceof LoadTakenOver) return 'lost';
    throw err;
  }
  await deleteStoredParts(deps.storage, load.fileKey, load.fileBytes).catch((err: unknown) => o.log(`删除已导入的上传文件失败（${load.fileKey}）：${String(err)}`));
  return failure !== undefined ? 'failed' : 'ready';
}

async function fail(
  deps: ResultSetDeps,
  load: Claimed,
  setCode: string,
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
      .updateTable('result_loads')
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
      action: 'result_set.load_finished',
      actor: SYSTEM_ACTOR,
      target: { type: 'result_load', id: String(load.id) },
      details: { setId: load.setId, setCode, status: 'failed', rows: counts.rowsRead, rowsBad: counts.rowsBad, errorReport: reportKey !== null, message, uploadedBy: load.createdBy },
    });
  });
  await deleteLoadRows(deps.db, load.id);
}

async function activate(deps: ResultSetDeps, load: Claimed, setCode: string, rows: number, o: Required<ProcessOptions>): Promise<void> {
  const outcome = await deps.db.transaction().execute(async (trx) => {
    await holdClaim(trx, load);
    const set = await trx.selectFrom('result_sets').select(['id', 'active_load_id', 'revision']).where('id', '=', load.setId).forUpdate().executeTakeFirstOrThrow();
    const now = new Date();
    const previous = set.active_load_id === null ? null : Number(set.active_load_id);
    // an older upload finishing after a newer one (never with one upload at a time per set, but cheap to be sure)
    const stale = previous !== null && previous > load.id;
    await trx
      .updateTable('result_loads')
      .set({
        status: stale ? 'superseded' : 'ready',
        message: stale ? '已有更新的上传数据生效，本次数据未启用' : `校验通过，已导入 ${rows} 行`,
        rows_read: rows,
        rows_bad: 0,
        bytes_read: load.fileBytes,
        finished_at: now,
        heartbeat_at: sql`now()`,
      })
      .where('id', '=', load.id)
      .execute();
    if (!stale) {
      if (previous !== null) {
        // for a finished load, heartbeat_at says when it last changed: here, when it was retired
        await trx
          .updateTable('result_loads')
          .set({ status: 'superseded', message: `已被第 ${load.id} 号上传替换`, heartbeat_at: sql`now()` })
          .where('id', '=', previous)
          .execute();
      }
      await trx
        .updateTable('result_sets')
        .set({ active_load_id: load.id, revision: set.revision + 1, updated_at: now })
        .where('id', '=', set.id)
        .execute();
    }
    await recordAuditEvent(trx, {
      action: 'result_set.load_finished',
      actor: SYSTEM_ACTOR,
      target: { type: 'result_load', id: String(load.id) },
      details: { setId: set.id, setCode, status: stale ? 'superseded' : 'ready', rows, replacedLoadId: stale ? null : previous, uploadedBy: load.createdBy },
    });
    return { stale, previous };
  });
  await refreshQuietly(deps, o.log);
  // rows no query ever read go at once; the replaced load's after RETIRE_MS (cleanUpRetiredRows)
  if (outcome.stale) await deleteLoadRows(deps.db, load.id);
  else if (outcome.previous !== null && o.retireAfterMs <= 0) await deleteLoadRows(deps.db, outcome.previous);
}

/** Rows of replaced loads, once RETIRE_MS has passed; and any left behind (a server stopped before deleting them). */
async function cleanUpRetiredRows(db: Kysely<DB>, retireAfterMs: number): Promise<number> {
  const r = await sql<{ id: number }>`SELECT l.id FROM result_loads l
     WHERE l.status IN ('failed', 'superseded')
       AND (l.heartbeat_at IS NULL OR l.heartbeat_at <= now() - make_interval(secs => ${retireAfterMs / 1000}))
       AND EXISTS (SELECT 1 FROM result_rows r WHERE r.load_id = l.id)
     ORDER BY l.id LIMIT 3`.execute(db);
  for (const { id } of r.rows) await deleteLoadRows(db, Number(id));
  return r.rows.length;
}

/** Loads every claimable load, one after another, then deletes leftover rows of finished loads. */
export async function processResultLoads(deps: ResultSetDeps, opts: ProcessOptions = {}): Promise<ProcessSummary> {
  const o: Required<ProcessOptions> = {
    staleMs: opts.staleMs ?? STALE_MS,
    retireAfterMs: opts.retireAfterMs ?? RETIRE_MS,
    batchRows: opts.batchRows ?? BATCH_ROWS,
    log: opts.log ?? defaultLog,
  };
  const summary: ProcessSummary = { ready: 0, failed: 0, lost: 0, cleaned: 0 };
  for (;;) {
    const load = await claim(deps.db, o.staleMs);
    if (!load) break;
    summary[await processOne(deps, load, o)]++;
  }
  summary.cleaned = await cleanUpRetiredRows(deps.db, o.retireAfterMs);
  return summary;
}
