/**
 * The resource catalogue's JSON API: a steward creates and changes entries (each change a meta version with a
 * snapshot and an audited list of changes), bad input is a 4xx naming the field in Chinese, other departments'
 * stewards and clerks are refused (and the refusal recorded), and the public finds published entries by Chinese
 * words with facets — never drafts, never records. PGlite and PostgreSQL.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createTestApp, type TestApp } from '../../testing/test-app.ts';
import { FIXTURE_ITEMS, FIXTURE_REGIONS } from '../../testing/fixture-items.ts';
import { createTestStaff, findDepartment, signInForTest, type TestSession } from '../../testing/fixture-accounts.ts';
import { POPULATION_ITEMS, createTestResource } from '../../testing/fixture-data.ts';
import { validateDataItems } from './data-catalogue.types.ts';

let t: TestApp;
let steward: TestSession; // 西湖区市场监管局
let otherSteward: TestSession; // 桐庐县市场监管局
let clerk: TestSession; // 西湖区市场监管局, window clerk
let smXH: { id: number; creditCode: string; name: string };
let smTL: { id: number; creditCode: string; name: string };

const API = '/api/v1/staff/data/resources';

function send(session: TestSession | null, method: 'GET' | 'POST' | 'PUT', url: string, payload?: unknown) {
  const headers: Record<string, string> = session ? { cookie: session.cookie, 'x-csrf-token': session.csrfToken } : {};
  return t.app.inject({ method, url, headers, ...(payload === undefined ? {} : { payload: payload as object }) });
}

const ENTERPRISE_ITEMS = [
  { key: 'credit_code', name: '统一社会信用代码', type: 'credit_code', required: true, personal: false },
  { key: 'name', name: '企业名称', type: 'text', required: true, personal: false },
  { key: 'legal_rep', name: '法定代表人', type: 'text', required: true, personal: true, mask: 'name' },
  { key: 'established_date', name: '成立日期', type: 'date', required: true, personal: false },
];

function body(o: Record<string, unknown> = {}) {
  return {
    code: '330106-SJ-QYDJ-001',
    name: '西湖区企业登记信息',
    providerDepartmentId: smXH.id,
    catalogueKind: 'base',
    baseLibrary: 'legal_person',
    classification: '法人/市场主体登记',
    abstract: '西湖区登记的企业名称、统一社会信用代码、法定代表人和成立日期（营业执照信息）。',
    format: 'table',
    items: ENTERPRISE_ITEMS,
    keyItem: 'credit_code',
    shareType: 'conditional',
    shareConditions: '仅用于办理政务服务事项核验企业身份',
    shareMethod: 'api',
    openType: 'closed',
    updateCycle: 'daily',
    grade: 'important',
    ...o,
  };
}

before(async () => {
  t = await createTestApp(FIXTURE_ITEMS, FIXTURE_REGIONS);
  const db = t.database.db;
  smXH = await findDepartment(db, { regionCode: '330106', kind: 'market_regulation' });
  smTL = await findDepartment(db, { regionCode: '330122', kind: 'market_regulation' });
  await createTestStaff(db, { staffNo: 'DS0001', departmentId: smXH.id, roles: [{ role: 'data_steward' }], name: '数据员甲' });
  await createTestStaff(db, { staffNo: 'DS0002', departmentId: smTL.id, roles: [{ role: 'data_steward' }], name: '数据员乙' });
  await createTestStaff(db, { staffNo: 'DS0003', departmentId: smXH.id, roles: [{ role: 'window_clerk' }], name: '窗口丙' });
  steward = await signInForTest(t.app, { kind: 'staff', identifier: 'DS0001' });
  otherSteward = await signInForTest(t.app, { kind: 'staff', identifier: 'DS0002' });
  clerk = await signInForTest(t.app, { kind: 'staff', identifier: 'DS0003' });
});

after(async () => {
  await t?.close();
});

test('create then update: each change is a new meta version with a snapshot; the audit names the changes', async () => {
  const created = await send(steward, 'POST', API, body());
  assert.equal(created.statusCode, 201, created.body);
  const v1 = created.json();
  assert.equal(v1.status, 'draft');
  assert.equal(v1.metaVersion, 1);
  assert.equal(v1.provider.id, smXH.id);
  assert.equal(v1.items.length, 4);

  // a draft is not public
  assert.equal((await send(null, 'GET', `/api/v1/data/resources/${v1.code}`)).statusCode, 404);

  const changed = await send(steward, 'PUT', `${API}/${v1.code}`, { ...body(), code: undefined, grade: 'core', items: [...ENTERPRISE_ITEMS, { key: 'address', name: '住所', type: 'text', required: false, personal: false }], metaVersion: 1, note: '增加住所' });
  assert.equal(changed.statusCode, 200, changed.body);
  assert.equal(changed.json().metaVersion, 2);
  assert.equal(changed.json().grade, 'core');

  // the same again: nothing changed, no new version
  const same = await send(steward, 'PUT', `${API}/${v1.code}`, { ...body(), code: undefined, grade: 'core', items: [...ENTERPRISE_ITEMS, { key: 'address', name: '住所', type: 'text', required: false, personal: false }] });
  assert.equal(same.json().metaVersion, 2);

  // a stale version is a conflict
  const stale = await send(steward, 'PUT', `${API}/${v1.code}`, { ...body(), code: undefined, name: '别的名字', metaVersion: 1 });
  assert.equal(stale.statusCode, 409);
  assert.equal(stale.json().error.field, 'metaVersion');

  const versions = await send(steward, 'GET', `${API}/${v1.code}/versions`);
  assert.deepEqual(versions.json().items.map((x: { version: number }) => x.version), [2, 1]);
  assert.equal(versions.json().items[0].note, '增加住所');
  assert.equal(versions.json().items[0].changedBy, '数据员甲');

  const events = await t.database.db.selectFrom('audit_events').select(['action', 'details']).where('target_id', '=', v1.code).orderBy('seq').execute();
  assert.deepEqual(events.map((e) => e.action), ['data_resource.saved', 'data_resource.saved']);
  const details = events[1]!.details as { version: number; changes: string[] };
  assert.equal(details.version, 2);
  assert.deepEqual(details.changes.sort(), ['grade', 'items']);

  // publish: now public, with its versions and each version's snapshot
  const pub = await send(steward, 'POST', `${API}/${v1.code}/publish`);
  assert.equal(pub.statusCode, 200, pub.body);
  assert.equal(pub.json().status, 'published');
  assert.ok(pub.json().publishedAt);
  assert.equal((await send(steward, 'POST', `${API}/${v1.code}/publish`)).statusCode, 409);
  const pubView = await send(null, 'GET', `/api/v1/data/resources/${v1.code}`);
  assert.equal(pubView.statusCode, 200);
  assert.equal(pubView.json().name, '西湖区企业登记信息');
  const pubVersions = await send(null, 'GET', `/api/v1/data/resources/${v1.code}/versions`);
  assert.equal(pubVersions.json().items.length, 2);
  assert.equal(pubVersions.json().items[0].changedBy, null, 'staff names are not public');
  const snap = await send(null, 'GET', `/api/v1/data/resources/${v1.code}/versions/1`);
  assert.equal(snap.statusCode, 200);
  assert.equal(snap.json().snapshot.grade, 'important');
  assert.equal(snap.json().snapshot.items.length, 4);
  assert.equal((await send(null, 'GET', `/api/v1/data/resources/${v1.code}/versions/9`)).statusCode, 404);

  const audit = await t.database.db.selectFrom('audit_events').select(['action', 'details']).where('target_id', '=', v1.code).where('action', '=', 'data_resource.published').execute();
  assert.equal(audit.length, 1);
  assert.equal((audit[0]!.details as { status: string }).status, 'published');

  // retire: no longer listed, still readable as retired
  const retired = await send(steward, 'POST', `${API}/${v1.code}/retire`, { reason: '数据已并入市级资源' });
  assert.equal(retired.json().status, 'retired');
  const list = await send(null, 'GET', `/api/v1/data/resources?q=${encodeURIComponent('西湖区企业登记')}`);
  assert.equal(list.json().total, 0);
  assert.equal((await send(null, 'GET', `/api/v1/data/resources/${v1.code}`)).json().status, 'retired');
});

test('bad input: a 4xx naming the field in Chinese, and nothing written', async () => {
  const cases: [Record<string, unknown>, number, string, RegExp][] = [
    [{ code: 'x' }, 400, 'code', /资源代码/],
    [{ code: 'BAD-ITEMS-1', items: [{ key: 'Credit', name: '统一社会信用代码', type: 'credit_code', required: true, personal: false }] }, 400, 'items.0.key', /小写字母/],
    [{ code: 'BAD-ITEMS-2', items: [...ENTERPRISE_ITEMS, { key: 'name', name: '名称2', type: 'text', required: true, personal: false }] }, 400, 'items.4.key', /重复/],
    [{ code: 'BAD-ITEMS-7', items: [...ENTERPRISE_ITEMS, { key: 'capital', name: '注册资本（万元）', type: 'decimal', required: true, personal: false }, { key: 'capital2', name: '注册资本(万元)', type: 'decimal', required: false, personal: false }] }, 400, 'items.5.name', /重复/],
    [{ code: 'BAD-ITEMS-3', items: [{ ...ENTERPRISE_ITEMS[0], type: 'uuid' }, ...ENTERPRISE_ITEMS.slice(1)] }, 400, 'items.0.type', /数据类型/],
    [{ code: 'BAD-ITEMS-4', items: [ENTERPRISE_ITEMS[0], { key: 'name', name: '企业名称', type: 'text', required: true, personal: false, mask: 'name' }] }, 400, 'items.1.mask', /不是个人信息/],
    [{ code: 'BAD-ITEMS-5', keyItem: 'nothing' }, 400, 'keyItem', /不在信息项中/],
    [{ code: 'BAD-ITEMS-6', items: [] }, 400, 'items', /至少/],
    [{ code: 'BAD-DEPT', providerDepartmentId: 999999 }, 400, 'providerDepartmentId', /未找到/],
    [{ code: 'BAD-SHARE-1', shareType: 'conditional', shareConditions: '' }, 400, 'shareConditions', /有条件共享须写明共享条件/],
    [{ code: 'BAD-SHARE-2', shareType: 'none', shareConditions: '  ' }, 400, 'shareConditions', /不予共享须写明理由/],
    [{ code: 'BAD-SHARE-3', shareType: 'sometimes' }, 400, 'shareType', /共享类型/],
    [{ code: 'BAD-GRADE', grade: 'secret' }, 400, 'grade', /数据分级/],
    [{ code: 'BAD-BASE', catalogueKind: 'base', baseLibrary: null }, 400, 'baseLibrary', /基础库/],
    [{ code: 'BAD-REL', relatedCodes: ['NO-SUCH-CODE'] }, 400, 'relatedCodes', /不存在/],
  ];
  for (const [change, status, field, message] of cases) {
    const res = await send(steward, 'POST', API, body(change));
    assert.equal(res.statusCode, status, `${JSON.stringify(change)}: ${res.body}`);
    const e = res.json().error;
    assert.ok(e.field === field || e.errors?.some((x: { field: string }) => x.field === field), `${field} in ${res.body}`);
    const msg = e.errors?.find((x: { field: string }) => x.field === field)?.message ?? e.message;
    assert.match(msg, message);
  }
  const written = await t.database.db.selectFrom('data_resources').select('code').where('code', 'like', 'BAD-%').execute();
  assert.deepEqual(written, []);

  // a duplicate code is a conflict on the code
  assert.equal((await send(steward, 'POST', API, body({ code: 'DUP-0001' }))).statusCode, 201);
  const dup = await send(steward, 'POST', API, body({ code: 'DUP-0001' }));
  assert.equal(dup.statusCode, 409);
  assert.equal(dup.json().error.field, 'code');
  assert.match(dup.json().error.message, /已被使用/);

  // unconditional needs no conditions
  assert.equal((await send(steward, 'POST', API, body({ code: 'OK-UNCOND-1', shareType: 'unconditional', shareConditions: '' }))).statusCode, 201);
});

test('once records are loaded the key item and existing items stay', async () => {
  const r = await createTestResource(t.database.db, { code: 'LOADED-0001', providerDepartmentId: smXH.id, records: [{ id_number: '11010519491231002X', name: '张三', sex: '男', birth_date: '1949-12-31', address: '北京', region_code: '110105' }] });
  const base = { ...body(), code: undefined, items: POPULATION_ITEMS, keyItem: 'id_number', catalogueKind: 'base', baseLibrary: 'population' };
  const rekey = await send(steward, 'PUT', `${API}/${r.code}`, { ...base, keyItem: 'name' });
  assert.equal(rekey.statusCode, 400);
  assert.equal(rekey.json().error.field, 'keyItem');
  const drop = await send(steward, 'PUT', `${API}/${r.code}`, { ...base, items: POPULATION_ITEMS.filter((i) => i.key !== 'sex') });
  assert.equal(drop.statusCode, 400);
  assert.match(drop.json().error.message, /不能删除信息项/);
  const add = await send(steward, 'PUT', `${API}/${r.code}`, { ...base, items: [...POPULATION_ITEMS, { key: 'ethnicity', name: '民族', type: 'text', required: false, personal: false }] });
  assert.equal(add.statusCode, 200, add.body);
});

test('another department’s steward and a clerk are refused, and the refusal is recorded', async () => {
  const own = await send(steward, 'POST', API, body({ code: 'SCOPE-0001' }));
  assert.equal(own.statusCode, 201);

  // another department's steward: not for 西湖区's department, neither new nor existing entries
  const other = await send(otherSteward, 'POST', API, body({ code: 'SCOPE-0002' }));
  assert.equal(other.statusCode, 403);
  for (const [method, url] of [['PUT', `${API}/SCOPE-0001`], ['POST', `${API}/SCOPE-0001/publish`], ['GET', `${API}/SCOPE-0001`]] as const) {
    const res = await send(otherSteward, method, url, method === 'PUT' ? { ...body(), code: undefined } : undefined);
    assert.equal(res.statusCode, 403, `${method} ${url}`);
  }
  const denied = await t.database.db.selectFrom('audit_events').select(['action', 'outcome']).where('target_id', '=', 'SCOPE-0001').where('action', '=', 'access.denied').execute();
  assert.ok(denied.length >= 3);
  // nor can the other steward move their own entry to 西湖区
  await send(otherSteward, 'POST', API, body({ code: 'SCOPE-TL-1', providerDepartmentId: smTL.id }));
  const move = await send(otherSteward, 'PUT', `${API}/SCOPE-TL-1`, { ...body(), code: undefined, providerDepartmentId: smXH.id });
  assert.equal(move.statusCode, 403);

  // a clerk holds no data.resource.manage at all
  assert.equal((await send(clerk, 'POST', API, body({ code: 'SCOPE-0003' }))).statusCode, 403);
  assert.equal((await send(clerk, 'GET', API)).statusCode, 403);
  // anonymous: 401
  assert.equal((await send(null, 'GET', API)).statusCode, 401);

  // the steward's list holds only their departments' entries
  const mine = await send(steward, 'GET', API);
  const codes = mine.json().items.map((x: { code: string }) => x.code);
  assert.ok(codes.includes('SCOPE-0001'));
  assert.ok(!codes.includes('SCOPE-TL-1'));
  const theirs = (await send(otherSteward, 'GET', API)).json().items.map((x: { code: string }) => x.code);
  assert.deepEqual(theirs, ['SCOPE-TL-1']);
});

test('search: Chinese words, pinyin, filters and facets over published entries only', async () => {
  const mk = async (code: string, o: Record<string, unknown>, publish = true) => {
    const res = await send(steward, 'POST', API, body({ code, ...o }));
    assert.equal(res.statusCode, 201, res.body);
    if (publish) assert.equal((await send(steward, 'POST', `${API}/${code}/publish`)).statusCode, 200);
  };
  await mk('SRCH-HJRK', { name: '户籍人口基本信息', classification: '人口/户籍管理', abstract: '公民身份号码、姓名、户籍地址。', items: POPULATION_ITEMS, keyItem: 'id_number', baseLibrary: 'population', shareType: 'conditional' });
  await mk('SRCH-SBCB', { name: '社会保险参保信息', classification: '社会保障/参保登记', abstract: '参保状态、险种、缴费月数。', catalogueKind: 'theme', baseLibrary: null, shareType: 'unconditional', shareConditions: '' });
  await mk('SRCH-CRJ', { name: '出入境证件信息', classification: '公安/出入境', abstract: '护照和通行证。', catalogueKind: 'department', baseLibrary: null, shareType: 'none', shareConditions: '涉及国家安全', grade: 'core' });
  await mk('SRCH-DRAFT', { name: '户籍人口草稿资源', abstract: '尚未发布。' }, false);

  const q = async (query: string) => (await send(null, 'GET', `/api/v1/data/resources?${query}`)).json();

  const hj = await q(`q=${encodeURIComponent('户籍')}`);
  const hjCodes = hj.items.map((x: { code: string }) => x.code);
  assert.equal(hjCodes[0], 'SRCH-HJRK', 'a match in the name ranks first');
  assert.ok(!hjCodes.includes('SRCH-DRAFT'), 'drafts are never listed');
  assert.equal(hj.total, hjCodes.length);
  // a word of the abstract or an item name finds it too; a sentence with several words
  assert.ok((await q(`q=${encodeURIComponent('参保状态')}`)).items.some((x: { code: string }) => x.code === 'SRCH-SBCB'));
  assert.ok((await q(`q=${encodeURIComponent('查询户籍人口')}`)).items.some((x: { code: string }) => x.code === 'SRCH-HJRK'));
  assert.ok((await q(`q=${encodeURIComponent('公民身份号码')}`)).items.some((x: { code: string }) => x.code === 'SRCH-HJRK'));
  // pinyin initials of the name
  assert.ok((await q('q=hjrk')).items.some((x: { code: string }) => x.code === 'SRCH-HJRK'));
  assert.equal((await q(`q=${encodeURIComponent('航天发射')}`)).total, 0);

  // facets count the result; filters narrow it (as parameters and as fq)
  const all = await q('rows=100');
  const share = Object.fromEntries(all.facets.shareType.map((f: { value: string; count: number }) => [f.value, f.count]));
  assert.ok(share.unconditional >= 1 && share.conditional >= 1 && share.none >= 1);
  assert.equal(all.facets.shareType.find((f: { value: string }) => f.value === 'none').label, '不予共享');
  assert.ok(all.facets.provider.some((f: { value: string; label: string }) => f.value === smXH.creditCode && f.label === smXH.name));
  const none = await q('shareType=none');
  assert.deepEqual(none.items.map((x: { code: string }) => x.code), ['SRCH-CRJ']);
  assert.deepEqual(none.facets.grade.map((f: { value: string }) => f.value), ['core']);
  const fq = await q(`fq=${encodeURIComponent('share_type:unconditional catalogue_kind:theme')}`);
  assert.deepEqual(fq.items.map((x: { code: string }) => x.code), ['SRCH-SBCB']);
  assert.equal((await q(`fq=${encodeURIComponent(`provider:${smTL.creditCode}`)}`)).total, 0);
  // paging
  const page = await q('rows=1&start=1&facets=false');
  assert.equal(page.items.length, 1);
  assert.equal(page.facets, undefined);
  assert.equal(page.start, 1);

  // bad filters are 400 naming the parameter
  const bad = await send(null, 'GET', '/api/v1/data/resources?fq=colour:red');
  assert.equal(bad.statusCode, 400);
  assert.equal(bad.json().error.field, 'fq');
  const badGrade = await send(null, 'GET', '/api/v1/data/resources?grade=secret');
  assert.equal(badGrade.statusCode, 400);
  assert.equal(badGrade.json().error.field, 'grade');
  // the public API never carries records
  const detail = await send(null, 'GET', '/api/v1/data/resources/SRCH-HJRK');
  assert.equal(detail.json().records, undefined);
});

test('validateDataItems reports each problem', () => {
  assert.deepEqual(validateDataItems(POPULATION_ITEMS, 'id_number'), []);
  const problems = validateDataItems([{ key: 'a', name: '', type: 'text', required: false, personal: false }], 'a');
  assert.deepEqual(problems.map((p) => p.field).sort(), ['items.0.name', 'keyItem']);
});
