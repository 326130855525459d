/**
 * The loader (结果数据校验导入) through the upload API and `processResultLoads`: good CSV and XLSX files load
 * (rows as a query shows them, keys hashed with the set's salt); every kind of bad file fails as a whole —
 * wrong encoding, missing or extra columns, duplicate keys, bad ID numbers, non-numeric scores, broken files —
 * with the right row numbers in the error report, nothing published and no rows left; a new good load replaces
 * the active one and the old rows go; a load whose server died is taken over; two loaders never share a load.
 * PGlite and PostgreSQL.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import ExcelJS from 'exceljs';
import { stringify } from 'csv-stringify/sync';
import { parse } from 'csv-parse/sync';
import { sql } from 'kysely';
import type { TestApp } from '../../testing/test-app.ts';
import { createTestStaff, findDepartment, residentId, signInForTest, type TestSession } from '../../testing/fixture-accounts.ts';
import { multipartBody } from '../attachments/sample-files.ts';
import { createResultSetsTestApp } from './result-sets-test-app.ts';
import { processResultLoads } from './process-result-loads.ts';
import { keyHash } from './result-keys.ts';
import { partKey, readResultFile } from './read-result-file.ts';
import { storeResultFile } from './upload-result-file.ts';
import { LoadFailure, NOT_UTF8 } from './result-sets.errors.ts';
import { RESULT_SET_TEMPLATES } from './result-sets.types.ts';
import { KeySet } from './validate-result-row.ts';
import { resultSetJobs } from './result-set-jobs.ts';
import { DEMO_CET_CODE, DEMO_GAOKAO_CODE, DEMO_RESULT_QUERIES, seedDemoResultSets } from '../../seed/result-sets.seed.ts';

let t: TestApp;
let admin: TestSession;

before(async () => {
  t = await createResultSetsTestApp();
  const exams = await findDepartment(t.database.db, { regionCode: '330000', kind: 'exam_authority' });
  await createTestStaff(t.database.db, { staffNo: 'RL0001', departmentId: exams.id, roles: [{ role: 'department_admin' }] });
  admin = await signInForTest(t.app, { kind: 'staff', identifier: 'RL0001' });
});

after(async () => {
  await t?.close();
});

const API = '/api/v1/staff/result-sets';
const HEADER = ['考生号', '身份证号', '姓名', '语文', '数学', '外语', '综合', '总分', '位次'];
const gaokao = RESULT_SET_TEMPLATES.gaokao!;

async function createSet(code: string): Promise<void> {
  const r = await t.app.inject({
    method: 'POST',
    url: API,
    headers: admin.headers,
    payload: { code, title: `测试 ${code}`, columns: gaokao.columns, keyColumns: gaokao.keyColumns, releaseAt: '2030-06-25T12:00:00+08:00' },
  });
  assert.equal(r.statusCode, 201, r.body);
}

interface Candidate {
  examNo: string;
  id: string;
  name: string;
  scores: (number | string)[]; // 语文 数学 外语 综合 总分 位次
}

function candidates(n: number, from = 1): Candidate[] {
  return Array.from({ length: n }, (_, k) => {
    const i = from + k;
    const s = [90 + (i % 50), 100 + (i % 40) + 0.5, 110 + (i % 30), 200 + (i % 90)];
    return { examNo: `2633010${String(i).padStart(7, '0')}`, id: residentId('330106', '20080315', i), name: `考生${i}`, scores: [...s, s.reduce((a, b) => a + b, 0), i] };
  });
}

const csvOf = (rows: (string | number)[][], header: string[] = HEADER) => Buffer.from(stringify([header, ...rows]), 'utf8');
const rowOf = (c: Candidate): (string | number)[] => [c.examNo, c.id, c.name, ...c.scores];

async function upload(code: string, fileName: string, data: Buffer): Promise<number> {
  const { payload, contentType } = multipartBody([{ name: 'file', file: { fileName, data } }]);
  const r = await t.app.inject({ method: 'POST', url: `${API}/${code}/loads`, headers: { ...admin.headers, 'content-type': contentType }, payload });
  assert.equal(r.statusCode, 202, r.body);
  const body = r.json();
  assert.equal(body.status, 'pending');
  return body.loadId;
}

const loadRow = (id: number) => t.database.db.selectFrom('result_loads').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
const setRow = (code: string) => t.database.db.selectFrom('result_sets').selectAll().where('code', '=', code).executeTakeFirstOrThrow();
const rowCount = async (loadId: number) =>
  Number((await t.database.db.selectFrom('result_rows').select((eb) => eb.fn.countAll<number>().as('n')).where('load_id', '=', loadId).executeTakeFirstOrThrow()).n);

async function report(code: string, loadId: number): Promise<Record<string, string>[]> {
  const r = await t.app.inject({ url: `${API}/${code}/loads/${loadId}/errors.csv`, headers: { cookie: admin.cookie } });
  assert.equal(r.statusCode, 200, r.body);
  assert.match(String(r.headers['content-type']), /^text\/csv; charset=utf-8/);
  assert.ok(r.rawPayload.subarray(0, 3).equals(Buffer.from([0xef, 0xbb, 0xbf])), 'UTF-8 with BOM, so Excel reads it');
  return parse(r.rawPayload, { bom: true, columns: true }) as Record<string, string>[];
}

let goodCsvLoad = 0;

test('a good CSV loads: rows as a query shows them, keyed by the salted hash; nothing is published', async () => {
  await createSet('csv-good');
  const people = candidates(12);
  // a BOM, CRLF line ends, a header by labels and keys in another order, no optional 位次 column, an empty
  // optional score, full-width digits and a lower-case x in a key, quotes around a name with a comma
  const header = ['exam_no', '姓名', '身份证号', '语文', '数学', '外语', '综合', 'total'];
  const rows = people.map((c) => [c.examNo, c.name, c.id, ...c.scores.slice(0, 5)]);
  rows[1]![3] = ''; // 缺考
  rows[2]![0] = `２６${people[2]!.examNo.slice(2)}`;
  rows[3]![1] = '欧阳, 小明';
  const data = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(stringify([header, ...rows], { record_delimiter: 'windows' }), 'utf8')]);
  const id = await upload('csv-good', '2026高考成绩.csv', data);
  assert.equal((await loadRow(id)).status, 'pending');

  const s = await processResultLoads(t.ctx);
  assert.deepEqual(s, { ready: 1, failed: 0, lost: 0, cleaned: 0 });
  const load = await loadRow(id);
  assert.equal(load.status, 'ready', String(load.message));
  assert.equal(load.rows_read, 12);
  assert.equal(load.rows_bad, 0);
  assert.equal(Number(load.bytes_read), Number(load.file_bytes));
  const set = await setRow('csv-good');
  assert.equal(Number(set.active_load_id), id);
  assert.equal(set.status, 'draft', 'loaded, not published');
  assert.equal(set.revision, 2, 'the revision moved with the new active load');
  assert.equal(await rowCount(id), 12);

  // the third candidate's key was written with full-width digits: it hashes like the plain one
  const c = people[2]!;
  const stored = await t.database.db
    .selectFrom('result_rows')
    .select('data')
    .where('load_id', '=', id)
    .where('key_hash', '=', keyHash(set.salt, [c.examNo, c.id]))
    .executeTakeFirstOrThrow();
  const shown = JSON.parse(stored.data);
  assert.deepEqual(Object.keys(shown), gaokao.columns.map((x) => x.key), 'every declared column, in order');
  assert.equal(shown.exam_no, `２６${c.examNo.slice(2)}`.normalize('NFKC'));
  assert.equal(shown.id_number, `${c.id.slice(0, 6)}********${c.id.slice(14)}`, 'the ID number masked');
  assert.equal(shown.name, c.name);
  assert.equal(shown.math, c.scores[1], 'numbers as numbers');
  assert.equal(shown.rank, null, 'a column the file leaves out');
  const absent = JSON.parse((await t.database.db.selectFrom('result_rows').select('data').where('key_hash', '=', keyHash(set.salt, [people[1]!.examNo, people[1]!.id])).executeTakeFirstOrThrow()).data);
  assert.equal(absent.chinese, null, 'an empty optional score');
  const quoted = JSON.parse((await t.database.db.selectFrom('result_rows').select('data').where('key_hash', '=', keyHash(set.salt, [people[3]!.examNo, people[3]!.id])).executeTakeFirstOrThrow()).data);
  assert.equal(quoted.name, '欧阳, 小明');

  // the uploaded file is gone once loaded (the rows are what remain)
  await assert.rejects(t.ctx.storage.get(partKey(load.file_key, 0)));
  const status = (await t.app.inject({ url: `${API}/csv-good`, headers: { cookie: admin.cookie } })).json();
  assert.equal(status.loads[0].status, 'ready');
  assert.equal(status.loads[0].progressPercent, 100);
  assert.equal(status.loads[0].active, true);
  assert.equal(status.rows, 12);
  assert.ok(!JSON.stringify(status).includes(c.name), 'no rows in the status');
  const events = await t.database.db.selectFrom('audit_events').select(['action', 'target_id']).where('target_type', '=', 'result_load').where('target_id', '=', String(id)).orderBy('seq').execute();
  assert.deepEqual(events.map((e) => e.action), ['result_set.load_uploaded', 'result_set.load_finished']);
  goodCsvLoad = id;
});

test('an ID number with a lower-case x is normalised: stored masked upper-case, hashed upper-case', async () => {
  await createSet('csv-lower-x');
  // find a sequence whose check character is X
  let seq = 1;
  while (!residentId('110105', '19491231', seq).endsWith('X')) seq++;
  const id = residentId('110105', '19491231', seq);
  const c: Candidate = { examNo: '26000001', id: id.toLowerCase(), name: '张三', scores: [1, 2, 3, 4, 10, 1] };
  const load = await upload('csv-lower-x', 'x.csv', csvOf([rowOf(c)]));
  await processResultLoads(t.ctx);
  assert.equal((await loadRow(load)).status, 'ready');
  const set = await setRow('csv-lower-x');
  const row = await t.database.db.selectFrom('result_rows').select('data').where('key_hash', '=', keyHash(set.salt, ['26000001', id])).executeTakeFirstOrThrow();
  assert.ok(JSON.parse(row.data).id_number.endsWith('X'));
});

test('a good XLSX loads: numbers, text, formulas and rich text as Excel stores them; the first worksheet only', async () => {
  await createSet('xlsx-good');
  const people = candidates(8, 100);
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('成绩');
  ws.addRow(HEADER);
  people.forEach((c, i) => {
    const r = ws.addRow(rowOf(c));
    if (i === 0) r.getCell(8).value = { formula: 'SUM(D2:G2)', result: c.scores[4] as number };
    if (i === 1) r.getCell(3).value = { richText: [{ text: '考生' }, { text: String(101) }] };
  });
  wb.addWorksheet('说明').addRow(['这一页不是数据', 'x']);
  const data = Buffer.from(await wb.xlsx.writeBuffer());
  const id = await upload('xlsx-good', '成绩.xlsx', data);
  assert.equal((await loadRow(id)).format, 'xlsx');
  await processResultLoads(t.ctx);
  const load = await loadRow(id);
  assert.equal(load.status, 'ready', String(load.message));
  assert.equal(load.rows_read, 8);
  const set = await setRow('xlsx-good');
  assert.equal(Number(set.active_load_id), id);
  assert.equal(set.status, 'draft');
  const row = JSON.parse(
    (await t.database.db.selectFrom('result_rows').select('data').where('key_hash', '=', keyHash(set.salt, [people[0]!.examNo, people[0]!.id])).executeTakeFirstOrThrow()).data,
  );
  assert.equal(row.total, people[0]!.scores[4]);
  assert.equal(row.rank, 100);
  const rich = JSON.parse(
    (await t.database.db.selectFrom('result_rows').select('data').where('key_hash', '=', keyHash(set.salt, [people[1]!.examNo, people[1]!.id])).executeTakeFirstOrThrow()).data,
  );
  assert.equal(rich.name, '考生101');
});

// ---- bad files: each fails as a whole; the set keeps its active load ----

let badSetLoad = 0;

test('bad files, set up: a set with an active load to keep', async () => {
  await createSet('bad-files');
  badSetLoad = await upload('bad-files', 'ok.csv', csvOf(candidates(5).map(rowOf)));
  await processResultLoads(t.ctx);
  assert.equal((await loadRow(badSetLoad)).status, 'ready');
});

async function failedLoad(fileName: string, data: Buffer, o: { batchRows?: number } = {}) {
  const before = await setRow('bad-files');
  const id = await upload('bad-files', fileName, data);
  const s = await processResultLoads(t.ctx, { batchRows: o.batchRows });
  assert.equal(s.failed, 1, JSON.stringify(s));
  const load = await loadRow(id);
  assert.equal(load.status, 'failed');
  assert.equal(await rowCount(id), 0, 'no rows left of a failed load');
  const after = await setRow('bad-files');
  assert.equal(Number(after.active_load_id), badSetLoad, 'the active load stays');
  assert.equal(after.revision, before.revision, 'nothing changed for queries');
  assert.equal(await rowCount(badSetLoad), 5, 'the active rows are untouched');
  await assert.rejects(t.ctx.storage.get(partKey(load.file_key, 0)), 'the upload is removed');
  return load;
}

test('GBK (not UTF-8) fails with a message that says what to do', async () => {
  // "考生号,…" in UTF-8, then a row whose name is 中文 in GBK (D6D0 CEC4)
  const data = Buffer.concat([Buffer.from(`${HEADER.join(',')}\r\n26330100000001,${residentId('330106', '20080315', 1)},`, 'utf8'), Buffer.from([0xd6, 0xd0, 0xce, 0xc4]), Buffer.from(',1,2,3,4,10,1\r\n')]);
  const load = await failedLoad('gbk.csv', data);
  assert.equal(load.message, NOT_UTF8);
  assert.equal(load.error_report_key, null);
  // all of it GBK, header included
  const all = await failedLoad('gbk2.csv', Buffer.from([0xbf, 0xbc, 0xc9, 0xfa, 0xba, 0xc5, 0x2c, 0xd0, 0xd5, 0xc3, 0xfb, 0x0d, 0x0a]));
  assert.equal(all.message, NOT_UTF8);
});

test('missing required columns fail at once, naming them; so do extra columns', async () => {
  const missing = await failedLoad('missing.csv', csvOf([['26330100000001', '张三', 1]], ['考生号', '姓名', '语文']));
  assert.match(String(missing.message), /缺少必填列：身份证号、总分/);
  assert.equal(missing.rows_read, 0);
  const extra = await failedLoad('extra.csv', csvOf(candidates(2).map((c) => [...rowOf(c), '无']), [...HEADER, '备注']));
  assert.match(String(extra.message), /未定义的列：备注/);
  const twice = await failedLoad('twice.csv', csvOf(candidates(1).map((c) => [...rowOf(c), c.name]), [...HEADER, 'name']));
  assert.match(String(twice.message), /列重复出现：姓名/);
  const tabs = await failedLoad('tabs.csv', Buffer.from(`${HEADER.join('\t')}\n1\t2\n`));
  assert.match(String(tabs.message), /逗号分隔/);
  const empty = await failedLoad('empty.csv', csvOf([]));
  assert.match(String(empty.message), /只有表头/);
});

test('row problems: every bad row in the report with its row number, column and reason; written rows removed', async () => {
  const people = candidates(14);
  const rows = people.map(rowOf);
  rows[9]![1] = `${people[9]!.id.slice(0, 17)}${people[9]!.id[17] === '0' ? '1' : '0'}`; // line 11: a wrong check character
  rows[10]![0] = people[3]!.examNo; // line 12: the key of line 5 …
  rows[10]![1] = people[3]!.id; //               … again
  rows[11]![3] = '九十'; // line 13: not a number
  rows[12]![2] = ''; // line 14: no name
  rows[13]![8] = '3.5'; // line 15: a rank that is not an integer
  // batches of 3: the first nine good rows are written before the first bad one, then removed
  const load = await failedLoad('rows.csv', csvOf(rows), { batchRows: 3 });
  assert.equal(load.rows_read, 14);
  assert.equal(load.rows_bad, 5);
  assert.match(String(load.message), /共 14 行，其中 5 行有错误/);
  const r = await report('bad-files', Number(load.id));
  assert.deepEqual(
    r.map((x) => [x['行号'], x['列']]),
    [
      ['11', '身份证号'],
      ['12', '考生号+身份证号'],
      ['13', '语文'],
      ['14', '姓名'],
      ['15', '位次'],
    ],
  );
  assert.match(r[0]!['问题']!, /校验位/);
  assert.equal(r[0]!['值'], `${people[9]!.id.slice(0, 6)}********${rows[9]![1]!.slice(-4)}`, 'ID numbers are masked in the report');
  assert.ok(!r[1]!['值']!.includes(people[3]!.id), 'a duplicate key shows its ID number masked');
  assert.match(r[1]!['问题']!, /与第 5 行重复/);
  assert.equal(r[2]!['值'], '九十');
  assert.match(r[2]!['问题']!, /应为数字/);
  assert.match(r[3]!['问题']!, /必填/);
  assert.match(r[4]!['问题']!, /整数/);
  const status = (await t.app.inject({ url: `${API}/bad-files`, headers: { cookie: admin.cookie } })).json();
  const view = status.loads.find((l: { id: number }) => l.id === Number(load.id));
  assert.equal(view.errorReportUrl, `${API}/bad-files/loads/${load.id}/errors.csv`);
});

test('XLSX: an ID number Excel stored as a number is named as such; a broken workbook fails cleanly', async () => {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('成绩');
  ws.addRow(HEADER);
  const c = candidates(20).find((x) => !x.id.endsWith('X'))!;
  ws.addRow([c.examNo, Number(c.id), c.name, ...c.scores]);
  const data = Buffer.from(await wb.xlsx.writeBuffer());
  const load = await failedLoad('numbers.xlsx', data);
  const r = await report('bad-files', Number(load.id));
  assert.equal(r[0]!['行号'], '2');
  assert.match(r[0]!['问题']!, /存成了数字/);

  const broken = await failedLoad('broken.xlsx', data.subarray(0, Math.floor(data.length / 2)));
  assert.match(String(broken.message), /Excel/);
  const notWorkbook = await failedLoad('zip.xlsx', Buffer.concat([Buffer.from('PK\u0003\u0004'), Buffer.alloc(200, 7)]));
  assert.match(String(notWorkbook.message), /Excel|工作表/);
});

test('CSV with an unclosed quote fails as a whole, naming the line', async () => {
  const good = candidates(3).map((c) => rowOf(c).join(',')).join('\n');
  const load = await failedLoad('quote.csv', Buffer.from(`${HEADER.join(',')}\n${good}\n26330100000009,"${residentId('330106', '20080315', 9)},x,1,2,3,4,10,1\n`));
  assert.match(String(load.message), /引号/);
});

test('a replacement: the new load becomes active, the old one superseded and its rows deleted', async () => {
  assert.ok(goodCsvLoad);
  const before = await setRow('csv-good');
  const id = await upload('csv-good', '更正后.csv', csvOf(candidates(7, 50).map(rowOf)));
  // one upload at a time per set
  const { payload, contentType } = multipartBody([{ name: 'file', file: { fileName: 'again.csv', data: csvOf(candidates(1).map(rowOf)) } }]);
  const second = await t.app.inject({ method: 'POST', url: `${API}/csv-good/loads`, headers: { ...admin.headers, 'content-type': contentType }, payload });
  assert.equal(second.statusCode, 409, second.body);
  await processResultLoads(t.ctx);
  assert.equal(await rowCount(goodCsvLoad), 12, 'the replaced rows stay a while: other servers may be reading them');
  await processResultLoads(t.ctx, { retireAfterMs: 0 });
  const set = await setRow('csv-good');
  assert.equal(Number(set.active_load_id), id);
  assert.equal(set.revision, before.revision + 1);
  assert.equal((await loadRow(goodCsvLoad)).status, 'superseded');
  assert.equal((await loadRow(id)).status, 'ready');
  assert.equal(await rowCount(goodCsvLoad), 0, 'the old rows are gone');
  assert.equal(await rowCount(id), 7);
  const events = await t.database.db.selectFrom('audit_events').select('details').where('action', '=', 'result_set.load_finished').where('target_id', '=', String(id)).executeTakeFirstOrThrow();
  assert.equal((events.details as { replacedLoadId: number }).replacedLoadId, goodCsvLoad);
});

test('a load whose server died is taken over and loaded from the start; a live one is left alone', async () => {
  await createSet('takeover');
  const id = await upload('takeover', 'a.csv', csvOf(candidates(6).map(rowOf)));
  // another server claimed it, wrote a row, and has been silent for ten minutes
  await sql`UPDATE result_loads SET status = 'loading', started_at = now() - interval '11 minutes', heartbeat_at = now() - interval '10 minutes', rows_read = 3 WHERE id = ${id}`.execute(t.database.db);
  await t.database.db.insertInto('result_rows').values({ load_id: id, key_hash: 'leftover-from-the-dead', data: '{}' }).execute();
  // a live claim is not taken
  await sql`UPDATE result_loads SET heartbeat_at = now() WHERE id = ${id}`.execute(t.database.db);
  assert.equal((await processResultLoads(t.ctx)).ready, 0);
  assert.equal((await loadRow(id)).status, 'loading');
  await sql`UPDATE result_loads SET heartbeat_at = now() - interval '10 minutes' WHERE id = ${id}`.execute(t.database.db);
  assert.equal((await processResultLoads(t.ctx)).ready, 1);
  const load = await loadRow(id);
  assert.equal(load.status, 'ready');
  assert.equal(load.rows_read, 6);
  assert.equal(await rowCount(id), 6, 'the leftover row was removed');
});

test('two loaders at once never take the same load', async () => {
  await createSet('race');
  const id = await upload('race', 'a.csv', csvOf(candidates(20).map(rowOf)));
  const [a, b] = await Promise.all([processResultLoads(t.ctx), processResultLoads(t.ctx)]);
  assert.equal(a.ready + b.ready, 1, JSON.stringify([a, b]));
  assert.equal(a.lost + b.lost + a.failed + b.failed, 0);
  assert.equal((await loadRow(id)).status, 'ready');
  assert.equal(await rowCount(id), 20);
  const finished = await t.database.db.selectFrom('audit_events').select('seq').where('action', '=', 'result_set.load_finished').where('target_id', '=', String(id)).execute();
  assert.equal(finished.length, 1);
});

test('leftover rows of a finished load (a server stopped before deleting them) are cleaned up', async () => {
  await t.database.db.insertInto('result_rows').values({ load_id: goodCsvLoad, key_hash: 'left-behind', data: '{}' }).execute();
  await sql`UPDATE result_loads SET heartbeat_at = now() - interval '2 minutes' WHERE id = ${goodCsvLoad}`.execute(t.database.db);
  const s = await processResultLoads(t.ctx);
  assert.equal(s.cleaned, 1);
  assert.equal(await rowCount(goodCsvLoad), 0);
});

test('the key set: a key seen before gives its first row back; growth keeps every key; nothing else collides', () => {
  const keys = new KeySet();
  const hashes = Array.from({ length: 20_000 }, (_, i) => keyHash('salt', [String(i)]));
  hashes.forEach((h, i) => assert.equal(keys.addOrGet(h, i + 2), undefined, `no false duplicate at ${i}`));
  assert.equal(keys.addOrGet(hashes[0]!, 99_999), 2);
  assert.equal(keys.addOrGet(hashes[12_345]!, 99_999), 12_347);
  // hashes that differ only in their last character (its two low bits) stay apart
  const a = 'AAAAAAAAAAAAAAAAAAAAAA';
  const b = 'AAAAAAAAAAAAAAAAAAAAAB';
  const k2 = new KeySet();
  assert.equal(k2.addOrGet(a, 2), undefined);
  assert.equal(k2.addOrGet(b, 3), undefined);
  assert.equal(k2.addOrGet(b, 4), 3);
});

test('reading: parts split anywhere (inside a character too); line numbers as a spreadsheet shows them', async () => {
  const text = `${HEADER.join(',')}\r\n26000001,${residentId('330106', '20080315', 1)},王芳,1,2,3,4,10,1\r\n\r\n26000002,${residentId('330106', '20080315', 2)},"李\n建国",1,2,3,4,10,2\r\n,,,,,,,,\r\n26000003,${residentId('330106', '20080315', 3)},赵敏,1,2,3,4,10,3`;
  const data = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text, 'utf8')]);
  const stored = await storeResultFile(t.ctx.storage, { fileName: 'x.csv', stream: (async function* () { yield data; })() }, 1, { partBytes: 7 });
  assert.equal(stored.bytes, data.length);
  const rows = [];
  const progress = { bytes: 0 };
  for await (const r of readResultFile(t.ctx.storage, { fileKey: stored.fileKey, fileBytes: stored.bytes, format: 'csv' }, progress)) rows.push(r);
  assert.deepEqual(
    rows.map((r) => [r.line, r.cells[2]]),
    [
      [1, '姓名'],
      [2, '王芳'],
      [5, '李\n建国'], // a line break inside a cell (Excel writes it as LF)
      [6, ''],
      [7, '赵敏'],
    ],
  );
  assert.equal(progress.bytes, data.length);
});

test('the demo seed: a released 高考 set whose first rows are the demo persons, an embargoed CET set; once only', async () => {
  const s = await seedDemoResultSets(t.database.db, t.ctx.storage);
  assert.deepEqual(s, { sets: 2, rows: 2400 });
  const gk = await setRow(DEMO_GAOKAO_CODE);
  assert.equal(gk.status, 'published');
  assert.ok(new Date(gk.release_at).getTime() < Date.now(), 'released');
  assert.equal(await rowCount(Number(gk.active_load_id)), 2000);
  const q = DEMO_RESULT_QUERIES[0]!;
  const row = await t.database.db
    .selectFrom('result_rows')
    .select('data')
    .where('load_id', '=', Number(gk.active_load_id))
    .where('key_hash', '=', keyHash(gk.salt, [q.gaokaoExamNo, q.idNumber]))
    .executeTakeFirstOrThrow();
  const shown = JSON.parse(row.data);
  assert.equal(shown.name, q.name);
  assert.equal(shown.id_number, `${q.idNumber.slice(0, 6)}********${q.idNumber.slice(14)}`);
  assert.equal(shown.total, shown.chinese + shown.math + shown.foreign_language + shown.comprehensive);
  assert.ok(Number.isInteger(shown.rank) && shown.rank >= 1 && shown.rank <= 2000);
  const cet = await setRow(DEMO_CET_CODE);
  assert.equal(cet.status, 'published');
  assert.ok(new Date(cet.release_at).getTime() > Date.now(), 'embargoed');
  const cetLoads = await t.database.db.selectFrom('result_loads').select(['status', 'error_report_key']).where('set_id', '=', cet.id).orderBy('id').execute();
  assert.deepEqual(cetLoads.map((l) => l.status), ['failed', 'ready']);
  assert.match((await t.ctx.storage.get(cetLoads[0]!.error_report_key!)).toString('utf8'), /^\uFEFF行号,列,值,问题/);
  assert.equal(await seedDemoResultSets(t.database.db, t.ctx.storage), null, 'a second run changes nothing');
});

test('the job starts the loader in the background, one loader at a time per server', async () => {
  await createSet('job');
  const id = await upload('job', 'a.csv', csvOf(candidates(3).map(rowOf)));
  let done: (s: unknown) => void = () => undefined;
  const finished = new Promise((resolve) => (done = resolve));
  const [job] = resultSetJobs(t.ctx, { onDone: (s) => done(s) });
  assert.equal(job!.name, 'result-loads');
  assert.deepEqual(await job!.run(), { started: true });
  assert.deepEqual(await job!.run(), { busy: true });
  assert.deepEqual(await finished, { ready: 1, failed: 0, lost: 0, cleaned: 0 });
  assert.equal((await loadRow(id)).status, 'ready');
});

test('reading: a part missing from storage fails the file with a clear message (CSV and XLSX), never hangs', async () => {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('成绩');
  ws.addRow(HEADER);
  for (const c of candidates(300)) ws.addRow(rowOf(c));
  const files = [
    { format: 'xlsx' as const, data: Buffer.from(await wb.xlsx.writeBuffer()) },
    { format: 'csv' as const, data: csvOf(candidates(300).map(rowOf)) },
  ];
  for (const f of files) {
    const stored = await storeResultFile(t.ctx.storage, { fileName: 'x', stream: (async function* () { yield f.data; })() }, 1, { partBytes: 2048 });
    assert.equal(stored.format, f.format);
    await t.ctx.storage.delete(partKey(stored.fileKey, 2));
    await assert.rejects(
      (async () => {
        for await (const _ of readResultFile(t.ctx.storage, { fileKey: stored.fileKey, fileBytes: stored.bytes, format: f.format }, { bytes: 0 })) void _;
      })(),
      (err: Error) => err instanceof LoadFailure && /文件已丢失或不完整/.test(err.message),
      f.format,
    );
  }
});

test('an integer key column: +123 and 0456 load as the numbers shown and are found by them, however the number is written', async () => {
  const code = 'int-key';
  const columns = [
    { key: 'seat', label: '座位号', type: 'integer', required: true },
    { key: 'id_number', label: '身份证号', type: 'id_number', required: true },
    { key: 'score', label: '成绩', type: 'integer', required: true },
  ];
  const created = await t.app.inject({ method: 'POST', url: API, headers: admin.headers, payload: { code, title: '整数关键字段', columns, keyColumns: ['seat', 'id_number'], releaseAt: '2020-01-01T00:00:00+08:00' } });
  assert.equal(created.statusCode, 201, created.body);
  const ids = [1, 2, 3].map((i) => residentId('330106', '20080101', 900 + i));
  const header = ['座位号', '身份证号', '成绩'];
  // '0123' and '123' are one number: the same key twice
  const twice = await upload(code, 'twice.csv', csvOf([['123', ids[0]!, 1], ['0123', ids[0]!, 2]], header));
  await processResultLoads(t.ctx);
  assert.equal((await loadRow(twice)).status, 'failed');
  assert.match((await report(code, twice)).map((r) => Object.values(r).join(' ')).join('\n'), /与第 2 行重复/);

  const load = await upload(code, 'seats.csv', csvOf([['+123', ids[0]!, 90], ['0456', ids[1]!, 80], ['-0', ids[2]!, 70]], header));
  await processResultLoads(t.ctx);
  assert.equal((await loadRow(load)).status, 'ready', JSON.stringify(await loadRow(load)));
  const set = await setRow(code);
  const stored = await t.database.db.selectFrom('result_rows').select('data').where('key_hash', '=', keyHash(set.salt, ['123', ids[0]!])).executeTakeFirstOrThrow();
  assert.equal(JSON.parse(stored.data).seat, 123, 'shown as the number it is hashed as');

  const published = await t.app.inject({ method: 'POST', url: `${API}/${code}/publish`, headers: admin.headers, payload: { confirmImmediateRelease: true } });
  assert.equal(published.statusCode, 200, published.body);
  await t.ctx.resultSets.refreshNow();
  let ip = 0;
  const query = (seat: string, id: string) => t.app.inject({ method: 'POST', url: `/api/v1/result-sets/${code}/query`, payload: { values: { seat, id_number: id } }, remoteAddress: `10.9.0.${++ip}` });
  for (const [seat, id, score] of [
    ['123', ids[0]!, 90],
    ['+123', ids[0]!, 90],
    ['0123', ids[0]!, 90],
    ['456', ids[1]!, 80],
    ['+0456', ids[1]!, 80],
    ['0', ids[2]!, 70],
    ['-0', ids[2]!, 70],
  ] as const) {
    const r = await query(seat, id);
    assert.equal(r.statusCode, 200, `${seat}: ${r.body}`);
    assert.equal(r.json().row.score, score, seat);
  }
  assert.equal((await query('124', ids[0]!)).statusCode, 404);
  assert.equal((await query('+', ids[0]!)).json().error.field, 'values.seat');
});
