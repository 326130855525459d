/**
 * `npm run bench [-- <scenario> … ] [--db pglite|postgres]` — load-tests a running Yiwang server with
 * autocannon, on PGlite and on PostgreSQL, against a Fastify hello-world baseline measured in the same run.
 *
 * Every server runs in its own child process on a free 127.0.0.1 port (autocannon stays in this process):
 *   baseline         bench/hello-child.ts, `GET /` → {"hello":"world"}; its req/s is the denominator of every ratio
 *   search-uncached  `GET /api/v1/items?…` over bench/queries.ts, server started with YIWANG_SEARCH_CACHE_SIZE=0
 *   search-cached    the same mix against a server with the default search cache
 *   guide-page       `GET /items/:code` (HTML guide) over ~200 item codes fetched from the API first
 *   item-json        `GET /api/v1/items/:code` over the same codes
 *   sign-in          `POST /api/v1/auth/login` with the demo accounts' passwords (argon2id), rotating accounts
 *   api-anonymous    `GET /api/v1/regions/:code` (answered from memory) — the anonymous side of the comparison
 *   api-authenticated `GET /api/v1/me/session` with a session cookie (answered from the session lookup alone)
 *   submit, staff-inbox  applications (PostgreSQL only; bench/applications.ts)
 *   result-query     a 1,000,000-row score set queried by 1,000 connections from its release moment (bench/convenience.ts)
 *   booking-contention  500 people at once for one slot of 10 places, three rounds (bench/convenience.ts)
 *   exchange-lookup  `GET /api/v1/exchange/…` record lookups by a machine client with a grant: masking, the access
 *                    log in the audit chain (PostgreSQL only; bench/exchange.ts)
 *   data-load        a 1,000,000-row CSV loaded as a resource's first data version, rows per second (bench/data-load.ts)
 *   list-page        the public pages of the three lists: browse, filters, search, powers, the check (bench/three-lists.ts)
 *   list-export      downloads of the three lists as CSV, XLSX and JSON (10 connections)
 *
 * PGlite keeps its files in bench/tmp/pglite (seeded by the server on first use, reused afterwards);
 * PostgreSQL uses BENCH_DATABASE_URL or postgres://postgres@127.0.0.1:5432/yiwang_bench (created if missing;
 * skipped with a message if the server is unreachable). Both are re-seeded when src/seed/ changed since their
 * seed, or with BENCH_RESEED=1.
 *
 * Environment: BENCH_CONNECTIONS (50), BENCH_DURATION (10 s per scenario), BENCH_WARMUP (2 s),
 * BENCH_START_TIMEOUT (900 s for a server to come up, including a first seed), BENCH_TIMEOUT (3600 s overall).
 * See bench/README.md.
 *
 * Writes bench/results/<scenario>.<db>.json, bench/results/baseline.json and bench/results/summary.md.
 * Exits non-zero if a server failed or any measured request failed (non-2xx, connection error, timeout).
 */
import autocannon from 'autocannon';
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { cpus } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { isChildMessage } from './child-ipc.ts';
import { SEARCH_PATHS } from './queries.ts';
import { DEMO_PASSWORD, DEMO_PERSONS, DEMO_STAFF } from '../src/seed/accounts.seed.ts';
import { prepareInbox, prepareSubmit } from './applications.ts';
import { candidateKeys, contentionOutcome, CONTENTION_PEOPLE, CONTENTION_PLACES, prepareContention, prepareScoreSet, scheduleRelease, SCORE_ROWS, SCORE_SET_CODE } from './convenience.ts';
import { Agent, request as httpRequest } from 'node:http';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { runDataLoadBench } from './data-load.ts';
import { threeListsBenchPaths, threeListsExportPaths, threeListsPowerPaths } from './three-lists.ts';
import { prepareExchangeBench } from './exchange.ts';
import { openDatabase } from '../src/db/database.ts';
import { LocalBlobStorage } from '../src/modules/attachments/blob-storage.ts';

// ---------------------------------------------------------------------------------------------------------
// Settings
// ---------------------------------------------------------------------------------------------------------

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const BENCH_DIR = fileURLToPath(new URL('.', import.meta.url));
const RESULTS_DIR = join(BENCH_DIR, 'results');
const PGLITE_DIR = join(BENCH_DIR, 'tmp', 'pglite');
const DEFAULT_PG_URL = 'postgres://postgres@127.0.0.1:5432/yiwang_bench';
const HOST = '127.0.0.1';

function envNumber(name: string, fallback: number, opts: { integer?: boolean; min?: number } = {}): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  const min = opts.min ?? 1;
  if (!Number.isFinite(n) || n < min || (opts.integer && !Number.isInteger(n))) {
    throw new Error(`${name} must be a${opts.integer ? 'n integer' : ' number'} ≥ ${min}, got "${raw}"`);
  }
  return n;
}

const CONNECTIONS = envNumber('BENCH_CONNECTIONS', 50, { integer: true });
const DURATION_S = envNumber('BENCH_DURATION', 10);
const WARMUP_S = envNumber('BENCH_WARMUP', 2, { min: 0 });
const START_TIMEOUT_MS = envNumber('BENCH_START_TIMEOUT', 900) * 1000;
const OVERALL_TIMEOUT_MS = envNumber('BENCH_TIMEOUT', 3600) * 1000;
const PIPELINING = 1;
const GUIDE_CODES = 200;

// ---------------------------------------------------------------------------------------------------------
// Scenarios and targets
// ---------------------------------------------------------------------------------------------------------

const DBS = ['postgres', 'pglite'] as const;
type DbName = (typeof DBS)[number];

const SCENARIO_NAMES = ['search-uncached', 'search-cached', 'guide-page', 'item-json', 'sign-in', 'api-anonymous', 'api-authenticated', 'submit', 'staff-inbox', 'result-query', 'booking-contention', 'data-load', 'exchange-lookup', 'list-page', 'list-export'] as const;
type ScenarioName = (typeof SCENARIO_NAMES)[number];

/** Which server configuration a scenario runs against. */
type ServerMode = 'search-cache-off' | 'default';

interface Target {
  minRatio?: number; // rps / baseline rps
  maxP99Ms?: number;
  minRps?: number; // an absolute rate (submissions per second)
  maxSettleMs?: number; // a burst of requests all answered within this time
}

/** One request of a scenario's rotation. */
interface RequestSpec {
  method: 'GET' | 'POST';
  path: string;
  body?: string | (() => string); // JSON; a function makes each request's body (e.g. a fresh idempotency key)
  headers?: Record<string, string>;
}

/** What scenarios draw their requests from, gathered once per server. */
interface ScenarioInputs {
  codes: readonly string[]; // implementation item codes
  cookies: readonly string[]; // session cookies of signed-in demo accounts
}

interface Scenario {
  name: ScenarioName;
  server: ServerMode;
  target: Target | null; // null: recorded, no target in the issues
  requests(inputs: ScenarioInputs): readonly RequestSpec[];
  /** Only on these databases (default: both). */
  dbs?: readonly DbName[];
  /** Connections for this scenario (default BENCH_CONNECTIONS). */
  connections?: number;
  /** Prepares the database and sessions once the server is up; its specs replace `requests`. */
  prepare?(base: string, pgUrl: string): Promise<readonly RequestSpec[]>;
  /** Reads its requests from the running server's open API (either database); its specs replace `requests`. */
  prepareOverHttp?(base: string): Promise<readonly RequestSpec[]>;
  /** A scenario that measures in its own way (a release moment, a burst) instead of a timed rotation. */
  run?(child: Child, io: { db: DbName; baselineRps: number; pgUrl: string }): Promise<BenchResult[]>;
}

const get = (path: string): RequestSpec => ({ method: 'GET', path });

const SEARCH_TARGET: Target = { minRatio: 0.25, maxP99Ms: 30 };
const GUIDE_TARGET: Target = { minRatio: 0.4, maxP99Ms: 20 };

/** Demo accounts that sign in (src/seed/accounts.seed.ts). */
const SIGN_IN_BODIES = [
  ...DEMO_PERSONS.map((p) => ({ kind: 'person', identifier: p.mobile })),
  ...DEMO_STAFF.map((s) => ({ kind: 'staff', identifier: s.staffNo })),
].map((b) => JSON.stringify({ ...b, password: DEMO_PASSWORD }));
const JSON_HEADERS = { 'content-type': 'application/json' };
const ANON_REGIONS = ['330106', '330100', '330000', '330302', '330122', '330782'];

const SCENARIOS: readonly Scenario[] = [
  { name: 'search-uncached', server: 'search-cache-off', target: SEARCH_TARGET, requests: () => SEARCH_PATHS.map(get) },
  { name: 'search-cached', server: 'default', target: SEARCH_TARGET, requests: () => SEARCH_PATHS.map(get) },
  { name: 'guide-page', server: 'default', target: GUIDE_TARGET, requests: ({ codes }) => codes.map((c) => get(`/items/${c}`)) },
  { name: 'item-json', server: 'default', target: GUIDE_TARGET, requests: ({ codes }) => codes.map((c) => get(`/api/v1/items/${c}`)) },
  {
    name: 'sign-in',
    server: 'default',
    target: null,
    requests: () => SIGN_IN_BODIES.map((body) => ({ method: 'POST', path: '/api/v1/auth/login', body, headers: JSON_HEADERS })),
  },
  { name: 'api-anonymous', server: 'default', target: null, requests: () => ANON_REGIONS.map((r) => get(`/api/v1/regions/${r}`)) },
  {
    name: 'api-authenticated',
    server: 'default',
    target: null,
    requests: ({ cookies }) => cookies.map((cookie) => ({ method: 'GET', path: '/api/v1/me/session', headers: { cookie } })),
  },
  {
    name: 'submit',
    server: 'default',
    target: { minRps: 1500 },
    dbs: ['postgres'],
    requests: () => [],
    prepare: async (base, pgUrl) => {
      const { specs, item } = await prepareSubmit(base, pgUrl);
      console.log(`  submitting to ${item} as ${specs.length} demo persons`);
      return specs;
    },
  },
  {
    name: 'staff-inbox',
    server: 'default',
    target: { maxP99Ms: 50 },
    // staff, not the public: a department's inbox is opened by a handful of people at a time
    connections: Number(process.env.BENCH_INBOX_CONNECTIONS ?? 10),
    dbs: ['postgres'],
    requests: () => [],
    prepare: (base, pgUrl) => prepareInbox(base, pgUrl, (s) => console.log(s)),
  },
  {
    name: 'result-query',
    server: 'default',
    target: { minRatio: 0.4, maxP99Ms: 25 },
    dbs: ['postgres'],
    requests: () => [],
    run: (child, io) => runResultQuery(child, io),
  },
  {
    name: 'booking-contention',
    server: 'default',
    target: { maxSettleMs: 1000 },
    dbs: ['postgres'],
    requests: () => [],
    run: (child, io) => runBookingContention(child, io),
  },
  {
    name: 'exchange-lookup',
    server: 'default',
    target: { minRatio: 0.25, maxP99Ms: 25 },
    dbs: ['postgres'],
    requests: () => [],
    prepare: async (_base, pgUrl) => {
      const database = await openDatabase({ url: pgUrl });
      try {
        const { token, paths } = await prepareExchangeBench({ db: database.db, records: EXCHANGE_RECORDS });
        console.log(`  looking up ${paths.length} of ${EXCHANGE_RECORDS.toLocaleString('en')} records through the exchange API (masked, every call in the audit chain)`);
        return paths.map((path) => ({ method: 'GET' as const, path, headers: { authorization: `Bearer ${token}` } }));
      } finally {
        await database.close();
      }
    },
  },
  {
    name: 'list-page',
    server: 'default',
    target: { minRatio: 0.25, maxP99Ms: 30 },
    requests: () => [],
    prepareOverHttp: async (base) => {
      const paths = threeListsBenchPaths(await threeListsPowerPaths(base, 50));
      console.log(`  ${paths.length} public pages of the three lists (browse, filters, Chinese search, powers, the negative-list check, funds)`);
      return paths.map(get);
    },
  },
  // downloads of whole lists (thousands of rows as CSV, XLSX, JSON): recorded, no target in the issues
  { name: 'list-export', server: 'default', target: null, connections: Number(process.env.BENCH_EXPORT_CONNECTIONS ?? 10), requests: () => threeListsExportPaths().map(get) },
  {
    name: 'data-load',
    server: 'default',
    target: { minRps: 50_000 }, // rows per second
    dbs: ['postgres'],
    requests: () => [],
    run: (_child, io) => runDataLoad(io),
  },
];

/** Exchange lookups: records of a resource of this many people. */
const EXCHANGE_RECORDS = envNumber('BENCH_EXCHANGE_RECORDS', 100_000, { integer: true });

/** Data onboarding: a 1,000,000-row CSV loaded as a resource's first version, timed from the job's start. */
const LOAD_ROWS = envNumber('BENCH_LOAD_ROWS', 1_000_000, { integer: true });
async function runDataLoad(io: { db: DbName; baselineRps: number; pgUrl: string }): Promise<BenchResult[]> {
  const database = await openDatabase({ url: io.pgUrl });
  const dir = mkdtempSync(join(tmpdir(), 'yiwang-bench-load-'));
  try {
    const m = await runDataLoadBench({ db: database.db, storage: new LocalBlobStorage(dir), rows: LOAD_ROWS, dbKind: 'postgres' });
    const r: BenchResult = {
      scenario: 'data-load',
      db: io.db,
      rps: round(m.rowsPerSecond, 0), // rows per second
      p50_ms: 0,
      p99_ms: 0,
      baseline_rps: round(io.baselineRps, 1),
      ratio: 0,
      connections: 0,
      duration_s: round(m.seconds, 2),
      requests: m.rows,
      non2xx: 0,
      errors: 0,
      timeouts: 0,
      status_codes: {},
      target: { min_rps: 50_000 },
      target_met: m.rowsPerSecond >= 50_000,
      node: process.version,
      at: new Date().toISOString(),
      details: { rows: m.rows, bytes: m.bytes, rows_per_second: round(m.rowsPerSecond, 0) },
    };
    console.log(`  data-load: ${m.rows.toLocaleString('en')} rows (${(m.bytes / 1e6).toFixed(1)} MB CSV) in ${m.seconds.toFixed(1)} s = ${Math.round(m.rowsPerSecond).toLocaleString('en')} rows/s (target ≥ 50,000)`);
    saveResult(r);
    return [r];
  } finally {
    await database.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Booking contention: 500 signed-in people press 预约 at once for one slot of 10 places; three rounds. */
async function runBookingContention(child: Child, io: { db: DbName; baselineRps: number; pgUrl: string }): Promise<BenchResult[]> {
  const ROUNDS = 3;
  const settles: number[] = [];
  const latencies: number[] = [];
  const statusCodes: Record<string, number> = {};
  let wrong = 0;
  await serverQuiet(child);
  for (let round = 1; round <= ROUNDS; round++) {
    const { serviceCode, day, startsAt, sessions } = await prepareContention(io.pgUrl);
    const base = new URL(child.base);
    // every person on a connection of their own, opened before the moment (as browsers already on the page)
    const agent = new Agent({ keepAlive: true, maxSockets: CONTENTION_PEOPLE });
    const send = (method: string, path: string, headers: Record<string, string>, body?: string) =>
      new Promise<{ status: number; ms: number }>((resolve, reject) => {
        const t0 = performance.now();
        const req = httpRequest({ host: base.hostname, port: base.port, method, path, agent, headers }, (res) => {
          res.resume();
          res.on('end', () => resolve({ status: res.statusCode ?? 0, ms: performance.now() - t0 }));
        });
        req.on('error', reject);
        req.end(body);
      });
    // as people already on the booking page: each has loaded the day's slots and their own bookings (signed in)
    await Promise.all(
      sessions.map(async (s) => {
        await send('GET', `/api/v1/appointments/services/${encodeURIComponent(serviceCode)}/days/${day}`, { cookie: s.cookie });
        await send('GET', '/api/v1/appointments/bookings', { cookie: s.cookie });
      }),
    );
    const body = JSON.stringify({ serviceCode, day, startsAt });
    const t0 = performance.now();
    const results = await Promise.all(
      sessions.map((s) =>
        send('POST', '/api/v1/appointments/bookings', { cookie: s.cookie, 'x-csrf-token': s.csrf, 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)) }, body),
      ),
    );
    const settle = performance.now() - t0;
    agent.destroy();
    const booked = results.filter((r) => r.status === 201).length;
    const full = results.filter((r) => r.status === 409).length;
    for (const r of results) {
      statusCodes[r.status] = (statusCodes[r.status] ?? 0) + 1;
      latencies.push(r.ms);
    }
    const outcome = await contentionOutcome(io.pgUrl, serviceCode);
    const exact = booked === CONTENTION_PLACES && full === CONTENTION_PEOPLE - CONTENTION_PLACES && outcome.taken === CONTENTION_PLACES && outcome.active === CONTENTION_PLACES;
    if (!exact) wrong++;
    settles.push(settle);
    console.log(
      `  booking-contention round ${round}: ${CONTENTION_PEOPLE} at once for ${CONTENTION_PLACES} places → ${booked} booked, ${full} told 约满, ` +
        `slot taken ${outcome.taken}/${outcome.capacity}; settled in ${settle.toFixed(0)} ms${exact ? '' : '  !!! NOT EXACT'}`,
    );
  }
  latencies.sort((a, b) => a - b);
  const pct = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor((latencies.length * p) / 100))]!;
  const worst = Math.max(...settles);
  const total = latencies.length;
  const r: BenchResult = {
    scenario: 'booking-contention',
    db: io.db,
    rps: round((CONTENTION_PEOPLE * ROUNDS) / (settles.reduce((a, b) => a + b, 0) / 1000), 1),
    p50_ms: round(pct(50), 2),
    p99_ms: round(pct(99), 2),
    baseline_rps: round(io.baselineRps, 1),
    ratio: 0,
    connections: CONTENTION_PEOPLE,
    duration_s: round(settles.reduce((a, b) => a + b, 0) / 1000, 2),
    requests: total,
    non2xx: wrong, // a 409 is the expected answer for the 490; only a wrong outcome counts against the run
    errors: 0,
    timeouts: 0,
    status_codes: statusCodes,
    target: { max_settle_ms: 1000 },
    target_met: wrong === 0 && worst < 1000,
    node: process.version,
    at: new Date().toISOString(),
    details: { rounds: ROUNDS, settle_ms: settles.map((s) => round(s, 0)), worst_settle_ms: round(worst, 0), exact_rounds: ROUNDS - wrong },
  };
  console.log(`  booking-contention: worst round settled in ${worst.toFixed(0)} ms (target < 1,000 ms); ${ROUNDS - wrong}/${ROUNDS} rounds exactly ${CONTENTION_PLACES} booked`);
  flagErrors(r);
  saveResult(r);
  return [r];
}

/** Result queries: a 1,000,000-row score set, released while 1,000 connections wait for the moment. */
const RELEASE_CONNECTIONS = envNumber('BENCH_RELEASE_CONNECTIONS', 1000, { integer: true });
const RESULT_TARGET: Target = { minRatio: 0.4, maxP99Ms: 25 };
const SET_MEMORY_LIMIT = 1024 ** 3;

async function runResultQuery(child: Child, io: { db: DbName; baselineRps: number; pgUrl: string }): Promise<BenchResult[]> {
  const set = await prepareScoreSet(io.pgUrl, (s) => console.log(s));
  const before = await childStats(child);
  // published now, released 30 s later: the server loads the set into memory ahead of the moment
  const releaseAt = await scheduleRelease(io.pgUrl, 30_000);
  console.log(`  ${set.code}: ${set.rows.toLocaleString('en')} rows, release at ${releaseAt.toISOString()}`);
  // every request asks for a different candidate (a stride coprime to the set size): no key repeats across the run
  let k = 0;
  const spec: RequestSpec = {
    method: 'POST',
    path: `/api/v1/result-sets/${SCORE_SET_CODE}/query`,
    headers: JSON_HEADERS,
    body: () => JSON.stringify({ values: candidateKeys((k++ * 7919 + 13) % SCORE_ROWS) }),
  };
  let warmAt: number | undefined;
  while (Date.now() < releaseAt.getTime() - 200) {
    const st = await childStats(child);
    if (warmAt === undefined && setIsWarm(st.resultSets, SCORE_SET_CODE)) warmAt = Date.now();
    if (warmAt !== undefined && Date.now() < releaseAt.getTime() - 3000) {
      const early = await postJson(`${child.base}${spec.path}`, { values: candidateKeys(1) });
      if (early.status !== 403) throw new Error(`before the release a query answered ${early.status}, expected 403 (embargo)`);
      break;
    }
    await sleep(250);
  }
  console.log(warmAt ? `  set in memory ${((releaseAt.getTime() - warmAt) / 1000).toFixed(1)} s before the release; a query before it was refused (403)` : '  !!! the set was not in memory before the release');
  await sleep(Math.max(0, releaseAt.getTime() - Date.now()));
  process.stdout.write(`  result-query on ${io.db}: ${RELEASE_CONNECTIONS} connections from the release moment, ${DURATION_S} s … `);
  const burst = await measure(child.base, [spec], DURATION_S, 'result-query', RELEASE_CONNECTIONS);
  const after = await childStats(child);
  const setBytes = after.memory.rss - before.memory.rss;
  const r1 = { ...toResult('result-query', io.db, burst, io.baselineRps, RESULT_TARGET), connections: RELEASE_CONNECTIONS };
  console.log(`${r1.rps.toFixed(0)} req/s, p50 ${r1.p50_ms} ms, p99 ${r1.p99_ms} ms`);
  // the same connections offered 40% of the baseline rate: the latency at the target rate
  const rate = Math.round(io.baselineRps * RESULT_TARGET.minRatio!);
  process.stdout.write(`  result-query-paced on ${io.db}: ${RELEASE_CONNECTIONS} connections offering ${rate} req/s, ${DURATION_S} s … `);
  const paced = await measure(child.base, [spec], DURATION_S, 'result-query-paced', RELEASE_CONNECTIONS, rate);
  const r2 = { ...toResult('result-query-paced', io.db, paced, io.baselineRps, RESULT_TARGET), connections: RELEASE_CONNECTIONS };
  console.log(`${r2.rps.toFixed(0)} req/s, p50 ${r2.p50_ms} ms, p99 ${r2.p99_ms} ms`);
  const memory = {
    rss_before_mb: round(before.memory.rss / 1048576, 1),
    rss_after_mb: round(after.memory.rss / 1048576, 1),
    set_rss_mb: round(setBytes / 1048576, 1),
    set_memory_ok: setBytes <= SET_MEMORY_LIMIT,
    result_sets: after.resultSets,
    rows: set.rows,
    rows_written_s: set.loadMs === null ? null : round(set.loadMs / 1000, 1),
    in_memory_before_release_s: warmAt ? round((releaseAt.getTime() - warmAt) / 1000, 1) : null,
  };
  console.log(`  server memory: ${memory.rss_before_mb} MB before the set, ${memory.rss_after_mb} MB after (the set: ${memory.set_rss_mb} MB; limit 1024 MB)`);
  for (const r of [r1, r2]) {
    r.details = memory;
    if (r.target_met !== null) r.target_met = r.target_met && memory.set_memory_ok;
    flagErrors(r);
    saveResult(r);
  }
  return [r1, r2];
}

/**
 * Waits (up to 120 s) until the server has finished loading its released result sets into memory — a server
 * that has just started reads them in the background (the result-query scenario's 1,000,000-row set, if the
 * database holds it), which would otherwise compete with a scenario measured right after start-up.
 */
async function serverQuiet(child: Child): Promise<void> {
  const until = Date.now() + 120_000;
  let quietPolls = 0;
  while (Date.now() < until && quietPolls < 3) {
    const st = (await childStats(child)).resultSets as { loading?: number; sets?: { released: boolean; warm: boolean; status: string }[] } | null;
    const cold = (st?.sets ?? []).some((x) => x.released && x.status === 'published' && !x.warm);
    quietPolls = !st || (!st.loading && !cold) ? quietPolls + 1 : 0;
    await sleep(250);
  }
}

function setIsWarm(stats: unknown, code: string): boolean {
  const sets = (stats as { sets?: { code: string; inMemory?: boolean; warm?: boolean }[] } | null)?.sets ?? [];
  return sets.some((s) => s.code === code && (s.inMemory ?? s.warm ?? false));
}

/** The server child's memory and what its result-set memory holds (over IPC). */
async function childStats(child: Child): Promise<{ memory: NodeJS.MemoryUsage; resultSets: unknown }> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${child.label} did not answer a stats request`)), 10_000);
    const onMessage = (msg: unknown) => {
      if (!isChildMessage(msg) || msg.type !== 'stats') return;
      clearTimeout(timer);
      child.proc.off('message', onMessage);
      resolve({ memory: msg.memory, resultSets: msg.resultSets });
    };
    child.proc.on('message', onMessage);
    child.proc.send({ type: 'stats' });
  });
}

async function postJson(url: string, body: unknown): Promise<{ status: number; text: string }> {
  const res = await fetch(url, { method: 'POST', headers: JSON_HEADERS, body: JSON.stringify(body) });
  return { status: res.status, text: await res.text() };
}

/** Where the guide scenarios' item codes come from: the first page of each of these regions, interleaved. */
const CODE_REGIONS = ['330106', '330100', '330302', '330200', '330782', '331002', '330000'];

// ---------------------------------------------------------------------------------------------------------
// Command line
// ---------------------------------------------------------------------------------------------------------

interface Args {
  scenarios: ScenarioName[];
  dbs: DbName[];
}

const USAGE = `usage: npm run bench -- [scenario …] [--db pglite|postgres]
  scenarios: ${SCENARIO_NAMES.join(', ')} (default: all; the baseline is always measured)
  env: BENCH_CONNECTIONS=${CONNECTIONS} BENCH_DURATION=${DURATION_S} BENCH_WARMUP=${WARMUP_S} BENCH_DATABASE_URL=…`;

function parseArgs(argv: string[]): Args {
  const scenarios = new Set<ScenarioName>();
  const dbs = new Set<DbName>();
  const isScenario = (s: string): s is ScenarioName => (SCENARIO_NAMES as readonly string[]).includes(s);
  const isDb = (s: string): s is DbName => (DBS as readonly string[]).includes(s);
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--help' || arg === '-h') {
      console.log(USAGE);
      process.exit(0);
    }
    if (arg === '--db' || arg.startsWith('--db=')) {
      const value = arg === '--db' ? argv[++i] : arg.slice('--db='.length);
      for (const db of (value ?? '').split(',')) {
        if (!isDb(db)) throw new Error(`unknown database "${db ?? ''}" (expected ${DBS.join(' or ')})\n${USAGE}`);
        dbs.add(db);
      }
    } else if (arg === 'baseline') {
      // always measured
    } else if (isScenario(arg)) {
      scenarios.add(arg);
    } else {
      throw new Error(`unknown scenario or option "${arg}"\n${USAGE}`);
    }
  }
  return {
    scenarios: SCENARIO_NAMES.filter((s) => scenarios.size === 0 || scenarios.has(s)),
    dbs: DBS.filter((d) => dbs.size === 0 || dbs.has(d)),
  };
}

// ---------------------------------------------------------------------------------------------------------
// Child processes
// ---------------------------------------------------------------------------------------------------------

interface Child {
  label: string;
  proc: ChildProcess;
  base: string; // http://127.0.0.1:port
  exited: Promise<void>;
}

const children = new Set<Child>();

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.once('error', reject);
    srv.listen(0, HOST, () => {
      const address = srv.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      srv.close(() => (port ? resolve(port) : reject(new Error('no free port'))));
    });
  });
}

/** Prefixes each line a child writes, so its output is told apart from the parent's. */
function relay(stream: NodeJS.ReadableStream | null, label: string): void {
  if (!stream) return;
  let pending = '';
  stream.setEncoding('utf8');
  stream.on('data', (chunk: string) => {
    pending += chunk;
    let nl: number;
    while ((nl = pending.indexOf('\n')) >= 0) {
      process.stderr.write(`    [${label}] ${pending.slice(0, nl)}\n`);
      pending = pending.slice(nl + 1);
    }
  });
  stream.on('end', () => {
    if (pending) process.stderr.write(`    [${label}] ${pending}\n`);
  });
}

/** Variables a developer's shell may carry that would change the server under test: dropped. */
const SERVER_ENV = /^(YIWANG_|DATABASE_URL$|DB_POOL_SIZE$|PORT$|HOST$|LOG_LEVEL$|TRUST_PROXY$)/;

async function startChild(script: string, label: string, extraEnv: Record<string, string>): Promise<Child> {
  const port = await freePort();
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!SERVER_ENV.test(k)) env[k] = v;
  // background jobs (deadlines, escalation, SMS copies) are off: the scenarios measure the request paths, and a
  // job sweeping the inbox scenario's million applications would compete with them for the same two CPUs
  Object.assign(env, { PORT: String(port), HOST, LOG_LEVEL: 'warn', YIWANG_JOBS_INTERVAL_MS: '0' }, extraEnv);

  // BENCH_SERVER_NODE_ARGS: extra Node flags for the servers under test, e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof`
  const nodeArgs = (process.env.BENCH_SERVER_NODE_ARGS ?? '').split(/\s+/).filter(Boolean);
  const proc = spawn(process.execPath, [...nodeArgs, '--import', 'tsx', join(BENCH_DIR, script)], {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  relay(proc.stdout, label);
  relay(proc.stderr, label);
  const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
  const child: Child = { label, proc, base: `http://${HOST}:${port}`, exited };
  children.add(child);
  void exited.then(() => children.delete(child));

  try {
    const boundPort = await new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${label} did not start within ${START_TIMEOUT_MS / 1000} s`)), START_TIMEOUT_MS);
      proc.on('message', (msg: unknown) => {
        if (!isChildMessage(msg)) return;
        clearTimeout(timer);
        if (msg.type === 'ready') resolve(msg.port);
        else if (msg.type === 'failed') reject(new Error(`${label} failed to start: ${msg.message}`));
      });
      proc.once('exit', (code, signal) => {
        clearTimeout(timer);
        reject(new Error(`${label} exited during start-up (${signal ?? `code ${code}`})`));
      });
    });
    child.base = `http://${HOST}:${boundPort}`;
  } catch (err) {
    await stopChild(child);
    throw err;
  }
  return child;
}

async function stopChild(child: Child): Promise<void> {
  if (child.proc.exitCode !== null || child.proc.signalCode !== null) return;
  child.proc.kill('SIGTERM');
  const killed = await Promise.race([child.exited.then(() => true), sleep(8000).then(() => false)]);
  if (!killed) {
    console.error(`  ${child.label} did not stop on SIGTERM; killing it`);
    child.proc.kill('SIGKILL');
    await Promise.race([child.exited, sleep(2000)]);
  }
}

async function stopAll(): Promise<void> {
  await Promise.all([...children].map(stopChild));
}

// Last resort: nothing outlives the benchmark, however it ends.
process.on('exit', () => {
  for (const child of children) child.proc.kill('SIGKILL');
});

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

// ---------------------------------------------------------------------------------------------------------
// HTTP helpers (loopback only)
// ---------------------------------------------------------------------------------------------------------

async function getJson<T>(url: string, timeoutMs = 10_000): Promise<{ status: number; body: T | undefined; text: string }> {
  return requestJson<T>(url, { method: 'GET', path: '' }, timeoutMs);
}

async function requestJson<T>(url: string, spec: RequestSpec, timeoutMs = 10_000): Promise<{ status: number; body: T | undefined; text: string; setCookie: string[] }> {
  const payload = typeof spec.body === 'function' ? spec.body() : spec.body;
  const res = await fetch(url, { method: spec.method, body: payload, headers: spec.headers, signal: AbortSignal.timeout(timeoutMs) });
  const text = await res.text();
  let body: T | undefined;
  try {
    body = JSON.parse(text) as T;
  } catch {
    body = undefined;
  }
  return { status: res.status, body, text, setCookie: res.headers.getSetCookie() };
}

interface Health {
  status: string;
  database: string;
  publishedItems: number;
}

async function waitHealthy(child: Child): Promise<Health> {
  const deadline = Date.now() + 60_000;
  let last = '';
  while (Date.now() < deadline) {
    try {
      const { status, body, text } = await getJson<Health>(`${child.base}/healthz`, 5000);
      if (status === 200 && body?.status === 'ok') return body;
      last = `HTTP ${status} ${text.slice(0, 200)}`;
    } catch (err) {
      last = err instanceof Error ? err.message : String(err);
    }
    await sleep(250);
  }
  throw new Error(`${child.label}: /healthz not OK within 60 s (last: ${last})`);
}

/** ~200 real implementation item codes: the first page of several regions, interleaved, de-duplicated. */
async function fetchItemCodes(base: string): Promise<string[]> {
  const lists: string[][] = [];
  for (const region of CODE_REGIONS) {
    const { status, body } = await getJson<{ items: { code: string }[] }>(`${base}/api/v1/items?size=100&page=1&region=${region}`);
    if (status !== 200 || !body) {
      console.log(`  note: could not list items of region ${region} (HTTP ${status}); skipped`);
      continue;
    }
    lists.push(body.items.map((i) => i.code));
  }
  const codes = new Set<string>();
  for (let i = 0; codes.size < GUIDE_CODES && lists.some((l) => i < l.length); i++) {
    for (const list of lists) {
      const code = list[i];
      if (code !== undefined && codes.size < GUIDE_CODES) codes.add(code);
    }
  }
  return [...codes];
}

/** Session cookies of the demo accounts, signed in once before the load. */
async function signInDemoAccounts(base: string): Promise<string[]> {
  const cookies: string[] = [];
  for (const body of SIGN_IN_BODIES) {
    const r = await requestJson(`${base}/api/v1/auth/login`, { method: 'POST', path: '', body, headers: JSON_HEADERS });
    const c = r.setCookie.map((h) => h.split(';')[0]!).find((h) => h.startsWith('yw_session='));
    if (r.status === 200 && c) cookies.push(c);
    else console.log(`  note: demo sign-in failed (HTTP ${r.status} ${r.text.slice(0, 120)})`);
  }
  return cookies;
}

interface Preflight {
  failures: string[];
  emptySearches: string[];
  timings: { path: string; ms: number }[]; // one request at a time, before any load: cold caches
}

/**
 * Requests every distinct path once, one at a time, before the load: a bad query or code is named rather than
 * just counted, and the cold single-request latencies show which requests are expensive.
 */
async function preflight(base: string, specs: readonly RequestSpec[]): Promise<Preflight> {
  const out: Preflight = { failures: [], emptySearches: [], timings: [] };
  const distinct = new Map(specs.map((s) => [`${s.method} ${s.path} ${typeof s.body === 'function' ? '' : (s.body ?? '')} ${JSON.stringify(s.headers ?? {})}`, s]));
  for (const spec of distinct.values()) {
    const path = spec.path;
    const shown = `${spec.method === 'GET' ? '' : `${spec.method} `}${decodeURIComponent(path)}`;
    const t0 = performance.now();
    try {
      const { status, body, text } = await requestJson<{ total?: number }>(`${base}${path}`, spec);
      out.timings.push({ path: shown, ms: performance.now() - t0 });
      if (status < 200 || status >= 300) out.failures.push(`${shown} → HTTP ${status} ${text.slice(0, 160)}`);
      else if (path.startsWith('/api/v1/items?') && body?.total === 0) out.emptySearches.push(shown);
    } catch (err) {
      out.failures.push(`${shown} → ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------
// Measuring
// ---------------------------------------------------------------------------------------------------------

interface Measurement {
  rps: number;
  p50: number;
  p99: number;
  non2xx: number;
  errors: number; // connection errors, including timeouts
  timeouts: number;
  statusCodes: Record<string, number>;
  total: number;
}

/** One autocannon run over `paths`, rotated across all connections by a shared counter. */
async function measure(base: string, specs: readonly RequestSpec[], durationS: number, title: string, connections = CONNECTIONS, overallRate?: number): Promise<Measurement> {
  let next = 0;
  const result = await autocannon({
    url: base,
    title,
    connections,
    ...(overallRate ? { overallRate } : {}),
    duration: durationS,
    pipelining: PIPELINING,
    timeout: 10,
    requests: [
      {
        setupRequest: (req) => {
          const spec = specs[next++ % specs.length]!;
          const body = typeof spec.body === 'function' ? spec.body() : spec.body;
          return { ...req, method: spec.method, path: spec.path, body, headers: { ...req.headers, ...spec.headers } };
        },
      },
    ],
  });
  const statusCodes: Record<string, number> = {};
  for (const [code, stat] of Object.entries(result.statusCodeStats ?? {})) statusCodes[code] = stat.count ?? 0;
  return {
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    statusCodes,
    total: result.requests.total,
  };
}

interface BenchResult {
  scenario: ScenarioName | 'baseline' | 'result-query-paced';
  db: DbName | null; // null for the baseline, which has no database
  rps: number;
  p50_ms: number;
  p99_ms: number;
  baseline_rps: number;
  ratio: number;
  connections: number;
  duration_s: number;
  requests: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  status_codes: Record<string, number>;
  target: { min_ratio?: number; max_p99_ms?: number; min_rps?: number; max_settle_ms?: number } | null;
  target_met: boolean | null;
  node: string;
  at: string;
  details?: Record<string, unknown>; // scenario-specific figures (memory, counts)
}

const round = (n: number, digits: number) => Number(n.toFixed(digits));

function toResult(scenario: BenchResult['scenario'], db: DbName | null, m: Measurement, baselineRps: number, target: Target | null): BenchResult {
  const ratio = baselineRps > 0 ? m.rps / baselineRps : 0;
  return {
    scenario,
    db,
    rps: round(m.rps, 1),
    p50_ms: round(m.p50, 2),
    p99_ms: round(m.p99, 2),
    baseline_rps: round(baselineRps, 1),
    ratio: round(ratio, 3),
    connections: CONNECTIONS,
    duration_s: DURATION_S,
    requests: m.total,
    non2xx: m.non2xx,
    errors: m.errors,
    timeouts: m.timeouts,
    status_codes: m.statusCodes,
    target: target ? { min_ratio: target.minRatio, max_p99_ms: target.maxP99Ms, min_rps: target.minRps } : null,
    target_met: target
      ? m.non2xx === 0 &&
        m.errors === 0 &&
        ratio >= (target.minRatio ?? 0) &&
        m.p99 <= (target.maxP99Ms ?? Infinity) &&
        m.rps >= (target.minRps ?? 0)
      : null,
    node: process.version,
    at: new Date().toISOString(),
  };
}

const failed = (r: BenchResult) => r.non2xx > 0 || r.errors > 0;

function flagErrors(r: BenchResult): void {
  if (!failed(r)) return;
  const where = r.db ? `${r.scenario} on ${r.db}` : r.scenario;
  const codes = Object.entries(r.status_codes)
    .map(([code, n]) => `${code}×${n}`)
    .join(', ');
  const line = '!'.repeat(100);
  console.log(`\n${line}\n!!! ${where}: ${r.non2xx} non-2xx responses, ${r.errors} connection errors (${r.timeouts} timeouts) out of ${r.requests} requests`);
  console.log(`!!! status codes: ${codes || 'none'} — THESE NUMBERS ARE NOT VALID\n${line}\n`);
}

function saveResult(r: BenchResult): void {
  const file = r.db ? `${r.scenario}.${r.db}.json` : `${r.scenario}.json`;
  writeFileSync(join(RESULTS_DIR, file), `${JSON.stringify(r, null, 2)}\n`);
}

// ---------------------------------------------------------------------------------------------------------
// Reporting
// ---------------------------------------------------------------------------------------------------------

function verdict(r: BenchResult): string {
  if (r.target_met === null) return failed(r) ? 'ERRORS' : '';
  const v = `${failed(r) ? 'ERRORS, ' : ''}${r.target_met ? 'PASS' : 'MISS'}`; // failed requests never PASS
  return r.db === 'postgres' ? v : `${v} (informational)`;
}

function targetText(t: BenchResult['target']): string {
  if (!t) return '';
  const parts = [];
  if (t.min_ratio !== undefined) parts.push(`≥ ${Math.round(t.min_ratio * 100)}%`);
  if (t.min_rps !== undefined) parts.push(`≥ ${t.min_rps} req/s`);
  if (t.max_p99_ms !== undefined) parts.push(`p99 ≤ ${t.max_p99_ms} ms`);
  if (t.max_settle_ms !== undefined) parts.push(`all settled < ${t.max_settle_ms} ms`);
  return parts.join(' & ');
}

function printTable(title: string, rows: BenchResult[]): void {
  const header = ['scenario', 'req/s', 'p50 ms', 'p99 ms', 'ratio', 'non-2xx', 'errors', 'target', 'result'];
  const body = rows.map((r) => [
    r.scenario,
    r.rps.toFixed(0),
    r.p50_ms.toFixed(1),
    r.p99_ms.toFixed(1),
    `${(r.ratio * 100).toFixed(1)}%`,
    String(r.non2xx),
    String(r.errors),
    targetText(r.target),
    verdict(r),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((row) => row[i]!.length)));
  const numeric = new Set([1, 2, 3, 4, 5, 6]);
  const fmt = (row: string[]) => row.map((cell, i) => (numeric.has(i) ? cell.padStart(widths[i]!) : cell.padEnd(widths[i]!))).join('  ');
  console.log(`\n${title}`);
  console.log(fmt(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const row of body) console.log(fmt(row));
}

function summaryMarkdown(baseline: BenchResult, rows: BenchResult[], skipped: string[], drift?: { after: number; change: number }): string {
  const cpu = cpus();
  const lines = [
    `# Benchmark results`,
    '',
    `${baseline.at.slice(0, 16).replace('T', ' ')} UTC · Node ${process.version} · ${cpu.length} × ${cpu[0]?.model.trim() ?? 'CPU'} · ` +
      `autocannon, ${CONNECTIONS} connections, ${DURATION_S} s per scenario after a ${WARMUP_S} s warm-up, pipelining ${PIPELINING}. ` +
      `Baseline: Fastify hello-world, ${baseline.rps.toFixed(0)} req/s (p99 ${baseline.p99_ms.toFixed(1)} ms)` +
      (drift ? `; ${drift.after.toFixed(0)} req/s again at the end (${drift.change >= 0 ? '+' : ''}${(drift.change * 100).toFixed(1)}%). ` : '. ') +
      `Targets are for PostgreSQL; PGlite results are informational.`,
    '',
    '| Scenario | DB | conn. | req/s | p50 ms | p99 ms | × baseline | non-2xx | errors | Target | Result |',
    '|---|---|--:|--:|--:|--:|--:|--:|--:|---|---|',
    ...[baseline, ...rows].map(
      (r) =>
        `| ${r.scenario} | ${r.db ?? '—'} | ${r.connections} | ${r.rps.toFixed(0)} | ${r.p50_ms.toFixed(1)} | ${r.p99_ms.toFixed(1)} | ${(r.ratio * 100).toFixed(1)}% | ` +
        `${r.non2xx} | ${r.errors} | ${targetText(r.target) || '—'} | ${verdict(r) || '—'} |`,
    ),
  ];
  if (skipped.length) lines.push('', ...skipped.map((s) => `- Skipped: ${s}`));
  return `${lines.join('\n')}\n`;
}

// ---------------------------------------------------------------------------------------------------------
// Databases
// ---------------------------------------------------------------------------------------------------------

/**
 * A fingerprint of everything that decides what the demo seed writes (src/seed/**). A bench database remembers
 * the fingerprint it was seeded with; when the demo data changes it is dropped and seeded afresh, so results
 * always describe the current catalogue. BENCH_RESEED=1 forces a fresh seed.
 */
function seedFingerprint(): string {
  const hash = createHash('sha256');
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.isFile() && !entry.name.endsWith('.test.ts')) hash.update(`${relative(ROOT, path)}\0`).update(readFileSync(path));
    }
  };
  walk(join(ROOT, 'src', 'seed'));
  return hash.digest('hex').slice(0, 16);
}

const FORCE_RESEED = ['1', 'true', 'yes'].includes((process.env.BENCH_RESEED ?? '').toLowerCase());

interface PreparedDb {
  env: Record<string, string>; // for the server child
  /** Called once a server has come up on it (and so has seeded it): records the seed fingerprint. */
  seeded(): Promise<void>;
}

/** bench/tmp/pglite, emptied first if it holds another version of the demo data. */
function preparePglite(fingerprint: string): PreparedDb {
  const stampFile = `${PGLITE_DIR}.seed`;
  const stamp = existsSync(stampFile) ? readFileSync(stampFile, 'utf8').trim() : undefined;
  const populated = existsSync(PGLITE_DIR) && readdirSync(PGLITE_DIR).length > 0;
  if (populated && (FORCE_RESEED || stamp !== fingerprint)) {
    console.log(`  ${FORCE_RESEED ? 'BENCH_RESEED set' : 'demo data changed since the last seed'}: emptying ${relative(ROOT, PGLITE_DIR)}`);
    rmSync(PGLITE_DIR, { recursive: true, force: true });
    rmSync(stampFile, { force: true });
  }
  mkdirSync(PGLITE_DIR, { recursive: true });
  return {
    env: { YIWANG_DATA_DIR: PGLITE_DIR },
    seeded: async () => writeFileSync(stampFile, `${fingerprint}\n`),
  };
}

const quoteIdent = (name: string) => `"${name.replace(/"/g, '""')}"`;
const quoteLiteral = (text: string) => `'${text.replace(/'/g, "''")}'`;
const STAMP_PREFIX = 'yiwang-bench seed ';

/**
 * The benchmark database on the PostgreSQL server of `url`: created if missing (through the `postgres`
 * database), dropped and re-created if the bench created it for another version of the demo data. A database
 * the bench did not create is never dropped. Throws a message-only Error when PostgreSQL cannot be used.
 */
async function preparePostgres(url: string, fingerprint: string): Promise<PreparedDb> {
  let target: URL;
  try {
    target = new URL(url);
  } catch {
    throw new Error(`BENCH_DATABASE_URL is not a URL: ${redact(url)}`);
  }
  const dbName = decodeURIComponent(target.pathname.replace(/^\//, '')) || 'yiwang_bench';
  target.pathname = `/${encodeURIComponent(dbName)}`;
  const admin = new URL(target.href);
  admin.pathname = '/postgres';

  const withAdmin = async <T>(fn: (client: pg.Client) => Promise<T>): Promise<T> => {
    const client = new pg.Client({ connectionString: admin.href, connectionTimeoutMillis: 5000 });
    client.on('error', () => undefined);
    try {
      await client.connect();
    } catch (err) {
      throw new Error(`PostgreSQL at ${target.host} is unreachable (${err instanceof Error ? err.message : String(err)})`);
    }
    try {
      return await fn(client);
    } finally {
      await client.end().catch(() => undefined);
    }
  };

  await withAdmin(async (client) => {
    const found = await client.query<{ stamp: string | null }>(
      `SELECT shobj_description(oid, 'pg_database') AS stamp FROM pg_database WHERE datname = $1`,
      [dbName],
    );
    const row = found.rows[0];
    const ours = row?.stamp?.startsWith(STAMP_PREFIX) ?? false;
    if (row && ours && (FORCE_RESEED || row.stamp !== STAMP_PREFIX + fingerprint)) {
      console.log(`  ${FORCE_RESEED ? 'BENCH_RESEED set' : 'demo data changed since the last seed'}: dropping database ${dbName}`);
      await client.query(`DROP DATABASE ${quoteIdent(dbName)}`);
    } else if (row && !ours) {
      console.log(`  note: database ${dbName} was not created by the benchmark; using its catalogue as it is`);
    }
    if (!row || ours) {
      const exists = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [dbName]);
      if (!exists.rowCount) {
        await client.query(`CREATE DATABASE ${quoteIdent(dbName)}`);
        await client.query(`COMMENT ON DATABASE ${quoteIdent(dbName)} IS ${quoteLiteral(`${STAMP_PREFIX}pending`)}`);
        console.log(`  created database ${dbName}`);
      }
    }
  });

  return {
    env: { DATABASE_URL: target.href },
    seeded: () =>
      withAdmin(async (client) => {
        const row = await client.query<{ stamp: string | null }>(
          `SELECT shobj_description(oid, 'pg_database') AS stamp FROM pg_database WHERE datname = $1`,
          [dbName],
        );
        if (row.rows[0]?.stamp?.startsWith(STAMP_PREFIX)) {
          await client.query(`COMMENT ON DATABASE ${quoteIdent(dbName)} IS ${quoteLiteral(STAMP_PREFIX + fingerprint)}`);
        }
      }),
  };
}

function redact(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.href;
  } catch {
    return url;
  }
}

// ---------------------------------------------------------------------------------------------------------
// Main
// ---------------------------------------------------------------------------------------------------------

async function runScenario(child: Child, scenario: Scenario, db: DbName, inputs: ScenarioInputs, baselineRps: number, pgUrl: string | undefined): Promise<BenchResult> {
  const paths = scenario.prepareOverHttp
    ? await scenario.prepareOverHttp(child.base)
    : scenario.prepare && pgUrl ? await scenario.prepare(child.base, pgUrl) : scenario.requests(inputs);
  if (paths.length === 0) throw new Error(`${scenario.name}: no requests (no item codes or sessions found?)`);
  const check = await preflight(child.base, paths);
  if (check.failures.length) {
    console.log(`  !!! ${scenario.name}: ${check.failures.length} of ${new Set(paths).size} distinct requests fail before load:`);
    for (const f of check.failures.slice(0, 10)) console.log(`      ${f}`);
  }
  if (check.emptySearches.length) console.log(`  note: ${check.emptySearches.length} search(es) find nothing: ${check.emptySearches.join(' · ')}`);
  const slow = [...check.timings].sort((a, b) => b.ms - a.ms);
  if (slow.length) {
    const median = slow[Math.floor(slow.length / 2)]!.ms;
    const top = slow.slice(0, 3).map((t) => `${t.path} ${t.ms.toFixed(0)} ms`);
    console.log(`  cold single requests: median ${median.toFixed(1)} ms; slowest ${top.join(' · ')}`);
  }
  const connections = scenario.connections ?? CONNECTIONS;
  if (WARMUP_S > 0) await measure(child.base, paths, WARMUP_S, `${scenario.name} warm-up`, connections);
  process.stdout.write(`  ${scenario.name} on ${db}: ${paths.length} distinct requests, ${connections} connections, ${DURATION_S} s … `);
  const m = await measure(child.base, paths, DURATION_S, scenario.name, connections);
  const r = { ...toResult(scenario.name, db, m, baselineRps, scenario.target), connections };
  console.log(`${r.rps.toFixed(0)} req/s, p50 ${r.p50_ms} ms, p99 ${r.p99_ms} ms`);
  flagErrors(r);
  saveResult(r);
  return r;
}

async function runDb(db: DbName, prepared: PreparedDb, scenarios: readonly Scenario[], baselineRps: number): Promise<BenchResult[]> {
  const modes: { mode: ServerMode; env: Record<string, string> }[] = [
    { mode: 'search-cache-off', env: { YIWANG_SEARCH_CACHE_SIZE: '0' } },
    // every connection of the benchmark comes from 127.0.0.1: the per-IP limit of result queries would stop the
    // load at once (in production the limit counts real client addresses, TRUST_PROXY behind a proxy)
    { mode: 'default', env: { YIWANG_RESULT_QUERIES_PER_IP: '1000000000' } },
  ];
  const results: BenchResult[] = [];
  let codes: string[] | undefined;
  let cookies: string[] | undefined;
  let stamped = false;
  for (const { mode, env } of modes) {
    const todo = scenarios.filter((s) => s.server === mode && (!s.dbs || s.dbs.includes(db)));
    if (todo.length === 0) continue;
    const label = `${db}${mode === 'default' ? '' : ', search cache off'}`;
    const t0 = Date.now();
    console.log(`\n  starting server (${label}) …`);
    const child = await startChild('server-child.ts', label, { ...prepared.env, ...env });
    try {
      const health = await waitHealthy(child);
      console.log(`  ready in ${((Date.now() - t0) / 1000).toFixed(1)} s at ${child.base}: ${health.database}, ${health.publishedItems} published items`);
      if (health.database !== db) throw new Error(`server reports database "${health.database}", expected "${db}"`);
      if (!health.publishedItems) throw new Error('the catalogue is empty: nothing to measure');
      if (!stamped) {
        await prepared.seeded();
        stamped = true;
      }
      if (!codes && todo.some((s) => s.name === 'guide-page' || s.name === 'item-json')) {
        codes = await fetchItemCodes(child.base);
        console.log(`  ${codes.length} item codes for the guide scenarios`);
      }
      if (!cookies && todo.some((s) => s.name === 'api-authenticated')) {
        cookies = await signInDemoAccounts(child.base);
        console.log(`  ${cookies.length} signed-in demo sessions for api-authenticated`);
      }
      for (const scenario of todo) {
        if (scenario.run) {
          if (!prepared.env.DATABASE_URL) throw new Error(`${scenario.name} needs PostgreSQL`);
          results.push(...(await scenario.run(child, { db, baselineRps, pgUrl: prepared.env.DATABASE_URL })));
          continue;
        }
        results.push(await runScenario(child, scenario, db, { codes: codes ?? [], cookies: cookies ?? [] }, baselineRps, prepared.env.DATABASE_URL));
      }
    } finally {
      await stopChild(child);
    }
  }
  return results;
}

/** The hello-world baseline, in its own child process, with the scenarios' settings. */
async function measureBaseline(): Promise<BenchResult> {
  const hello = await startChild('hello-child.ts', 'hello', {});
  try {
    if (WARMUP_S > 0) await measure(hello.base, [get('/')], WARMUP_S, 'baseline warm-up');
    const m = await measure(hello.base, [get('/')], DURATION_S, 'baseline');
    const r = toResult('baseline', null, m, m.rps, null);
    console.log(`  ${r.rps.toFixed(0)} req/s, p50 ${r.p50_ms} ms, p99 ${r.p99_ms} ms`);
    return r;
  } finally {
    await stopChild(hello);
  }
}

/** Allowed change of the baseline between the start and the end of a run before the run is called noisy. */
const MAX_DRIFT = 0.15;

async function main(): Promise<number> {
  const args = parseArgs(process.argv.slice(2));
  const scenarios = SCENARIOS.filter((s) => args.scenarios.includes(s.name));
  mkdirSync(RESULTS_DIR, { recursive: true });
  const fingerprint = seedFingerprint();
  console.log(
    `Yiwang benchmark · Node ${process.version} · ${cpus().length} CPUs · ${CONNECTIONS} connections · ${DURATION_S} s per scenario (+${WARMUP_S} s warm-up) · pipelining ${PIPELINING}`,
  );
  console.log(`scenarios: ${args.scenarios.join(', ')} · databases: ${args.dbs.join(', ')}`);

  console.log('\nbaseline: Fastify hello-world');
  const baseline = await measureBaseline();
  flagErrors(baseline);
  saveResult(baseline);

  const all: BenchResult[] = [];
  const skipped: string[] = [];
  let serverFailures = 0;
  const pgUrl = process.env.BENCH_DATABASE_URL || DEFAULT_PG_URL;
  for (const db of args.dbs) {
    console.log(`\n=== ${db} ===`);
    let prepared: PreparedDb;
    if (db === 'postgres') {
      console.log(`  ${redact(pgUrl)}`);
      try {
        prepared = await preparePostgres(pgUrl, fingerprint);
      } catch (err) {
        const msg = `PostgreSQL scenarios — ${err instanceof Error ? err.message : String(err)}. Set BENCH_DATABASE_URL to benchmark PostgreSQL.`;
        console.log(`\n  *** SKIPPING ${msg}`);
        skipped.push(msg);
        continue;
      }
    } else {
      prepared = preparePglite(fingerprint);
    }
    try {
      all.push(...(await runDb(db, prepared, scenarios, baseline.rps)));
    } catch (err) {
      serverFailures++;
      const msg = `${db}: ${err instanceof Error ? err.message : String(err)}`;
      console.log(`\n  !!! ${msg}`);
      skipped.push(`${msg} (remaining ${db} scenarios not run)`);
    }
  }

  // The ratios divide by the baseline measured first; measuring it again shows whether the machine stayed as quiet.
  let drift: { after: number; change: number } | undefined;
  if (all.length) {
    console.log('\nbaseline again (drift check):');
    const after = await measureBaseline();
    drift = { after: after.rps, change: baseline.rps > 0 ? after.rps / baseline.rps - 1 : 0 };
  }

  console.log(`\nbaseline (Fastify hello-world): ${baseline.rps.toFixed(0)} req/s, p50 ${baseline.p50_ms} ms, p99 ${baseline.p99_ms} ms`);
  if (drift) {
    const text = `baseline at the end of the run: ${drift.after.toFixed(0)} req/s (${drift.change >= 0 ? '+' : ''}${(drift.change * 100).toFixed(1)}%)`;
    console.log(Math.abs(drift.change) > MAX_DRIFT ? `!!! ${text} — the machine was not quiet; ratios are unreliable` : text);
  }
  for (const db of args.dbs) {
    const rows = all.filter((r) => r.db === db);
    if (rows.length) printTable(db === 'postgres' ? 'PostgreSQL (targets)' : 'PGlite (targets informational)', rows);
  }
  for (const s of skipped) console.log(`\nnot measured: ${s}`);
  writeFileSync(join(RESULTS_DIR, 'summary.md'), summaryMarkdown(baseline, all, skipped, drift));
  console.log(`\nresults: ${RESULTS_DIR}/<scenario>.<db>.json, summary.md`);

  const withErrors = [baseline, ...all].filter(failed);
  if (withErrors.length) {
    console.log(`\n!!! ${withErrors.length} scenario(s) had failed requests: ${withErrors.map((r) => `${r.scenario}${r.db ? `.${r.db}` : ''}`).join(', ')}`);
  }
  return withErrors.length || serverFailures ? 1 : 0;
}

let interrupted = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (interrupted) return;
    interrupted = true;
    console.error(`\n${signal}: stopping servers …`);
    void stopAll().finally(() => process.exit(130));
  });
}

const watchdog = setTimeout(() => {
  console.error(`\nbenchmark exceeded BENCH_TIMEOUT (${OVERALL_TIMEOUT_MS / 1000} s); stopping`);
  void stopAll().finally(() => process.exit(2));
}, OVERALL_TIMEOUT_MS);
watchdog.unref();

main()
  .then(async (code) => {
    await stopAll();
    process.exit(code);
  })
  .catch(async (err: unknown) => {
    console.error(`\nbenchmark failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    await stopAll();
    process.exit(1);
  });
