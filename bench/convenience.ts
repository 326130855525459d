/**
 * Benchmark fixtures for the convenience services (issue: appointments and result queries), PostgreSQL only:
 *   - a 1,000,000-row 高考成绩 set, written once (rows hashed and masked by the same code as the loader)
 *   - 500 signed-in persons and one slot of 10 places for the booking contention case
 */
import pg from 'pg';
import { randomBytes } from 'node:crypto';
import { keyHash, newSalt, normalizeKeyValue } from '../src/modules/result-sets/result-keys.ts';
import { maskIdNumber } from '../src/modules/results/masking.ts';
import { residentIdCheckChar } from '../src/shared/codes/resident-id.ts';
import { sha256Hex } from '../src/shared/tokens.ts';
import type { ResultColumn } from '../src/db/schema.ts';

export const SCORE_SET_CODE = 'bench-gaokao';
export const SCORE_ROWS = Number(process.env.BENCH_SCORE_ROWS ?? 1_000_000);

const COLUMNS: ResultColumn[] = [
  { key: 'exam_no', label: '考生号', type: 'text', required: true },
  { key: 'id_number', label: '身份证号', type: 'id_number', required: true },
  { key: 'name', label: '姓名', type: 'text', required: true },
  { key: 'chinese', label: '语文', type: 'integer', required: true },
  { key: 'math', label: '数学', type: 'integer', required: true },
  { key: 'foreign', label: '外语', type: 'integer', required: true },
  { key: 'comprehensive', label: '综合', type: 'integer', required: true },
  { key: 'total', label: '总分', type: 'integer', required: true },
  { key: 'rank', label: '位次', type: 'integer', required: true },
];
const KEY_COLUMNS = ['exam_no', 'id_number'];

const AREAS = ['330102', '330105', '330106', '330108', '330109', '330110', '330111', '330122', '330127', '330182', '330203', '330205', '330206', '330211', '330302', '330303', '330304', '330402', '330502', '330602', '330702', '330782', '330802', '330902', '331002', '331102'];
const SURNAMES = '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤';
const GIVEN = '子涵浩宇欣怡梓轩雨桐俊杰思彤博文诗涵嘉怡一诺宇轩若曦明哲佳琪晨阳语嫣天佑雅琴梓萱泽宇可馨';

/** Candidate i's keys: 考生号 26 + 33 + 8 digits, and a valid 身份证号 born 2007–2008. */
export function candidateKeys(i: number): { exam_no: string; id_number: string } {
  const area = AREAS[i % AREAS.length]!;
  const day = Math.floor(i / AREAS.length) % 700;
  const seq = Math.floor(i / (AREAS.length * 700)) % 1000;
  const birth = new Date(Date.UTC(2007, 0, 1) + day * 86_400_000).toISOString().slice(0, 10).replace(/-/g, '');
  const first17 = `${area}${birth}${String(seq).padStart(3, '0')}`;
  return { exam_no: `2633${String(i).padStart(8, '0')}`, id_number: first17 + residentIdCheckChar(first17) };
}

function candidateRow(i: number, keys: { exam_no: string; id_number: string }): string {
  const r = (n: number, mod: number) => ((i * 2654435761 + n * 40503) >>> 0) % mod;
  const chinese = 60 + r(1, 86);
  const math = 40 + r(2, 111);
  const foreign = 50 + r(3, 101);
  const comprehensive = 100 + r(4, 201);
  const name = SURNAMES[r(5, SURNAMES.length)]! + GIVEN.slice(r(6, GIVEN.length / 2) * 2, r(6, GIVEN.length / 2) * 2 + 2);
  return JSON.stringify({
    exam_no: keys.exam_no,
    id_number: maskIdNumber(keys.id_number),
    name,
    chinese,
    math,
    foreign,
    comprehensive,
    total: chinese + math + foreign + comprehensive,
    rank: 1 + r(7, SCORE_ROWS),
  });
}

function normalized(keys: { exam_no: string; id_number: string }): string[] {
  return [normalizeKeyValue({ type: 'text' }, keys.exam_no), normalizeKeyValue({ type: 'id_number' }, keys.id_number)];
}

export interface ScoreSet {
  code: string;
  rows: number;
  loadMs: number | null; // null when the rows were already there
}

/** Writes the bench score set once (1,000,000 rows by default); leaves it as a draft until `scheduleRelease`. */
export async function prepareScoreSet(pgUrl: string, log: (s: string) => void): Promise<ScoreSet> {
  const client = new pg.Client({ connectionString: pgUrl });
  await client.connect();
  try {
    const existing = await client.query<{ id: number; active_load_id: string | null }>('SELECT id, active_load_id FROM result_sets WHERE code = $1', [SCORE_SET_CODE]);
    if (existing.rows[0]?.active_load_id) {
      const n = await client.query<{ n: string }>('SELECT count(*) AS n FROM result_rows WHERE load_id = $1', [existing.rows[0].active_load_id]);
      if (Number(n.rows[0]!.n) === SCORE_ROWS) return { code: SCORE_SET_CODE, rows: SCORE_ROWS, loadMs: null };
    }
    if (existing.rows[0]) {
      await client.query('DELETE FROM result_rows WHERE load_id IN (SELECT id FROM result_loads WHERE set_id = $1)', [existing.rows[0].id]);
      await client.query('DELETE FROM result_queries WHERE set_id = $1', [existing.rows[0].id]);
      await client.query('DELETE FROM result_loads WHERE set_id = $1', [existing.rows[0].id]);
      await client.query('DELETE FROM result_sets WHERE id = $1', [existing.rows[0].id]);
    }
    const dept = await client.query<{ id: number }>(`SELECT id FROM departments WHERE region_code = '330000' AND kind = 'education' ORDER BY id LIMIT 1`);
    if (!dept.rows[0]) throw new Error('no provincial education department in the bench database');
    const salt = newSalt();
    const set = await client.query<{ id: number }>(
      `INSERT INTO result_sets (code, title, description, department_id, columns, key_columns, release_at, status, salt)
       VALUES ($1, '基准测试：高考成绩', '基准测试用的 1,000,000 名考生成绩', $2, $3, $4, now() + interval '1 day', 'draft', $5) RETURNING id`,
      [SCORE_SET_CODE, dept.rows[0].id, JSON.stringify(COLUMNS), JSON.stringify(KEY_COLUMNS), salt],
    );
    const setId = set.rows[0]!.id;
    const load = await client.query<{ id: string }>(
      `INSERT INTO result_loads (set_id, status, file_name, file_key, file_bytes, format, started_at)
       VALUES ($1, 'loading', 'bench-generated.csv', 'bench/none', 0, 'csv', now()) RETURNING id`,
      [setId],
    );
    const loadId = load.rows[0]!.id;
    log(`  writing ${SCORE_ROWS.toLocaleString('en')} score rows (once) …`);
    const t0 = Date.now();
    const BATCH = 10_000;
    for (let start = 0; start < SCORE_ROWS; start += BATCH) {
      const hashes: string[] = [];
      const data: string[] = [];
      for (let i = start; i < Math.min(SCORE_ROWS, start + BATCH); i++) {
        const keys = candidateKeys(i);
        hashes.push(keyHash(salt, normalized(keys)));
        data.push(candidateRow(i, keys));
      }
      await client.query('INSERT INTO result_rows (load_id, key_hash, data) SELECT $1, h, d FROM unnest($2::text[], $3::text[]) AS t(h, d)', [loadId, hashes, data]);
    }
    await client.query(`UPDATE result_loads SET status = 'ready', rows_read = $2, finished_at = now() WHERE id = $1`, [loadId, SCORE_ROWS]);
    await client.query('UPDATE result_sets SET active_load_id = $2, revision = revision + 1, updated_at = now() WHERE id = $1', [setId, loadId]);
    await client.query('ANALYZE result_rows');
    const loadMs = Date.now() - t0;
    log(`  ${SCORE_ROWS.toLocaleString('en')} rows written in ${(loadMs / 1000).toFixed(1)} s`);
    return { code: SCORE_SET_CODE, rows: SCORE_ROWS, loadMs };
  } finally {
    await client.end();
  }
}

/** Publishes the bench set with its release `inMs` from now; returns the release time. */
export async function scheduleRelease(pgUrl: string, inMs: number): Promise<Date> {
  const client = new pg.Client({ connectionString: pgUrl });
  await client.connect();
  try {
    const r = await client.query<{ release_at: Date }>(
      `UPDATE result_sets SET status = 'published', release_at = now() + $2::interval, revision = revision + 1, updated_at = now()
        WHERE code = $1 RETURNING release_at`,
      [SCORE_SET_CODE, `${inMs} milliseconds`],
    );
    return r.rows[0]!.release_at;
  } finally {
    await client.end();
  }
}

/** Query bodies for `n` candidates spread over the whole set (every one of them is found). */
export function scoreQueryBodies(n: number): string[] {
  const out: string[] = [];
  const step = Math.max(1, Math.floor(SCORE_ROWS / n));
  for (let k = 0; k < n; k++) out.push(JSON.stringify({ values: candidateKeys((k * step + (k % 7)) % SCORE_ROWS) }));
  return out;
}

/** Sessions made straight in the database (no argon2 on the path being measured), as the session store keeps them. */
export async function createBenchSessions(client: pg.Client, accountIds: readonly string[]): Promise<{ cookie: string; csrf: string }[]> {
  const tokens = accountIds.map(() => ({ token: randomBytes(32).toString('base64url'), csrf: randomBytes(32).toString('base64url') }));
  await client.query(
    `INSERT INTO sessions (token_hash, account_id, auth_method, csrf_token, last_seen_at, idle_expires_at, absolute_expires_at)
     SELECT h, a::uuid, 'password', c, now(), now() + interval '2 hours', now() + interval '2 hours'
       FROM unnest($1::text[], $2::text[], $3::text[]) AS t(h, a, c)`,
    [tokens.map((t) => sha256Hex(t.token)), accountIds, tokens.map((t) => t.csrf)],
  );
  return tokens.map((t) => ({ cookie: `yw_session=${t.token}`, csrf: t.csrf }));
}

// ---------------------------------------------------------------------------------------------------------
// Booking contention: 500 people at once for one slot of 10 places
// ---------------------------------------------------------------------------------------------------------

export const CONTENTION_PEOPLE = 500;
export const CONTENTION_PLACES = 10;

/** The bench's bookers (written once) and a fresh service for this run, with one slot of 10 places tomorrow. */
export async function prepareContention(pgUrl: string): Promise<{ serviceCode: string; day: string; startsAt: string; sessions: { cookie: string; csrf: string }[] }> {
  const client = new pg.Client({ connectionString: pgUrl });
  await client.connect();
  try {
    const ids = Array.from({ length: CONTENTION_PEOPLE }, (_, i) => candidateKeys(900_000_000 + i).id_number);
    await client.query(
      `INSERT INTO accounts (kind, name, id_number, mobile, password_hash, status)
       SELECT 'person', '预约压测' || n, idn, '1990' || lpad(n::text, 7, '0'), NULL, 'active'
         FROM unnest($1::text[]) WITH ORDINALITY AS t(idn, n)
       ON CONFLICT DO NOTHING`,
      [ids],
    );
    const accounts = await client.query<{ id: string }>('SELECT id FROM accounts WHERE id_number = ANY($1::text[]) ORDER BY id_number', [ids]);
    if (accounts.rows.length !== CONTENTION_PEOPLE) throw new Error(`expected ${CONTENTION_PEOPLE} bench bookers, found ${accounts.rows.length}`);
    const dept = await client.query<{ id: number }>(`SELECT id FROM departments WHERE region_code = '330106' AND kind = 'civil_affairs' ORDER BY id LIMIT 1`);
    const serviceCode = `bench-contention-${Date.now().toString(36)}`;
    await client.query(
      `INSERT INTO appointment_services (code, kind, name, department_id, region_code, open_days, sessions, slot_minutes, capacity, window_days, opens_at)
       VALUES ($1, 'window', '基准测试：争抢号源', $2, '330106', 'every', '[{"start":"09:00","end":"09:30"}]', 30, $3, 7, '00:00')`,
      [serviceCode, dept.rows[0]!.id, CONTENTION_PLACES],
    );
    const tomorrow = await client.query<{ day: string }>(`SELECT to_char((now() AT TIME ZONE 'Asia/Shanghai')::date + 1, 'YYYY-MM-DD') AS day`);
    const sessions = await createBenchSessions(client, accounts.rows.map((r) => r.id));
    return { serviceCode, day: tomorrow.rows[0]!.day, startsAt: '09:00', sessions };
  } finally {
    await client.end();
  }
}

/** The places the bench slot ended with, as the database has them. */
export async function contentionOutcome(pgUrl: string, serviceCode: string): Promise<{ taken: number; capacity: number; active: number }> {
  const client = new pg.Client({ connectionString: pgUrl });
  await client.connect();
  try {
    const r = await client.query<{ taken: number; capacity: number; active: string }>(
      `SELECT sl.taken, sl.capacity,
              (SELECT count(*) FROM appointment_parties p WHERE p.service_id = s.id AND p.active) AS active
         FROM appointment_services s JOIN appointment_slots sl ON sl.service_id = s.id WHERE s.code = $1`,
      [serviceCode],
    );
    const row = r.rows[0];
    return { taken: row?.taken ?? 0, capacity: row?.capacity ?? 0, active: Number(row?.active ?? 0) };
  } finally {
    await client.end();
  }
}
