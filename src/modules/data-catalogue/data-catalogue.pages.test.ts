/**
 * The catalogue pages as a browser without JavaScript uses them: a steward creates an entry through the form
 * (errors beside the fields, rows added without saving), changes it and publishes it; the public page shows the
 * full metadata and the versions but never a record; 申请共享 only for signed-in staff; the search page filters
 * with facet counts. Another department's steward is refused. PGlite and PostgreSQL.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createTestApp, type TestApp } from '../../testing/test-app.ts';
import { FIXTURE_ITEMS, FIXTURE_REGIONS } from '../../testing/fixture-items.ts';
import { createTestStaff, findDepartment, signInForTest, type TestSession } from '../../testing/fixture-accounts.ts';
import { createTestResource } from '../../testing/fixture-data.ts';

let t: TestApp;
let steward: TestSession;
let otherSteward: TestSession;
let smXH: { id: number; creditCode: string; name: string };

const get = (session: TestSession | null, url: string) => t.app.inject({ method: 'GET', url, headers: session ? { cookie: session.cookie } : {} });
const post = (session: TestSession, url: string, fields: Record<string, string>) =>
  t.app.inject({ method: 'POST', url, payload: new URLSearchParams(fields).toString(), headers: { cookie: session.cookie, 'content-type': 'application/x-www-form-urlencoded' } });

function formCsrf(page: string, action: string): string {
  const form = (page.match(/<form\b[^>]*>[\s\S]*?<\/form>/g) ?? []).find((f) => f.includes(`action="${action}"`));
  const token = form && /name="_csrf" value="([^"]+)"/.exec(form)?.[1];
  assert.ok(token, `a form posting to ${action} with a CSRF field`);
  return token;
}

const fieldError = (page: string, name: string) =>
  new RegExp(`<p class="field-error" id="f-${name.replace(/\./g, '\\.')}-error"><span class="visually-hidden">错误：</span>([^<]*)</p>`).exec(page)?.[1];

function form(o: Record<string, string> = {}): Record<string, string> {
  return {
    code: '330106-SJ-GTGSH-001',
    name: '个体工商户登记信息',
    providerDepartmentId: String(smXH.id),
    classification: '法人/市场主体登记',
    catalogueKind: 'department',
    baseLibrary: '',
    abstract: '西湖区个体工商户的名称、经营者和登记日期。',
    format: 'table',
    rows: '3',
    'items.0.name': '统一社会信用代码',
    'items.0.key': 'credit_code',
    'items.0.type': 'credit_code',
    'items.0.required': '1',
    'items.1.name': '经营者姓名',
    'items.1.key': 'operator_name',
    'items.1.type': 'text',
    'items.1.required': '1',
    'items.1.personal': '1',
    'items.1.mask': 'name',
    'items.2.name': '',
    'items.2.key': '',
    'items.2.type': 'text',
    keyItem: 'credit_code',
    shareType: 'conditional',
    shareConditions: '用于办理个体工商户相关事项',
    shareMethod: 'api',
    openType: 'closed',
    updateCycle: 'daily',
    grade: 'general',
    relatedCodes: '',
    note: '',
    _action: 'save',
    ...o,
  };
}

before(async () => {
  t = await createTestApp(FIXTURE_ITEMS, FIXTURE_REGIONS);
  const db = t.database.db;
  smXH = await findDepartment(db, { regionCode: '330106', kind: 'market_regulation' });
  const smTL = await findDepartment(db, { regionCode: '330122', kind: 'market_regulation' });
  await createTestStaff(db, { staffNo: 'PDS001', departmentId: smXH.id, roles: [{ role: 'data_steward' }], name: '数据员甲' });
  await createTestStaff(db, { staffNo: 'PDS002', departmentId: smTL.id, roles: [{ role: 'data_steward' }], name: '数据员乙' });
  steward = await signInForTest(t.app, { kind: 'staff', identifier: 'PDS001' });
  otherSteward = await signInForTest(t.app, { kind: 'staff', identifier: 'PDS002' });
});

after(async () => {
  await t?.close();
});

test('a steward creates an entry through the form: errors beside fields, more rows, then saved and published', async () => {
  const page = await get(steward, '/admin/data/resources/new');
  assert.equal(page.statusCode, 200);
  assert.equal(page.headers['cache-control'], 'no-store');
  assert.match(page.body, /<caption>信息项<\/caption>/);
  const csrf = formCsrf(page.body, '/admin/data/resources/new');

  // 增加 5 行: the form again, nothing saved, the filled rows kept
  const more = await post(steward, '/admin/data/resources/new', { ...form(), _csrf: csrf, _action: 'more' });
  assert.equal(more.statusCode, 200);
  assert.match(more.body, /name="items\.6\.name"/);
  assert.match(more.body, /value="operator_name"/);

  // bad input: the form again with each error beside its field
  const bad = await post(steward, '/admin/data/resources/new', {
    ...form({ shareConditions: '', 'items.1.key': 'Operator', 'items.2.name': '登记日期', 'items.2.key': 'reg_date', 'items.2.mask': 'full' }),
    _csrf: csrf,
  });
  assert.equal(bad.statusCode, 400);
  assert.match(fieldError(bad.body, 'shareConditions') ?? '', /有条件共享须写明共享条件/);
  assert.match(fieldError(bad.body, 'items.1.key') ?? '', /小写字母/);
  assert.match(fieldError(bad.body, 'items.2.mask') ?? '', /不是个人信息/);
  assert.match(bad.body, /class="error-summary"/);
  assert.match(bad.body, /value="登记日期"/, 'what was typed is kept');
  assert.equal((await t.database.db.selectFrom('data_resources').select('id').execute()).length, 0);

  const ok = await post(steward, '/admin/data/resources/new', { ...form(), _csrf: csrf });
  assert.equal(ok.statusCode, 303, ok.body.slice(0, 500));
  assert.equal(ok.headers.location, '/admin/data?done=created');

  const list = await get(steward, '/admin/data');
  assert.equal(list.statusCode, 200);
  assert.match(list.body, /个体工商户登记信息/);
  assert.match(list.body, /草稿/);
  assert.ok(list.body.includes('href="/admin/data/resources/330106-SJ-GTGSH-001/loads"'));
  assert.ok(list.body.includes('href="/admin/data/resources/330106-SJ-GTGSH-001/edit"'));

  // edit: change the grade and add a row
  const edit = await get(steward, '/admin/data/resources/330106-SJ-GTGSH-001/edit');
  assert.equal(edit.statusCode, 200);
  assert.match(edit.body, /value="operator_name"/);
  const editCsrf = formCsrf(edit.body, '/admin/data/resources/330106-SJ-GTGSH-001/edit');
  const saved = await post(steward, '/admin/data/resources/330106-SJ-GTGSH-001/edit', {
    ...form({ grade: 'important', 'items.2.name': '登记日期', 'items.2.key': 'reg_date', 'items.2.type': 'date', metaVersion: '1', note: '增加登记日期' }),
    _csrf: editCsrf,
  });
  assert.equal(saved.statusCode, 303, saved.body.slice(0, 500));
  const row = await t.database.db.selectFrom('data_resources').select(['meta_version', 'grade', 'items']).where('code', '=', '330106-SJ-GTGSH-001').executeTakeFirstOrThrow();
  assert.equal(row.meta_version, 2);
  assert.equal(row.grade, 'important');
  assert.equal((row.items as unknown[]).length, 3);

  // publish from the list
  const pub = await post(steward, '/admin/data/resources/330106-SJ-GTGSH-001/publish', { _csrf: formCsrf((await get(steward, '/admin/data')).body, '/admin/data/resources/330106-SJ-GTGSH-001/publish') });
  assert.equal(pub.statusCode, 303);
  assert.match((await get(steward, '/admin/data?done=published')).body, /已发布/);
});

test('another department’s steward cannot open or post the edit form', async () => {
  await createTestResource(t.database.db, { code: 'PAGE-SCOPE-1', providerDepartmentId: smXH.id });
  assert.equal((await get(otherSteward, '/admin/data/resources/PAGE-SCOPE-1/edit')).statusCode, 403);
  const page = await get(otherSteward, '/admin/data');
  assert.ok(!page.body.includes('PAGE-SCOPE-1'));
  const res = await post(otherSteward, '/admin/data/resources/PAGE-SCOPE-1/edit', { ...form({ code: 'PAGE-SCOPE-1' }), _csrf: otherSteward.csrfToken });
  assert.equal(res.statusCode, 403);
});

test('the public page shows the metadata and versions, never a record; 申请共享 only for signed-in staff', async () => {
  await createTestResource(t.database.db, {
    code: 'PAGE-POP-1',
    name: '户籍人口页面测试',
    providerDepartmentId: smXH.id,
    records: [{ id_number: '11010519491231002X', name: '张三丰', sex: '男', birth_date: '1949-12-31', address: '北京市东城区某路1号', region_code: '110101' }],
  });
  const anon = await get(null, '/data/resources/PAGE-POP-1');
  assert.equal(anon.statusCode, 200);
  for (const text of ['户籍人口页面测试', 'PAGE-POP-1', smXH.name, '公民身份号码', '个人信息', '有条件共享', '仅限办理政务服务事项时使用', '不予开放', '每日', '重要数据', '第 1 版', '身份证号脱敏']) {
    assert.ok(anon.body.includes(text), `shows ${text}`);
  }
  assert.ok(!anon.body.includes('张三丰') && !anon.body.includes('11010519491231002X') && !anon.body.includes('北京市东城区'), 'no record');
  assert.ok(!anon.body.includes('申请共享'));
  assert.ok(anon.body.includes('href="/data/resources/PAGE-POP-1/versions/1"'));
  const staff = await get(steward, '/data/resources/PAGE-POP-1');
  assert.ok(staff.body.includes('href="/admin/data/requests/new?resource=PAGE-POP-1"'));
  assert.equal(staff.headers['cache-control'], 'no-store');
  const version = await get(null, '/data/resources/PAGE-POP-1/versions/1');
  assert.equal(version.statusCode, 200);
  assert.match(version.body, /第 1 版目录/);
  // a draft is not found
  await createTestResource(t.database.db, { code: 'PAGE-DRAFT-1', providerDepartmentId: smXH.id, status: 'draft' });
  assert.equal((await get(null, '/data/resources/PAGE-DRAFT-1')).statusCode, 404);
});

test('the search page finds by Chinese words and filters with facet counts', async () => {
  await createTestResource(t.database.db, { code: 'PAGE-NONE-1', name: '出入境证件信息', providerDepartmentId: smXH.id, shareType: 'none' });
  const all = await get(null, '/data');
  assert.equal(all.statusCode, 200, all.body.slice(0, 3000));
  assert.match(all.body, /共找到 <strong>\d+<\/strong> 个数据资源/);
  assert.match(all.body, /不予共享<\/a>（1）/);
  const found = await get(null, `/data?q=${encodeURIComponent('户籍人口')}`);
  assert.ok(found.body.includes('户籍人口页面测试'));
  assert.ok(!found.body.includes('出入境证件信息'));
  const filtered = await get(null, '/data?shareType=none');
  assert.ok(filtered.body.includes('出入境证件信息'));
  assert.ok(!filtered.body.includes('户籍人口页面测试'));
  assert.match(filtered.body, /<strong aria-current="true">不予共享<\/strong>（1）/);
  assert.equal((await get(null, '/data?shareType=maybe')).statusCode, 400);
});
