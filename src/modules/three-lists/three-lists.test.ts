/**
 * The editing side of the three lists through the staff API and pages: validation (4xx with fields), draft →
 * submit → publish as version 1, a second version superseding the first (kept), diffs between any two versions,
 * imports that write nothing when a row is bad, department scope and permissions (refusals recorded), returns
 * with a comment, and a publication that fails midway leaving nothing half-published.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import ExcelJS from 'exceljs';
import { sql } from 'kysely';
import { createTestApp, type TestApp } from '../../testing/test-app.ts';
import { FIXTURE_ITEMS, FIXTURE_REGIONS } from '../../testing/fixture-items.ts';
import { createTestStaff, findDepartment, signInForTest, type TestSession } from '../../testing/fixture-accounts.ts';
import { multipartBody } from '../attachments/sample-files.ts';
import { listPublishedEditions, clearChangeCountsCache } from './list-published-editions.ts';
import { getEdition } from './get-list-edition.ts';
import { diffEditions } from './diff-list-editions.ts';
import { loadCurrentEntries } from './load-current-entries.ts';
import { readListRevision } from './read-list-revision.ts';
import { publishListEdition } from './publish-list-edition.ts';
import type { Principal } from '../access/principal.ts';

let t: TestApp;
let xh: { id: number; name: string }; // 西湖区市场监督管理局
let xs: { id: number; name: string }; // 萧山 … no: 330122 桐庐县市场监督管理局
let drc: { id: number; name: string }; // 省发展和改革委员会
let editor: TestSession;
let otherEditor: TestSession;
let drcEditor: TestSession;
let admin: TestSession;
let marketCode: string; // a basic item of market regulation
let civilCode: string; // a basic item of civil affairs

const API = '/api/v1/staff/lists';

const power = (key: string, extra: Record<string, unknown> = {}) => ({
  key,
  name: `权力事项${key}`,
  type: 'XK',
  legalBasis: ['《中华人民共和国食品安全法》第三十五条'],
  responsibilities: ['受理责任', '审查责任'],
  accountability: ['违法许可的'],
  itemCodes: [marketCode],
  ...extra,
});

before(async () => {
  t = await createTestApp(FIXTURE_ITEMS, FIXTURE_REGIONS);
  const db = t.database.db;
  xh = await findDepartment(db, { regionCode: '330106', kind: 'market_regulation' });
  xs = await findDepartment(db, { regionCode: '330122', kind: 'market_regulation' });
  drc = await findDepartment(db, { regionCode: '330000', kind: 'development_reform' });
  await createTestStaff(db, { staffNo: 'TL0001', departmentId: xh.id, roles: [{ role: 'department_admin' }] });
  await createTestStaff(db, { staffNo: 'TL0002', departmentId: xs.id, roles: [{ role: 'department_admin' }] });
  await createTestStaff(db, { staffNo: 'TL0003', departmentId: drc.id, roles: [{ role: 'department_admin' }] });
  await createTestStaff(db, { staffNo: 'TL0009', departmentId: drc.id, roles: [{ role: 'platform_admin' }] });
  editor = await signInForTest(t.app, { kind: 'staff', identifier: 'TL0001' });
  otherEditor = await signInForTest(t.app, { kind: 'staff', identifier: 'TL0002' });
  drcEditor = await signInForTest(t.app, { kind: 'staff', identifier: 'TL0003' });
  admin = await signInForTest(t.app, { kind: 'staff', identifier: 'TL0009' });
  marketCode = (await db.selectFrom('basic_items').select('code').where('department_kind', '=', 'market_regulation').executeTakeFirstOrThrow()).code;
  civilCode = (await db.selectFrom('basic_items').select('code').where('department_kind', '=', 'civil_affairs').executeTakeFirstOrThrow()).code;
  clearChangeCountsCache();
});

after(async () => {
  await t.close();
});

const inject = (s: TestSession, method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, payload?: unknown) =>
  t.app.inject({ method, url, headers: s.headers, ...(payload !== undefined ? { payload: payload as object } : {}) });

async function publishedAs(s: TestSession, kind: string, deptId: number, note: string): Promise<{ editionId: number; version: number }> {
  const sub = await inject(s, 'POST', `${API}/${kind}/${deptId}/submit`, { note });
  assert.equal(sub.statusCode, 200, sub.body);
  const id = sub.json().editionId as number;
  const pub = await inject(admin, 'POST', `${API}/editions/${id}/publish`, {});
  assert.equal(pub.statusCode, 200, pub.body);
  return { editionId: id, version: pub.json().version };
}

test('bad entries are 4xx with the field: missing legal basis, unknown department, inconsistent amounts, foreign item codes', async () => {
  const noBasis = await inject(editor, 'POST', `${API}/power/${xh.id}/entries`, { entry: power('XK-1', { legalBasis: [] }) });
  assert.equal(noBasis.statusCode, 400);
  assert.equal(noBasis.json().error.field, 'legalBasis');
  assert.match(noBasis.json().error.message, /设定依据/);

  const unknownDept = await inject(editor, 'POST', `${API}/power/999999/entries`, { entry: power('XK-1') });
  assert.equal(unknownDept.statusCode, 404);
  assert.equal(unknownDept.json().error.field, 'departmentId');

  const foreign = await inject(editor, 'POST', `${API}/power/${xh.id}/entries`, { entry: power('XK-1', { itemCodes: [civilCode] }) });
  assert.equal(foreign.statusCode, 400);
  assert.equal(foreign.json().error.field, 'itemCodes.0');

  const fund = {
    key: 'F-330106-001',
    name: '食品安全专项资金',
    purpose: '抽检',
    rules: '管理办法',
    conditions: '条件',
    years: [{ year: 2024, amount: 100 }],
    allocations: [
      { year: 2024, recipient: '甲', amount: 80, date: '2024-05-01' },
      { year: 2024, recipient: '乙', amount: 30, date: '2024-06-01' },
    ],
  };
  const inconsistent = await inject(editor, 'POST', `${API}/fund/${xh.id}/entries`, { entry: fund });
  assert.equal(inconsistent.statusCode, 400);
  assert.match(inconsistent.json().error.message, /金额不一致/);
  const fine = await inject(editor, 'POST', `${API}/fund/${xh.id}/entries`, { entry: { ...fund, allocations: fund.allocations.slice(0, 1) } });
  assert.equal(fine.statusCode, 201, fine.body);

  // nothing was written for the bad ones: no power draft exists
  const drafts = await t.database.db.selectFrom('list_editions').select('id').where('list_kind', '=', 'power').where('department_id', '=', xh.id).execute();
  assert.equal(drafts.length, 0);
});

test('draft → submit → publish is version 1; an edit published is version 2, the first superseded and kept; diffs between any two', async () => {
  const db = t.database.db;
  const rev0 = await readListRevision(db);
  for (const k of ['XK-0001', 'XK-0002', 'XK-0003']) {
    const r = await inject(editor, 'POST', `${API}/power/${xh.id}/entries`, { entry: power(k) });
    assert.equal(r.statusCode, 201, r.body);
  }
  const dup = await inject(editor, 'POST', `${API}/power/${xh.id}/entries`, { entry: power('XK-0001') });
  assert.equal(dup.statusCode, 409);

  // submit needs a note; the editor may not publish
  assert.equal((await inject(editor, 'POST', `${API}/power/${xh.id}/submit`, { note: ' ' })).statusCode, 400);
  const sub = await inject(editor, 'POST', `${API}/power/${xh.id}/submit`, { note: '首次编制' });
  assert.equal(sub.statusCode, 200, sub.body);
  const v1Id = sub.json().editionId as number;
  assert.equal((await inject(editor, 'POST', `${API}/editions/${v1Id}/publish`, {})).statusCode, 403);
  // in review: no more edits
  assert.equal((await inject(editor, 'POST', `${API}/power/${xh.id}/entries`, { entry: power('XK-0009') })).statusCode, 409);
  const queue = await inject(admin, 'GET', `${API}/review`);
  assert.ok(queue.json().editions.some((e: { editionId: number }) => e.editionId === v1Id));

  const pub = await inject(admin, 'POST', `${API}/editions/${v1Id}/publish`, {});
  assert.equal(pub.statusCode, 200, pub.body);
  assert.equal(pub.json().version, 1);
  assert.equal(pub.json().added, 3);
  assert.equal(await readListRevision(db), rev0 + 1);
  assert.equal((await inject(admin, 'POST', `${API}/editions/${v1Id}/publish`, {})).statusCode, 409);

  // edit: change one, add one, remove one
  const changed = await inject(editor, 'PUT', `${API}/power/${xh.id}/entries/XK-0002`, { entry: power('XK-0002', { name: '改名后的权力', legalBasis: '依据一；依据二' }) });
  assert.equal(changed.statusCode, 200, changed.body);
  const draftId = changed.json().editionId as number;
  assert.notEqual(draftId, v1Id);
  assert.equal((await inject(editor, 'POST', `${API}/power/${xh.id}/entries`, { entry: power('XK-0004') })).statusCode, 201);
  assert.equal((await inject(editor, 'DELETE', `${API}/power/${xh.id}/entries/XK-0003`)).statusCode, 200);
  assert.equal((await inject(editor, 'DELETE', `${API}/power/${xh.id}/entries/XK-0003`)).statusCode, 404);
  const draftDiff = await inject(editor, 'GET', `${API}/editions/${draftId}/diff`);
  assert.equal(draftDiff.statusCode, 200, draftDiff.body);
  assert.deepEqual(draftDiff.json().changed.map((c: { key: string; fields: string[] }) => [c.key, c.fields]), [['XK-0002', ['name', 'legalBasis']]]);

  const v2 = await publishedAs(editor, 'power', xh.id, '调整权力事项');
  assert.equal(v2.version, 2);
  const editions = await db.selectFrom('list_editions').select(['id', 'status', 'version', 'entry_count']).where('list_kind', '=', 'power').where('department_id', '=', xh.id).orderBy('id').execute();
  assert.deepEqual(editions.map((e) => [e.status, e.version, e.entry_count]), [
    ['superseded', 1, 3],
    ['published', 2, 3],
  ]);
  const old = await getEdition(db, v1Id);
  assert.deepEqual(old!.entries.map((e) => e.key), ['XK-0001', 'XK-0002', 'XK-0003']);

  // history with counts, newest first
  const history = await listPublishedEditions(db, { kind: 'power', departmentId: xh.id });
  assert.deepEqual(history.map((h) => [h.version, h.added, h.changed, h.removed, h.entryCount]), [
    [2, 1, 1, 1, 3],
    [1, 3, 0, 0, 3],
  ]);
  assert.equal(history[0]!.departmentName, xh.name);
  const page2 = await listPublishedEditions(db, { kind: 'power', departmentId: xh.id, before: history[0]!.id });
  assert.deepEqual(page2.map((h) => h.version), [1]);

  // diff in both orders, field-level
  const d = await diffEditions(db, v1Id, v2.editionId);
  assert.deepEqual(d.added.map((e) => e.key), ['XK-0004']);
  assert.deepEqual(d.removed.map((e) => e.key), ['XK-0003']);
  assert.deepEqual(d.changed.map((c) => [c.key, c.fields]), [['XK-0002', ['name', 'legalBasis']]]);
  const back = await diffEditions(db, v2.editionId, v1Id);
  assert.deepEqual(back.added.map((e) => e.key), ['XK-0003']);
  // drafts are not public: the public diff refuses a draft, different lists cannot be compared
  const current = await loadCurrentEntries(db, 'power');
  const mine = current.find((c) => c.departmentId === xh.id)!;
  assert.equal(mine.version, 2);
  assert.deepEqual(mine.entries.map((e) => e.key), ['XK-0001', 'XK-0002', 'XK-0004']);
  assert.equal(mine.regionLevel, 'county');

  // audit events of the whole story
  const actions = (await db.selectFrom('audit_events').select('action').where('action', 'like', 'list.%').execute()).map((a) => a.action);
  for (const a of ['list.draft_saved', 'list.submitted', 'list.published']) assert.ok(actions.includes(a), a);
  const published = await db.selectFrom('audit_events').select('details').where('action', '=', 'list.published').where('target_id', '=', String(v2.editionId)).executeTakeFirstOrThrow();
  const details = (typeof published.details === 'string' ? JSON.parse(published.details) : published.details) as Record<string, number>;
  assert.deepEqual([details.version, details.added, details.changed, details.removed], [2, 1, 1, 1]);
});

test('an import with a bad row writes nothing and reports the rows; good CSV, XLSX and JSON imports are written', async () => {
  const db = t.database.db;
  const url = `${API}/power/${xs.id}/import`;
  const csv = [
    '权力编码,权力事项名称,权力类型,设定依据,责任事项,追责情形,关联事项基本编码',
    `XK-A1,食品经营许可,XK,《食品安全法》；《办法》,受理,违法许可,${marketCode}`,
    `XK-A2,特种设备,行政许可,"《特种设备安全法》\n《条例》",受理,违法许可,`,
    'XK-A3,坏的一行,ZZ,,受理,违法许可,',
    'XK-A1,重复编号,XK,依据,受理,违法许可,',
  ].join('\n');
  const send = (s: TestSession, fileName: string, data: Buffer, mode = 'merge') => {
    const body = multipartBody([
      { name: 'mode', value: mode },
      { name: 'file', file: { fileName, data } },
    ]);
    return t.app.inject({ method: 'POST', url, headers: { ...s.headers, 'content-type': body.contentType }, payload: body.payload });
  };
  const bad = await send(otherEditor, 'powers.csv', Buffer.from(csv));
  assert.equal(bad.statusCode, 400, bad.body);
  const rows = bad.json().error.rows as { row: number; column: string; message: string }[];
  assert.deepEqual(
    rows.map((r) => [r.row, r.column]),
    [
      [5, '权力类型'],
      [5, '设定依据'],
      [6, '权力编码'],
    ],
  );
  assert.equal(await db.selectFrom('list_editions').select('id').where('department_id', '=', xs.id).executeTakeFirst(), undefined, 'no draft was created');

  const good = await send(otherEditor, 'powers.csv', Buffer.from(csv.split('\n').slice(0, 4).join('\n')));
  assert.equal(good.statusCode, 200, good.body);
  assert.deepEqual([good.json().added, good.json().entryCount], [2, 2]);
  const a2 = await db.selectFrom('list_entries').select('data').where('edition_id', '=', good.json().editionId).where('entry_key', '=', 'XK-A2').executeTakeFirstOrThrow();
  assert.deepEqual((a2.data as { legalBasis: string[] }).legalBasis, ['《特种设备安全法》', '《条例》']);
  assert.equal((a2.data as { type: string }).type, 'XK');

  // XLSX, merge: changes one, adds one
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('权力清单');
  ws.addRow(['权力编码', '权力事项名称', '权力类型', '设定依据', '责任事项', '追责情形']);
  ws.addRow(['XK-A2', '特种设备使用登记', 'XK', '《特种设备安全法》', '受理', '违法许可']);
  ws.addRow(['XK-A4', '计量器具', 'XK', '《计量法》', '受理', '违法许可']);
  const xlsx = await send(otherEditor, 'powers.xlsx', Buffer.from(await wb.xlsx.writeBuffer()));
  assert.equal(xlsx.statusCode, 200, xlsx.body);
  assert.deepEqual([xlsx.json().added, xlsx.json().changed, xlsx.json().removed, xlsx.json().entryCount], [1, 1, 0, 3]);

  // JSON, replace: the whole list
  const json = await send(otherEditor, 'powers.json', Buffer.from(JSON.stringify([power('XK-A1'), power('XK-A9')])), 'replace');
  assert.equal(json.statusCode, 200, json.body);
  assert.deepEqual([json.json().added, json.json().removed, json.json().entryCount], [1, 2, 2]);

  // not UTF-8, unknown column
  assert.equal((await send(otherEditor, 'p.csv', Buffer.from([0xc4, 0xe3, 0xba, 0xc3, 0x2c, 0x0a]))).json().error.field, 'file');
  const unknownCol = await send(otherEditor, 'p.csv', Buffer.from('权力编码,奇怪的列\nX1,1\n'));
  assert.equal(unknownCol.statusCode, 400);
  assert.match(unknownCol.json().error.message, /无法识别/);

  // the template downloads
  const tpl = await inject(otherEditor, 'GET', `${API}/fund/template?format=csv`);
  assert.equal(tpl.statusCode, 200);
  assert.match(tpl.body, /资金编码,专项资金名称/);
});

test('department scope and permissions: 403s recorded; the negative list only at the province 发改委', async () => {
  const db = t.database.db;
  const other = await inject(otherEditor, 'POST', `${API}/power/${xh.id}/entries`, { entry: power('XK-0100') });
  assert.equal(other.statusCode, 403);
  assert.equal((await inject(otherEditor, 'GET', `${API}/power/${xh.id}`)).statusCode, 403);
  const denied = await db.selectFrom('audit_events').select('action').where('action', '=', 'access.denied').where('target_id', '=', `power:${xh.id}`).execute();
  assert.ok(denied.length >= 2);

  const negative = { key: 'N-2026-001', category: 'approval', industryCodes: ['C2511'], projectType: '新建炼油项目', description: '新建炼油', authority: '省发展改革委', legalBasis: ['条例'] };
  assert.equal((await inject(editor, 'POST', `${API}/negative/${xh.id}/entries`, { entry: negative })).statusCode, 403);
  const ok = await inject(drcEditor, 'POST', `${API}/negative/${drc.id}/entries`, { entry: negative });
  assert.equal(ok.statusCode, 201, ok.body);
  // the reviewer cannot edit; a person cannot reach the staff API
  assert.equal((await inject(admin, 'POST', `${API}/power/${xh.id}/entries`, { entry: power('XK-0101') })).statusCode, 403);
  assert.equal((await t.app.inject({ method: 'GET', url: API })).statusCode, 401);

  const mine = await inject(editor, 'GET', API);
  assert.deepEqual(
    mine.json().lists.map((l: { kind: string; departmentId: number }) => l.kind),
    ['power', 'fund'],
  );
});

test('return needs a comment and makes the edition a draft again; the comment shows on the draft', async () => {
  const r = await inject(drcEditor, 'POST', `${API}/negative/${drc.id}/submit`, { note: '首次编制负面清单' });
  assert.equal(r.statusCode, 200, r.body);
  const id = r.json().editionId as number;
  assert.equal((await inject(admin, 'POST', `${API}/editions/${id}/return`, { comment: '' })).statusCode, 400);
  const ret = await inject(admin, 'POST', `${API}/editions/${id}/return`, { comment: '请补充限制类条目' });
  assert.equal(ret.statusCode, 200, ret.body);
  const view = await inject(drcEditor, 'GET', `${API}/negative/${drc.id}`);
  assert.equal(view.json().open.status, 'draft');
  assert.equal(view.json().open.reviewComment, '请补充限制类条目');
  assert.equal((await inject(admin, 'POST', `${API}/editions/${id}/publish`, {})).statusCode, 409);
  const v1 = await publishedAs(drcEditor, 'negative', drc.id, '首次编制负面清单');
  assert.equal(v1.version, 1);
});

test('a publication that fails midway leaves nothing half-published', async () => {
  const db = t.database.db;
  assert.equal((await inject(editor, 'PUT', `${API}/power/${xh.id}/entries/XK-0001`, { entry: power('XK-0001', { notes: '备注' }) })).statusCode, 200);
  const sub = await inject(editor, 'POST', `${API}/power/${xh.id}/submit`, { note: '补充备注' });
  const id = sub.json().editionId as number;
  const rev = await readListRevision(db);
  // the revision counter refuses to move: the last step before the audit event fails
  await sql`ALTER TABLE list_revision ADD CONSTRAINT list_revision_frozen CHECK (revision <= ${sql.lit(rev)})`.execute(db);
  try {
    const p = { kind: 'staff', accountId: null, roles: [{ role: 'platform_admin', departmentId: drc.id, departmentKind: 'development_reform', regionCode: '330000', includeLowerLevels: false }] } as unknown as Principal;
    await assert.rejects(publishListEdition(db, p, id, {}, { type: 'staff', id: null } as never));
  } finally {
    await sql`ALTER TABLE list_revision DROP CONSTRAINT list_revision_frozen`.execute(db);
  }
  const eds = await db.selectFrom('list_editions').select(['id', 'status', 'version']).where('list_kind', '=', 'power').where('department_id', '=', xh.id).orderBy('id').execute();
  assert.deepEqual(eds.map((e) => [e.status, e.version]), [
    ['superseded', 1],
    ['published', 2],
    ['in_review', null],
  ]);
  assert.equal(await readListRevision(db), rev);
  // and then it goes through
  const v3 = await inject(admin, 'POST', `${API}/editions/${id}/publish`, {});
  assert.equal(v3.statusCode, 200, v3.body);
  assert.equal(v3.json().version, 3);
});

test('staff pages: my lists, the list, entry form errors beside fields, upload with _csrf, submit, review and publish', async () => {
  const page = (s: TestSession, url: string) => t.app.inject({ method: 'GET', url, headers: { cookie: s.cookie } });
  const form = (s: TestSession, url: string, fields: Record<string, string>) =>
    t.app.inject({ method: 'POST', url, headers: { cookie: s.cookie, 'content-type': 'application/x-www-form-urlencoded' }, payload: new URLSearchParams({ _csrf: s.csrfToken, ...fields }).toString() });

  const mine = await page(editor, '/admin/lists');
  assert.equal(mine.statusCode, 200);
  assert.match(mine.body, /权力清单/);
  assert.match(mine.body, new RegExp(xh.name));
  const list = await page(editor, `/admin/lists/power/${xh.id}`);
  assert.equal(list.statusCode, 200);
  assert.match(list.body, /第 3 版/);
  assert.match(list.body, /template\.csv/);

  const base = `/admin/lists/power/${xh.id}`;
  const bad = await form(editor, `${base}/entries`, { key: 'XK-0200', name: '新权力', type: 'XK', legalBasis: '', responsibilities: '受理', accountability: '违法' });
  assert.equal(bad.statusCode, 400);
  assert.match(bad.body, /id="f-legalBasis-error"/);
  assert.match(bad.body, /设定依据/);
  const good = await form(editor, `${base}/entries`, { key: 'XK-0200', name: '新权力', type: 'XK', legalBasis: '依据一\n依据二', responsibilities: '受理', accountability: '违法' });
  assert.equal(good.statusCode, 303, good.body);
  const edit = await page(editor, `${base}/entries/XK-0200/edit`);
  assert.equal(edit.statusCode, 200);
  assert.match(edit.body, /依据一\n依据二/);

  const up = multipartBody([
    { name: '_csrf', value: editor.csrfToken },
    { name: 'mode', value: 'merge' },
    { name: 'file', file: { fileName: 'p.csv', data: Buffer.from('权力编码,权力事项名称,权力类型,设定依据,责任事项,追责情形\nXK-0300,导入,XK,,受理,违法\n') } },
  ]);
  const upBad = await t.app.inject({ method: 'POST', url: `${base}/import`, headers: { cookie: editor.cookie, 'content-type': up.contentType }, payload: up.payload });
  assert.equal(upBad.statusCode, 400);
  assert.match(upBad.body, /逐行错误报告/);

  const removed = await form(editor, `${base}/entries/XK-0200/remove`, {});
  assert.equal(removed.statusCode, 303);
  const sub = await form(editor, `${base}/submit`, { note: '' });
  assert.equal(sub.statusCode, 400);
  assert.match(sub.body, /修订说明/);
  await form(editor, `${base}/entries`, { key: 'XK-0201', name: '又一个权力', type: 'CF', legalBasis: '依据', responsibilities: '受理', accountability: '违法' });
  assert.equal((await form(editor, `${base}/submit`, { note: '新增处罚权力' })).statusCode, 303);

  const queue = await page(admin, '/admin/lists/review');
  assert.equal(queue.statusCode, 200);
  const id = /\/admin\/lists\/review\/(\d+)/.exec(queue.body)![1];
  const review = await page(admin, `/admin/lists/review/${id}`);
  assert.equal(review.statusCode, 200);
  assert.match(review.body, /新增 1 条/);
  assert.match(review.body, /XK-0201/);
  assert.equal((await page(editor, '/admin/lists/review')).statusCode, 403);
  const published = await form(admin, `/admin/lists/review/${id}/publish`, {});
  assert.equal(published.statusCode, 303, published.body);
  const hist = await page(editor, base);
  assert.match(hist.body, /第 4 版/);
  const diffPage = await page(editor, `/admin/lists/editions/${id}/diff`);
  assert.equal(diffPage.statusCode, 200);
  assert.match(diffPage.body, /第 3 版 → 第 4 版/);
});

test('a negative-list industry code whose division does not belong to its section is refused on save and import', async () => {
  const negative = { key: 'N-2026-052', category: 'approval', industryCodes: ['C52'], projectType: '零售', description: '零售', authority: '省发展改革委', legalBasis: ['条例'] };
  const saved = await inject(drcEditor, 'POST', `${API}/negative/${drc.id}/entries`, { entry: negative });
  assert.equal(saved.statusCode, 400, saved.body);
  assert.equal(saved.json().error.field, 'industryCodes.0');
  assert.match(saved.json().error.message, /属于门类 F/);

  const csv = ['条目编号,类别,行业代码,项目类型,具体内容,核准机关,设定依据', 'N-2026-053,核准类,C25；A25,炼油,新建炼油,省发展改革委,条例', 'N-2026-054,核准类,T9999,国际,国际组织,省发展改革委,条例'].join('\n');
  const body = multipartBody([
    { name: 'mode', value: 'merge' },
    { name: 'file', file: { fileName: 'negative.csv', data: Buffer.from(csv) } },
  ]);
  const imported = await t.app.inject({ method: 'POST', url: `${API}/negative/${drc.id}/import`, headers: { ...drcEditor.headers, 'content-type': body.contentType }, payload: body.payload });
  assert.equal(imported.statusCode, 400, imported.body);
  const rows = imported.json().error.rows as { row: number; column: string; message: string }[];
  assert.deepEqual(
    rows.map((r) => [r.row, r.column]),
    [
      [2, '行业代码'],
      [3, '行业代码'],
    ],
  );
  assert.match(rows[0]!.message, /A25/);
});

test('the current lists stay whole when a publication commits between the editions read and the entries read', async () => {
  const db = t.database.db;
  // the department's power list: published version 4 (XK-0001, XK-0002, XK-0004, XK-0201); a draft adds XK-0500
  assert.equal((await inject(editor, 'POST', `${API}/power/${xh.id}/entries`, { entry: power('XK-0500') })).statusCode, 201);
  const sub = await inject(editor, 'POST', `${API}/power/${xh.id}/submit`, { note: '新增一项' });
  assert.equal(sub.statusCode, 200, sub.body);
  const draftId = sub.json().editionId as number;

  // a database whose second query waits for the publication to commit first
  let executed = 0;
  const publishBeforeSecondQuery = async () => {
    if (++executed !== 2) return;
    const pub = await inject(admin, 'POST', `${API}/editions/${draftId}/publish`, {});
    assert.equal(pub.statusCode, 200, pub.body);
  };
  const wrap = <T extends object>(target: T): T =>
    new Proxy(target, {
      get(obj, prop) {
        const value = Reflect.get(obj, prop, obj) as unknown;
        if (typeof value !== 'function') return value;
        if (prop === 'execute') {
          return async (...args: unknown[]) => {
            await publishBeforeSecondQuery();
            return (value as (...a: unknown[]) => unknown).apply(obj, args);
          };
        }
        return (...args: unknown[]) => {
          const out = (value as (...a: unknown[]) => unknown).apply(obj, args);
          return out && typeof out === 'object' && 'execute' in out ? wrap(out) : out;
        };
      },
    });
  const racing = new Proxy(db, {
    get(obj, prop) {
      const value = Reflect.get(obj, prop, obj) as unknown;
      return prop === 'selectFrom' ? (...args: unknown[]) => wrap((value as (...a: unknown[]) => object).apply(obj, args)) : value;
    },
  });

  const current = await loadCurrentEntries(racing, 'power');
  assert.ok(executed >= 2, 'the publication ran between the reads');
  const mine = current.find((c) => c.departmentId === xh.id)!;
  // the edition read first, with its own entries (the next revision brings version 5)
  assert.equal(mine.version, 4);
  assert.deepEqual(mine.entries.map((e) => e.key), ['XK-0001', 'XK-0002', 'XK-0004', 'XK-0201']);
  const later = (await loadCurrentEntries(db, 'power')).find((c) => c.departmentId === xh.id)!;
  assert.equal(later.version, 5);
  assert.deepEqual(later.entries.map((e) => e.key), ['XK-0001', 'XK-0002', 'XK-0004', 'XK-0201', 'XK-0500']);
});
