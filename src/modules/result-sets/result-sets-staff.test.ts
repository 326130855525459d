/**
 * 结果发布, the department side over HTTP: creating and changing sets (validation, templates, what may change
 * once published), uploads (413 over the limit, 415 for what is not CSV or XLSX, the CSRF token, one upload at
 * a time), publishing (needs rows; a past release time needs confirmation) and withdrawing, scope (another
 * department's administrator, a clerk, a citizen, nobody), and the staff pages as a browser without JavaScript
 * uses them — progress that refreshes itself only while a load runs, error reports, and never a row of data.
 * PGlite and PostgreSQL.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'csv-stringify/sync';
import type { TestApp } from '../../testing/test-app.ts';
import { createTestPerson, createTestStaff, findDepartment, residentId, signInForTest, type TestSession } from '../../testing/fixture-accounts.ts';
import { multipartBody, samplePdf, samplePng } from '../attachments/sample-files.ts';
import { createResultSetsTestApp } from './result-sets-test-app.ts';
import { processResultLoads } from './process-result-loads.ts';
import { RESULT_SET_TEMPLATES } from './result-sets.types.ts';

let t: TestApp;
let admin: TestSession; // 省教育考试院 department_admin
let steward: TestSession; // 省教育考试院 data_steward
let clerk: TestSession; // 省教育考试院 window_clerk (no results.publish)
let other: TestSession; // 省教育厅 department_admin
let citizen: TestSession;
let examsId = 0;

before(async () => {
  // a 1 MB upload limit, so the 413 needs only a small file
  t = await createResultSetsTestApp((c) => ({ ...c, resultUploadMaxMb: 1 }));
  const db = t.database.db;
  const exams = await findDepartment(db, { regionCode: '330000', kind: 'exam_authority' });
  const education = await findDepartment(db, { regionCode: '330000', kind: 'education' });
  examsId = exams.id;
  await createTestStaff(db, { staffNo: 'RS0001', departmentId: exams.id, roles: [{ role: 'department_admin' }], name: '考试院管理员' });
  await createTestStaff(db, { staffNo: 'RS0002', departmentId: exams.id, roles: [{ role: 'data_steward' }] });
  await createTestStaff(db, { staffNo: 'RS0003', departmentId: exams.id, roles: [{ role: 'window_clerk' }] });
  await createTestStaff(db, { staffNo: 'RS0009', departmentId: education.id, roles: [{ role: 'department_admin' }] });
  const person = await createTestPerson(db, { name: '查询考生', idNumber: residentId('330106', '20080315', 77) });
  admin = await signInForTest(t.app, { kind: 'staff', identifier: 'RS0001' });
  steward = await signInForTest(t.app, { kind: 'staff', identifier: 'RS0002' });
  clerk = await signInForTest(t.app, { kind: 'staff', identifier: 'RS0003' });
  other = await signInForTest(t.app, { kind: 'staff', identifier: 'RS0009' });
  citizen = await signInForTest(t.app, { kind: 'person', identifier: person.mobile });
});

after(async () => {
  await t?.close();
});

const API = '/api/v1/staff/result-sets';
const gaokao = RESULT_SET_TEMPLATES.gaokao!;
const HEADER = gaokao.columns.map((c) => c.label);
const future = '2030-06-25T12:00:00+08:00';
const past = '2020-06-25T12:00:00+08:00';

const get = (s: TestSession | null, url: string) => t.app.inject({ method: 'GET', url, headers: s ? { cookie: s.cookie } : {} });
const send = (s: TestSession | null, method: 'POST' | 'PATCH', url: string, payload?: object) =>
  t.app.inject({ method, url, headers: s ? s.headers : {}, ...(payload ? { payload } : {}) });
const form = (s: TestSession, url: string, fields: [string, string][]) =>
  t.app.inject({
    method: 'POST',
    url,
    headers: { cookie: s.cookie, 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams([['_csrf', s.csrfToken], ...fields]).toString(),
  });

async function createSet(s: TestSession, code: string, o: { releaseAt?: string } = {}) {
  return send(s, 'POST', API, { code, title: `成绩 ${code}`, columns: gaokao.columns, keyColumns: gaokao.keyColumns, releaseAt: o.releaseAt ?? future });
}

function csv(n: number, from = 1): Buffer {
  const rows = Array.from({ length: n }, (_, k) => {
    const i = from + k;
    return [`2633${String(i).padStart(10, '0')}`, residentId('330106', '20080315', i), `考生甲${i}`, 100, 110, 120, 230, 560, i];
  });
  return Buffer.from(stringify([HEADER, ...rows]), 'utf8');
}

function uploadRequest(s: TestSession, url: string, fileName: string, data: Buffer, o: { header?: boolean; csrfField?: string } = {}) {
  const parts = [...(o.csrfField !== undefined ? [{ name: '_csrf', value: o.csrfField }] : []), { name: 'file', file: { fileName, data } }];
  const { payload, contentType } = multipartBody(parts);
  const headers: Record<string, string> = { cookie: s.cookie, 'content-type': contentType };
  if (o.header !== false) headers['x-csrf-token'] = s.csrfToken;
  return t.app.inject({ method: 'POST', url, headers, payload });
}

const storedFiles = () => {
  const root = join(t.ctx.config.storage.dir, 'result-loads');
  try {
    return readdirSync(root, { recursive: true }).filter((f) => /\/\d{5}$/.test(String(f).replaceAll('\\', '/')));
  } catch {
    return [];
  }
};

test('create: validation names every bad field; a duplicate code is a 409; templates are offered', async () => {
  const templates = await get(admin, `${API}/templates`);
  assert.equal(templates.statusCode, 200);
  assert.ok(templates.json().templates.some((x: { key: string; label: string }) => x.key === 'gaokao' && x.label === '高考成绩'));

  const bad = await send(admin, 'POST', API, {
    code: 'Bad Code',
    title: '',
    columns: [
      { key: 'exam_no', label: '考生号', type: 'text', required: false },
      { key: 'name', label: '考生号', type: 'text', required: true },
      { key: '2x', label: '分数', type: 'decimal', required: true },
    ],
    keyColumns: ['exam_no', 'missing'],
    releaseAt: '2026-06-25 12:00',
  });
  assert.equal(bad.statusCode, 400, bad.body);
  const fields = bad.json().error.errors.map((e: { field: string }) => e.field);
  for (const f of ['code', 'title', 'columns[1].label', 'columns[2].key', 'keyColumns', 'releaseAt']) assert.ok(fields.includes(f), `${f} in ${fields.join(', ')}`);
  assert.ok(bad.json().error.errors.some((e: { message: string }) => /必须是必填列/.test(e.message)));

  const ok = await createSet(admin, 'gaokao-2026');
  assert.equal(ok.statusCode, 201, ok.body);
  const view = ok.json();
  assert.equal(view.status, 'draft');
  assert.equal(view.department.id, examsId);
  assert.deepEqual(view.keyColumns, ['exam_no', 'id_number']);
  assert.equal(view.released, false);
  assert.equal((await createSet(admin, 'gaokao-2026')).statusCode, 409);
  const saved = await t.database.db.selectFrom('audit_events').select('details').where('action', '=', 'result_set.saved').where('target_id', '=', 'gaokao-2026').execute();
  assert.equal(saved.length, 1);
  const salt = await t.database.db.selectFrom('result_sets').select('salt').where('code', '=', 'gaokao-2026').executeTakeFirstOrThrow();
  assert.match(salt.salt, /^[0-9a-f]{64}$/);
});

test('scope: another department’s administrator, a clerk, a citizen and nobody are refused', async () => {
  assert.equal((await get(null, API)).statusCode, 401);
  assert.equal((await get(citizen, API)).statusCode, 403);
  assert.equal((await get(clerk, API)).statusCode, 403, 'a window clerk does not publish results');
  assert.equal((await get(other, `${API}/gaokao-2026`)).statusCode, 403);
  assert.deepEqual((await get(other, API)).json().sets, [], 'not listed for another department');
  assert.equal((await send(other, 'PATCH', `${API}/gaokao-2026`, { title: '改' })).statusCode, 403);
  assert.equal((await send(other, 'POST', `${API}/gaokao-2026/publish`, {})).statusCode, 403);
  assert.equal((await uploadRequest(other, `${API}/gaokao-2026/loads`, 'a.csv', csv(2))).statusCode, 403);
  assert.equal((await send(other, 'POST', API, { code: 'x-set', title: 'x', departmentId: examsId, columns: gaokao.columns, keyColumns: gaokao.keyColumns, releaseAt: future })).statusCode, 403);
  assert.equal((await uploadRequest(citizen, `${API}/gaokao-2026/loads`, 'a.csv', csv(2))).statusCode, 403);
  const denied = await t.database.db.selectFrom('audit_events').select('action').where('action', '=', 'access.denied').where('target_id', '=', 'gaokao-2026').execute();
  assert.ok(denied.length >= 3, 'refusals are recorded');
  // the department's data steward may
  const list = await get(steward, API);
  assert.equal(list.statusCode, 200);
  assert.deepEqual(list.json().sets.map((s: { code: string }) => s.code), ['gaokao-2026']);
  assert.equal((await get(steward, `${API}/gaokao-2026`)).statusCode, 200);
});

test('uploads: 413 over the limit, 415 for what is not CSV or XLSX, 400 for an empty file, the CSRF token, nothing stored', async () => {
  const url = `${API}/gaokao-2026/loads`;
  const big = Buffer.concat([csv(1), Buffer.alloc(1024 * 1024 + 10, 0x41)]);
  const tooLarge = await uploadRequest(admin, url, 'big.csv', big);
  assert.equal(tooLarge.statusCode, 413, tooLarge.body);
  assert.equal(tooLarge.json().error.code, 'PAYLOAD_TOO_LARGE');
  assert.match(tooLarge.json().error.message, /1 MB/);

  for (const [name, data] of [
    ['scan.png', await samplePng('x')],
    ['成绩.pdf', await samplePdf('x')],
    ['old.xls', Buffer.concat([Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]), Buffer.alloc(600)])],
  ] as const) {
    const r = await uploadRequest(admin, url, name, data);
    assert.equal(r.statusCode, 415, `${name}: ${r.body}`);
    assert.equal(r.json().error.code, 'UNSUPPORTED_MEDIA_TYPE');
  }
  assert.match((await uploadRequest(admin, url, 'old.xls', Buffer.concat([Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]), Buffer.alloc(600)]))).json().error.message, /\.xls/);
  assert.equal((await uploadRequest(admin, url, 'empty.csv', Buffer.alloc(0))).statusCode, 400);
  const noFile = await uploadRequest(admin, url, '', Buffer.alloc(0));
  assert.equal(noFile.statusCode, 400, 'a form sent without choosing a file');
  assert.match(noFile.json().error.message, /请选择要上传的结果文件/);
  const notMultipart = await send(admin, 'POST', url, { file: 'x' });
  assert.equal(notMultipart.statusCode, 415);

  // no token: refused before the file is stored; the token as the form's first field is enough
  const noToken = await uploadRequest(admin, url, 'a.csv', csv(2), { header: false });
  assert.equal(noToken.statusCode, 403);
  assert.equal(noToken.json().error.code, 'CSRF_REJECTED');
  const wrongToken = await uploadRequest(admin, url, 'a.csv', csv(2), { header: false, csrfField: 'x'.repeat(43) });
  assert.equal(wrongToken.statusCode, 403);
  assert.equal(storedFiles().length, 0, 'no refused upload left a file');
  assert.equal((await t.database.db.selectFrom('result_loads').select('id').execute()).length, 0);

  const ok = await uploadRequest(admin, url, '成绩.csv', csv(3), { header: false, csrfField: admin.csrfToken });
  assert.equal(ok.statusCode, 202, ok.body);
  assert.equal(ok.json().statusUrl, `${url}/${ok.json().loadId}`);
  assert.equal(storedFiles().length, 1);
  const progress = (await get(admin, ok.json().statusUrl)).json();
  assert.equal(progress.status, 'pending');
  assert.equal(progress.progressPercent, 0);
  assert.equal((await uploadRequest(admin, url, 'again.csv', csv(3))).statusCode, 409, 'one upload at a time');
  await processResultLoads(t.ctx);
  assert.equal((await get(admin, ok.json().statusUrl)).json().status, 'ready');
  assert.equal(storedFiles().length, 0, 'the loaded file is removed');
});

test('publish needs rows and, for a past release time, confirmation; withdraw stops it; both audited', async () => {
  assert.equal((await createSet(admin, 'no-rows')).statusCode, 201);
  const noRows = await send(admin, 'POST', `${API}/no-rows/publish`, {});
  assert.equal(noRows.statusCode, 409);
  assert.match(noRows.json().error.message, /请先上传/);

  const before = (await get(admin, `${API}/gaokao-2026`)).json();
  const published = await send(admin, 'POST', `${API}/gaokao-2026/publish`, {});
  assert.equal(published.statusCode, 200, published.body);
  assert.equal(published.json().status, 'published');
  assert.equal(published.json().revision, before.revision + 1);
  assert.equal(published.json().released, false, 'embargoed until the release time');
  assert.equal((await send(admin, 'POST', `${API}/gaokao-2026/publish`, {})).statusCode, 409);

  // a published set keeps its structure; labels and title may change
  const structure = await send(admin, 'PATCH', `${API}/gaokao-2026`, { columns: gaokao.columns.slice(0, 8), keyColumns: gaokao.keyColumns });
  assert.equal(structure.statusCode, 409);
  const relabel = await send(admin, 'PATCH', `${API}/gaokao-2026`, { title: '2026年普通高考成绩', columns: gaokao.columns.map((c) => (c.key === 'rank' ? { ...c, label: '全省位次' } : c)) });
  assert.equal(relabel.statusCode, 200, relabel.body);
  assert.equal(relabel.json().columns.at(-1).label, '全省位次');
  // moving the release time into the past would lift the embargo: only with confirmation
  const early = await send(admin, 'PATCH', `${API}/gaokao-2026`, { releaseAt: past });
  assert.equal(early.statusCode, 409);
  assert.equal(early.json().error.field, 'releaseAt');
  const stale = await send(admin, 'PATCH', `${API}/gaokao-2026`, { title: 'x', revision: 1 });
  assert.equal(stale.statusCode, 409, 'a stale revision');

  const withdrawn = await send(admin, 'POST', `${API}/gaokao-2026/withdraw`, { reason: '总分计算有误' });
  assert.equal(withdrawn.statusCode, 200, withdrawn.body);
  assert.equal(withdrawn.json().status, 'withdrawn');
  assert.equal((await send(admin, 'POST', `${API}/gaokao-2026/withdraw`, {})).statusCode, 409);
  const set = await t.database.db.selectFrom('result_sets').select(['status', 'revision', 'active_load_id']).where('code', '=', 'gaokao-2026').executeTakeFirstOrThrow();
  assert.equal(set.status, 'withdrawn');
  assert.notEqual(set.active_load_id, null, 'the rows stay for a corrected re-publication');

  // re-published with a release time already past: only when confirmed
  assert.equal((await send(admin, 'PATCH', `${API}/gaokao-2026`, { releaseAt: past })).statusCode, 200, 'a withdrawn set may move its time');
  const unconfirmed = await send(admin, 'POST', `${API}/gaokao-2026/publish`, {});
  assert.equal(unconfirmed.statusCode, 409);
  assert.equal(unconfirmed.json().error.field, 'releaseAt');
  const confirmed = await send(admin, 'POST', `${API}/gaokao-2026/publish`, { confirmImmediateRelease: true });
  assert.equal(confirmed.statusCode, 200);
  assert.equal(confirmed.json().released, true);
  const actions = (await t.database.db.selectFrom('audit_events').select('action').where('target_id', '=', 'gaokao-2026').where('outcome', '=', 'success').orderBy('seq').execute()).map((e) => e.action);
  assert.deepEqual(
    actions.filter((a) => a !== 'result_set.saved'),
    ['result_set.published', 'result_set.withdrawn', 'result_set.published'],
  );
  const withdrawEvent = await t.database.db.selectFrom('audit_events').select('details').where('action', '=', 'result_set.withdrawn').executeTakeFirstOrThrow();
  assert.equal((withdrawEvent.details as { reason: string }).reason, '总分计算有误');
});

test('a draft’s structure may change; its loaded rows are retired with it', async () => {
  assert.equal((await createSet(admin, 'draft-change')).statusCode, 201);
  const up = await uploadRequest(admin, `${API}/draft-change/loads`, 'a.csv', csv(4));
  assert.equal(up.statusCode, 202);
  // not while the file is being checked
  const busy = await send(admin, 'PATCH', `${API}/draft-change`, { columns: gaokao.columns.slice(0, 8) });
  assert.equal(busy.statusCode, 409);
  await processResultLoads(t.ctx);
  const loadId = up.json().loadId;
  const changed = await send(admin, 'PATCH', `${API}/draft-change`, { columns: gaokao.columns.slice(0, 8) });
  assert.equal(changed.statusCode, 200, changed.body);
  assert.equal(changed.json().activeLoadId, null);
  assert.equal(changed.json().loads[0].status, 'superseded');
  const rows = await t.database.db.selectFrom('result_rows').select('key_hash').where('load_id', '=', loadId).execute();
  assert.equal(rows.length, 0);
});

test('pages: the list, a create form from the template, errors beside their fields', async () => {
  assert.equal((await get(null, '/staff/result-sets')).statusCode, 303);
  assert.equal((await get(citizen, '/staff/result-sets')).statusCode, 403);
  assert.equal((await get(clerk, '/staff/result-sets')).statusCode, 403);
  const list = await get(admin, '/staff/result-sets');
  assert.equal(list.statusCode, 200);
  assert.match(list.body, /<h1>查询结果发布<\/h1>/);
  assert.ok(list.body.includes('href="/staff/result-sets/gaokao-2026"'));

  const blank = await get(admin, '/staff/result-sets/new?template=gaokao');
  assert.equal(blank.statusCode, 200);
  assert.match(blank.body, /name="col_label_0" value="考生号"/);
  assert.match(blank.body, /name="col_iskey_1" value="1" checked/);
  assert.match(blank.body, /<label for="f-releaseAt">发布时间/);

  const fields: [string, string][] = [
    ['code', 'page-set'],
    ['title', '页面新建'],
    ['description', ''],
    ['departmentId', String(examsId)],
    ['releaseAt', ''],
    ['col_key_0', 'exam_no'],
    ['col_label_0', '考生号'],
    ['col_type_0', 'text'],
    ['col_iskey_0', '1'],
    ['col_key_1', 'score'],
    ['col_label_1', '成绩'],
    ['col_type_1', 'decimal'],
    ['col_key_2', ''],
    ['col_label_2', ''],
    ['col_type_2', 'text'],
  ];
  const bad = await form(admin, '/staff/result-sets', fields);
  assert.equal(bad.statusCode, 400);
  assert.match(bad.body, /class="error-summary"/);
  assert.match(bad.body, /请填写发布时间/);
  assert.match(bad.body, /id="f-releaseAt"[^>]*aria-invalid="true"/);
  const more = await form(admin, '/staff/result-sets', [...fields, ['_more', '1']]);
  assert.equal(more.statusCode, 200);
  assert.match(more.body, /name="col_label_7"/, 'five more rows');

  const created = await form(admin, '/staff/result-sets', fields.map(([k, v]) => [k, k === 'releaseAt' ? '2030-07-01T09:00' : v] as [string, string]));
  assert.equal(created.statusCode, 303, created.body);
  assert.equal(created.headers.location, '/staff/result-sets/page-set?done=created');
  const set = await t.database.db.selectFrom('result_sets').selectAll().where('code', '=', 'page-set').executeTakeFirstOrThrow();
  assert.equal(new Date(set.release_at).toISOString(), '2030-07-01T01:00:00.000Z', 'the form’s time is Beijing time');
  assert.deepEqual(set.key_columns, ['exam_no']);
  assert.equal(set.columns[0]!.required, true, 'a key column is required');
});

test('pages: the set — upload, progress that refreshes itself only while loading, error report, publish, withdraw; no rows', async () => {
  const page = await get(admin, '/staff/result-sets/page-set?done=created');
  assert.equal(page.statusCode, 200);
  assert.match(page.body, /结果集已创建/);
  assert.match(page.body, /enctype="multipart\/form-data"/);
  assert.ok(!page.body.includes('http-equiv="refresh"'));
  const csrfFirst = /<form class="upload-form[^>]*>\s*<input type="hidden" name="_csrf"/.test(page.body);
  assert.ok(csrfFirst, 'the CSRF field comes before the file');
  const template = await get(admin, '/staff/result-sets/page-set/template.csv');
  assert.equal(template.statusCode, 200);
  assert.equal(template.body, '\uFEFF考生号,成绩\r\n');

  const bad = Buffer.from('考生号,成绩\n26001,90\n26001,91\n26002,九十\n', 'utf8');
  const up = await uploadRequest(admin, '/staff/result-sets/page-set/loads', '成绩.csv', bad, { header: false, csrfField: admin.csrfToken });
  assert.equal(up.statusCode, 303, up.body);
  assert.equal(up.headers.location, '/staff/result-sets/page-set?done=uploaded');
  const loading = await get(admin, '/staff/result-sets/page-set?done=uploaded');
  assert.match(loading.body, /<meta http-equiv="refresh" content="3">\n<\/head>/);
  assert.match(loading.body, /停止自动刷新/);
  assert.ok(!/upload-form/.test(loading.body), 'no second upload while one is checked');
  const still = await get(admin, '/staff/result-sets/page-set?refresh=0');
  assert.ok(!still.body.includes('http-equiv="refresh"'));

  await processResultLoads(t.ctx);
  const failed = await get(admin, '/staff/result-sets/page-set');
  assert.ok(!failed.body.includes('http-equiv="refresh"'));
  assert.match(failed.body, /校验未通过/);
  const link = /href="(\/api\/v1\/staff\/result-sets\/page-set\/loads\/\d+\/errors\.csv)"/.exec(failed.body)?.[1];
  assert.ok(link, 'an error report link');
  const reportFile = await get(admin, link);
  assert.equal(reportFile.statusCode, 200);
  assert.match(reportFile.body, /^\uFEFF行号,列,值,问题\r\n3,考生号,26001,与第 2 行重复/);
  assert.match(reportFile.body, /4,成绩,九十,应为数字/);
  assert.equal((await get(other, link)).statusCode, 403);

  // a refused file is the page again with the reason beside the file field
  const png = await uploadRequest(admin, '/staff/result-sets/page-set/loads', 'x.png', await samplePng('x'), { header: false, csrfField: admin.csrfToken });
  assert.equal(png.statusCode, 415);
  assert.match(png.body, /id="f-file"[^>]*aria-invalid="true"/);

  const good = Buffer.from('考生号,成绩\n26001,90\n26002,91.5\n', 'utf8');
  assert.equal((await uploadRequest(admin, '/staff/result-sets/page-set/loads', '成绩.csv', good, { header: false, csrfField: admin.csrfToken })).statusCode, 303);
  await processResultLoads(t.ctx);
  const ready = await get(admin, '/staff/result-sets/page-set');
  assert.match(ready.body, /当前启用/);
  assert.match(ready.body, /2 行（第 \d+ 号上传/);
  assert.ok(!ready.body.includes('91.5') && !ready.body.includes('26002'), 'no row of data on the page');

  const publish = await form(admin, '/staff/result-sets/page-set/publish', []);
  assert.equal(publish.statusCode, 303);
  const shown = await get(admin, '/staff/result-sets/page-set?done=published');
  assert.match(shown.body, /结果集已发布/);
  assert.match(shown.body, /此前任何人，包括工作人员，都不能查询/);
  const withdraw = await form(admin, '/staff/result-sets/page-set/withdraw', [['reason', '数据需更正']]);
  assert.equal(withdraw.statusCode, 303);
  assert.match((await get(admin, '/staff/result-sets/page-set?done=withdrawn')).body, /已撤回/);

  // the edit page of a withdrawn set: labels only
  const edit = await get(admin, '/staff/result-sets/page-set/edit');
  assert.equal(edit.statusCode, 200);
  assert.match(edit.body, /name="col_key_0" value="exam_no" maxlength="40" readonly/);
  const relabel = await form(admin, '/staff/result-sets/page-set/edit', [
    ['title', '页面新建（更正）'],
    ['description', ''],
    ['releaseAt', '2030-07-01T09:00'],
    ['col_label_0', '准考证号'],
    ['col_key_0', 'ignored'],
    ['col_label_1', '成绩'],
  ]);
  assert.equal(relabel.statusCode, 303, relabel.body);
  const after = await t.database.db.selectFrom('result_sets').selectAll().where('code', '=', 'page-set').executeTakeFirstOrThrow();
  assert.equal(after.columns[0]!.label, '准考证号');
  assert.equal(after.columns[0]!.key, 'exam_no');
  assert.equal(after.title, '页面新建（更正）');
  // a set of another department is not shown
  assert.equal((await get(other, '/staff/result-sets/page-set')).statusCode, 403);
});
