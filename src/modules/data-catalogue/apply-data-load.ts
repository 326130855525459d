/**
 * Applies a checked load as the resource's next data version N, inside the caller's ONE transaction (the
 * resource row locked): nothing of it is visible until it commits, and a failure leaves the records as they were.
 *
 * Records are versioned rows (data_records): a row is in force at V when added_in <= V < removed_in. A changed
 * record is its old row closed (removed_in = N) and a new row (added_in = N); a record identical to the one in
 * force is left alone (not a change, not counted).
 *
 * - Fast path — a full or upsert load into a resource with no record in force (the first load, the benchmark):
 *   each batch goes straight into data_records with one INSERT of two parameters (the keys as a JSON array,
 *   the records as a JSON array of objects, zipped by ROWS FROM).
 * - Otherwise the batches go to a temporary staging table (dropped at commit), then set-based statements:
 *   full — close every row in force that is not in the file unchanged, insert every record of the file not in
 *   force unchanged; upsert — close the rows whose key is in the file with other data, insert the same way;
 *   delete — close the rows whose key is in the file.
 *
 * When the resource has an active subscription, one data_change_events row per changed record follows (op
 * upsert/delete, in key order); without one, nothing (loads stay fast).
 */
import { sql, type Transaction } from 'kysely';
import type { DB } from '../../db/schema.ts';
import type { LoadMode } from './validate-data-record.ts';

export interface StagedBatch {
  keys: string; // JSON array of the keys
  datas: string; // JSON array of the records (objects); '' in a delete load
  rows: number;
}

export interface AppliedCounts {
  upserted: number; // records added or replaced
  deleted: number; // records removed (not replaced)
  recordCount: number; // records in force after the version
}

const n = (v: unknown) => Number(v ?? 0);

/** True when some row of the resource is in force. */
export async function hasCurrentRecords(trx: Transaction<DB>, resourceId: number): Promise<boolean> {
  const r = await sql<{ one: number }>`SELECT 1 AS one FROM data_records WHERE resource_id = ${resourceId} AND removed_in IS NULL LIMIT 1`.execute(trx);
  return r.rows.length > 0;
}

/** Inserts one batch as rows in force from version N. */
async function insertDirect(trx: Transaction<DB>, resourceId: number, version: number, b: StagedBatch): Promise<number> {
  const r = await sql`INSERT INTO data_records (resource_id, record_key, data, added_in)
    SELECT ${resourceId}::int, r.k, r.d, ${version}::int
      FROM ROWS FROM (json_array_elements_text(${b.keys}::json), jsonb_array_elements(${b.datas}::jsonb)) AS r(k, d)`.execute(trx);
  return n(r.numAffectedRows);
}

async function stage(trx: Transaction<DB>, b: StagedBatch, withData: boolean): Promise<void> {
  if (withData) {
    await sql`INSERT INTO data_load_stage (record_key, data)
      SELECT r.k, r.d FROM ROWS FROM (json_array_elements_text(${b.keys}::json), jsonb_array_elements(${b.datas}::jsonb)) AS r(k, d)`.execute(trx);
  } else {
    await sql`INSERT INTO data_load_stage (record_key) SELECT json_array_elements_text(${b.keys}::json)`.execute(trx);
  }
}

/**
 * Writes one version batch by batch, inside the caller's transaction: `start` picks the path (straight into
 * data_records, or through the staging table), `add` writes a batch as it comes (on PostgreSQL while the file is
 * still being read), `finish` runs the set-based statements of the staged path and returns the counts.
 */
export class VersionWriter {
  private upserted = 0;

  private constructor(
    private readonly trx: Transaction<DB>,
    private readonly o: { resourceId: number; version: number; mode: LoadMode },
    readonly direct: boolean,
  ) {}

  static async start(trx: Transaction<DB>, o: { resourceId: number; version: number; mode: LoadMode }): Promise<VersionWriter> {
    const direct = o.mode !== 'delete' && !(await hasCurrentRecords(trx, o.resourceId));
    if (!direct) await sql`CREATE TEMP TABLE data_load_stage (record_key text NOT NULL, data jsonb) ON COMMIT DROP`.execute(trx);
    return new VersionWriter(trx, o, direct);
  }

  async add(b: StagedBatch): Promise<void> {
    if (!b.rows) return;
    if (this.direct) {
      const added = await insertDirect(this.trx, this.o.resourceId, this.o.version, b);
      this.upserted += added;
    } else await stage(this.trx, b, this.o.mode !== 'delete');
  }

  /** `recordCount`: the records in force before this version. */
  async finish(recordCount: number): Promise<AppliedCounts> {
    if (this.direct) return { upserted: this.upserted, deleted: 0, recordCount: this.upserted };
    return applyStaged(this.trx, { ...this.o, recordCount });
  }
}

/** Applies the batches as version `version`; returns the counts. The caller holds the resource row. */
export async function applyBatches(
  trx: Transaction<DB>,
  o: { resourceId: number; version: number; mode: LoadMode; recordCount: number; batches: AsyncIterable<StagedBatch> },
): Promise<AppliedCounts> {
  const w = await VersionWriter.start(trx, o);
  for await (const b of o.batches) await w.add(b);
  return w.finish(o.recordCount);
}

/** The staged path's set-based statements (the staging table holds the whole file). */
async function applyStaged(trx: Transaction<DB>, o: { resourceId: number; version: number; mode: LoadMode; recordCount: number }): Promise<AppliedCounts> {
  const { resourceId: rid, version: v } = o;
  await sql`ANALYZE data_load_stage`.execute(trx);

  let removed = 0;
  let replaced = 0;
  let inserted = 0;
  if (o.mode === 'full') {
    const r = await sql<{ removed: number; replaced: number }>`WITH closed AS (
        UPDATE data_records d SET removed_in = ${v}::int
         WHERE d.resource_id = ${rid} AND d.removed_in IS NULL
           AND NOT EXISTS (SELECT 1 FROM data_load_stage s WHERE s.record_key = d.record_key AND s.data = d.data)
        RETURNING d.record_key)
      SELECT count(*)::int AS removed,
             count(*) FILTER (WHERE EXISTS (SELECT 1 FROM data_load_stage s WHERE s.record_key = closed.record_key))::int AS replaced
        FROM closed`.execute(trx);
    removed = n(r.rows[0]?.removed);
    replaced = n(r.rows[0]?.replaced);
  } else if (o.mode === 'upsert') {
    const r = await sql`UPDATE data_records d SET removed_in = ${v}::int FROM data_load_stage s
       WHERE d.resource_id = ${rid} AND d.removed_in IS NULL AND d.record_key = s.record_key AND d.data <> s.data`.execute(trx);
    removed = n(r.numAffectedRows);
    replaced = removed;
  } else {
    const r = await sql`UPDATE data_records d SET removed_in = ${v}::int FROM data_load_stage s
       WHERE d.resource_id = ${rid} AND d.removed_in IS NULL AND d.record_key = s.record_key`.execute(trx);
    removed = n(r.numAffectedRows);
  }
  if (o.mode !== 'delete') {
    const r = await sql`INSERT INTO data_records (resource_id, record_key, data, added_in)
      SELECT ${rid}::int, s.record_key, s.data, ${v}::int FROM data_load_stage s
       WHERE NOT EXISTS (SELECT 1 FROM data_records d WHERE d.resource_id = ${rid} AND d.record_key = s.record_key AND d.removed_in IS NULL)`.execute(trx);
    inserted = n(r.numAffectedRows);
  }
  await sql`DROP TABLE data_load_stage`.execute(trx);
  return { upserted: inserted, deleted: removed - replaced, recordCount: o.recordCount - removed + inserted };
}

/** True when the resource has at least one active change subscription. */
export async function hasSubscribers(trx: Transaction<DB>, resourceId: number): Promise<boolean> {
  const r = await trx.selectFrom('data_subscriptions').select('id').where('resource_id', '=', resourceId).where('status', '=', 'active').limit(1).executeTakeFirst();
  return r !== undefined;
}

/** One change event per record changed by version N, in key order (only call when there are subscribers). */
export async function writeChangeEvents(trx: Transaction<DB>, resourceId: number, version: number): Promise<number> {
  const r = await sql`INSERT INTO data_change_events (resource_id, version, record_key, op)
    SELECT ${resourceId}::int, ${version}::int, c.k, c.op FROM (
      SELECT a.record_key AS k, 'upsert' AS op FROM data_records a WHERE a.resource_id = ${resourceId} AND a.added_in = ${version}
      UNION ALL
      SELECT d.record_key, 'delete' FROM data_records d
       WHERE d.resource_id = ${resourceId} AND d.removed_in = ${version}
         AND NOT EXISTS (SELECT 1 FROM data_records a WHERE a.resource_id = ${resourceId} AND a.record_key = d.record_key AND a.added_in = ${version})
    ) c ORDER BY c.k`.execute(trx);
  return n(r.numAffectedRows);
}
