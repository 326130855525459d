import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import type { ResultColumn, ResultQueryOutcome } from '../../db/schema.ts';
import type { TestApp } from '../../testing/test-app.ts';
import { createTestStaff, findDepartment, residentId, signInForTest } from '../../testing/fixture-accounts.ts';
import { maskResidentId } from '../../shared/codes/resident-id.ts';
import { AppError, RateLimitedError } from '../../shared/errors.ts';
import { keyHash, newSalt, normalizeKeyValue } from './result-keys.ts';
import { ResultSetMemory } from './result-set-memory.ts';
import { formatReleaseTime, queryResult } from './query-result.ts';
import { QueryLogWriter } from './query-log-writer.ts';
import { createResultSetsTestApp } from './result-sets-test-app.ts';

const PER_IP = 5; // per minute
const PER_KEY = 4; // per 10 minutes

const COLUMNS: ResultColumn[] = [
  { key: 'exam_no', label: '考生号', type: 'text', required: true },
  { key: 'id_number', label: '身份证号', type: 'id_number', required: true },
  { key: 'name', label: '姓名', type: 'text', required: true },
  { key: 'total', label: '总分', type: 'integer', required: true },
];

interface Candidate {
  exam_no: string;
  id_number: string;
  name: string;
  total: number;
}

let t: TestApp;
let departmentId: number;
let ipSerial = 0;
/** A fresh client address per request: the per-IP limit stays out of tests about something else. */
const nextIp = () => `10.1.${Math.floor(++ipSerial / 250)}.${(ipSerial % 250) + 1}`;

let examSerial = 0;
function candidate(total = 500, o: Partial<Candidate> = {}): Candidate {
  examSerial++;
  return { exam_no: `2633${String(examSerial).padStart(8, '0')}`, id_number: residentId('330106', '20080101', examSerial), name: `考生${examSerial}`, total, ...o };
}

/** A candidate whose ID number ends with X (to query it with a lower-case x). */
function candidateWithX(): Candidate {
  for (;;) {
    const c = candidate(612);
    if (c.id_number.endsWith('X')) return c;
  }
}

const shown = (c: Candidate) => ({ exam_no: c.exam_no, id_number: maskResidentId(c.id_number), name: c.name, total: c.total });

async function insertLoad(setId: number, salt: string, keyColumns: string[], rows: Candidate[]): Promise<number> {
  const db = t.database.db;
  const load = await db
    .insertInto('result_loads')
    .values({ set_id: setId, status: 'ready', file_name: 'scores.csv', file_key: 'test/none', file_bytes: 0, format: 'csv' })
    .returning('id')
    .executeTakeFirstOrThrow();
  if (rows.length) {
    await db
      .insertInto('result_rows')
      .values(
        rows.map((r) => ({
          load_id: load.id,
          key_hash: keyHash(salt, keyColumns.map((k) => normalizeKeyValue(COLUMNS.find((c) => c.key === k)!, String(r[k as keyof Candidate])))),
          data: JSON.stringify(shown(r)),
        })),
      )
      .execute();
  }
  return load.id;
}

async function insertSet(o: { code: string; title?: string; releaseAt: Date; status?: 'draft' | 'published' | 'withdrawn'; keyColumns?: string[]; rows: Candidate[] }) {
  const db = t.database.db;
  const salt = newSalt();
  const keyColumns = o.keyColumns ?? ['exam_no', 'id_number'];
  const set = await db
    .insertInto('result_sets')
    .values({
      code: o.code,
      title: o.title ?? `测试成绩 ${o.code}`,
      department_id: departmentId,
      columns: JSON.stringify(COLUMNS),
      key_columns: JSON.stringify(keyColumns),
      release_at: o.releaseAt,
      status: o.status ?? 'published',
      active_load_id: null,
      salt,
      updated_at: new Date(),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const loadId = await insertLoad(set.id, salt, keyColumns, o.rows);
  await db.updateTable('result_sets').set({ active_load_id: loadId, revision: sql`revision + 1` }).where('id', '=', set.id).execute();
  return { id: set.id, salt, loadId, keyColumns };
}

const HOUR = 3600_000;
const query = (code: string, values: Record<string, string>, o: { ip?: string; headers?: Record<string, string> } = {}) =>
  t.app.inject({ method: 'POST', url: `/api/v1/result-sets/${code}/query`, payload: { values }, remoteAddress: o.ip ?? nextIp(), headers: o.headers });
/** The page's form posted as a browser would: its CSRF token and cookie first, from the GET. */
async function postPage(code: string, form: Record<string, string>, ip = nextIp()) {
  const page = await t.app.inject({ method: 'GET', url: `/results/${code}`, remoteAddress: ip });
  const csrf = /name="_csrf" value="([^"]+)"/.exec(page.body)?.[1] ?? '';
  const cookie = page.cookies.map((c) => `${c.name}=${c.value}`).join('; ');
  return t.app.inject({
    method: 'POST',
    url: `/results/${code}`,
    remoteAddress: ip,
    headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams({ _csrf: csrf, ...form }).toString(),
  });
}

// the sets of this file
const A = { code: 'gaokao-a', rows: [] as Candidate[] }; // released, exam_no + id_number
const B = { code: 'gaokao-b', rows: [] as Candidate[] }; // released, exam_no + id_number + name
const EMBARGO_AT = new Date('2099-06-25T04:00:00Z'); // 2099年6月25日 12:00 in Beijing
const C = { code: 'gaokao-later', rows: [] as Candidate[] }; // released in 2099
const DRAFT = { code: 'gaokao-draft' };
let aSet: { id: number; salt: string; loadId: number };

before(async () => {
  t = await createResultSetsTestApp((c) => ({ ...c, resultQueriesPerIp: PER_IP, resultQueriesPerKey: PER_KEY }));
  departmentId = (await findDepartment(t.database.db, { regionCode: '330106' })).id;
  // each test queries its own candidates: the per-key limit (PER_KEY per 考生号) would otherwise join them
  A.rows = [candidate(580), candidateWithX(), candidate(455), candidate(470), candidate(501), candidate(533), candidate(544)];
  B.rows = [candidate(601), candidate(502)];
  C.rows = [candidate(633)];
  aSet = await insertSet({ code: A.code, title: '2026年普通高校招生考试成绩', releaseAt: new Date(Date.now() - HOUR), rows: A.rows });
  await insertSet({ code: B.code, releaseAt: new Date(Date.now() - HOUR), keyColumns: ['exam_no', 'id_number', 'name'], rows: B.rows });
  await insertSet({ code: C.code, releaseAt: EMBARGO_AT, rows: C.rows });
  await insertSet({ code: DRAFT.code, releaseAt: new Date(Date.now() - HOUR), status: 'draft', rows: [candidate()] });
  await t.ctx.resultSets.refreshNow();
  await t.ctx.resultSets.whenIdle();
});

after(async () => {
  await t?.close();
});

test('a released set answers the row for the right keys from memory, not cached, with x or X and full-width digits alike', async () => {
  const [p, withX] = A.rows as [Candidate, Candidate];
  assert.equal(t.ctx.resultSets.isWarm(A.code), true, 'a released set is loaded by the refresh');
  const res = await query(A.code, { exam_no: p.exam_no, id_number: p.id_number });
  assert.equal(res.statusCode, 200, res.body);
  assert.equal(res.headers['cache-control'], 'no-store');
  assert.match(String(res.headers['content-type']), /^application\/json/);
  assert.deepEqual(res.json(), { set: { code: A.code, title: '2026年普通高校招生考试成绩' }, row: shown(p) });
  assert.doesNotMatch(res.body, new RegExp(p.id_number), 'the ID number is shown masked');

  const lower = await query(A.code, { exam_no: ` ${withX.exam_no} `, id_number: withX.id_number.toLowerCase() });
  assert.equal(lower.statusCode, 200, lower.body);
  assert.equal(lower.json().row.total, 612);
  const fullWidth = withX.exam_no.replace(/[0-9]/g, (d) => String.fromCharCode(d.charCodeAt(0) + 0xfee0));
  const fw = await query(A.code, { exam_no: fullWidth, id_number: withX.id_number });
  assert.equal(fw.statusCode, 200, fw.body);
});

test('every wrong combination gets the same 404: status, headers and bytes (apart from the request id)', async () => {
  const [p, q] = A.rows.slice(2) as [Candidate, Candidate];
  const [r] = B.rows as [Candidate];
  const other = candidate();
  const answers = await Promise.all([
    query(A.code, { exam_no: p.exam_no, id_number: q.id_number }), // right 考生号, someone else's ID number
    query(A.code, { exam_no: q.exam_no, id_number: p.id_number }), // someone else's 考生号
    query(A.code, { exam_no: other.exam_no, id_number: other.id_number }), // nobody in the set
    query(A.code, { exam_no: p.exam_no, id_number: other.id_number }),
    query(B.code, { exam_no: r.exam_no, id_number: r.id_number, name: '张三' }), // all right but the name
    query(B.code, { exam_no: r.exam_no, id_number: p.id_number, name: r.name }),
  ]);
  const strip = (h: Record<string, unknown>) => {
    const { 'x-request-id': _id, date: _date, ...rest } = h;
    return rest;
  };
  const first = answers[0]!;
  assert.equal(first.statusCode, 404);
  assert.deepEqual(first.json(), { error: { code: 'NOT_FOUND', message: '未查询到结果，请核对输入的信息' } });
  for (const a of answers) {
    assert.equal(a.statusCode, 404);
    assert.ok(a.rawPayload.equals(first.rawPayload), `same bytes: ${a.body}`);
    assert.deepEqual(strip(a.headers), strip(first.headers));
  }
  assert.equal(first.headers['cache-control'], 'no-store');
  // the right three keys of B are found
  const ok = await query(B.code, { exam_no: r.exam_no, id_number: r.id_number, name: r.name });
  assert.equal(ok.statusCode, 200, ok.body);
});

test('malformed keys are refused with 400 naming the field', async () => {
  const [p] = A.rows as [Candidate];
  const badCheck = p.id_number.slice(0, 17) + (p.id_number[17] === '0' ? '1' : '0');
  const cases: [Record<string, string>, string, RegExp][] = [
    [{ exam_no: p.exam_no, id_number: badCheck }, 'values.id_number', /校验位/],
    [{ exam_no: p.exam_no, id_number: '1234' }, 'values.id_number', /18 位/],
    [{ id_number: p.id_number }, 'values.exam_no', /请输入考生号/],
    [{ exam_no: '   ', id_number: p.id_number }, 'values.exam_no', /请输入考生号/],
    [{ exam_no: '9'.repeat(65), id_number: p.id_number }, 'values.exam_no', /64/],
    [{ exam_no: p.exam_no, id_number: p.id_number, score: '1' }, 'values.score', /不是该查询的查询条件/],
  ];
  for (const [values, field, message] of cases) {
    const res = await query(A.code, values);
    assert.equal(res.statusCode, 400, `${JSON.stringify(values)}: ${res.body}`);
    const e = res.json().error;
    assert.equal(e.code, 'INVALID_PARAMETER');
    assert.equal(e.field, field);
    assert.match(e.message, message);
  }
  const noValues = await t.app.inject({ method: 'POST', url: `/api/v1/result-sets/${A.code}/query`, payload: {}, remoteAddress: nextIp() });
  assert.equal(noValues.statusCode, 400);
  assert.equal(noValues.json().error.field, 'values');
  const notJson = await t.app.inject({ method: 'POST', url: `/api/v1/result-sets/${A.code}/query`, headers: { 'content-type': 'application/json' }, payload: '{"values":', remoteAddress: nextIp() });
  assert.equal(notJson.statusCode, 400);
  const badCode = await query('NO SUCH', { exam_no: '1', id_number: p.id_number });
  assert.equal(badCode.statusCode, 400);
  const unknown = await query('no-such-set', { exam_no: '1', id_number: p.id_number });
  assert.equal(unknown.statusCode, 404);
  const draft = await query(DRAFT.code, { exam_no: '1', id_number: p.id_number });
  assert.equal(draft.statusCode, 404, 'a draft is not there for the public');

  const page = await postPage(A.code, { exam_no: p.exam_no, id_number: badCheck });
  assert.equal(page.statusCode, 400, page.body);
  assert.match(page.body, /身份证号校验位不正确/);
  assert.match(page.body, /id="f-id_number"[^>]*aria-invalid="true"/);
  assert.match(page.body, new RegExp(`value="${p.exam_no}"`), 'what was typed is kept');
});

test('embargo: before the release time nobody can query — anonymous, staff signed in, the page', async () => {
  const [p] = C.rows as [Candidate];
  const message = '成绩将于 2099年6月25日 12:00 发布，届时方可查询';
  assert.equal(formatReleaseTime(EMBARGO_AT), '2099年6月25日 12:00');
  assert.equal(t.ctx.resultSets.isWarm(C.code), false, 'a set released in years is not held in memory yet');

  const anon = await query(C.code, { exam_no: p.exam_no, id_number: p.id_number });
  assert.equal(anon.statusCode, 403);
  assert.deepEqual({ code: anon.json().error.code, message: anon.json().error.message }, { code: 'NOT_RELEASED', message });

  const staff = await createTestStaff(t.database.db, { staffNo: 'RQ0001', departmentId, roles: [{ role: 'department_admin' }] });
  const s = await signInForTest(t.app, { kind: 'staff', identifier: staff.staffNo });
  const asStaff = await query(C.code, { exam_no: p.exam_no, id_number: p.id_number }, { headers: s.headers });
  assert.equal(asStaff.statusCode, 403, asStaff.body);
  assert.equal(asStaff.json().error.code, 'NOT_RELEASED');
  assert.equal(asStaff.json().error.message, message);
  // nothing of the row: the body without its request id (a uuid, which may hold any digits)
  assert.doesNotMatch(asStaff.body.replace(/"requestId":"[^"]*"/, ''), /633/);

  const form = await t.app.inject({ method: 'GET', url: `/results/${C.code}`, remoteAddress: nextIp() });
  assert.equal(form.statusCode, 200);
  assert.match(form.body, /<fieldset disabled>/);
  assert.match(form.body, /成绩将于 <time datetime="2099-06-25T04:00:00.000Z">2099年6月25日 12:00<\/time> 发布，届时方可查询/);
  const posted = await postPage(C.code, { exam_no: p.exam_no, id_number: p.id_number });
  assert.equal(posted.statusCode, 403);
  assert.match(posted.body, /2099年6月25日 12:00/);
  assert.doesNotMatch(posted.body, /查询结果<\/h2>/);
});

test('the release moment: refused one millisecond before, answered at the moment', async () => {
  const p = candidate(640);
  const releaseAt = new Date(Date.now() + 60_000); // within the preload window
  await insertSet({ code: 'gaokao-moment', releaseAt, rows: [p] });
  await t.ctx.resultSets.refreshNow();
  await t.ctx.resultSets.whenIdle();
  assert.equal(t.ctx.resultSets.isWarm('gaokao-moment'), true, 'loaded before its release');
  const values = { exam_no: p.exam_no, id_number: p.id_number };
  await assert.rejects(
    queryResult(t.ctx, 'gaokao-moment', values, { ip: nextIp(), requestId: 'moment-1' }, new Date(releaseAt.getTime() - 1)),
    (e: unknown) => e instanceof AppError && e.code === 'NOT_RELEASED' && e.status === 403,
  );
  const a = await queryResult(t.ctx, 'gaokao-moment', values, { ip: nextIp(), requestId: 'moment-2' }, releaseAt);
  assert.equal(a.found, true);
  assert.deepEqual(a.found && JSON.parse(a.row.toString()), shown(p));
});

test('a withdrawn set stops answering at once after refreshNow, and its rows leave memory', async () => {
  const p = candidate(598);
  const set = await insertSet({ code: 'gaokao-withdrawn', releaseAt: new Date(Date.now() - HOUR), rows: [p] });
  await t.ctx.resultSets.refreshNow();
  const values = { exam_no: p.exam_no, id_number: p.id_number };
  assert.equal((await query('gaokao-withdrawn', values)).statusCode, 200);
  assert.equal(t.ctx.resultSets.isWarm('gaokao-withdrawn'), true);

  await t.database.db.updateTable('result_sets').set({ status: 'withdrawn', revision: sql`revision + 1` }).where('id', '=', set.id).execute();
  await t.ctx.resultSets.refreshNow();
  const res = await query('gaokao-withdrawn', values);
  assert.equal(res.statusCode, 404);
  assert.equal(res.json().error.message, '该查询已撤回');
  assert.equal(t.ctx.resultSets.isWarm('gaokao-withdrawn'), false);
  assert.equal(t.ctx.resultSets.stats().sets.find((s) => s.code === 'gaokao-withdrawn')?.rows, 0);
  const page = await t.app.inject({ method: 'GET', url: '/results/gaokao-withdrawn', remoteAddress: nextIp() });
  assert.equal(page.statusCode, 404);
  assert.match(page.body, /该查询已撤回/);
  const list = (await t.app.inject({ url: '/api/v1/result-sets' })).json();
  assert.equal(list.items.some((i: { code: string }) => i.code === 'gaokao-withdrawn'), false);
});

test('a replaced load: answered from the old rows until the new ones are in, then from the new ones only', async () => {
  const p = candidate(500);
  const gone = candidate(480);
  const set = await insertSet({ code: 'gaokao-replaced', releaseAt: new Date(Date.now() - HOUR), rows: [p, gone] });
  await t.ctx.resultSets.refreshNow();
  await t.ctx.resultSets.whenIdle();
  const oldLoad = t.ctx.resultSets.stats().sets.find((s) => s.code === 'gaokao-replaced')!.loadId;

  const corrected = { ...p, total: 520 };
  const added = candidate(455);
  const newLoad = await insertLoad(set.id, set.salt, set.keyColumns, [corrected, added]);
  await t.database.db.updateTable('result_sets').set({ active_load_id: newLoad, revision: sql`revision + 1` }).where('id', '=', set.id).execute();
  await t.ctx.resultSets.refreshNow();
  // while the new load is read, queries are still answered (old or new rows, never nothing)
  const during = await query('gaokao-replaced', { exam_no: p.exam_no, id_number: p.id_number });
  assert.equal(during.statusCode, 200, during.body);
  assert.ok([500, 520].includes(during.json().row.total));

  await t.ctx.resultSets.whenIdle();
  assert.equal(t.ctx.resultSets.isWarm('gaokao-replaced'), true);
  assert.notEqual(t.ctx.resultSets.stats().sets.find((s) => s.code === 'gaokao-replaced')!.loadId, oldLoad);
  const now = await query('gaokao-replaced', { exam_no: p.exam_no, id_number: p.id_number });
  assert.equal(now.json().row.total, 520);
  assert.equal((await query('gaokao-replaced', { exam_no: added.exam_no, id_number: added.id_number })).statusCode, 200);
  assert.equal((await query('gaokao-replaced', { exam_no: gone.exam_no, id_number: gone.id_number })).statusCode, 404, 'a row of the old load only');
});

test('rate limits: per IP per minute and per 考生号 per 10 minutes, with Retry-After and a clear message', async () => {
  const now = new Date();
  const ip = '10.200.0.1';
  // per IP: PER_IP queries of anything, then refused
  for (let i = 0; i < PER_IP; i++) {
    const c = candidate();
    const a = await queryResult(t.ctx, A.code, { exam_no: c.exam_no, id_number: c.id_number }, { ip, requestId: `ip-${i}` }, now);
    assert.equal(a.found, false);
  }
  await assert.rejects(
    queryResult(t.ctx, A.code, { exam_no: A.rows[0]!.exam_no, id_number: A.rows[0]!.id_number }, { ip, requestId: 'ip-over' }, now),
    (e: unknown) => e instanceof RateLimitedError && /^查询过于频繁，请 \d+ 秒后再试$/.test(e.message) && e.retryAfterSeconds! >= 1 && e.retryAfterSeconds! <= 60,
  );
  // per key: one 考生号 from many addresses, whatever ID numbers are tried
  const target = A.rows[4]!;
  for (let i = 0; i < PER_KEY; i++) {
    const guess = candidate();
    await queryResult(t.ctx, A.code, { exam_no: target.exam_no, id_number: guess.id_number }, { ip: nextIp(), requestId: `key-${i}` }, now);
  }
  await assert.rejects(
    queryResult(t.ctx, A.code, { exam_no: target.exam_no, id_number: target.id_number }, { ip: nextIp(), requestId: 'key-over' }, now),
    (e: unknown) => e instanceof RateLimitedError && /^该考生号查询次数过多，请 \d+ 分钟后再试$/.test(e.message) && e.retryAfterSeconds! <= 600,
  );
  // another set's same 考生号 is counted apart
  const inB = await queryResult(t.ctx, B.code, { exam_no: target.exam_no, id_number: target.id_number, name: 'x' }, { ip: nextIp(), requestId: 'key-other-set' }, now);
  assert.equal(inB.found, false);

  // over HTTP (real time: a window may turn during the loop, so the 429 may come a few queries later)
  const exam = candidate().exam_no;
  let limited;
  for (let i = 0; i < 2 * PER_KEY + 2 && !limited; i++) {
    const res = await query(A.code, { exam_no: exam, id_number: candidate().id_number });
    if (res.statusCode === 429) limited = res;
    else assert.equal(res.statusCode, 404);
  }
  assert.ok(limited, 'the per-key limit answers 429');
  assert.equal(limited.json().error.code, 'RATE_LIMITED');
  assert.match(limited.json().error.message, /^该考生号查询次数过多，请 \d+ 分钟后再试$/);
  assert.ok(Number(limited.headers['retry-after']) >= 1 && Number(limited.headers['retry-after']) <= 600);

  const pageIp = '10.200.0.2';
  let page;
  for (let i = 0; i < 2 * PER_IP + 2 && !page; i++) {
    const c = candidate();
    const res = await postPage(A.code, { exam_no: c.exam_no, id_number: c.id_number }, pageIp);
    if (res.statusCode === 429) page = res;
    else assert.equal(res.statusCode, 404, res.body);
  }
  assert.ok(page, 'the page shows the per-IP limit');
  assert.match(page.body, /查询过于频繁，请 \d+ 秒后再试/);
  assert.ok(Number(page.headers['retry-after']) >= 1);
});

test('every query is logged with its outcome and request id, the key only as a hash', async () => {
  const p = A.rows[5]!;
  const found = await query(A.code, { exam_no: p.exam_no, id_number: p.id_number }, { headers: { 'x-request-id': 'log-test-found-0001' } });
  assert.equal(found.statusCode, 200);
  await query(A.code, { exam_no: p.exam_no, id_number: candidate().id_number }, { headers: { 'x-request-id': 'log-test-miss-0001' } });
  await t.ctx.resultQueryLog.flush();
  const rows = await t.database.db.selectFrom('result_queries').selectAll().execute();
  const outcomes = new Set(rows.map((r) => r.outcome));
  for (const o of ['found', 'not_found', 'embargoed', 'withdrawn', 'rate_limited', 'invalid'] as ResultQueryOutcome[]) assert.ok(outcomes.has(o), `an outcome ${o} is logged`);
  const f = rows.find((r) => r.request_id === 'log-test-found-0001');
  assert.ok(f);
  assert.equal(f.outcome, 'found');
  assert.equal(f.set_id, aSet.id);
  assert.equal(f.key_hash, keyHash(aSet.salt, [p.exam_no, p.id_number]));
  assert.match(f.ip, /^10\.1\./);
  assert.equal(rows.find((r) => r.request_id === 'log-test-miss-0001')?.outcome, 'not_found');
  const everything = JSON.stringify(rows);
  for (const c of [...A.rows, ...B.rows, ...C.rows]) assert.ok(!everything.includes(c.id_number), 'no ID number in clear');
  assert.equal(t.ctx.resultQueryLog.pending, 0);
});

test('the log writer writes a full batch at once, the rest on stop; nothing is lost on a clean close', async () => {
  const w = new QueryLogWriter(t.database.db, { flushMs: 0, maxRows: 3 });
  const at = Date.now();
  const entry = (i: number) => ({ setId: aSet.id, at: at + i, ip: '10.250.0.1', keyHash: i % 2 ? null : 'A'.repeat(22), outcome: 'not_found' as const, requestId: `writer-${i}` });
  const count = async () =>
    (await t.database.db.selectFrom('result_queries').select((e) => e.fn.countAll<number>().as('n')).where('request_id', 'like', 'writer-%').executeTakeFirstOrThrow()).n;
  for (let i = 0; i < 4; i++) w.append(entry(i));
  await w.flush(); // waits for the write the third row started
  assert.ok(Number(await count()) >= 3);
  w.append(entry(4));
  assert.ok(w.pending >= 1);
  await w.stop();
  assert.equal(Number(await count()), 5);
  assert.equal(w.pending, 0);
  const first = await t.database.db.selectFrom('result_queries').selectAll().where('request_id', '=', 'writer-0').executeTakeFirstOrThrow();
  assert.equal(new Date(first.at).getTime(), at);
  assert.equal(first.key_hash, 'A'.repeat(22));
  assert.equal((await t.database.db.selectFrom('result_queries').select('key_hash').where('request_id', '=', 'writer-1').executeTakeFirstOrThrow()).key_hash, null);
});

test('memory: compact rows, figures reported; concurrent first queries share one load', async () => {
  const st = t.ctx.resultSets.stats();
  const a = st.sets.find((s) => s.code === A.code)!;
  assert.equal(a.warm, true);
  assert.equal(a.rows, A.rows.length);
  assert.equal(a.dataBytes, A.rows.reduce((n, r) => n + Buffer.byteLength(JSON.stringify(shown(r))), 0));
  assert.ok(a.indexBytes >= A.rows.length * 16);
  assert.ok(st.bytes >= a.dataBytes + a.indexBytes);
  assert.equal(st.sets.find((s) => s.code === C.code)?.rows, 0);

  // a server that has just started: the sets are read once, each released set loaded once, whoever asks
  const fresh = new ResultSetMemory(t.database.db, { preloadMinutes: 30 });
  const set = (await fresh.find(A.code))!;
  const got = await Promise.all([fresh.rowsFor(set), fresh.rowsFor(set), fresh.rowsFor(set), queryResult({ ...t.ctx, resultSets: fresh }, A.code, { exam_no: A.rows[1]!.exam_no, id_number: A.rows[1]!.id_number }, { ip: nextIp(), requestId: 'fresh' })]);
  assert.ok(got[0] === got[1] && got[1] === got[2], 'one load for everyone');
  assert.equal(got[3].found, true);
  await fresh.whenIdle();
  const warm = fresh.stats().sets.filter((s) => s.warm).length;
  assert.equal(fresh.loadsCompleted, warm, 'no set was loaded twice');

  // rows over several chunks (2 rows each here, 20,000 in service): every row found at its place, nothing else
  const chunked = new ResultSetMemory(t.database.db, { batchRows: 2 });
  const s = (await chunked.find(A.code))!;
  const rows = await chunked.rowsFor(s);
  assert.equal(rows.count, A.rows.length);
  for (const r of A.rows) {
    const json = rows.find(keyHash(s.salt, [r.exam_no, r.id_number]));
    assert.deepEqual(json && JSON.parse(json.toString()), shown(r));
  }
  assert.equal(rows.find(keyHash(s.salt, [A.rows[0]!.exam_no, A.rows[1]!.id_number])), undefined);
  assert.equal(rows.find('not-a-hash'), undefined);
  assert.equal(chunked.stats().sets.find((x) => x.code === A.code)!.dataBytes, a.dataBytes);
  await chunked.whenIdle();
});

test('lists and pages: the published queries, released or counting down; the form and the answer as a table', async () => {
  const list = await t.app.inject({ url: '/api/v1/result-sets' });
  assert.equal(list.statusCode, 200);
  const items = list.json().items as { code: string; released: boolean; releaseAt: string; keyColumns: { label: string }[]; department: string }[];
  const a = items.find((i) => i.code === A.code)!;
  assert.equal(a.released, true);
  assert.deepEqual(a.keyColumns.map((c) => c.label), ['考生号', '身份证号']);
  assert.ok(a.department);
  const c = items.find((i) => i.code === C.code)!;
  assert.equal(c.released, false);
  assert.equal(c.releaseAt, EMBARGO_AT.toISOString());
  assert.equal(items.some((i) => i.code === DRAFT.code), false);
  const one = await t.app.inject({ url: `/api/v1/result-sets/${B.code}` });
  assert.deepEqual(one.json().keyColumns.map((k: { key: string }) => k.key), ['exam_no', 'id_number', 'name']);
  assert.equal((await t.app.inject({ url: '/api/v1/result-sets/no-such-set' })).statusCode, 404);

  const listPage = await t.app.inject({ url: '/results' });
  assert.equal(listPage.statusCode, 200);
  assert.match(listPage.body, /<h1>结果查询<\/h1>/);
  assert.match(listPage.body, /href="\/results\/gaokao-a"/);
  assert.match(listPage.body, /已发布，可查询/);
  assert.match(listPage.body, /距发布还有 \d+ 天/);

  const form = await t.app.inject({ url: `/results/${B.code}`, remoteAddress: nextIp() });
  assert.equal(form.statusCode, 200);
  for (const [key, label] of [['exam_no', '考生号'], ['id_number', '身份证号'], ['name', '姓名']]) {
    assert.match(form.body, new RegExp(`<label for="f-${key}">${label}`));
    assert.match(form.body, new RegExp(`<input id="f-${key}" name="${key}"`));
  }
  assert.doesNotMatch(form.body, /<fieldset disabled>/);
  assert.equal(form.headers['cache-control'], 'no-store');

  const p = A.rows[6]!;
  const answer = await postPage(A.code, { exam_no: p.exam_no, id_number: p.id_number });
  assert.equal(answer.statusCode, 200, answer.body);
  assert.match(answer.body, /<h2 id="h-result">查询结果<\/h2>/);
  assert.match(answer.body, new RegExp(`<th scope="row">总分</th><td>${p.total}</td>`));
  assert.match(answer.body, new RegExp(`<td>${maskResidentId(p.id_number).replace(/\*/g, '\\*')}</td>`));
  const miss = await postPage(A.code, { exam_no: p.exam_no, id_number: candidate().id_number });
  assert.equal(miss.statusCode, 404);
  assert.match(miss.body, /未查询到结果，请核对输入的信息/);
  assert.doesNotMatch(miss.body, /h-result/);
  const noToken = await t.app.inject({ method: 'POST', url: `/results/${A.code}`, remoteAddress: nextIp(), payload: `exam_no=${p.exam_no}&id_number=${p.id_number}`, headers: { 'content-type': 'application/x-www-form-urlencoded' } });
  assert.equal(noToken.statusCode, 403, 'a form post needs its CSRF token');
});

test('an integer key is its number: +581 and 0581 find 581; a set hashed as written before (0580) is still found as written', async () => {
  const p = candidate(581);
  await insertSet({ code: 'int-total', releaseAt: new Date(Date.now() - HOUR), keyColumns: ['exam_no', 'total'], rows: [p] });
  // a load made before integer keys were canonicalised: the cell '0580' hashed as it was written
  const old = candidate(580);
  const legacy = await insertSet({ code: 'int-total-old', releaseAt: new Date(Date.now() - HOUR), keyColumns: ['exam_no', 'total'], rows: [] });
  await t.database.db
    .insertInto('result_rows')
    .values({ load_id: legacy.loadId, key_hash: keyHash(legacy.salt, [old.exam_no, '0580']), data: JSON.stringify(shown(old)) })
    .execute();
  await t.ctx.resultSets.refreshNow();
  await t.ctx.resultSets.whenIdle();

  for (const total of ['581', '+581', '0581', '＋０５８１']) {
    const r = await query('int-total', { exam_no: p.exam_no, total });
    assert.equal(r.statusCode, 200, `${total}: ${r.body}`);
    assert.equal(r.json().row.total, 581);
  }
  const found = await query('int-total-old', { exam_no: old.exam_no, total: '0580' });
  assert.equal(found.statusCode, 200, found.body);
  assert.equal(found.json().row.total, 580);
  assert.equal((await query('int-total-old', { exam_no: old.exam_no, total: '580' })).statusCode, 404, 'until the set is loaded again');
  const bad = await query('int-total', { exam_no: p.exam_no, total: '+' });
  assert.equal(bad.statusCode, 400);
  assert.equal(bad.json().error.field, 'values.total');
});
