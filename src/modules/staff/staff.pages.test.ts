/**
 * The administration pages as a browser without JavaScript uses them: the workbench shows a clerk only their
 * department; forms carry the CSRF field, answer errors beside their fields and redirect (303) on success;
 * pages outside one's scope are 403 and recorded. PGlite and PostgreSQL.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { LightMyRequestResponse } from 'fastify';
import { createTestApp, type TestApp } from '../../testing/test-app.ts';
import { FIXTURE_ITEMS, FIXTURE_REGIONS } from '../../testing/fixture-items.ts';
import { createTestPerson, createTestStaff, findDepartment, signInForTest, type TestSession } from '../../testing/fixture-accounts.ts';

type Dept = { id: number; creditCode: string; name: string };
let t: TestApp;
let civXH: Dept;
let civTL: Dept;
let clerk: TestSession;
let admin: TestSession;
let platform: TestSession;
let person: TestSession;
let itemXH: string;
let itemTL: string;

const get = (session: TestSession | null, url: string) => t.app.inject({ method: 'GET', url, headers: session ? { cookie: session.cookie } : {} });

/** Posts a form as a browser does: form-encoded, with the session cookie, `_csrf` among the fields if given. */
const post = (session: TestSession, url: string, fields: Record<string, string>) =>
  t.app.inject({ method: 'POST', url, payload: new URLSearchParams(fields).toString(), headers: { cookie: session.cookie, 'content-type': 'application/x-www-form-urlencoded' } });

/** The CSRF value of the form posting to `action` on `page`. */
function formCsrf(page: string, action: string): string {
  const form = (page.match(/<form\b[^>]*>[\s\S]*?<\/form>/g) ?? []).find((f) => f.includes(`action="${action}"`));
  const token = form && /name="_csrf" value="([^"]+)"/.exec(form)?.[1];
  assert.ok(token, `a form posting to ${action} with a CSRF field`);
  return token;
}

async function submit(session: TestSession, page: string, action: string, fields: Record<string, string>): Promise<LightMyRequestResponse> {
  const res = await get(session, page);
  assert.equal(res.statusCode, 200, `${page}: ${res.body.slice(0, 300)}`);
  return post(session, action, { _csrf: formCsrf(res.body, action), ...fields });
}

const fieldError = (page: string, name: string) =>
  new RegExp(`<p class="field-error" id="f-${name}-error"><span class="visually-hidden">错误：</span>([^<]*)</p>`).exec(page)?.[1];

before(async () => {
  t = await createTestApp(FIXTURE_ITEMS, FIXTURE_REGIONS);
  const db = t.database.db;
  civXH = await findDepartment(db, { regionCode: '330106', kind: 'civil_affairs' });
  civTL = await findDepartment(db, { regionCode: '330122', kind: 'civil_affairs' });
  const province = await findDepartment(db, { regionCode: '330000', kind: 'civil_affairs' });
  const code = async (dept: Dept) => (await db.selectFrom('impl_items').select('code').where('department_id', '=', dept.id).executeTakeFirstOrThrow()).code;
  itemXH = await code(civXH);
  itemTL = await code(civTL);
  await createTestStaff(db, { staffNo: 'PCLK01', departmentId: civXH.id, roles: [{ role: 'window_clerk' }], name: '王窗口' });
  await createTestStaff(db, { staffNo: 'PADM01', departmentId: civXH.id, roles: [{ role: 'department_admin' }], name: '李管理' });
  await createTestStaff(db, { staffNo: 'PPLT01', departmentId: province.id, roles: [{ role: 'platform_admin' }], name: '赵平台' });
  clerk = await signInForTest(t.app, { kind: 'staff', identifier: 'PCLK01' });
  admin = await signInForTest(t.app, { kind: 'staff', identifier: 'PADM01' });
  platform = await signInForTest(t.app, { kind: 'staff', identifier: 'PPLT01' });
  const p = await createTestPerson(db);
  person = await signInForTest(t.app, { kind: 'person', identifier: p.mobile });
});

after(async () => {
  await t?.close();
});

test('the workbench shows a clerk who they are and only their department’s items', async () => {
  const res = await get(clerk, '/admin');
  assert.equal(res.statusCode, 200);
  assert.equal(res.headers['cache-control'], 'no-store');
  assert.match(res.body, /王窗口/);
  assert.match(res.body, /PCLK01/);
  assert.ok(res.body.includes(civXH.name));
  assert.match(res.body, /窗口受理/);
  assert.ok(res.body.includes(`href="/admin/items/${itemXH}"`));
  assert.ok(res.body.includes(`href="/items/${itemXH}"`));
  assert.ok(!res.body.includes(itemTL), 'not 桐庐县’s item');
  const listed = [...res.body.matchAll(/href="\/admin\/items\/([0-9A-Z]+)"/g)].map((m) => m[1]);
  assert.deepEqual(listed, [itemXH]);
  assert.ok(!res.body.includes('href="/admin/staff"'), 'no staff administration for a clerk');
  assert.ok(!res.body.includes('href="/admin/audit"'));

  const adminPage = (await get(admin, '/admin')).body;
  assert.ok(adminPage.includes('href="/admin/staff"') && adminPage.includes('href="/admin/audit"'));
  assert.ok(!adminPage.includes('href="/admin/clients"'));
  assert.ok((await get(platform, '/admin')).body.includes('href="/admin/clients"'), 'a platform administrator manages clients');

  assert.equal((await get(person, '/admin')).statusCode, 403, 'not for citizens');
  const anonymous = await get(null, '/admin');
  assert.equal(anonymous.statusCode, 303);
  assert.match(String(anonymous.headers.location), /^\/login\?back=%2Fadmin/);
  assert.equal((await get(clerk, '/admin/staff')).statusCode, 403);
  assert.equal((await get(clerk, '/admin/audit')).statusCode, 403);
  assert.equal((await get(clerk, '/admin?page=0')).statusCode, 400);
});

test('draft pages: a clerk reads their own, never another department’s; the administrator saves and publishes', async () => {
  assert.equal((await get(clerk, `/admin/items/${itemXH}`)).statusCode, 200);
  const before = await t.database.db.selectFrom('audit_events').select('seq').where('action', '=', 'access.denied').where('target_id', '=', itemTL).execute();
  assert.equal((await get(clerk, `/admin/items/${itemTL}`)).statusCode, 403);
  const afterDenied = await t.database.db.selectFrom('audit_events').select('seq').where('action', '=', 'access.denied').where('target_id', '=', itemTL).execute();
  assert.equal(afterDenied.length, before.length + 1);
  assert.equal((await get(admin, `/admin/items/${itemTL}`)).statusCode, 403);
  assert.equal((await get(admin, '/admin/items/abc')).statusCode, 400);
  assert.ok(!(await get(clerk, `/admin/items/${itemXH}`)).body.includes(`action="/admin/items/${itemXH}/versions"`), 'a clerk gets no edit form');
  const forged = await post(clerk, `/admin/items/${itemXH}/versions`, { _csrf: clerk.csrfToken, promisedDays: '0', address: 'x', consultPhone: '0571-1', officeHours: 'y', changeNote: 'z' });
  assert.equal(forged.statusCode, 403, 'nor may post one');
  assert.equal((await post(clerk, `/admin/items/${itemXH}/publish`, { _csrf: clerk.csrfToken, version: '1' })).statusCode, 403);

  const page = `/admin/items/${itemXH}`;
  const action = `${page}/versions`;
  const noToken = await post(admin, action, { promisedDays: '0', address: 'x', consultPhone: '0571-1', officeHours: 'y', changeNote: 'z' });
  assert.equal(noToken.statusCode, 403, 'a form post needs the CSRF field');
  const unchanged = await submit(admin, page, action, { promisedDays: '0', address: (await t.database.db.selectFrom('impl_item_versions').select('address').where('item_code', '=', itemXH).executeTakeFirstOrThrow()).address, consultPhone: '', officeHours: '', changeNote: '' });
  assert.equal(unchanged.statusCode, 400);
  assert.ok(fieldError(unchanged.body, 'consultPhone') || fieldError(unchanged.body, 'changeNote') || fieldError(unchanged.body, 'officeHours'));
  const badDays = await submit(admin, page, action, { promisedDays: 'abc', address: '新址', consultPhone: '0571-88888888', officeHours: '工作日', changeNote: '改' });
  assert.equal(badDays.statusCode, 400);
  assert.match(fieldError(badDays.body, 'promisedDays') ?? '', /整数/);
  assert.match(badDays.body, /value="新址"/, 'what was typed is kept');
  const tooLong = await submit(admin, page, action, { promisedDays: '0', address: '址'.repeat(201), consultPhone: '0571-88888888', officeHours: '工作日', changeNote: '改' });
  assert.equal(tooLong.statusCode, 400);
  assert.match(fieldError(tooLong.body, 'address') ?? '', /200/);
  const saved = await submit(admin, page, action, { promisedDays: '0', address: '西湖区婚姻登记处', consultPhone: '0571-88888888', officeHours: '工作日 9:00—17:00', changeNote: '更新地址和电话' });
  assert.equal(saved.statusCode, 303, saved.body.slice(0, 500));
  assert.equal(saved.headers.location, `${page}?done=created`);
  const draftPage = (await get(clerk, page)).body;
  assert.match(draftPage, /待发布草稿（第 2 版）/);
  assert.match(draftPage, /西湖区婚姻登记处/);

  const published = await submit(admin, `${page}?done=created`, `${page}/publish`, { version: '2' });
  assert.equal(published.statusCode, 303);
  assert.equal(published.headers.location, `${page}?done=published`);
  const guide = (await t.app.inject({ url: `/api/v1/items/${itemXH}` })).json();
  assert.equal(guide.address, '西湖区婚姻登记处');
  assert.equal(guide.consultPhone, '0571-88888888');
});

test('staff pages: create with errors beside fields, grant and revoke roles, disable, all by PRG', async () => {
  const list = await get(admin, '/admin/staff');
  assert.equal(list.statusCode, 200);
  assert.match(list.body, /PCLK01/);
  assert.ok(!list.body.includes('PPLT01'), 'only the department’s staff');

  const form = await get(admin, '/admin/staff/new');
  assert.equal(form.statusCode, 200);
  assert.match(form.body, /首次登录后立即修改密码/);
  const csrf = formCsrf(form.body, '/admin/staff/new');
  const fields = { _csrf: csrf, staffNo: 'pnew01', name: '陈新', mobile: '13600000001', department: civXH.creditCode, password: 'Xihu#2026ok' };
  const weak = await post(admin, '/admin/staff/new', { ...fields, password: 'abcdefgh' });
  assert.equal(weak.statusCode, 400);
  assert.ok(fieldError(weak.body, 'password'));
  assert.match(weak.body, /value="陈新"/);
  assert.ok(!weak.body.includes('abcdefgh'), 'a password is never echoed');
  const elsewhere = await post(admin, '/admin/staff/new', { ...fields, department: civTL.creditCode });
  assert.equal(elsewhere.statusCode, 403);
  const overlong = await post(admin, '/admin/staff/new', { ...fields, name: '名'.repeat(101) });
  assert.equal(overlong.statusCode, 400);
  const created = await post(admin, '/admin/staff/new', fields);
  assert.equal(created.statusCode, 303, created.body.slice(0, 500));
  const location = String(created.headers.location);
  assert.match(location, /^\/admin\/staff\/[0-9a-f-]{36}\?done=created$/);
  const detailUrl = location.split('?')[0]!;
  const detail = await get(admin, location);
  assert.match(detail.body, /工作人员账号已创建/);
  assert.match(detail.body, /PNEW01/);
  assert.ok(!detail.body.includes('value="platform_admin"'), 'a department administrator is not offered 平台管理员');

  const granted = await submit(admin, detailUrl, `${detailUrl}/roles`, { role: 'reviewer', department: civXH.creditCode });
  assert.equal(granted.statusCode, 303);
  const dup = await submit(admin, detailUrl, `${detailUrl}/roles`, { role: 'reviewer', department: civXH.creditCode });
  assert.equal(dup.statusCode, 409);
  assert.match(dup.body, /已有此角色/);
  const badRole = await submit(admin, detailUrl, `${detailUrl}/roles`, { role: 'emperor', department: '' });
  assert.equal(badRole.statusCode, 400);
  assert.ok(fieldError(badRole.body, 'role'));

  const withRole = (await get(admin, detailUrl)).body;
  const revokeAction = /action="(\/admin\/staff\/[0-9a-f-]+\/roles\/[0-9a-f-]+\/revoke)"/.exec(withRole)?.[1];
  assert.ok(revokeAction);
  assert.equal((await submit(admin, detailUrl, revokeAction, {})).statusCode, 303);
  assert.ok(!(await get(admin, detailUrl)).body.includes('/revoke"'), 'no role left to revoke');

  const victim = await signInForTest(t.app, { kind: 'staff', identifier: 'PNEW01', password: 'Xihu#2026ok' });
  assert.equal((await get(victim, '/admin')).statusCode, 200);
  const disabled = await submit(admin, detailUrl, `${detailUrl}/status`, { status: 'disabled' });
  assert.equal(disabled.statusCode, 303);
  assert.equal(disabled.headers.location, `${detailUrl}?done=disabled`);
  const gone = await get(victim, '/admin');
  assert.equal(gone.statusCode, 303, 'the disabled member is signed out at once');
  assert.match(String(gone.headers.location), /^\/login/);
  const enabled = await submit(admin, detailUrl, `${detailUrl}/status`, { status: 'active' });
  assert.equal(enabled.headers.location, `${detailUrl}?done=enabled`);

  const self = (await get(admin, (await t.database.db.selectFrom('accounts').select('id').where('staff_no', '=', 'PADM01').executeTakeFirstOrThrow()).id.replace(/^/, '/admin/staff/'))).body;
  assert.match(self, /这是您本人的账号/);
  assert.ok(!self.includes('/status"'), 'no status form for oneself');
  assert.equal((await get(admin, '/admin/staff/not-a-uuid')).statusCode, 400);
});

test('the audit page: the search form, results in scope, errors beside the field', async () => {
  const res = await get(admin, '/admin/audit');
  assert.equal(res.statusCode, 200);
  assert.match(res.body, /<table class="data-table audit-table">/);
  assert.match(res.body, /新增工作人员/);
  assert.ok(!res.body.includes('自然人：'), 'no citizens’ events for a department administrator');
  const filtered = await get(admin, '/admin/audit?action=staff.created&actor=&targetType=&targetId=&outcome=&from=&to=');
  assert.equal(filtered.statusCode, 200);
  const rows = filtered.body.split('<tbody>')[1]!.split('</tbody>')[0]!;
  assert.ok(rows.includes('staff.created') && !rows.includes('staff.disabled'));
  const bad = await get(admin, '/admin/audit?from=2026-02-30');
  assert.equal(bad.statusCode, 400);
  assert.ok(fieldError(bad.body, 'from'));
  const badAction = await get(admin, '/admin/audit?action=%3Cscript%3E');
  assert.equal(badAction.statusCode, 400);
  assert.ok(!badAction.body.includes('<script>'));
  assert.equal((await get(admin, `/admin/audit?actor=${'a'.repeat(65)}`)).statusCode, 400);
  const everything = await get(platform, '/admin/audit?action=auth.sign_in.succeeded');
  assert.match(everything.body, /自然人：/, 'the province platform administrator sees citizens’ sign-ins');
});
