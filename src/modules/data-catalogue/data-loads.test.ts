/**
 * Data onboarding (数据装载) through the upload API and the job body: each mode (full, upsert, delete) as a new
 * numbered version; a file with any bad row applies nothing and reports its rows (personal values masked);
 * GBK, empty and oversize files refused at upload; duplicate keys; JSON and XLSX; rollback restores exactly and
 * refuses the current or a missing version; versions listed with progress fields; change events only while
 * someone subscribes; one load at a time per resource; the provider department's scope. PGlite and PostgreSQL.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import ExcelJS from 'exceljs';
import { parse } from 'csv-parse/sync';
import { sql } from 'kysely';
import type { TestApp } from '../../testing/test-app.ts';
import { createTestApp } from '../../testing/test-app.ts';
import { FIXTURE_ITEMS, FIXTURE_REGIONS } from '../../testing/fixture-items.ts';
import { createTestStaff, residentId, signInForTest, type TestSession } from '../../testing/fixture-accounts.ts';
import { createTestGrant, createTestResource, POPULATION_ITEMS } from '../../testing/fixture-data.ts';
import { multipartBody } from '../attachments/sample-files.ts';
import { processDataLoads } from './process-data-loads.ts';
import type { DataItem } from '../../db/schema.ts';

let t: TestApp;
let steward: TestSession;
let outsider: TestSession;
let deptA: number;
let deptB: number;

before(async () => {
  t = await createTestApp(FIXTURE_ITEMS, FIXTURE_REGIONS, (c) => ({ ...c, dataUploadMaxMb: 1 }));
  const depts = await t.database.db.selectFrom('departments').select('id').orderBy('id').limit(2).execute();
  deptA = depts[0]!.id;
  deptB = depts[1]!.id;
  await createTestStaff(t.database.db, { staffNo: 'DL0001', departmentId: deptA, roles: [{ role: 'data_steward' }] });
  await createTestStaff(t.database.db, { staffNo: 'DL0002', departmentId: deptB, roles: [{ role: 'data_steward' }] });
  steward = await signInForTest(t.app, { kind: 'staff', identifier: 'DL0001' });
  outsider = await signInForTest(t.app, { kind: 'staff', identifier: 'DL0002' });
});

after(async () => {
  await t?.close();
});

const API = '/api/v1/staff/data/resources';
const HEADER = POPULATION_ITEMS.map((i) => i.name);

interface Person {
  id: string;
  name: string;
  sex: string;
  birth: string;
  address: string;
  region: string;
}

function people(n: number, from = 1): Person[] {
  return Array.from({ length: n }, (_, k) => {
    const i = from + k;
    return { id: residentId('520102', '19850612', i), name: `居民${i}`, sex: i % 2 ? '男' : '女', birth: '1985-06-12', address: `贵阳市南明区中华南路${i}号`, region: '520102' };
  });
}

const cells = (p: Person) => [p.id, p.name, p.sex, p.birth, p.address, p.region];
const quote = (v: string) => (/[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
const csvOf = (rows: string[][], header: string[] = HEADER) => Buffer.from([header, ...rows].map((r) => r.map(quote).join(',')).join('\r\n') + '\r\n', 'utf8');

async function upload(code: string, mode: string, fileName: string, data: Buffer, session = steward): Promise<{ status: number; body: Record<string, unknown> }> {
  const { payload, contentType } = multipartBody([
    { name: 'mode', value: mode },
    { name: 'file', file: { fileName, data } },
  ]);
  const r = await t.app.inject({ method: 'POST', url: `${API}/${code}/loads`, headers: { ...session.headers, 'content-type': contentType }, payload });
  const body = r.json();
  return { status: r.statusCode, body: r.statusCode >= 400 ? body.error : body };
}

async function load(code: string, mode: string, data: Buffer, fileName = 'data.csv'): Promise<Record<string, unknown>> {
  const u = await upload(code, mode, fileName, data);
  assert.equal(u.status, 202, JSON.stringify(u.body));
  await processDataLoads(t.ctx, { log: () => undefined });
  const r = await t.app.inject({ url: `${API}/${code}/loads/${u.body.loadId}`, headers: { cookie: steward.cookie } });
  assert.equal(r.statusCode, 200, r.body);
  return r.json();
}

async function current(resourceId: number): Promise<Map<string, Record<string, unknown>>> {
  const rows = await t.database.db.selectFrom('data_records').select(['record_key', 'data']).where('resource_id', '=', resourceId).where('removed_in', 'is', null).execute();
  return new Map(rows.map((r) => [r.record_key, (typeof r.data === 'string' ? JSON.parse(r.data) : r.data) as Record<string, unknown>]));
}

async function inForceAt(resourceId: number, v: number): Promise<Map<string, string>> {
  const r = await sql<{ record_key: string; data: unknown }>`SELECT record_key, data FROM data_records
    WHERE resource_id = ${resourceId} AND added_in <= ${v} AND (removed_in IS NULL OR removed_in > ${v})`.execute(t.database.db);
  return new Map(r.rows.map((x) => [x.record_key, JSON.stringify(typeof x.data === 'string' ? JSON.parse(x.data) : x.data)]));
}

const resourceRow = (id: number) => t.database.db.selectFrom('data_resources').selectAll().where('id', '=', id).executeTakeFirstOrThrow();

async function report(code: string, loadId: number): Promise<Record<string, string>[]> {
  const r = await t.app.inject({ url: `${API}/${code}/loads/${loadId}/errors.csv`, headers: { cookie: steward.cookie } });
  assert.equal(r.statusCode, 200, r.body);
  assert.ok(r.rawPayload.subarray(0, 3).equals(Buffer.from([0xef, 0xbb, 0xbf])), 'UTF-8 with BOM');
  return parse(r.rawPayload, { bom: true, columns: true }) as Record<string, string>[];
}

const audits = async (action: string, targetId: string) =>
  Number((await t.database.db.selectFrom('audit_events').select((eb) => eb.fn.countAll<number>().as('n')).where('action', '=', action as never).where('target_id', '=', targetId).executeTakeFirstOrThrow()).n);

test('upsert, full and delete loads each become the next numbered version; identical rows are not changes', async () => {
  const res = await createTestResource(t.database.db, { providerDepartmentId: deptA, code: 'TEST-MODES' });
  const ps = people(10);
  // header by item key and by name, mixed order
  const header = ['id_number', '姓名', '性别', '出生日期', 'address', '户籍地行政区划代码'];
  const l1 = await load(res.code, 'upsert', csvOf(ps.map(cells), header));
  assert.equal(l1.status, 'applied', String(l1.message));
  assert.equal(l1.version, 1);
  assert.equal(l1.rowsRead, 10);
  assert.equal(l1.rowsUpserted, 10);
  assert.equal(l1.progressPercent, 100);
  assert.equal(l1.bytesRead, l1.fileBytes);
  assert.equal(await audits('data_load.uploaded', String(l1.id)), 1);
  assert.equal(await audits('data_load.finished', String(l1.id)), 1);
  let r = await resourceRow(res.id);
  assert.equal(r.data_version, 1);
  assert.equal(Number(r.record_count), 10);
  const cur = await current(res.id);
  assert.deepEqual(cur.get(ps[0]!.id), { id_number: ps[0]!.id, name: '居民1', sex: '男', birth_date: '1985-06-12', address: '贵阳市南明区中华南路1号', region_code: '520102' });

  // upsert: 2 changed, 1 new, 7 identical (skipped) → only 3 changes
  const changed = ps.slice(0, 3).map((p, i) => (i < 2 ? { ...p, address: `${p.address}之一` } : p));
  const extra = people(1, 100);
  const l2 = await load(res.code, 'upsert', csvOf([...changed, ...ps.slice(3), ...extra].map(cells)));
  assert.equal(l2.status, 'applied', String(l2.message));
  assert.equal(l2.version, 2);
  assert.equal(l2.rowsUpserted, 3);
  assert.equal(l2.rowsDeleted, 0);
  r = await resourceRow(res.id);
  assert.equal(r.data_version, 2);
  assert.equal(Number(r.record_count), 11);
  assert.equal((await current(res.id)).get(ps[0]!.id)!.address, '贵阳市南明区中华南路1号之一');
  const untouched = await t.database.db.selectFrom('data_records').select('added_in').where('resource_id', '=', res.id).where('record_key', '=', ps[5]!.id).where('removed_in', 'is', null).executeTakeFirstOrThrow();
  assert.equal(untouched.added_in, 1, 'an identical row is left as it was');

  // full: the file is the whole resource — 4 rows kept (one changed), the rest removed
  const l3 = await load(res.code, 'full', csvOf([{ ...ps[3]!, name: '改名' }, ps[4]!, ps[5]!, ps[6]!].map(cells)));
  assert.equal(l3.status, 'applied', String(l3.message));
  assert.equal(l3.version, 3);
  assert.equal(l3.rowsUpserted, 1);
  assert.equal(l3.rowsDeleted, 7);
  assert.deepEqual([...(await current(res.id)).keys()].sort(), [ps[3]!.id, ps[4]!.id, ps[5]!.id, ps[6]!.id].sort());
  assert.equal(Number((await resourceRow(res.id)).record_count), 4);

  // delete: only the key column needed; a key with no record is not a deletion
  const l4 = await load(res.code, 'delete', csvOf([[ps[3]!.id], [ps[9]!.id]], ['公民身份号码']));
  assert.equal(l4.status, 'applied', String(l4.message));
  assert.equal(l4.version, 4);
  assert.equal(l4.rowsDeleted, 1);
  assert.equal(Number((await resourceRow(res.id)).record_count), 3);
  assert.equal((await current(res.id)).has(ps[3]!.id), false);

  // versions listed, newest first, the current one marked
  const list = await t.app.inject({ url: `${API}/${res.code}/loads`, headers: { cookie: steward.cookie } });
  assert.equal(list.statusCode, 200, list.body);
  const body = list.json();
  assert.equal(body.resource.dataVersion, 4);
  assert.deepEqual(
    body.loads.map((l: { version: number; mode: string }) => [l.version, l.mode]),
    [
      [4, 'delete'],
      [3, 'full'],
      [2, 'upsert'],
      [1, 'upsert'],
    ],
  );
  assert.equal(body.loads[0].current, true);
  assert.equal(body.loads[1].current, false);
});

test('a file with any bad row applies nothing and reports each row, personal values masked', async () => {
  const res = await createTestResource(t.database.db, { providerDepartmentId: deptA, code: 'TEST-BAD', records: people(3).map((p) => ({ id_number: p.id, name: p.name, sex: p.sex, birth_date: p.birth, address: p.address, region_code: p.region })) });
  const before = await inForceAt(res.id, 1);
  const ps = people(6, 10);
  const rows = ps.map(cells);
  const badId = `${ps[1]!.id.slice(0, 17)}${ps[1]!.id[17] === '1' ? '2' : '1'}`;
  rows[1]![0] = badId; // check digit wrong (row 3)
  rows[2]![3] = '1985-02-30'; // no such date (row 4)
  rows[3]![1] = ''; // required name missing (row 5)
  rows[5]![0] = ps[0]!.id; // duplicate key of row 2 (row 7)
  const l = await load(res.code, 'full', csvOf(rows));
  assert.equal(l.status, 'failed');
  assert.equal(l.rowsRead, 6);
  assert.equal(l.rowsBad, 4);
  assert.equal(l.version, null);
  assert.match(String(l.message), /4 行有错误/);
  assert.equal(await audits('data_load.finished', String(l.id)), 1);
  const problems = await report(res.code, Number(l.id));
  const byLine = (n: string) => problems.filter((p) => p['行号'] === n);
  assert.equal(byLine('3')[0]!['列'], '公民身份号码');
  assert.match(byLine('3')[0]!['问题']!, /校验位/);
  assert.equal(byLine('3')[0]!['值'], `${badId.slice(0, 6)}********${badId.slice(14)}`, 'the ID masked in the report');
  assert.match(byLine('4')[0]!['问题']!, /日期/);
  assert.equal(byLine('4')[0]!['值'], '***', 'a personal item masked fully');
  assert.match(byLine('5')[0]!['问题']!, /必填/);
  assert.match(byLine('7')[0]!['问题']!, /与第 2 行重复/);
  assert.ok(!JSON.stringify(problems).includes(ps[0]!.id), 'no ID number in clear');
  // nothing applied
  const r = await resourceRow(res.id);
  assert.equal(r.data_version, 1);
  assert.deepEqual(await inForceAt(res.id, 1), before);
  assert.equal((await current(res.id)).size, 3);
  const rows2 = Number((await t.database.db.selectFrom('data_records').select((eb) => eb.fn.countAll<number>().as('n')).where('resource_id', '=', res.id).executeTakeFirstOrThrow()).n);
  assert.equal(rows2, 3, 'no row of the failed load remains');

  // a header that does not match: unknown and missing columns, named
  const h = await load(res.code, 'upsert', csvOf([[ps[0]!.id, '张三', '男', '备注']], ['公民身份号码', '姓名', '性别', '备注']));
  assert.equal(h.status, 'failed');
  assert.match(String(h.message), /缺少必填信息项：出生日期、户籍地址、户籍地行政区划代码/);
  assert.match(String(h.message), /未声明的列：备注/);
  // header only
  const e = await load(res.code, 'upsert', csvOf([]));
  assert.equal(e.status, 'failed');
  assert.match(String(e.message), /只有表头/);
  assert.equal((await resourceRow(res.id)).data_version, 1);
});

test('GBK, empty, oversize and binary files are refused at upload with a clear 4xx', async () => {
  const res = await createTestResource(t.database.db, { providerDepartmentId: deptA, code: 'TEST-ENC' });
  // 公民身份号码,姓名 … in GBK
  const gbk = Buffer.from('b9abc3f1c9edb7ddbac5c2eb2cd0d5c3fb0d0a', 'hex');
  const g = await upload(res.code, 'upsert', 'gbk.csv', gbk);
  assert.equal(g.status, 415);
  assert.match(String(g.body.message), /GBK/);
  const empty = await upload(res.code, 'upsert', 'empty.csv', Buffer.alloc(0));
  assert.equal(empty.status, 400);
  assert.match(String(empty.body.message), /文件为空/);
  const big = await upload(res.code, 'upsert', 'big.csv', Buffer.alloc(1024 * 1024 + 10, 'a'));
  assert.equal(big.status, 413);
  assert.match(String(big.body.message), /不能超过 1 MB/);
  const pdf = await upload(res.code, 'upsert', 'x.pdf', Buffer.from('%PDF-1.4\n\x00\x01\x02binary'));
  assert.equal(pdf.status, 415);
  const mode = await upload(res.code, 'replace', 'a.csv', csvOf([]));
  assert.equal(mode.status, 400);
  assert.equal(mode.body.field, 'mode');
  const loads = await t.database.db.selectFrom('data_loads').select('id').where('resource_id', '=', res.id).execute();
  assert.equal(loads.length, 0, 'no load registered');
});

test('JSON (array and NDJSON) and XLSX files load', async () => {
  const res = await createTestResource(t.database.db, { providerDepartmentId: deptA, code: 'TEST-FORMATS' });
  const ps = people(4, 200);
  const objs = ps.map((p) => ({ id_number: p.id, 姓名: p.name, sex: p.sex, birth_date: p.birth, address: p.address, region_code: p.region }));
  const a = await load(res.code, 'upsert', Buffer.from(JSON.stringify(objs.slice(0, 2), null, 2)), 'a.json');
  assert.equal(a.status, 'applied', String(a.message));
  assert.equal(a.format, 'json');
  assert.equal(a.rowsUpserted, 2);
  const nd = await load(res.code, 'upsert', Buffer.from(objs.slice(2).map((o) => JSON.stringify(o)).join('\n') + '\n'), 'b.ndjson');
  assert.equal(nd.status, 'applied', String(nd.message));
  assert.equal(nd.rowsUpserted, 2);
  // an object with an undeclared property is a row problem
  const bad = await load(res.code, 'upsert', Buffer.from(`${JSON.stringify({ ...objs[0], 备注: 'x' })}\n`), 'c.ndjson');
  assert.equal(bad.status, 'failed');
  const problems = await report(res.code, Number(bad.id));
  assert.equal(problems[0]!['列'], '备注');

  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('户籍');
  ws.addRow(HEADER);
  const xp = people(3, 300);
  for (const p of xp) ws.addRow(cells(p));
  const x = await load(res.code, 'upsert', Buffer.from(await wb.xlsx.writeBuffer()), 'd.xlsx');
  assert.equal(x.status, 'applied', String(x.message));
  assert.equal(x.format, 'xlsx');
  assert.equal(x.rowsUpserted, 3);
  assert.equal((await current(res.id)).size, 7);
});

/** Items named with full-width brackets and digits, as the demo catalogue writes them (注册资本（万元）). */
const FULL_WIDTH_ITEMS: DataItem[] = [
  { key: 'id_number', name: '公民身份号码', type: 'resident_id', required: true, personal: true, mask: 'resident_id' },
  { key: 'capital', name: '注册资本（万元）', type: 'decimal', required: true, personal: false },
  { key: 'started', name: '成立日期', type: 'date', required: true, personal: false },
  { key: 'grade', name: '等级：第１类', type: 'text', required: true, personal: false },
  { key: 'archive_no', name: '档案编号', type: 'text', required: false, personal: false },
];

test('item names with full-width characters match the header (CSV, XLSX) and JSON properties however they are written', async () => {
  const res = await createTestResource(t.database.db, { providerDepartmentId: deptA, code: 'TEST-FULLWIDTH', items: FULL_WIDTH_ITEMS });
  const ids = people(6, 500).map((p) => p.id);
  // as declared (full-width), and as typed on an ordinary keyboard (half-width)
  const a = await load(res.code, 'upsert', csvOf([[ids[0]!, '100.5', '2001-02-03', '甲']], ['公民身份号码', '注册资本（万元）', '成立日期', '等级：第１类']));
  assert.equal(a.status, 'applied', String(a.message));
  const b = await load(res.code, 'upsert', csvOf([[ids[1]!, '200', '2001-02-03', '乙']], ['公民身份号码', '注册资本(万元)', '成立日期', '等级:第1类']));
  assert.equal(b.status, 'applied', String(b.message));
  const json = [
    { 公民身份号码: ids[2], '注册资本（万元）': 300, 成立日期: '2001-02-03', '等级：第１类': '丙' },
    { 公民身份号码: ids[3], '注册资本(万元)': 400, 成立日期: '2001-02-03', '等级:第1类': '丁' },
  ];
  const j = await load(res.code, 'upsert', Buffer.from(JSON.stringify(json)), 'e.json');
  assert.equal(j.status, 'applied', String(j.message));
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('企业');
  ws.addRow(['公民身份号码', '注册资本（万元）', '成立日期', '等级：第１类']);
  ws.addRow([ids[4]!, 500, '2001-02-03', '戊']);
  const x = await load(res.code, 'upsert', Buffer.from(await wb.xlsx.writeBuffer()), 'f.xlsx');
  assert.equal(x.status, 'applied', String(x.message));
  const cur = await current(res.id);
  assert.equal(cur.size, 5);
  assert.deepEqual(cur.get(ids[0]!), { id_number: ids[0], capital: 100.5, started: '2001-02-03', grade: '甲', archive_no: null });
  assert.equal(cur.get(ids[3]!)!.capital, 400);
  assert.equal(cur.get(ids[4]!)!.grade, '戊');
});

test('an Excel date cell (a serial number) loads as its date; a number too long to keep its digits is a row error', async () => {
  const res = await createTestResource(t.database.db, { providerDepartmentId: deptA, code: 'TEST-XLSX-DATES', items: FULL_WIDTH_ITEMS });
  const ids = people(5, 600).map((p) => p.id);
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('企业');
  ws.addRow(['公民身份号码', '注册资本（万元）', '成立日期', '等级：第１类', '档案编号']);
  ws.addRow([ids[0]!, 100, new Date(Date.UTC(1985, 5, 12)), '甲', 12.5]);
  ws.addRow([ids[1]!, 100, new Date(Date.UTC(1900, 2, 1)), '乙', 330100123451]);
  ws.getCell('C2').numFmt = 'yyyy-mm-dd';
  const ok = await load(res.code, 'upsert', Buffer.from(await wb.xlsx.writeBuffer()), 'dates.xlsx');
  assert.equal(ok.status, 'applied', String(ok.message));
  const cur = await current(res.id);
  assert.equal(cur.get(ids[0]!)!.started, '1985-06-12');
  assert.equal(cur.get(ids[0]!)!.archive_no, '12.5', 'a decimal in a text item is kept as written');
  assert.equal(cur.get(ids[1]!)!.started, '1900-03-01', 'after Excel\'s 29 February 1900');
  assert.equal(cur.get(ids[1]!)!.archive_no, '330100123451');

  // an 18-digit number in a text item has lost its last digits: refused, never stored rounded
  const wb2 = new ExcelJS.Workbook();
  const ws2 = wb2.addWorksheet('企业');
  ws2.addRow(['公民身份号码', '注册资本（万元）', '成立日期', '等级：第１类', '档案编号']);
  ws2.addRow([ids[2]!, 100, new Date(Date.UTC(2024, 0, 5)), '丙', 123456789012345678]);
  ws2.addRow([ids[3]!, 100, 60, '丁', '']); // serial 60: Excel's 1900-02-29, no such day
  ws2.addRow([ids[4]!, 100, new Date(Date.UTC(2024, 0, 5)), '戊', '']);
  const bad = await load(res.code, 'upsert', Buffer.from(await wb2.xlsx.writeBuffer()), 'long.xlsx');
  assert.equal(bad.status, 'failed');
  assert.equal(bad.rowsBad, 2);
  const problems = await report(res.code, Number(bad.id));
  const row2 = problems.find((p) => p['行号'] === '2')!;
  assert.equal(row2['列'], '档案编号');
  assert.match(row2['问题']!, /超过 15 位/);
  const row3 = problems.find((p) => p['行号'] === '3')!;
  assert.equal(row3['列'], '成立日期');
  assert.match(row3['问题']!, /应为日期/);
  assert.equal((await current(res.id)).size, 2);

  // a JSON date written as the number 20240105 still reads as that date
  const j = await load(res.code, 'upsert', Buffer.from(JSON.stringify([{ id_number: ids[4], capital: 1, started: 20240105, grade: '戊' }])), 'g.json');
  assert.equal(j.status, 'applied', String(j.message));
  assert.equal((await current(res.id)).get(ids[4]!)!.started, '2024-01-05');
});

test('rollback restores exactly the records of an earlier version, as a new version', async () => {
  const res = await createTestResource(t.database.db, { providerDepartmentId: deptA, code: 'TEST-ROLLBACK' });
  const ps = people(6, 400);
  await load(res.code, 'full', csvOf(ps.slice(0, 4).map(cells))); // v1: 0..3
  await load(res.code, 'upsert', csvOf([{ ...ps[0]!, name: '新名字' }, ps[4]!].map(cells))); // v2: 0 changed, 4 added
  await load(res.code, 'delete', csvOf([[ps[1]!.id]], ['id_number'])); // v3: 1 deleted
  await load(res.code, 'upsert', csvOf([ps[5]!, { ...ps[0]!, name: '又改了' }].map(cells))); // v4
  const v1 = await inForceAt(res.id, 1);
  const v4 = await inForceAt(res.id, 4);

  const r = await t.app.inject({ method: 'POST', url: `${API}/${res.code}/rollback`, headers: steward.headers, payload: { to: 1 } });
  assert.equal(r.statusCode, 200, r.body);
  const l = r.json();
  assert.equal(l.version, 5);
  assert.equal(l.mode, 'rollback');
  assert.equal(l.rollbackTo, 1);
  assert.equal(l.current, true);
  assert.deepEqual(await inForceAt(res.id, 5), v1, 'version 5 holds exactly the records of version 1');
  assert.deepEqual(await inForceAt(res.id, 4), v4, 'history is kept');
  const row = await resourceRow(res.id);
  assert.equal(row.data_version, 5);
  assert.equal(Number(row.record_count), 4);
  assert.equal(await audits('data_load.rolled_back', String(l.id)), 1);

  // and forward again, to version 4
  const f = await t.app.inject({ method: 'POST', url: `${API}/${res.code}/rollback`, headers: steward.headers, payload: { to: 4 } });
  assert.equal(f.statusCode, 200, f.body);
  assert.deepEqual(await inForceAt(res.id, 6), v4);

  const same = await t.app.inject({ method: 'POST', url: `${API}/${res.code}/rollback`, headers: steward.headers, payload: { to: 6 } });
  assert.equal(same.statusCode, 409);
  const missing = await t.app.inject({ method: 'POST', url: `${API}/${res.code}/rollback`, headers: steward.headers, payload: { to: 99 } });
  assert.equal(missing.statusCode, 400);
  assert.equal(missing.json().error.field, 'to');
  assert.equal((await resourceRow(res.id)).data_version, 6);

  // the page lists the versions with rollback buttons
  const page = await t.app.inject({ url: `/admin/data/resources/${res.code}/loads`, headers: { cookie: steward.cookie } });
  assert.equal(page.statusCode, 200);
  assert.match(page.body, /第 6 版/);
  assert.match(page.body, /回滚到此版本/);
  assert.match(page.body, /<caption/);
});

test('change events are written only while the resource has an active subscription, in key order', async () => {
  const res = await createTestResource(t.database.db, { providerDepartmentId: deptA, code: 'TEST-EVENTS' });
  const ps = people(5, 500);
  await load(res.code, 'upsert', csvOf(ps.slice(0, 3).map(cells)));
  const events = () => t.database.db.selectFrom('data_change_events').select(['record_key', 'op', 'version']).where('resource_id', '=', res.id).orderBy('id').execute();
  assert.equal((await events()).length, 0, 'no subscribers, no events');

  const grant = await createTestGrant(t.database.db, { resourceId: res.id, consumerDepartmentId: deptB, items: ['id_number', 'name'] });
  await t.database.db.insertInto('data_subscriptions').values({ grant_id: grant.id, resource_id: res.id, url: 'https://example.test/hook', secret: 's' }).execute();
  const l = await load(res.code, 'full', csvOf([{ ...ps[2]!, name: '改' }, ps[0]!, ps[4]!, ps[3]!].map(cells)));
  assert.equal(l.status, 'applied', String(l.message));
  const e = await events();
  const expected = [
    [ps[1]!.id, 'delete'],
    [ps[2]!.id, 'upsert'],
    [ps[3]!.id, 'upsert'],
    [ps[4]!.id, 'upsert'],
  ].sort((a, b) => (a[0]! < b[0]! ? -1 : 1));
  assert.deepEqual(
    e.map((x) => [x.record_key, x.op]),
    expected,
  );
  assert.ok(e.every((x) => x.version === 2));
});

test('one load at a time per resource: a second upload waits and applies after the first', async () => {
  const res = await createTestResource(t.database.db, { providerDepartmentId: deptA, code: 'TEST-QUEUE' });
  const ps = people(4, 600);
  const a = await upload(res.code, 'upsert', 'a.csv', csvOf(ps.slice(0, 2).map(cells)));
  const b = await upload(res.code, 'upsert', 'b.csv', csvOf(ps.slice(2).map(cells)));
  assert.equal(a.status, 202);
  assert.equal(b.status, 202);
  // the first is running on another server (fresh heartbeat): the second is not taken
  await t.database.db.updateTable('data_loads').set({ status: 'loading', started_at: new Date(), heartbeat_at: new Date() }).where('id', '=', Number(a.body.loadId)).execute();
  assert.deepEqual(await processDataLoads(t.ctx, { log: () => undefined }), { applied: 0, failed: 0, lost: 0 });
  // that server died: after the heartbeat goes stale the load is taken over, then the second one runs
  await t.database.db.updateTable('data_loads').set({ heartbeat_at: new Date(Date.now() - 10 * 60_000) }).where('id', '=', Number(a.body.loadId)).execute();
  assert.deepEqual(await processDataLoads(t.ctx, { log: () => undefined }), { applied: 2, failed: 0, lost: 0 });
  const loads = await t.database.db.selectFrom('data_loads').select(['id', 'version']).where('resource_id', '=', res.id).orderBy('id').execute();
  assert.deepEqual(
    loads.map((l) => l.version),
    [1, 2],
  );
  assert.equal((await current(res.id)).size, 4);
});

test('only stewards of the provider department may load or roll back; refusals are recorded', async () => {
  const res = await createTestResource(t.database.db, { providerDepartmentId: deptA, code: 'TEST-SCOPE' });
  const u = await upload(res.code, 'upsert', 'a.csv', csvOf(people(1, 700).map(cells)), outsider);
  assert.equal(u.status, 403);
  const list = await t.app.inject({ url: `${API}/${res.code}/loads`, headers: { cookie: outsider.cookie } });
  assert.equal(list.statusCode, 403);
  const rb = await t.app.inject({ method: 'POST', url: `${API}/${res.code}/rollback`, headers: outsider.headers, payload: { to: 1 } });
  assert.equal(rb.statusCode, 403);
  const denied = await t.database.db.selectFrom('audit_events').select('seq').where('action', '=', 'access.denied').where('target_id', '=', res.code).execute();
  assert.ok(denied.length >= 3, 'each refusal recorded');
  const none = await t.app.inject({ url: `${API}/NO-SUCH/loads`, headers: { cookie: steward.cookie } });
  assert.equal(none.statusCode, 404);
  const anon = await t.app.inject({ url: `${API}/${res.code}/loads` });
  assert.equal(anon.statusCode, 401);
  assert.equal((await t.database.db.selectFrom('data_loads').select('id').where('resource_id', '=', res.id).execute()).length, 0);
});

test('the page uploads through a form (PRG) and refreshes itself while a load is queued', async () => {
  const res = await createTestResource(t.database.db, { providerDepartmentId: deptA, code: 'TEST-PAGE' });
  const { payload, contentType } = multipartBody([
    { name: '_csrf', value: steward.csrfToken },
    { name: 'mode', value: 'upsert' },
    { name: 'file', file: { fileName: 'p.csv', data: csvOf(people(2, 800).map(cells)) } },
  ]);
  const r = await t.app.inject({ method: 'POST', url: `/admin/data/resources/${res.code}/loads`, headers: { cookie: steward.cookie, 'content-type': contentType }, payload });
  assert.equal(r.statusCode, 303, r.body);
  assert.equal(r.headers.location, `/admin/data/resources/${res.code}/loads?done=uploaded`);
  const page = await t.app.inject({ url: String(r.headers.location), headers: { cookie: steward.cookie } });
  assert.equal(page.statusCode, 200);
  assert.match(page.body, /http-equiv="refresh"/);
  assert.match(page.body, /排队等待/);
  await processDataLoads(t.ctx, { log: () => undefined });
  const done = await t.app.inject({ url: `/admin/data/resources/${res.code}/loads`, headers: { cookie: steward.cookie } });
  assert.doesNotMatch(done.body, /http-equiv="refresh"/);
  assert.match(done.body, /已生效/);
  // a GBK file through the form: the page again, the error beside the file field
  const gbk = multipartBody([
    { name: '_csrf', value: steward.csrfToken },
    { name: 'mode', value: 'upsert' },
    { name: 'file', file: { fileName: 'g.csv', data: Buffer.from('b9abc3f1c9edb7ddbac5c2eb0d0a', 'hex') } },
  ]);
  const g = await t.app.inject({ method: 'POST', url: `/admin/data/resources/${res.code}/loads`, headers: { cookie: steward.cookie, 'content-type': gbk.contentType }, payload: gbk.payload });
  assert.equal(g.statusCode, 415);
  assert.match(g.body, /GBK/);
});
