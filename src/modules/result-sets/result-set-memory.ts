/**
 * Published result sets held in this server's memory, so that a query on release day needs no database read.
 *
 * What is held:
 * - every published or withdrawn set's description (code, title, columns, key columns, release time, status,
 *   salt, revision), read again whenever its row in `result_sets` changes;
 * - for each published set that is released, or is released within `preloadMinutes`, the rows of its active
 *   load, compactly (`ResultRows`): no object per row — one Buffer of UTF-8 JSON and a Uint32Array of offsets
 *   per 20,000 rows, the 16-byte key hashes in one Buffer per 20,000 rows, and an open-addressing hash table
 *   (a Uint32Array) from key hash to row number. About 30 bytes per row besides the row's JSON; nothing for the
 *   garbage collector to walk, so a set of a million rows costs no pause time.
 *
 * How it stays current: `start(pollMs)` reads (id, revision, status, active_load_id, release_at) of the
 * non-draft sets every second (one small query) and the full description of the sets that changed;
 * `refreshNow()` does the same at once (the department side calls it after publishing, withdrawing or
 * loading on this server; other servers see the change within one poll). A set whose active load changes is
 * loaded in the background and swapped in when complete: until then queries are answered from the old rows. A
 * withdrawn set's rows are dropped at once. A query for a released set whose rows are not here yet (the
 * server has just started) loads them once; concurrent queries wait for that same load.
 *
 * Loading reads `result_rows` in keyset-paginated batches (ORDER BY key_hash LIMIT 20,000) and yields to the
 * event loop between batches and while building the hash table, so requests keep being answered.
 */
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import type { Kysely } from 'kysely';
import type { DB, ResultColumn } from '../../db/schema.ts';

/** Rows read per statement, and rows per chunk of memory (an option, so tests can cross chunks with a few rows). */
const BATCH_ROWS = 20_000;
const HASH_BYTES = 16; // a key hash: 22 base64url characters
/** Rows encoded between two yields to the event loop while loading (about a millisecond's work). */
const YIELD_ROWS = 2_000;

/** A set as queries and pages see it (immutable; replaced when the set changes). */
export interface HeldResultSet {
  id: number;
  code: string;
  title: string;
  description: string;
  departmentName: string;
  columns: ResultColumn[];
  /** the key columns' definitions, in key order (考生号, 身份证号 …) */
  keyColumns: ResultColumn[];
  releaseAt: Date;
  status: 'published' | 'withdrawn';
  activeLoadId: number | null;
  salt: string;
  revision: number;
  /** `{"set":{"code":…,"title":…},"row":` — the beginning of a found answer, encoded once */
  answerPrefix: Buffer;
}

interface Entry {
  set: HeldResultSet;
  /** the rows queries read now: the active load's, or the previous load's until the active one is in */
  rows: ResultRows | undefined;
  loadedInMs: number | undefined;
}

export interface ResultSetMemoryStats {
  sets: {
    code: string;
    status: string;
    released: boolean;
    /** the active load's rows are in memory */
    warm: boolean;
    loadId: number | null;
    rows: number;
    dataBytes: number; // the rows' JSON
    indexBytes: number; // hashes, offsets and the hash table
    loadedInMs: number | null;
  }[];
  rows: number;
  bytes: number;
  loading: number;
}

/** A probe of 16 bytes reused by every lookup (lookups are synchronous). */
const probe = Buffer.alloc(HASH_BYTES);

/** The rows of one load, by key hash. */
export class ResultRows {
  private constructor(
    private readonly chunk: number,
    readonly loadId: number | null,
    /** the salt the rows were hashed with when they were read */
    readonly salt: string,
    readonly count: number,
    private readonly data: Buffer[],
    private readonly offsets: Uint32Array[],
    private readonly hashes: Buffer[],
    private readonly table: Uint32Array,
  ) {}

  static empty(salt: string): ResultRows {
    return new ResultRows(BATCH_ROWS, null, salt, 0, [], [], [], new Uint32Array(16));
  }

  /** Reads a load's rows from the database, batch by batch, yielding between batches. */
  static async read(db: Kysely<DB>, loadId: number, salt: string, chunk: number = BATCH_ROWS): Promise<ResultRows> {
    const data: Buffer[] = [];
    const offsets: Uint32Array[] = [];
    const hashes: Buffer[] = [];
    let count = 0;
    let last = '';
    for (;;) {
      const batch = await db
        .selectFrom('result_rows')
        .select(['key_hash', 'data'])
        .where('load_id', '=', loadId)
        .where('key_hash', '>', last)
        .orderBy('key_hash')
        .limit(chunk)
        .execute();
      if (batch.length) {
        const n = batch.length;
        const h = Buffer.allocUnsafeSlow(n * HASH_BYTES);
        const o = new Uint32Array(n + 1);
        let total = 0;
        for (const r of batch) total += Buffer.byteLength(r.data, 'utf8');
        const d = Buffer.allocUnsafeSlow(total);
        let at = 0;
        for (let i = 0; i < n; i++) {
          const r = batch[i]!;
          if (r.key_hash.length !== 22 || h.write(r.key_hash, i * HASH_BYTES, HASH_BYTES, 'base64url') !== HASH_BYTES) {
            throw new Error(`result_rows of load ${loadId}: key_hash "${r.key_hash}" is not 22 base64url characters`);
          }
          o[i] = at;
          at += d.write(r.data, at, 'utf8');
          if (i % YIELD_ROWS === YIELD_ROWS - 1) await yieldToLoop(); // a few ms at a time: requests go on
        }
        o[n] = at;
        data.push(d);
        offsets.push(o);
        hashes.push(h);
        count += n;
      }
      // every chunk but the last holds exactly `chunk` rows: row r is in chunk r / chunk
      if (batch.length < chunk) break;
      last = batch[batch.length - 1]!.key_hash;
      await yieldToLoop();
    }
    // an open-addressing table at most half full; the hashes are uniform, so their first 32 bits index it
    let size = 16;
    while (size < count * 2) size *= 2;
    const table = new Uint32Array(size);
    const mask = size - 1;
    for (let r = 0; r < count; r++) {
      const c = (r / chunk) | 0;
      let slot = hashes[c]!.readUInt32LE((r - c * chunk) * HASH_BYTES) & mask;
      while (table[slot] !== 0) slot = (slot + 1) & mask;
      table[slot] = r + 1;
      if (r % (8 * YIELD_ROWS) === 8 * YIELD_ROWS - 1) await yieldToLoop();
    }
    return new ResultRows(chunk, loadId, salt, count, data, offsets, hashes, table);
  }

  /** The row's JSON for a key hash (a view into the set's memory, not a copy), or undefined. */
  find(keyHash: string): Buffer | undefined {
    if (keyHash.length !== 22 || probe.write(keyHash, 0, HASH_BYTES, 'base64url') !== HASH_BYTES) return undefined;
    const mask = this.table.length - 1;
    let slot = probe.readUInt32LE(0) & mask;
    for (;;) {
      const v = this.table[slot]!;
      if (v === 0) return undefined;
      const r = v - 1;
      const c = (r / this.chunk) | 0;
      const i = r - c * this.chunk;
      if (this.hashes[c]!.compare(probe, 0, HASH_BYTES, i * HASH_BYTES, (i + 1) * HASH_BYTES) === 0) {
        const o = this.offsets[c]!;
        return this.data[c]!.subarray(o[i]!, o[i + 1]!);
      }
      slot = (slot + 1) & mask;
    }
  }

  get dataBytes(): number {
    let n = 0;
    for (const d of this.data) n += d.length;
    return n;
  }

  get indexBytes(): number {
    let n = this.table.byteLength;
    for (const h of this.hashes) n += h.length;
    for (const o of this.offsets) n += o.byteLength;
    return n;
  }
}

type SetRow = { id: number; revision: number; status: string; active_load_id: number | null; release_at: Date | string };

function resolveKeyColumns(columns: ResultColumn[], keys: string[]): ResultColumn[] {
  // a key column missing from the declared columns (not expected) is still asked for, as text
  return keys.map((k) => columns.find((c) => c.key === k) ?? { key: k, label: k, type: 'text', required: true });
}

export interface ResultSetMemoryOptions {
  /** published sets are loaded this many minutes before their release (YIWANG_RESULT_PRELOAD_MINUTES) */
  preloadMinutes?: number;
  /** rows read per statement and held per chunk (default 20,000) */
  batchRows?: number;
}

export class ResultSetMemory {
  private readonly byId = new Map<number, Entry>();
  private readonly byCode = new Map<string, Entry>();
  private readonly loading = new Map<number, { loadId: number | null; promise: Promise<ResultRows> }>();
  private refreshing: Promise<void> | undefined;
  private first: Promise<void> | undefined;
  private timer: NodeJS.Timeout | undefined;
  private onError: (err: unknown) => void = (err) => process.stderr.write(`结果集刷新失败（下次轮询重试）：${String(err)}\n`);
  private readonly preloadMs: number;
  private readonly batchRows: number;
  /** loads finished since start (tests check that concurrent queries share one) */
  loadsCompleted = 0;

  constructor(
    private readonly db: Kysely<DB>,
    o: ResultSetMemoryOptions = {},
  ) {
    this.preloadMs = Math.max(0, o.preloadMinutes ?? 30) * 60_000;
    this.batchRows = Math.max(1, o.batchRows ?? BATCH_ROWS);
  }

  /** Reads the sets now and then every `pollMs`; load errors and refresh errors go to `onError`. */
  start(pollMs = 1000, onError?: (err: unknown) => void): void {
    if (onError) this.onError = onError;
    this.ready().catch(this.onError);
    if (pollMs <= 0 || this.timer) return;
    this.timer = setInterval(() => {
      if (!this.refreshing) this.refreshNow().catch(this.onError);
    }, pollMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  /** Re-reads the sets whose row changed (after a publication, withdrawal or a finished load on this server). */
  refreshNow(): Promise<void> {
    const run = (this.refreshing ?? Promise.resolve()).catch(() => undefined).then(() => this.refreshOnce());
    const tracked = run.finally(() => {
      if (this.refreshing === tracked) this.refreshing = undefined;
    });
    this.refreshing = tracked;
    return tracked;
  }

  /** Resolves once this server has read the sets (the first query after a start reads them if the poll has not). */
  ready(): Promise<void> {
    if (!this.first) {
      this.first = this.refreshNow();
      this.first.catch(() => (this.first = undefined)); // the next caller tries again
    }
    return this.first;
  }

  /** A set by its code (published or withdrawn) if this server holds it now; no waiting (the hot path). */
  get(code: string): HeldResultSet | undefined {
    return this.byCode.get(code)?.set;
  }

  /** A set by its code (published or withdrawn), once the sets have been read. */
  async find(code: string): Promise<HeldResultSet | undefined> {
    await this.ready();
    return this.byCode.get(code)?.set;
  }

  /** Every published set (released or not), the latest release first. */
  async listPublished(): Promise<HeldResultSet[]> {
    await this.ready();
    return [...this.byId.values()]
      .map((e) => e.set)
      .filter((s) => s.status === 'published')
      .sort((a, b) => b.releaseAt.getTime() - a.releaseAt.getTime() || a.code.localeCompare(b.code));
  }

  /**
   * The rows a query of `set` reads: in memory already (the active load's, or the previous load's while the
   * active one is being read), or read now — once, whoever else asks meanwhile.
   */
  rowsFor(set: HeldResultSet): ResultRows | Promise<ResultRows> {
    const e = this.byId.get(set.id);
    if (!e || e.set.status !== 'published') return ResultRows.empty(set.salt);
    if (e.rows) {
      if (e.rows.loadId !== e.set.activeLoadId) this.loadInBackground(e);
      return e.rows;
    }
    return this.load(e);
  }

  /** The set's active load is in memory. */
  isWarm(code: string): boolean {
    const e = this.byCode.get(code);
    return !!e && e.set.status === 'published' && e.rows !== undefined && e.rows.loadId === e.set.activeLoadId;
  }

  /** Resolves when no load is in progress (tests; the benchmark waits with `isWarm`). */
  async whenIdle(): Promise<void> {
    while (this.loading.size) await Promise.allSettled([...this.loading.values()].map((l) => l.promise));
  }

  /** What is held, and how many bytes it takes (the benchmark's memory figure). */
  stats(now: number = Date.now()): ResultSetMemoryStats {
    const sets = [...this.byId.values()].map((e) => ({
      code: e.set.code,
      status: e.set.status,
      released: e.set.releaseAt.getTime() <= now,
      warm: this.isWarm(e.set.code),
      loadId: e.rows?.loadId ?? null,
      rows: e.rows?.count ?? 0,
      dataBytes: e.rows?.dataBytes ?? 0,
      indexBytes: e.rows?.indexBytes ?? 0,
      loadedInMs: e.loadedInMs ?? null,
    }));
    return {
      sets,
      rows: sets.reduce((n, s) => n + s.rows, 0),
      bytes: sets.reduce((n, s) => n + s.dataBytes + s.indexBytes, 0),
      loading: this.loading.size,
    };
  }

  private async refreshOnce(): Promise<void> {
    const rows: SetRow[] = await this.db
      .selectFrom('result_sets')
      .select(['id', 'revision', 'status', 'active_load_id', 'release_at'])
      .where('status', '!=', 'draft')
      .execute();
    const changed = rows.filter((r) => {
      const s = this.byId.get(r.id)?.set;
      return (
        !s || s.revision !== r.revision || s.status !== r.status || s.activeLoadId !== r.active_load_id || s.releaseAt.getTime() !== new Date(r.release_at).getTime()
      );
    });
    if (changed.length) {
      const full = await this.db
        .selectFrom('result_sets as s')
        .innerJoin('departments as d', 'd.id', 's.department_id')
        .select(['s.id', 's.code', 's.title', 's.description', 's.columns', 's.key_columns', 's.release_at', 's.status', 's.active_load_id', 's.salt', 's.revision', 'd.name as department_name'])
        .where('s.id', 'in', changed.map((r) => r.id))
        .execute();
      for (const r of full) {
        if (r.status === 'draft') continue; // moved back since the first read: dropped below
        const columns = r.columns as ResultColumn[];
        const set: HeldResultSet = {
          id: r.id,
          code: r.code,
          title: r.title,
          description: r.description,
          departmentName: r.department_name,
          columns,
          keyColumns: resolveKeyColumns(columns, r.key_columns as string[]),
          releaseAt: new Date(r.release_at),
          status: r.status,
          activeLoadId: r.active_load_id === null ? null : Number(r.active_load_id),
          salt: r.salt,
          revision: r.revision,
          answerPrefix: Buffer.from(`{"set":${JSON.stringify({ code: r.code, title: r.title })},"row":`),
        };
        const old = this.byId.get(r.id);
        if (old && old.set.code !== set.code) this.byCode.delete(old.set.code);
        // withdrawn: the rows go at once; otherwise the rows held stay until the active load's replace them
        const entry: Entry = { set, rows: set.status === 'published' ? old?.rows : undefined, loadedInMs: old?.loadedInMs };
        if (entry.rows && entry.rows.salt !== set.salt) entry.rows = undefined; // hashed with another salt: useless
        this.byId.set(r.id, entry);
        this.byCode.set(set.code, entry);
      }
    }
    const present = new Set(rows.map((r) => r.id));
    for (const [id, e] of this.byId) {
      if (present.has(id)) continue;
      this.byId.delete(id);
      if (this.byCode.get(e.set.code) === e) this.byCode.delete(e.set.code);
    }
    this.preload(Date.now());
  }

  /** Starts loading the sets that are released or about to be, and not in memory yet. */
  private preload(now: number): void {
    for (const e of this.byId.values()) {
      if (e.set.status !== 'published' || e.set.releaseAt.getTime() - now > this.preloadMs) continue;
      if (!this.isWarm(e.set.code)) this.loadInBackground(e);
    }
  }

  /** Starts reading the set's active load unless that is under way (its failure is reported once, here). */
  private loadInBackground(e: Entry): void {
    if (this.loading.get(e.set.id)?.loadId === e.set.activeLoadId) return;
    this.load(e).catch(this.onError);
  }

  /** Reads the set's active load (single flight per set and load) and swaps it in if it is still the active one. */
  private load(e: Entry): Promise<ResultRows> {
    const { id, activeLoadId, salt } = e.set;
    const running = this.loading.get(id);
    if (running && running.loadId === activeLoadId) return running.promise;
    const t0 = Date.now();
    const promise = (activeLoadId === null ? Promise.resolve(ResultRows.empty(salt)) : ResultRows.read(this.db, activeLoadId, salt, this.batchRows)).then(
      (rows) => {
        const cur = this.byId.get(id);
        if (cur && cur.set.status === 'published' && cur.set.activeLoadId === activeLoadId && cur.set.salt === salt) {
          cur.rows = rows;
          cur.loadedInMs = Date.now() - t0;
        }
        this.loadsCompleted++;
        return rows;
      },
    );
    const entry = { loadId: activeLoadId, promise };
    this.loading.set(id, entry);
    const done = () => {
      if (this.loading.get(id) === entry) this.loading.delete(id);
    };
    promise.then(done, done);
    return promise;
  }
}
