/**
 * The applicant's pages as a browser without JavaScript uses them: the multi-step form with save-draft and
 * resume, errors beside fields, material uploads (multipart with the _csrf field), the review with its
 * idempotency key (posting it twice makes one application), 我的办件, the detail with 补正 and 撤回, the 409
 * page, messages, and the public progress lookup. Someone else's application is a 404. PGlite and PostgreSQL.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import type { LightMyRequestResponse } from 'fastify';
import { createTestApp, type TestApp } from '../../testing/test-app.ts';
import { FIXTURE_ITEMS, FIXTURE_REGIONS } from '../../testing/fixture-items.ts';
import { createTestPerson, createTestStaff, residentId, signInForTest, type TestSession } from '../../testing/fixture-accounts.ts';
import { FIXTURE_FOOD_LICENCE_CODE, FIXTURE_FORM_SAMPLES } from '../forms/fixture-forms.ts';
import { multipartBody, samplePdf, samplePng, sampleExe } from '../attachments/sample-files.ts';

let t: TestApp;
let code: string; // 食品经营许可（新办） in 西湖区
let departmentId: number;
let me: { id: string; idNumber: string; mobile: string; name: string };
let applicant: TestSession;
let other: TestSession;
let clerk: TestSession;
let approver: TestSession;
let reviewer: TestSession;

before(async () => {
  t = await createTestApp(FIXTURE_ITEMS, FIXTURE_REGIONS);
  const row = await t.database.db
    .selectFrom('impl_items')
    .select(['code', 'department_id'])
    .where('basic_code', '=', FIXTURE_FOOD_LICENCE_CODE)
    .where('region_code', '=', '330106')
    .executeTakeFirstOrThrow();
  code = row.code;
  departmentId = row.department_id;
  me = await createTestPerson(t.database.db, { name: '页面申请人', idNumber: residentId('330106', '19850412', 311) });
  const someone = await createTestPerson(t.database.db, { idNumber: residentId('330106', '19850412', 312) });
  applicant = await signInForTest(t.app, { kind: 'person', identifier: me.mobile });
  other = await signInForTest(t.app, { kind: 'person', identifier: someone.mobile });
  await createTestStaff(t.database.db, { staffNo: 'AP0001', departmentId, roles: [{ role: 'window_clerk' }] });
  await createTestStaff(t.database.db, { staffNo: 'AP0002', departmentId, roles: [{ role: 'reviewer' }] });
  await createTestStaff(t.database.db, { staffNo: 'AP0003', departmentId, roles: [{ role: 'approver' }] });
  clerk = await signInForTest(t.app, { kind: 'staff', identifier: 'AP0001' });
  reviewer = await signInForTest(t.app, { kind: 'staff', identifier: 'AP0002' });
  approver = await signInForTest(t.app, { kind: 'staff', identifier: 'AP0003' });
});

after(async () => {
  await t?.close();
});

const get = (s: TestSession | null, url: string) => t.app.inject({ method: 'GET', url, headers: s ? { cookie: s.cookie } : {} });

/** Posts a form as a browser does: urlencoded, the session cookie, the hidden _csrf field; repeated names allowed. */
const post = (s: TestSession, url: string, fields: [string, string][] | Record<string, string>, csrf = s.csrfToken) => {
  const list = Array.isArray(fields) ? fields : Object.entries(fields);
  return t.app.inject({
    method: 'POST',
    url,
    headers: { cookie: s.cookie, 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams([['_csrf', csrf], ...list]).toString(),
  });
};

/** Uploads a file through a page's multipart form (the token in the _csrf field, as a form without JavaScript sends it). */
const upload = (s: TestSession, url: string, file: { name: string; data: Buffer } | null, csrf = s.csrfToken) => {
  const { payload, contentType } = multipartBody([
    { name: '_csrf', value: csrf },
    { name: 'file', file: file ? { fileName: file.name, data: file.data } : { fileName: '', data: Buffer.alloc(0) } },
  ]);
  return t.app.inject({ method: 'POST', url, headers: { cookie: s.cookie, 'content-type': contentType }, payload });
};

const location = (r: LightMyRequestResponse) => String(r.headers.location ?? '');

function hiddenValue(body: string, name: string): string {
  const m = new RegExp(`name="${name}" value="([^"]*)"`).exec(body);
  assert.ok(m, `a hidden ${name} field`);
  return m[1]!;
}

const apiJson = async (s: TestSession, method: 'GET' | 'POST' | 'PUT', url: string, payload?: unknown) => {
  const r = await t.app.inject({ method, url, headers: s.headers, ...(payload === undefined ? {} : { payload: payload as Record<string, unknown> }) });
  assert.ok(r.statusCode < 300, `${method} ${url}: ${r.statusCode} ${r.body}`);
  return r.json();
};

/** A complete food-licence application submitted through the API (files uploaded for m1–m3). */
async function submitThroughApi(s: TestSession, key: string): Promise<string> {
  const sample = FIXTURE_FORM_SAMPLES[FIXTURE_FOOD_LICENCE_CODE]!;
  const draft = await apiJson(s, 'PUT', `/api/v1/drafts/${code}`, { formData: sample });
  for (const slot of ['m1', 'm2', 'm3']) {
    const { payload, contentType } = multipartBody([
      { name: 'slot', value: slot },
      { name: 'draftId', value: String(draft.id) },
      { name: 'file', file: { fileName: `${slot}.pdf`, contentType: 'application/pdf', data: await samplePdf(slot) } },
    ]);
    const r = await t.app.inject({ method: 'POST', url: '/api/v1/attachments', headers: { ...s.headers, 'content-type': contentType }, payload });
    assert.equal(r.statusCode, 201, r.body);
  }
  const r = await apiJson(s, 'POST', '/api/v1/applications', { itemCode: code, formData: sample, draftId: draft.id, idempotencyKey: key });
  return r.number;
}

const act = (s: TestSession, number: string, body: Record<string, unknown>) => apiJson(s, 'POST', `/api/v1/applications/${number}/actions`, body);
const versionOf = async (s: TestSession, number: string) => (await apiJson(s, 'GET', `/api/v1/applications/${number}`)).version as number;

test('the apply pages need a signed-in person: visitors are sent to sign in, staff are refused', async () => {
  const anon = await get(null, `/apply/${code}`);
  assert.equal(anon.statusCode, 303);
  assert.match(location(anon), /^\/login\?back=/);
  assert.equal((await get(clerk, `/apply/${code}`)).statusCode, 403);
  assert.equal((await get(null, '/my/applications')).statusCode, 303);
  const unknown = await get(applicant, '/apply/ZZ0000000000');
  assert.equal(unknown.statusCode, 404);
  assert.match(unknown.body, /<html lang="zh-CN"/);
});

let number = '';

test('the form step by step: prefill, errors beside fields, save-draft and resume, table rows without JavaScript', async () => {
  const start = await get(applicant, `/apply/${code}`);
  assert.equal(start.statusCode, 303);
  assert.equal(location(start), `/apply/${code}/step/subject`);
  const first = await get(applicant, location(start));
  assert.equal(first.statusCode, 200);
  assert.match(first.body, /<h1>在线申请：食品经营许可（新办）<\/h1>/);
  assert.match(first.body, /第 1 步，共 5 步：经营者信息/);
  assert.match(first.body, new RegExp(`name="_csrf" value="${applicant.csrfToken}"`));
  assert.match(first.body, new RegExp(`name="f.subjectName" type="text" value="${me.name}"`), 'prefilled from the applicant');
  assert.match(first.body, new RegExp(`value="${me.mobile}"`), 'the phone is prefilled');
  assert.match(first.body, /src="\/assets\/forms.js"/, 'the validator may enhance the page');
  assert.equal(await t.database.db.selectFrom('application_drafts').select('id').where('account_id', '=', me.id).executeTakeFirst(), undefined, 'a GET writes nothing');

  const step1 = {
    'f.subjectName': '页面测试餐馆',
    'f.creditCode': '',
    'f.legalRepName': me.name,
    'f.contactPhone': '12345',
    'f.premises.regionCode': '330106',
    'f.premises.detail': '文三路 1 号',
  };
  assert.equal((await post(applicant, `/apply/${code}/step/subject`, { ...step1, _nav: 'next' }, 'wrong-token')).statusCode, 403);
  const bad = await post(applicant, `/apply/${code}/step/subject`, { ...step1, _nav: 'next' });
  assert.equal(bad.statusCode, 400);
  assert.match(bad.body, /class="error-summary"/);
  assert.match(bad.body, /href="#f-contactPhone"/);
  assert.match(bad.body, /id="f-contactPhone"[^>]*aria-invalid="true"/);
  assert.match(bad.body, /id="f-creditCode-error"/);
  assert.match(bad.body, /value="页面测试餐馆"/, 'what was typed is kept');
  // the step's POST saved the draft, mistakes and all: coming back resumes here
  const resumed = await get(applicant, `/apply/${code}`);
  assert.equal(location(resumed), `/apply/${code}/step/subject`);
  assert.match((await get(applicant, location(resumed))).body, /value="页面测试餐馆"/);

  const ok = await post(applicant, `/apply/${code}/step/subject`, { ...step1, 'f.creditCode': '91330106MA2B3C4D5D', 'f.contactPhone': me.mobile, _nav: 'next' });
  assert.equal(ok.statusCode, 303, ok.body);
  assert.equal(location(ok), `/apply/${code}/step/business`);

  // 保存草稿 keeps a half-filled step without checking it; the next visit comes back to it
  const half = await post(applicant, `/apply/${code}/step/business`, [['f.mainFormat', 'restaurant'], ['f.businessItems', ''], ['f.area', 'abc'], ['_nav', 'save']]);
  assert.equal(half.statusCode, 303);
  assert.equal(location(half), `/apply/${code}/step/business?saved=1`);
  const saved = await get(applicant, location(half));
  assert.match(saved.body, /草稿已保存/);
  assert.match(saved.body, /name="f.area" type="text" value="abc"/);
  assert.equal(location(await get(applicant, `/apply/${code}`)), `/apply/${code}/step/business`);
  // 上一步 goes back without checking
  const back = await post(applicant, `/apply/${code}/step/business`, [['f.area', 'abc'], ['_nav', 'prev']]);
  assert.equal(location(back), `/apply/${code}/step/subject`);
  assert.match((await get(applicant, location(back))).body, /value="页面测试餐馆"/);

  const business = [
    ['f.mainFormat', 'restaurant'],
    ['f.businessItems', ''],
    ['f.businessItems', 'hot'],
    ['f.businessItems', 'prepackaged'],
    ['f.area', '85.5'],
    ['f.seats', ''],
    ['f.openingDate', ''],
  ] as [string, string][];
  const noSeats = await post(applicant, `/apply/${code}/step/business`, [...business, ['_nav', 'next']]);
  assert.equal(noSeats.statusCode, 400, 'seats are required for a restaurant');
  assert.match(noSeats.body, /id="f-seats"[^>]*aria-invalid="true"/);
  const nextOk = await post(applicant, `/apply/${code}/step/business`, [...business.filter(([k]) => k !== 'f.seats'), ['f.seats', '40'], ['_nav', 'next']]);
  assert.equal(location(nextOk), `/apply/${code}/step/staff`);

  // a table row added by its button (no JavaScript): the step comes back with two rows
  const row = { 'f.safetyOfficer': '李安全', 'f.staff': '', 'f.staff.0.name': '张三', 'f.staff.0.idNumber': '11010519491231002X', 'f.staff.0.post': 'cook', 'f.staff.0.healthCertNo': 'JK2026001' };
  const added = await post(applicant, `/apply/${code}/step/staff`, { ...row, _add_row: 'staff' });
  assert.equal(added.statusCode, 303);
  assert.equal(location(added), `/apply/${code}/step/staff#f-staff`);
  const two = await get(applicant, `/apply/${code}/step/staff`);
  assert.match(two.body, /name="f.staff.1.name"/);
  const done = await post(applicant, `/apply/${code}/step/staff`, { ...row, _nav: 'next' });
  assert.equal(location(done), `/apply/${code}/materials`);
  assert.equal(location(await get(applicant, `/apply/${code}`)), `/apply/${code}/materials`, 'resumes at the materials');
});

test('materials: uploads per slot with the _csrf field, refused files beside their slot, delete while in draft', async () => {
  const page = await get(applicant, `/apply/${code}/materials`);
  assert.equal(page.statusCode, 200);
  assert.match(page.body, /食品经营许可申请书/);
  assert.match(page.body, /经营设备布局图和操作流程/);
  assert.match(page.body, /从事食品制售的提供/, 'the guide’s condition');
  assert.match(page.body, /enctype="multipart\/form-data"/);
  assert.match(page.body, /for="file-m1"/);

  const missing = await post(applicant, `/apply/${code}/materials`, { _nav: 'next' });
  assert.equal(missing.statusCode, 400);
  assert.match(missing.body, /href="#file-m1"/);
  assert.match(missing.body, /href="#file-m3"/, 'm3 is required: hot food is made here');

  assert.equal((await upload(applicant, `/apply/${code}/materials/m1`, { name: 'a.pdf', data: await samplePdf() }, 'wrong')).statusCode, 403);
  const exe = await upload(applicant, `/apply/${code}/materials/m1`, { name: 'apply.pdf', data: sampleExe() });
  assert.equal(exe.statusCode, 415, 'a disguised file');
  assert.match(exe.body, /id="file-m1-error"/);
  assert.match(exe.body, /id="file-m1"[^>]*aria-invalid="true"/);
  const none = await upload(applicant, `/apply/${code}/materials/m2`, null);
  assert.equal(none.statusCode, 400);
  assert.match(none.body, /请选择要上传的文件/);
  assert.equal((await upload(applicant, `/apply/${code}/materials/m9`, { name: 'a.pdf', data: await samplePdf() })).statusCode, 404);

  for (const [slot, file] of [
    ['m1', { name: '申请书.pdf', data: await samplePdf('application') }],
    ['m2', { name: '营业执照.png', data: await samplePng('licence') }],
    ['m3', { name: '布局图-旧.pdf', data: await samplePdf('old layout') }],
  ] as const) {
    const r = await upload(applicant, `/apply/${code}/materials/${slot}`, file);
    assert.equal(r.statusCode, 303, r.body);
    assert.equal(location(r), `/apply/${code}/materials?done=uploaded#slot-${slot}`);
  }
  const listed = await get(applicant, `/apply/${code}/materials?done=uploaded`);
  assert.match(listed.body, /文件已上传/);
  assert.match(listed.body, /营业执照.png/);
  const fileId = [...listed.body.matchAll(/<th scope="row">([^<]+)<\/th>[^]*?materials\/files\/([0-9a-f-]{36})\/delete/g)].find((m) => m[1] === '布局图-旧.pdf')?.[2];
  assert.ok(fileId, 'a delete button for the file');
  const del = await post(applicant, `/apply/${code}/materials/files/${fileId}/delete`, {});
  assert.equal(location(del), `/apply/${code}/materials?done=deleted`);
  assert.ok(!(await get(applicant, `/apply/${code}/materials`)).body.includes('布局图-旧.pdf'));
  assert.equal((await upload(applicant, `/apply/${code}/materials/m3`, { name: '布局图.pdf', data: await samplePdf('layout') })).statusCode, 303);
  const next = await post(applicant, `/apply/${code}/materials`, { _nav: 'next' });
  assert.equal(location(next), `/apply/${code}/review`);
});

test('review and submit: the values in words, one application for a key posted twice', async () => {
  const review = await get(applicant, `/apply/${code}/review`);
  assert.equal(review.statusCode, 200);
  assert.match(review.body, /餐饮服务经营者/, 'an option’s label, not its value');
  assert.match(review.body, /热食类食品制售、预包装食品销售|预包装食品销售、热食类食品制售/);
  assert.match(review.body, /浙江省杭州市西湖区文三路 1 号/);
  assert.match(review.body, /营业执照.png/);
  assert.match(review.body, /<button type="submit" class="primary">提交申请<\/button>/);
  const key = hiddenValue(review.body, 'idempotencyKey');
  assert.match(key, /^[A-Za-z0-9_-]{8,100}$/);
  const again = await get(applicant, `/apply/${code}/review`);
  assert.notEqual(hiddenValue(again.body, 'idempotencyKey'), key, 'a fresh key per rendering');

  const before = Number((await t.database.db.selectFrom('applications').select(sql<string>`count(*)`.as('n')).executeTakeFirstOrThrow()).n);
  const [a, b] = await Promise.all([post(applicant, `/apply/${code}/submit`, { idempotencyKey: key }), post(applicant, `/apply/${code}/submit`, { idempotencyKey: key })]);
  assert.equal(a.statusCode, 303, a.body);
  assert.equal(b.statusCode, 303, b.body);
  assert.match(location(a), /^\/my\/applications\/330106-\d{8}-\d{6}(\?done=submitted)?$/);
  number = /\/my\/applications\/([0-9-]+)/.exec(location(a))![1]!;
  assert.ok(location(b).startsWith(`/my/applications`), location(b));
  // a refresh of the submission (the same key once more) finds the same application
  const refresh = await post(applicant, `/apply/${code}/submit`, { idempotencyKey: key });
  assert.equal(location(refresh), `/my/applications/${number}?done=submitted`);
  const afterCount = Number((await t.database.db.selectFrom('applications').select(sql<string>`count(*)`.as('n')).executeTakeFirstOrThrow()).n);
  assert.equal(afterCount, before + 1, 'one application');
  // the draft is gone: a new visit starts again from the first step
  assert.equal(location(await get(applicant, `/apply/${code}/review`)), `/apply/${code}`);
  assert.equal(location(await get(applicant, `/apply/${code}`)), `/apply/${code}/step/subject`);
});

test('my applications and the detail; another person gets 404', async () => {
  const list = await get(applicant, '/my/applications');
  assert.equal(list.statusCode, 200);
  assert.match(list.body, /<h1>我的办件<\/h1>/);
  assert.ok(list.body.includes(`href="/my/applications/${number}"`));
  assert.match(list.body, /待受理/);
  assert.match(list.body, /<span class="status-tag success">正常<\/span>/, 'the deadline in words');
  assert.match(list.body, /未读/);
  assert.match(list.body, /href="\/apply"/, 'a way to start an application');

  const detail = await get(applicant, `/my/applications/${number}?done=submitted`);
  assert.equal(detail.statusCode, 200);
  assert.match(detail.body, /申请已提交/);
  assert.match(detail.body, /受理期限/);
  assert.match(detail.body, /提交申请/);
  assert.match(detail.body, /页面测试餐馆/);
  assert.match(detail.body, /\/api\/v1\/attachments\/[0-9a-f-]{36}\?inline=1/);
  assert.match(detail.body, /撤回申请/);

  assert.equal((await get(other, `/my/applications/${number}`)).statusCode, 404);
  assert.equal((await get(other, `/my/applications/${number}/withdraw`)).statusCode, 404);
  const foreign = await post(other, `/my/applications/${number}/withdraw`, { version: '1' });
  assert.equal(foreign.statusCode, 404);

  const notes = await get(applicant, '/my/notifications');
  assert.equal(notes.statusCode, 200);
  assert.match(notes.body, /申请已提交/);
  const ids = [...notes.body.matchAll(/name="ids" value="(\d+)"/g)].map((m) => m[1]!);
  assert.ok(ids.length >= 1);
  const read = await post(applicant, '/my/notifications/read', ids.map((id) => ['ids', id] as [string, string]));
  assert.equal(location(read), '/my/notifications?done=read');
  assert.match((await get(applicant, '/my/notifications?done=read')).body, /没有未读消息/);
});

test('补正: upload per listed slot, corrected fields, errors beside them, a stale version gets the 409 page', async () => {
  await act(clerk, number, {
    action: 'request_supplement',
    version: await versionOf(clerk, number),
    comment: '请补正以下内容',
    supplementItems: [
      { slot: 'm3', label: '经营设备布局图和操作流程', reason: '未标明操作流程' },
      { field: 'area', label: '经营场所面积', reason: '与平面图不一致' },
    ],
  });
  const page = await get(applicant, `/my/applications/${number}`);
  assert.match(page.body, /需要补正（一次性告知）/);
  assert.match(page.body, /未标明操作流程/);
  assert.match(page.body, /计时已暂停/);
  assert.match(page.body, new RegExp(`action="/my/applications/${number}/supplement/m3"`));
  assert.match(page.body, /name="f.area"/);
  const version = hiddenValue(page.body.slice(page.body.indexOf(`action="/my/applications/${number}/supplement"`)), 'version');

  const noFile = await post(applicant, `/my/applications/${number}/supplement`, { version, 'f.area': '90' });
  assert.equal(noFile.statusCode, 400);
  assert.match(noFile.body, /href="#supplement-file-m3"/);
  assert.match(noFile.body, /id="supplement-file-m3-error"/);

  assert.equal((await upload(applicant, `/my/applications/${number}/supplement/m1`, { name: 'x.pdf', data: await samplePdf() })).statusCode, 400, 'm1 is not on the list');
  const up = await upload(applicant, `/my/applications/${number}/supplement/m3`, { name: '布局图-补正.pdf', data: await samplePdf('layout v2') });
  assert.equal(up.statusCode, 303, up.body);
  assert.equal(location(up), `/my/applications/${number}?done=uploaded#supplement`);
  assert.match((await get(applicant, `/my/applications/${number}`)).body, /已上传：布局图-补正.pdf/);

  const badField = await post(applicant, `/my/applications/${number}/supplement`, { version, 'f.area': 'abc' });
  assert.equal(badField.statusCode, 400);
  assert.match(badField.body, /id="f-area"[^>]*aria-invalid="true"/);
  assert.match(badField.body, /value="abc"/);

  const stale = await post(applicant, `/my/applications/${number}/supplement`, { version: String(Number(version) - 1), 'f.area': '90' });
  assert.equal(stale.statusCode, 409);
  assert.match(stale.body, /该办件已被他人处理/);
  assert.match(stale.body, new RegExp(`href="/my/applications/${number}"`));

  const ok = await post(applicant, `/my/applications/${number}/supplement`, { version, 'f.area': '90' });
  assert.equal(ok.statusCode, 303, ok.body);
  assert.equal(location(ok), `/my/applications/${number}?done=supplemented`);
  const after = await get(applicant, `/my/applications/${number}?done=supplemented`);
  assert.match(after.body, /补正已提交/);
  assert.match(after.body, /90 平方米/);
  assert.doesNotMatch(after.body, /需要补正（一次性告知）/);
  assert.match(after.body, /已被补正文件替换/);
});

test('the result: download link, verification code, and the rating link once concluded', async () => {
  await act(clerk, number, { action: 'accept', version: await versionOf(clerk, number) });
  await act(reviewer, number, { action: 'pass_review', version: await versionOf(reviewer, number), comment: '符合条件' });
  await act(approver, number, { action: 'approve', version: await versionOf(approver, number) });
  const page = await get(applicant, `/my/applications/${number}`);
  assert.match(page.body, /办理结果/);
  const resultId = /href="\/api\/v1\/results\/(\d+)\/pdf"/.exec(page.body)?.[1];
  assert.ok(resultId, 'a download link');
  const code = /<code class="verification-code">([^<]+)<\/code>/.exec(page.body)?.[1];
  assert.ok(code, 'the verification code');
  assert.match(page.body, new RegExp(`href="/verify\\?code=${encodeURIComponent(code)}"`));
  assert.match(page.body, new RegExp(`href="/my/applications/${number}/evaluate"`));
  assert.match(page.body, /已办结|已送达/);
  assert.doesNotMatch(page.body, /撤回申请/);
  const pdf = await get(applicant, `/api/v1/results/${resultId}/pdf`);
  assert.equal(pdf.statusCode, 200);
  assert.equal(pdf.rawPayload.subarray(0, 5).toString('latin1'), '%PDF-');
});

test('withdrawal: a confirmation page, then the application ends', async () => {
  const n = await submitThroughApi(applicant, 'withdraw-page-0001');
  const detail = await get(applicant, `/my/applications/${n}`);
  assert.match(detail.body, new RegExp(`href="/my/applications/${n}/withdraw"`));
  const confirm = await get(applicant, `/my/applications/${n}/withdraw`);
  assert.equal(confirm.statusCode, 200);
  assert.match(confirm.body, /确定要撤回吗/);
  assert.match(confirm.body, /确认撤回/);
  const version = hiddenValue(confirm.body, 'version');
  const ok = await post(applicant, `/my/applications/${n}/withdraw`, { version, comment: '不再需要' });
  assert.equal(location(ok), `/my/applications/${n}?done=withdrawn`);
  const after = await get(applicant, `/my/applications/${n}?done=withdrawn`);
  assert.match(after.body, /申请已撤回/);
  assert.match(after.body, /已撤回/);
  const twice = await post(applicant, `/my/applications/${n}/withdraw`, { version });
  assert.equal(twice.statusCode, 409);
  assert.match(twice.body, /该办件已被他人处理/);
  assert.equal(location(await get(applicant, `/my/applications/${n}/withdraw`)), `/my/applications/${n}`);
});

test('progress lookup without signing in: the same message for any wrong pair', async () => {
  const page = await get(null, '/progress');
  assert.equal(page.statusCode, 200);
  assert.match(page.body, /<h1>办件进度查询<\/h1>/);
  const cookie = page.cookies.find((c) => c.name === 'yw_csrf');
  assert.ok(cookie, 'a CSRF cookie for the visitor');
  const token = hiddenValue(page.body, '_csrf');
  const ask = (fields: Record<string, string>) =>
    t.app.inject({
      method: 'POST',
      url: '/progress',
      headers: { cookie: `yw_csrf=${cookie.value}`, 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ _csrf: token, ...fields }).toString(),
    });
  const ok = await ask({ number, idNumber: me.idNumber });
  assert.equal(ok.statusCode, 200, ok.body);
  assert.match(ok.body, /查询结果/);
  assert.match(ok.body, /食品经营许可（新办）/);
  assert.ok(!ok.body.includes(me.name), 'no personal data');
  const wrongId = await ask({ number, idNumber: residentId('330106', '19700101', 1) });
  const wrongNumber = await ask({ number: '330106-20200101-999999', idNumber: me.idNumber });
  assert.equal(wrongId.statusCode, 404);
  assert.equal(wrongNumber.statusCode, 404);
  const message = (body: string) => /<div class="error-summary"[^]*?<\/div>/.exec(body)?.[0];
  assert.ok(message(wrongId.body));
  assert.equal(message(wrongId.body), message(wrongNumber.body));
  const malformed = await ask({ number: '12', idNumber: '' });
  assert.equal(malformed.statusCode, 400);
  assert.match(malformed.body, /id="f-number"[^>]*aria-invalid="true"/);
  assert.match(malformed.body, /id="f-idNumber"[^>]*aria-invalid="true"/);
});

test('the start page lists items with forms and takes a code', async () => {
  const page = await get(applicant, '/apply');
  assert.equal(page.statusCode, 200);
  assert.ok(page.body.includes(`href="/apply/${code}"`), 'the food licence of the applicant’s county');
  const bad = await get(applicant, '/apply?itemCode=not-a-code');
  assert.equal(bad.statusCode, 400);
  assert.match(bad.body, /id="f-itemCode"[^>]*aria-invalid="true"/);
  const go = await get(applicant, `/apply?itemCode=${code.toLowerCase()}`);
  assert.equal(location(go), `/apply/${code}`);
});
