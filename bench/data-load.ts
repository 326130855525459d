/**
 * Load rate of data onboarding (数据装载): a resource of 8 items keyed by resident ID (户籍人口-like), a
 * deterministic CSV of `rows` rows written to a temporary file, stored and queued as an upload stores and
 * queues it, then the job body run to completion; timed from the job's start to the load applied.
 *
 * `node --import tsx bench/data-load.ts [rows]` runs it on its own against DATABASE_URL (PostgreSQL, migrated
 * first) or an in-memory PGlite, and prints the result as JSON.
 */
import { createReadStream, createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Kysely } from 'kysely';
import type { DataItem, DB } from '../src/db/schema.ts';
import type { DbKind } from '../src/db/database.ts';
import { SYSTEM_ACTOR } from '../src/modules/audit/audit.types.ts';
import { LocalBlobStorage, type BlobStorage } from '../src/modules/attachments/blob-storage.ts';
import { residentIdCheckChar } from '../src/shared/codes/resident-id.ts';
import { processDataLoads } from '../src/modules/data-catalogue/process-data-loads.ts';
import { queueStoredDataFile, storeDataFile } from '../src/modules/data-catalogue/upload-data-file.ts';

export const BENCH_ITEMS: DataItem[] = [
  { key: 'id_number', name: '公民身份号码', type: 'resident_id', required: true, personal: true, mask: 'resident_id' },
  { key: 'name', name: '姓名', type: 'text', required: true, personal: true, mask: 'name' },
  { key: 'sex', name: '性别', type: 'text', required: true, personal: false },
  { key: 'birth_date', name: '出生日期', type: 'date', required: true, personal: true, mask: 'full' },
  { key: 'address', name: '户籍地址', type: 'text', required: true, personal: true, mask: 'address' },
  { key: 'region_code', name: '户籍地行政区划代码', type: 'text', required: true, personal: false },
  { key: 'income', name: '上年度收入', type: 'decimal', required: false, personal: false },
  { key: 'registered_on', name: '登记日期', type: 'date', required: false, personal: false },
];

const SURNAMES = '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗';
const GIVEN = ['伟', '芳', '娜', '秀英', '敏', '静', '丽', '强', '磊', '军', '洋', '勇', '艳', '杰', '娟', '涛'];
const AREAS = ['520102', '520103', '520111', '520112', '520113', '520115', '520302', '520402'];
const STREETS = ['中华北路', '延安东路', '宝山南路', '北京路', '都司路', '解放路', '花溪大道', '观山东路'];

/** Row i of the deterministic file (a valid resident ID, unique by i). */
function rowOf(i: number): string {
  const area = AREAS[i % AREAS.length]!;
  const year = 1940 + (i % 80);
  const month = 1 + (i % 12);
  const day = 1 + (i % 28);
  const birth = `${year}${String(month).padStart(2, '0')}${String(day).padStart(2, '0')}`;
  // the sequence makes the ID unique: (area, birth) repeats every lcm(8, 80, 12, 28) = 1680 rows
  const seq = Math.floor(i / 1680);
  const body = `${area}${birth}${String(seq % 1000).padStart(3, '0')}`;
  const first17 = seq >= 1000 ? `${AREAS[(i + Math.floor(seq / 1000)) % AREAS.length]!.slice(0, 4)}${String(10 + Math.floor(seq / 1000)).slice(-2)}${body.slice(6)}` : body;
  const id = first17 + residentIdCheckChar(first17);
  const name = SURNAMES[i % SURNAMES.length]! + GIVEN[(i >> 3) % GIVEN.length]!;
  const sex = Number(first17[16]) % 2 === 1 ? '男' : '女';
  const address = `贵州省贵阳市${STREETS[i % STREETS.length]}${1 + (i % 300)}号${1 + (i % 20)}栋${101 + (i % 30)}室`;
  const income = ((i * 7919) % 2_000_000) / 100;
  const registered = `20${String(10 + (i % 15)).padStart(2, '0')}-${String(1 + (i % 12)).padStart(2, '0')}-${String(1 + (i % 28)).padStart(2, '0')}`;
  return `${id},${name},${sex},${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')},${address},${area},${income},${registered}\n`;
}

export async function writeCsv(path: string, rows: number): Promise<void> {
  const out = createWriteStream(path);
  const write = (s: string) => (out.write(s) ? undefined : new Promise<void>((r) => out.once('drain', r)));
  await write(`${BENCH_ITEMS.map((i) => i.name).join(',')}\n`);
  let chunk = '';
  for (let i = 0; i < rows; i++) {
    chunk += rowOf(i);
    if (chunk.length > 256 * 1024) {
      await write(chunk);
      chunk = '';
    }
  }
  if (chunk) await write(chunk);
  await new Promise<void>((resolve, reject) => out.end((err?: Error | null) => (err ? reject(err) : resolve())));
}

export async function runDataLoadBench(o: {
  db: Kysely<DB>;
  storage: BlobStorage;
  rows: number;
  departmentId?: number;
  dbKind?: DbKind;
}): Promise<{ rows: number; seconds: number; rowsPerSecond: number; bytes: number }> {
  const { db } = o;
  const departmentId = o.departmentId ?? (await db.selectFrom('departments').select('id').orderBy('id').limit(1).executeTakeFirstOrThrow()).id;
  // PostgreSQL beats the heartbeat on another connection while applying; PGlite (one connection) does not
  const dbKind: DbKind = o.dbKind ?? (process.env.DATABASE_URL || process.env.BENCH_DATABASE_URL ? 'postgres' : 'pglite');
  const code = `BENCH-LOAD-${Date.now().toString(36)}`;
  const resource = await db
    .insertInto('data_resources')
    .values({
      code,
      name: '户籍人口（装载基准）',
      provider_department_id: departmentId,
      catalogue_kind: 'base',
      base_library: 'population',
      classification: '人口/户籍',
      abstract: '装载速度基准测试用资源',
      format: 'table',
      items: JSON.stringify(BENCH_ITEMS),
      key_item: 'id_number',
      share_type: 'conditional',
      share_conditions: '仅限基准测试',
      open_type: 'closed',
      update_cycle: 'daily',
      grade: 'important',
      updated_at: new Date(),
    })
    .returningAll()
    .executeTakeFirstOrThrow();

  const dir = mkdtempSync(join(tmpdir(), 'yiwang-bench-load-'));
  try {
    const path = join(dir, 'population.csv');
    await writeCsv(path, o.rows);
    const bytes = statSync(path).size;
    const stored = await storeDataFile(o.storage, { fileName: 'population.csv', stream: createReadStream(path, { highWaterMark: 1024 * 1024 }) }, Math.ceil(bytes / 1024 / 1024) + 10);
    const queued = await queueStoredDataFile({ db, storage: o.storage }, null, resource, 'full', stored, 'population.csv', SYSTEM_ACTOR);
    const started = process.hrtime.bigint();
    const summary = await processDataLoads({ db, dbKind, storage: o.storage }, { onlyLoadId: queued.loadId });
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const load = await db.selectFrom('data_loads').select(['status', 'message', 'rows_upserted']).where('id', '=', queued.loadId).executeTakeFirstOrThrow();
    if (load.status !== 'applied' || summary.applied !== 1) throw new Error(`benchmark load did not apply: ${load.status} ${load.message ?? ''}`);
    if (load.rows_upserted !== o.rows) throw new Error(`benchmark load applied ${load.rows_upserted} of ${o.rows} rows`);
    return { rows: o.rows, seconds: Math.round(seconds * 1000) / 1000, rowsPerSecond: Math.round(o.rows / seconds), bytes };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const rows = Number(process.argv[2] ?? 100_000);
  const { openDatabase } = await import('../src/db/database.ts');
  const { migrateToLatest } = await import('../src/db/migrate.ts');
  const database = await openDatabase({ url: process.env.DATABASE_URL });
  await migrateToLatest(database.db);
  let dept = await database.db.selectFrom('departments').select('id').orderBy('id').limit(1).executeTakeFirst();
  if (!dept) {
    await database.db.insertInto('regions').values({ code: '520000', name: '贵州省', full_name: '贵州省', level: 'province', parent_code: null, sort: 0 }).onConflict((c) => c.doNothing()).execute();
    dept = await database.db
      .insertInto('departments')
      .values({ credit_code: '11520000MB0000000X', name: '贵州省公安厅', short_name: '省公安厅', kind: 'public_security', region_code: '520000', org_type: '政府工作部门', address: '', phone: '', office_hours: '' })
      .returning('id')
      .executeTakeFirstOrThrow();
  }
  const dir = mkdtempSync(join(tmpdir(), 'yiwang-bench-files-'));
  try {
    const r = await runDataLoadBench({ db: database.db, storage: new LocalBlobStorage(dir), rows, departmentId: dept.id, dbKind: database.kind });
    process.stdout.write(`${JSON.stringify({ database: database.kind, ...r })}\n`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
    await database.close();
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  main().catch((err: unknown) => {
    process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(1);
  });
}
