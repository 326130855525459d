/**
 * 数据共享 staff pages, as a browser without JavaScript uses them: the request form (item checkboxes with the
 * 个人信息 flags, clear items, row filter, the 不予共享 explanation), posting it (PRG; errors beside their
 * fields), the provider's inbox with overdue requests marked, approving and refusing from the request's page,
 * withdrawing, the grants page and its revoke form, the platform's overdue list; page ids out of range.
 * PGlite and PostgreSQL.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import type { TestApp } from '../../testing/test-app.ts';
import { createTestApp } from '../../testing/test-app.ts';
import { FIXTURE_ITEMS, FIXTURE_REGIONS } from '../../testing/fixture-items.ts';
import { createTestStaff, findDepartment, signInForTest, type TestSession } from '../../testing/fixture-accounts.ts';
import { createTestResource } from '../../testing/fixture-data.ts';
import { escalateOverdueRequests } from './escalate-overdue-requests.ts';

let t: TestApp;
let provider: TestSession;
let consumer: TestSession;
let clerk: TestSession;
let platform: TestSession;
let psId = 0;
let caId = 0;

before(async () => {
  t = await createTestApp(FIXTURE_ITEMS, FIXTURE_REGIONS);
  const db = t.database.db;
  psId = (await findDepartment(db, { regionCode: '330000', kind: 'public_security' })).id;
  caId = (await findDepartment(db, { regionCode: '330000', kind: 'civil_affairs' })).id;
  await createTestStaff(db, { staffNo: 'DP0001', departmentId: psId, roles: [{ role: 'department_admin' }] });
  await createTestStaff(db, { staffNo: 'DP0002', departmentId: caId, roles: [{ role: 'data_steward' }] });
  await createTestStaff(db, { staffNo: 'DP0003', departmentId: caId, roles: [{ role: 'window_clerk' }] });
  await createTestStaff(db, { staffNo: 'DP0004', departmentId: caId, roles: [{ role: 'platform_admin' }] });
  provider = await signInForTest(t.app, { kind: 'staff', identifier: 'DP0001' });
  consumer = await signInForTest(t.app, { kind: 'staff', identifier: 'DP0002' });
  clerk = await signInForTest(t.app, { kind: 'staff', identifier: 'DP0003' });
  platform = await signInForTest(t.app, { kind: 'staff', identifier: 'DP0004' });
  await createTestResource(db, { providerDepartmentId: psId, shareType: 'conditional', code: 'PG-COND', name: '户籍人口基本信息' });
  await createTestResource(db, { providerDepartmentId: psId, shareType: 'unconditional', code: 'PG-OPEN', name: '户籍人口统计' });
  await createTestResource(db, { providerDepartmentId: psId, shareType: 'conditional', code: 'PG-COND2', name: '户籍人口迁移' });
  const none = await createTestResource(db, { providerDepartmentId: psId, shareType: 'none', code: 'PG-NONE', name: '涉密户籍档案' });
  await db.updateTable('data_resources').set({ share_conditions: '涉及国家秘密，依法不予共享' }).where('id', '=', none.id).execute();
  await db.insertInto('api_clients').values({ client_id: 'ca-hall', name: '民政服务大厅系统', department_id: caId, scopes: ['data.exchange.read'], secret_hash: 'x', created_by: 'test' }).execute();
});

after(async () => {
  await t?.close();
});

const page = (s: TestSession, url: string) => t.app.inject({ method: 'GET', url, headers: { cookie: s.cookie } });
const form = (s: TestSession, url: string, fields: [string, string][], csrf = s.csrfToken) =>
  t.app.inject({
    method: 'POST',
    url,
    headers: { cookie: s.cookie, 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams([['_csrf', csrf], ...fields]).toString(),
  });

const requestFields = (resource: string, extra: [string, string][] = []): [string, string][] => [
  ['resource', resource],
  ['departmentId', String(caId)],
  ['items', 'id_number'],
  ['items', 'name'],
  ['items', 'region_code'],
  ['clearItems', 'name'],
  ['filter_region_code', '330106，330122'],
  ['filter_sex', ''],
  ['purpose', '办理婚姻登记时核验当事人户籍信息'],
  ['legalBasis', '《婚姻登记条例》第七条'],
  ['scenario', '婚姻登记窗口受理'],
  ['itemCode', ''],
  ['durationDays', '180'],
  ['ratePerMinute', '120'],
  ['clientId', 'ca-hall'],
  ...extra,
];

const idOf = (location: string) => Number(/\/admin\/data\/requests\/(\d+)/.exec(location)?.[1]);

test('the request form: item checkboxes with personal flags, clear items, row filter, client; 不予共享 explains why', async () => {
  const r = await page(consumer, '/admin/data/requests/new?resource=PG-COND');
  assert.equal(r.statusCode, 200);
  assert.match(r.body, /name="items" value="id_number"/);
  assert.match(r.body, /name="items" value="sex"/);
  assert.match(r.body, /name="clearItems" value="name"/);
  assert.doesNotMatch(r.body, /name="clearItems" value="sex"/, 'only personal items can be asked for in clear');
  assert.match(r.body, /个人信息/);
  assert.match(r.body, /name="filter_region_code"/);
  assert.doesNotMatch(r.body, /name="filter_id_number"/, 'no row filter on personal items');
  assert.match(r.body, /value="ca-hall"/);
  assert.match(r.body, /name="_csrf"/);
  assert.match(r.body, />提交申请</);

  const none = await page(consumer, '/admin/data/requests/new?resource=PG-NONE');
  assert.equal(none.statusCode, 200);
  assert.match(none.body, /不予共享/);
  assert.match(none.body, /涉及国家秘密，依法不予共享/);
  assert.doesNotMatch(none.body, /提交申请/);

  assert.equal((await page(consumer, '/admin/data/requests/new?resource=NOPE-1')).statusCode, 404);
  assert.equal((await page(consumer, '/admin/data/requests/new')).statusCode, 200);
  assert.equal((await page(clerk, '/admin/data/requests/new?resource=PG-COND')).statusCode, 403);
});

test('posting the form: errors beside the fields; then PRG to the request, pending with a working-day due date', async () => {
  const bad = await form(consumer, '/admin/data/requests', [
    ['resource', 'PG-COND'],
    ['departmentId', String(caId)],
    ['clearItems', 'name'],
    ['purpose', ''],
    ['legalBasis', '《婚姻登记条例》'],
    ['scenario', '窗口'],
    ['durationDays', '9999'],
  ]);
  assert.equal(bad.statusCode, 400);
  assert.match(bad.body, /id="f-items-error"/);
  assert.match(bad.body, /id="f-purpose-error"/);
  assert.match(bad.body, /id="f-durationDays-error"/);
  assert.match(bad.body, /《婚姻登记条例》/, 'what was typed stays');

  // 不予共享 posted anyway: 409, the reason, no row
  const none = await form(consumer, '/admin/data/requests', requestFields('PG-NONE'));
  assert.equal(none.statusCode, 409);
  assert.match(none.body, /涉及国家秘密/);

  const before = Number((await t.database.db.selectFrom('share_requests').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
  const noCsrf = await form(consumer, '/admin/data/requests', requestFields('PG-COND'), 'wrong');
  assert.equal(noCsrf.statusCode, 403);
  assert.equal(Number((await t.database.db.selectFrom('share_requests').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n), before);

  const ok = await form(consumer, '/admin/data/requests', requestFields('PG-COND'));
  assert.equal(ok.statusCode, 303, ok.body);
  assert.match(String(ok.headers.location), /^\/admin\/data\/requests\/\d+\?done=requested$/);
  const id = idOf(String(ok.headers.location));
  const row = await t.database.db.selectFrom('share_requests').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  assert.deepEqual(row.items, ['id_number', 'name', 'region_code']);
  assert.deepEqual(row.clear_items, ['name']);
  assert.deepEqual(row.row_filter, { region_code: ['330106', '330122'] });
  assert.equal(row.client_id, 'ca-hall');
  assert.equal(row.duration_days, 180);

  const detail = await page(consumer, String(ok.headers.location));
  assert.equal(detail.statusCode, 200);
  assert.match(detail.body, /申请已提交/);
  assert.match(detail.body, /待答复/);
  assert.match(detail.body, /工作日/);
  assert.match(detail.body, />撤回申请</);
  assert.doesNotMatch(detail.body, />同意共享</, 'the requester does not decide');

  const list = await page(consumer, '/admin/data/requests');
  assert.equal(list.statusCode, 200);
  assert.match(list.body, new RegExp(`/admin/data/requests/${id}"`));
  assert.match(list.body, /<caption>/);
});

test('无条件共享 from the form is granted at once', async () => {
  const ok = await form(consumer, '/admin/data/requests', requestFields('PG-OPEN'));
  assert.equal(ok.statusCode, 303, ok.body);
  assert.match(String(ok.headers.location), /\?done=granted$/);
  const detail = await page(consumer, String(ok.headers.location));
  assert.match(detail.body, /已同意/);
  assert.match(detail.body, /授权（第 \d+ 号）/);
});

test('the provider: inbox with overdue marked, approve (narrowing) from the page, refuse needs a reason', async () => {
  // the PG-COND request of the previous test is still pending for the same system: 409, shown on the form
  const dup = await form(consumer, '/admin/data/requests', requestFields('PG-COND', [['purpose', '第二份申请：办理收养登记核验']]));
  assert.equal(dup.statusCode, 409);
  assert.match(dup.body, /请勿重复申请/);
  const b = idOf(String((await form(consumer, '/admin/data/requests', requestFields('PG-COND2'))).headers.location));
  const pending = await t.database.db.selectFrom('share_requests').select(['id']).where('status', '=', 'pending').orderBy('id').execute();
  const first = pending[0]!.id;
  await sql`UPDATE share_requests SET due_at = now() - interval '1 day' WHERE id = ${first}`.execute(t.database.db);
  await escalateOverdueRequests(t.database.db);

  const inbox = await page(provider, '/admin/data/reviews');
  assert.equal(inbox.statusCode, 200);
  assert.match(inbox.body, /已超期/);
  assert.match(inbox.body, new RegExp(`/admin/data/requests/${first}"`));
  assert.match(inbox.body, new RegExp(`/admin/data/requests/${b}"`));
  assert.equal((await page(clerk, '/admin/data/reviews')).statusCode, 403);

  const view = await page(provider, `/admin/data/requests/${first}`);
  assert.match(view.body, />同意共享</);
  assert.match(view.body, />不予同意</);
  assert.doesNotMatch(view.body, />撤回申请</);

  // widening from the form: the row filter dropped
  const wide = await form(provider, `/admin/data/requests/${first}/approve`, [
    ['items', 'id_number'],
    ['filter_region_code', ''],
    ['durationDays', '180'],
    ['ratePerMinute', '120'],
  ]);
  assert.equal(wide.statusCode, 400);
  assert.match(wide.body, /id="f-rowFilter-error"/);

  const ok = await form(provider, `/admin/data/requests/${first}/approve`, [
    ['items', 'id_number'],
    ['items', 'name'],
    ['filter_region_code', '330106'],
    ['durationDays', '30'],
    ['ratePerMinute', '60'],
    ['note', '仅限窗口核验'],
  ]);
  assert.equal(ok.statusCode, 303, ok.body);
  assert.equal(ok.headers.location, `/admin/data/requests/${first}?done=approved`);
  const g = await t.database.db.selectFrom('share_grants').selectAll().where('request_id', '=', first).executeTakeFirstOrThrow();
  assert.deepEqual(g.items, ['id_number', 'name']);
  assert.deepEqual(g.clear_items, [], 'clear items not ticked are masked');
  assert.deepEqual(g.row_filter, { region_code: ['330106'] });
  assert.equal(g.rate_per_minute, 60);

  const empty = await form(provider, `/admin/data/requests/${b}/refuse`, [['reason', '']]);
  assert.equal(empty.statusCode, 400);
  assert.match(empty.body, /id="f-reason-error"/);
  const refused = await form(provider, `/admin/data/requests/${b}/refuse`, [['reason', '用途与所列事项无关']]);
  assert.equal(refused.statusCode, 303);
  const after = await page(consumer, `/admin/data/requests/${b}`);
  assert.match(after.body, /不予同意/);
  assert.match(after.body, /用途与所列事项无关/);
  // a second answer: the page again with the conflict
  const again = await form(provider, `/admin/data/requests/${b}/refuse`, [['reason', '再次答复']]);
  assert.equal(again.statusCode, 409);
});

test('withdraw, the grants page and its revoke form, the platform overdue page', async () => {
  const loc = String((await form(consumer, '/admin/data/requests', requestFields('PG-COND2', [['clientId', '']]))).headers.location);
  const id = idOf(loc);
  const w = await form(consumer, `/admin/data/requests/${id}/withdraw`, [['withdrawReason', '业务调整']]);
  assert.equal(w.statusCode, 303);
  assert.match((await page(consumer, `/admin/data/requests/${id}`)).body, /已撤回/);

  const grants = await page(consumer, '/admin/data/grants');
  assert.equal(grants.statusCode, 200);
  assert.match(grants.body, /本部门获得的授权/);
  const grant = await t.database.db.selectFrom('share_grants').select('id').where('status', '=', 'active').orderBy('id').executeTakeFirstOrThrow();
  assert.match(grants.body, new RegExp(`action="/admin/data/grants/${grant.id}/revoke"`));
  const providerView = await page(provider, '/admin/data/grants');
  assert.match(providerView.body, /本部门资源授出的授权/);

  const noReason = await form(provider, `/admin/data/grants/${grant.id}/revoke`, [[`reason-${grant.id}`, '']]);
  assert.equal(noReason.statusCode, 400);
  assert.match(noReason.body, new RegExp(`id="f-reason-${grant.id}-error"`));
  const revoked = await form(provider, `/admin/data/grants/${grant.id}/revoke`, [[`reason-${grant.id}`, '发现超范围使用']]);
  assert.equal(revoked.statusCode, 303);
  assert.equal(revoked.headers.location, '/admin/data/grants?done=revoked');
  const after = await page(consumer, '/admin/data/grants?done=revoked');
  assert.match(after.body, /已撤销/);
  assert.equal((await t.database.db.selectFrom('share_grants').select('status').where('id', '=', grant.id).executeTakeFirstOrThrow()).status, 'revoked');

  const overdue = await page(platform, '/admin/data/overdue');
  assert.equal(overdue.statusCode, 200);
  assert.match(overdue.body, /超期未答复/);
  assert.equal((await page(consumer, '/admin/data/overdue')).statusCode, 403);
});

test('page ids out of range are 404, not 500', async () => {
  for (const id of ['0', '2147483648', '999999999999']) {
    assert.equal((await page(consumer, `/admin/data/requests/${id}`)).statusCode, 404, id);
    assert.equal((await form(provider, `/admin/data/requests/${id}/approve`, [])).statusCode, 404, id);
  }
  assert.equal((await page(consumer, '/admin/data/requests/abc')).statusCode, 400);
  assert.equal((await page(consumer, '/admin/data/requests/2147483647')).statusCode, 404);
});
