/**
 * The staff's pages as a browser without JavaScript uses them: the inbox with its tabs, counts, deadline words,
 * filters and paging; the detail with materials previews; one form per action with the fields it needs, errors
 * beside them, the 补正 list as checkboxes with reasons, and the 409 page when someone else acted first. Staff
 * of another department get 404. PGlite and PostgreSQL.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { LightMyRequestResponse } from 'fastify';
import { createTestApp, type TestApp } from '../../testing/test-app.ts';
import { FIXTURE_ITEMS, FIXTURE_REGIONS } from '../../testing/fixture-items.ts';
import { createTestPerson, createTestStaff, findDepartment, residentId, signInForTest, type TestSession } from '../../testing/fixture-accounts.ts';
import { FIXTURE_FOOD_LICENCE_CODE, FIXTURE_FORM_SAMPLES } from '../forms/fixture-forms.ts';
import { multipartBody, samplePdf, samplePng } from '../attachments/sample-files.ts';

let t: TestApp;
let code: string;
let applicant: TestSession;
let clerk: TestSession;
let reviewer: TestSession;
let approver: TestSession;
let outsider: TestSession;
let noRole: TestSession;

before(async () => {
  t = await createTestApp(FIXTURE_ITEMS, FIXTURE_REGIONS);
  const row = await t.database.db
    .selectFrom('impl_items')
    .select(['code', 'department_id'])
    .where('basic_code', '=', FIXTURE_FOOD_LICENCE_CODE)
    .where('region_code', '=', '330106')
    .executeTakeFirstOrThrow();
  code = row.code;
  const person = await createTestPerson(t.database.db, { name: '办件申请人', idNumber: residentId('330106', '19880808', 401) });
  applicant = await signInForTest(t.app, { kind: 'person', identifier: person.mobile });
  const civil = await findDepartment(t.database.db, { regionCode: '330106', kind: 'civil_affairs' });
  await createTestStaff(t.database.db, { staffNo: 'SI0001', departmentId: row.department_id, roles: [{ role: 'window_clerk' }], name: '陈窗口' });
  await createTestStaff(t.database.db, { staffNo: 'SI0002', departmentId: row.department_id, roles: [{ role: 'reviewer' }] });
  await createTestStaff(t.database.db, { staffNo: 'SI0003', departmentId: row.department_id, roles: [{ role: 'approver' }] });
  await createTestStaff(t.database.db, { staffNo: 'SI0009', departmentId: civil.id, roles: [{ role: 'window_clerk' }] });
  await createTestStaff(t.database.db, { staffNo: 'SI0010', departmentId: row.department_id, roles: [{ role: 'data_steward' }] });
  clerk = await signInForTest(t.app, { kind: 'staff', identifier: 'SI0001' });
  reviewer = await signInForTest(t.app, { kind: 'staff', identifier: 'SI0002' });
  approver = await signInForTest(t.app, { kind: 'staff', identifier: 'SI0003' });
  outsider = await signInForTest(t.app, { kind: 'staff', identifier: 'SI0009' });
  noRole = await signInForTest(t.app, { kind: 'staff', identifier: 'SI0010' });
});

after(async () => {
  await t?.close();
});

const get = (s: TestSession | null, url: string) => t.app.inject({ method: 'GET', url, headers: s ? { cookie: s.cookie } : {} });
const post = (s: TestSession, url: string, fields: [string, string][] | Record<string, string>) =>
  t.app.inject({
    method: 'POST',
    url,
    headers: { cookie: s.cookie, 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams([['_csrf', s.csrfToken], ...(Array.isArray(fields) ? fields : Object.entries(fields))]).toString(),
  });
const location = (r: LightMyRequestResponse) => String(r.headers.location ?? '');

/** The hidden version of the form that posts to `action`. */
function versionIn(body: string, action: string): string {
  const form = (body.match(/<form\b[^>]*>[\s\S]*?<\/form>/g) ?? []).find((f) => f.includes(`action="${action}"`));
  const v = form && /name="version" value="(\d+)"/.exec(form)?.[1];
  assert.ok(v, `a form posting to ${action} with the version`);
  return v;
}

let serial = 0;
/** A complete food-licence application (a PDF and a PNG among its files), through the API. */
async function submit(): Promise<string> {
  serial++;
  const sample = FIXTURE_FORM_SAMPLES[FIXTURE_FOOD_LICENCE_CODE]!;
  const draft = (await t.app.inject({ method: 'PUT', url: `/api/v1/drafts/${code}`, headers: applicant.headers, payload: { formData: sample } })).json();
  for (const [slot, name, data] of [
    ['m1', '申请书.pdf', await samplePdf('a')],
    ['m2', '营业执照.png', await samplePng('b')],
    ['m3', '布局图.pdf', await samplePdf('c')],
  ] as const) {
    const { payload, contentType } = multipartBody([
      { name: 'slot', value: slot },
      { name: 'draftId', value: String(draft.id) },
      { name: 'file', file: { fileName: name, data } },
    ]);
    const r = await t.app.inject({ method: 'POST', url: '/api/v1/attachments', headers: { ...applicant.headers, 'content-type': contentType }, payload });
    assert.equal(r.statusCode, 201, r.body);
  }
  const r = await t.app.inject({ method: 'POST', url: '/api/v1/applications', headers: applicant.headers, payload: { itemCode: code, formData: sample, draftId: draft.id, idempotencyKey: `staff-pages-${serial}-0000` } });
  assert.equal(r.statusCode, 201, r.body);
  return r.json().number;
}

let number = '';

test('the inbox: tabs with counts, deadlines in words, filters, only the roles’ states, access', async () => {
  number = await submit();
  const second = await submit();
  assert.equal((await get(null, '/staff/applications')).statusCode, 303);
  assert.equal((await get(applicant, '/staff/applications')).statusCode, 403);
  assert.equal((await get(noRole, '/staff/applications')).statusCode, 403, 'no role that handles applications');

  const inbox = await get(clerk, '/staff/applications');
  assert.equal(inbox.statusCode, 200);
  assert.match(inbox.body, /<h1>办件待办<\/h1>/);
  assert.match(inbox.body, /待受理<span class="count">（2）<\/span>/);
  assert.ok(inbox.body.includes(`href="/staff/applications/${number}"`));
  assert.ok(inbox.body.includes(`href="/staff/applications/${second}"`));
  assert.match(inbox.body, /<span class="status-tag success">正常<\/span>/, 'the deadline in words');
  assert.match(inbox.body, /办件申请人/);

  const one = await get(clerk, `/staff/applications?q=${number}`);
  assert.ok(one.body.includes(`/staff/applications/${number}"`));
  assert.ok(!one.body.includes(`/staff/applications/${second}"`));
  const overdue = await get(clerk, '/staff/applications?deadline=overdue');
  assert.match(overdue.body, /没有符合条件的办件/);
  const bad = await get(clerk, '/staff/applications?item=not%20a%20code&deadline=late');
  assert.equal(bad.statusCode, 400);
  assert.match(bad.body, /id="f-item"[^>]*aria-invalid="true"/);
  assert.match(bad.body, /id="f-deadline"[^>]*aria-invalid="true"/);
  const page1 = await get(clerk, '/staff/applications?state=submitted');
  assert.match(page1.body, /aria-current="page">待受理/);

  const reviewers = await get(reviewer, '/staff/applications');
  assert.ok(!reviewers.body.includes(`/staff/applications/${number}"`), 'a reviewer sees the review state only');
  const others = await get(outsider, '/staff/applications');
  assert.ok(!others.body.includes(number), 'another department’s clerk sees nothing of it');
});

test('the detail: applicant, materials with previews in a new tab, timeline, one form per action; others get 404', async () => {
  assert.equal((await get(outsider, `/staff/applications/${number}`)).statusCode, 404);
  assert.equal((await get(reviewer, `/staff/applications/${number}`)).statusCode, 200, 'a reviewer of the department may read it');
  const page = await get(clerk, `/staff/applications/${number}`);
  assert.equal(page.statusCode, 200);
  assert.match(page.body, /杭州西湖味道餐饮有限公司|办件申请人/);
  assert.match(page.body, /<code>330106\d{11}[0-9X]<\/code>/, 'the full ID number for staff');
  assert.match(page.body, /href="\/api\/v1\/attachments\/[0-9a-f-]{36}\?inline=1" target="_blank" rel="noopener">预览/);
  assert.match(page.body, /<img class="attachment-preview" src="\/api\/v1\/attachments\/[0-9a-f-]{36}\?inline=1" alt="营业执照：营业执照.png"/);
  for (const a of ['accept', 'request_supplement', 'not_accept', 'transfer']) assert.match(page.body, new RegExp(`action="/staff/applications/${number}/actions/${a}"`));
  assert.match(page.body, /name="slots" value="m3"/);
  assert.match(page.body, /name="fields" value="area"/);
  assert.match(page.body, /name="targetDepartmentId"/);
  assert.match(page.body, /提交申请/);
  const preview = /src="(\/api\/v1\/attachments\/[0-9a-f-]{36}\?inline=1)"/.exec(page.body)![1]!;
  const image = await get(clerk, preview);
  assert.equal(image.statusCode, 200);
  assert.equal(image.headers['content-type'], 'image/png');
  assert.equal((await get(outsider, preview)).statusCode, 404);
});

test('补正 through the form: nothing ticked or a reason missing is refused beside the field; then one complete list', async () => {
  const page = await get(clerk, `/staff/applications/${number}`);
  const action = `/staff/applications/${number}/actions/request_supplement`;
  const version = versionIn(page.body, action);
  const nothing = await post(clerk, action, { version, comment: '请补正' });
  assert.equal(nothing.statusCode, 400);
  assert.match(nothing.body, /href="#a-request_supplement-supplementItems"/);
  assert.match(nothing.body, /id="a-request_supplement-supplementItems"[^>]*aria-describedby="[^"]*-error"/);
  const noReason = await post(clerk, action, [['version', version], ['comment', '请补正'], ['slots', 'm3'], ['slotReason.m3', ''], ['fields', 'area'], ['fieldReason.area', '面积与平面图不一致']]);
  assert.equal(noReason.statusCode, 400);
  assert.match(noReason.body, /id="a-request_supplement-slotReason-m3"[^>]*aria-invalid="true"/);
  assert.match(noReason.body, /value="面积与平面图不一致"/, 'what was typed is kept');
  assert.match(noReason.body, /name="slots" value="m3" checked/);
  const noComment = await post(clerk, action, [['version', version], ['slots', 'm3'], ['slotReason.m3', '未标明流程']]);
  assert.equal(noComment.statusCode, 400);
  assert.match(noComment.body, /id="a-request_supplement-comment"[^>]*aria-invalid="true"/);

  const ok = await post(clerk, action, [['version', version], ['comment', '请一次性补正'], ['slots', 'm3'], ['slotReason.m3', '未标明流程'], ['fields', 'area'], ['fieldReason.area', '面积与平面图不一致']]);
  assert.equal(ok.statusCode, 303, ok.body);
  assert.equal(location(ok), `/staff/applications/${number}?done=request_supplement`);
  const after = await get(clerk, location(ok));
  assert.match(after.body, /已办理：一次性告知补正。办件当前状态：待补正。/);
  assert.match(after.body, /未标明流程/);
  assert.match(after.body, /计时已暂停/);
  const detail = (await t.app.inject({ url: `/api/v1/applications/${number}`, headers: applicant.headers })).json();
  assert.deepEqual(detail.supplement.items.map((i: { slot?: string; field?: string }) => i.slot ?? i.field), ['m3', 'area']);
});

test('two staff act on one version: the second gets the 409 page with a link to reload', async () => {
  const n = await submit();
  const page = await get(clerk, `/staff/applications/${n}`);
  const version = versionIn(page.body, `/staff/applications/${n}/actions/accept`);
  const first = await post(clerk, `/staff/applications/${n}/actions/accept`, { version, comment: '' });
  assert.equal(first.statusCode, 303, first.body);
  const second = await post(clerk, `/staff/applications/${n}/actions/not_accept`, { version, comment: '不符合', legalBasis: '《行政许可法》第三十二条' });
  assert.equal(second.statusCode, 409);
  assert.match(second.body, /<h1>该办件已被他人处理<\/h1>/);
  assert.match(second.body, new RegExp(`href="/staff/applications/${n}">重新载入办件`));
  const state = (await t.app.inject({ url: `/api/v1/applications/${n}`, headers: clerk.headers })).json();
  assert.equal(state.state, 'review');
});

test('the whole path through the forms: refusal needs its legal basis; review, decision, the licence', async () => {
  const n = await submit();
  let page = await get(clerk, `/staff/applications/${n}`);
  const refuse = await post(clerk, `/staff/applications/${n}/actions/not_accept`, { version: versionIn(page.body, `/staff/applications/${n}/actions/not_accept`), comment: '材料不符' });
  assert.equal(refuse.statusCode, 400);
  assert.match(refuse.body, /id="a-not_accept-legalBasis"[^>]*aria-invalid="true"/);
  assert.match(refuse.body, /请填写法律依据/);
  assert.equal((await post(clerk, `/staff/applications/${n}/actions/accept`, { version: versionIn(page.body, `/staff/applications/${n}/actions/accept`) })).statusCode, 303);

  page = await get(reviewer, `/staff/applications/${n}`);
  const passUrl = `/staff/applications/${n}/actions/pass_review`;
  const noComment = await post(reviewer, passUrl, { version: versionIn(page.body, passUrl), comment: '' });
  assert.equal(noComment.statusCode, 400);
  assert.match(noComment.body, /id="a-pass_review-comment"[^>]*aria-invalid="true"/);
  const suspendUrl = `/staff/applications/${n}/actions/suspend`;
  const badDays = await post(reviewer, suspendUrl, { version: versionIn(page.body, suspendUrl), comment: '现场核查', pauseKind: 'inspection', expectedDays: 'abc' });
  assert.equal(badDays.statusCode, 400);
  assert.match(badDays.body, /id="a-suspend-expectedDays"[^>]*aria-invalid="true"/);
  assert.equal((await post(reviewer, passUrl, { version: versionIn(page.body, passUrl), comment: '符合法定条件' })).statusCode, 303);
  assert.equal((await post(clerk, `/staff/applications/${n}/actions/approve`, { version: versionIn(page.body, passUrl) })).statusCode, 403, 'a clerk cannot decide');

  page = await get(approver, `/staff/applications/${n}`);
  assert.match(page.body, /name="extensionDays"/);
  const approve = await post(approver, `/staff/applications/${n}/actions/approve`, { version: versionIn(page.body, `/staff/applications/${n}/actions/approve`), comment: '' });
  assert.equal(approve.statusCode, 303, approve.body);
  const done = await get(approver, location(approve));
  assert.match(done.body, /已办理：准予许可。办件当前状态：已送达。/);
  assert.match(done.body, /办理结果/);
  assert.match(done.body, /href="\/api\/v1\/results\/\d+\/pdf"/);
  assert.match(done.body, /办件已办结/);
});

test('transfer to another department: back to the inbox with a notice; the application has left it', async () => {
  const n = await submit();
  const page = await get(clerk, `/staff/applications/${n}`);
  const url = `/staff/applications/${n}/actions/transfer`;
  const none = await post(clerk, url, { version: versionIn(page.body, url), comment: '不属于本部门', targetDepartmentId: '' });
  assert.equal(none.statusCode, 400);
  assert.match(none.body, /id="a-transfer-targetDepartmentId"[^>]*aria-invalid="true"/);
  const target = /<option value="(\d+)">[^<]*民政局<\/option>/.exec(page.body)?.[1];
  assert.ok(target, 'the departments of the region to choose from');
  const moved = await post(clerk, url, { version: versionIn(page.body, url), comment: '不属于本部门', targetDepartmentId: target });
  assert.equal(location(moved), '/staff/applications?done=transfer');
  assert.match((await get(clerk, location(moved))).body, /已移交其他部门办理/);
  assert.equal((await get(clerk, `/staff/applications/${n}`)).statusCode, 404);
  assert.ok((await get(outsider, '/staff/applications')).body.includes(n), 'the civil affairs clerk has it now');
});
