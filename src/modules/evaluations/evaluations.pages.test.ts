/**
 * 好差评 pages as a browser without JavaScript uses them: the applicant's form (radio buttons with the Chinese
 * level names, the five indicators, errors beside fields, CSRF, POST-redirect-GET to a thank-you notice), the
 * public 好差评公示 with accessible SVG charts and tables, and the staff's 差评整改 pages, which never show the
 * evaluator. PGlite and PostgreSQL.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { LightMyRequestResponse } from 'fastify';
import { createTestApp, type TestApp } from '../../testing/test-app.ts';
import { FIXTURE_ITEMS, FIXTURE_REGIONS } from '../../testing/fixture-items.ts';
import { createTestPerson, createTestStaff, findDepartment, residentId, signInForTest, type TestSession } from '../../testing/fixture-accounts.ts';
import { ensureCalendar } from '../calendar/ensure-calendar.ts';
import { insertApplication, itemOf, type TestItem } from './evaluations.fixtures.ts';

let t: TestApp;
let item: TestItem;
let evaluator: { id: string; idNumber: string; mobile: string; name: string };
let person: TestSession;
let approver: TestSession;
let platform: TestSession;
const staffBodies: string[] = [];

const get = async (s: TestSession | null, url: string) => {
  const res = await t.app.inject({ method: 'GET', url, headers: s ? { cookie: s.cookie } : {} });
  if (s === approver || s === platform) staffBodies.push(res.body);
  return res;
};
const post = async (s: TestSession, url: string, fields: Record<string, string>) => {
  const res = await t.app.inject({ method: 'POST', url, payload: new URLSearchParams(fields).toString(), headers: { cookie: s.cookie, 'content-type': 'application/x-www-form-urlencoded' } });
  if (s === approver || s === platform) staffBodies.push(res.body);
  return res;
};

function formCsrf(page: string, action: string): string {
  const form = (page.match(/<form\b[^>]*>[\s\S]*?<\/form>/g) ?? []).find((f) => f.includes(`action="${action}"`));
  const token = form && /name="_csrf" value="([^"]+)"/.exec(form)?.[1];
  assert.ok(token, `a form posting to ${action} with a CSRF field`);
  return token;
}

async function submit(s: TestSession, page: string, action: string, fields: Record<string, string>): Promise<LightMyRequestResponse> {
  const res = await get(s, page);
  assert.equal(res.statusCode, 200, `${page}: ${res.body.slice(0, 300)}`);
  return post(s, action, { _csrf: formCsrf(res.body, action), ...fields });
}

const fieldError = (page: string, name: string) =>
  new RegExp(`<p class="field-error" id="f-${name}-error"><span class="visually-hidden">错误：</span>([^<]*)</p>`).exec(page)?.[1];

const indicators = (v: string) => ({ overall: v, efficiency: v, guideAccuracy: v, convenience: v, usability: v });

before(async () => {
  t = await createTestApp(FIXTURE_ITEMS, FIXTURE_REGIONS);
  const db = t.database.db;
  await ensureCalendar(db);
  const civXH = await findDepartment(db, { regionCode: '330106', kind: 'civil_affairs' });
  const province = await findDepartment(db, { regionCode: '330000' });
  item = await itemOf(db, civXH.id);
  evaluator = await createTestPerson(db, { name: '评价人司马', idNumber: residentId('330106', '19790505', 321), mobile: '13955556666' });
  person = await signInForTest(t.app, { kind: 'person', identifier: evaluator.mobile });
  await createTestStaff(db, { staffNo: 'EP0001', departmentId: civXH.id, roles: [{ role: 'approver' }], name: '页面审批员' });
  await createTestStaff(db, { staffNo: 'EP0009', departmentId: province.id, roles: [{ role: 'platform_admin' }], name: '页面平台员' });
  approver = await signInForTest(t.app, { kind: 'staff', identifier: 'EP0001' });
  platform = await signInForTest(t.app, { kind: 'staff', identifier: 'EP0009' });
});

after(async () => {
  await t?.close();
});

test('the evaluation form: five levels by their Chinese names, five indicators, errors beside fields, then thanks', async () => {
  const number = await insertApplication(t.database.db, { item, submittedBy: evaluator.id });
  const page = `/my/applications/${number}/evaluate`;
  const res = await get(person, page);
  assert.equal(res.statusCode, 200);
  assert.equal(res.headers['cache-control'], 'no-store');
  for (const [value, label] of [['5', '非常满意'], ['4', '满意'], ['3', '基本满意'], ['2', '不满意'], ['1', '非常不满意']]) {
    assert.match(res.body, new RegExp(`<input type="radio" id="(f-level[^"]*)" name="level" value="${value}"><label for="\\1">${label}</label>`));
  }
  for (const label of ['整体满意度', '办事效率', '办事指南精确度', '办事便捷度', '平台操作性']) assert.ok(res.body.includes(label), label);
  assert.match(res.body, /<textarea id="f-comment" name="comment"/);
  assert.ok(res.body.includes(item.name));

  // nothing chosen: each error beside its field, and a summary linking to them
  let r = await post(person, page, { _csrf: formCsrf(res.body, page), comment: '' });
  assert.equal(r.statusCode, 400);
  assert.match(fieldError(r.body, 'level') ?? '', /请选择评价等级/);
  assert.match(fieldError(r.body, 'overall') ?? '', /整体满意度/);
  assert.match(fieldError(r.body, 'usability') ?? '', /平台操作性/);
  assert.match(r.body, /class="error-summary" role="alert"/);
  assert.ok(r.body.includes('href="#f-level"'));

  // 不满意 without a reason: the comment is required; what was chosen stays chosen
  r = await post(person, page, { _csrf: formCsrf(res.body, page), level: '2', ...indicators('2'), comment: '慢' });
  assert.equal(r.statusCode, 400);
  assert.match(fieldError(r.body, 'comment') ?? '', /至少 5 个字/);
  assert.match(r.body, /name="level" value="2" checked/);
  assert.match(r.body, /<textarea[^>]*>慢<\/textarea>/);

  // without the CSRF field: refused, nothing stored
  r = await post(person, page, { level: '4', ...indicators('4') });
  assert.equal(r.statusCode, 403);

  r = await post(person, page, { _csrf: formCsrf(res.body, page), level: '2', ...indicators('2'), comment: '跑了两次窗口才办好' });
  assert.equal(r.statusCode, 303, r.body.slice(0, 500));
  assert.equal(r.headers.location, `${page}?done=1`);
  const thanks = await get(person, r.headers.location!);
  assert.equal(thanks.statusCode, 200);
  assert.match(thanks.body, /感谢您的评价/);
  assert.match(thanks.body, /不满意（差评）/);
  assert.match(thanks.body, /15 个工作日内核实、整改/);
  const stored = await t.database.db.selectFrom('evaluations as e').innerJoin('applications as a', 'a.id', 'e.application_id').select(['e.level', 'e.comment']).where('a.number', '=', number).execute();
  assert.deepEqual(stored, [{ level: 2, comment: '跑了两次窗口才办好' }]);

  // once only: the page says so, and a second post is a conflict shown on the page
  const again = await get(person, page);
  assert.match(again.body, /您已评价过该办件/);
  assert.ok(!again.body.includes('<form class="form-narrow"'), 'no form any more');
  r = await post(person, page, { _csrf: formCsrf(res.body, page), level: '5', ...indicators('5') });
  assert.equal(r.statusCode, 409);
  assert.match(r.body, /您已评价过该办件/);
  assert.equal((await t.database.db.selectFrom('evaluations as e').innerJoin('applications as a', 'a.id', 'e.application_id').select('e.level').where('a.number', '=', number).execute()).length, 1);
});

test('an application not yet concluded, or someone else’s, cannot be rated from the page', async () => {
  const db = t.database.db;
  const open = await insertApplication(db, { item, submittedBy: evaluator.id, state: 'review', closed: false });
  const res = await get(person, `/my/applications/${open}/evaluate`);
  assert.equal(res.statusCode, 200);
  assert.match(res.body, /尚未办结/);
  assert.ok(!res.body.includes('name="level"'));
  const other = await createTestPerson(db);
  const theirs = await insertApplication(db, { item, submittedBy: other.id });
  assert.equal((await get(person, `/my/applications/${theirs}/evaluate`)).statusCode, 404);
  const anonymous = await get(null, `/my/applications/${theirs}/evaluate`);
  assert.equal(anonymous.statusCode, 303);
  assert.match(anonymous.headers.location ?? '', /^\/login\?back=/);
});

test('the staff pages: the list, the task with its action form, a stale version, the masked mobile only for the call-back', async () => {
  const db = t.database.db;
  const number = await insertApplication(db, { item, submittedBy: evaluator.id });
  const page = `/my/applications/${number}/evaluate`;
  const form = await get(person, page);
  const r0 = await post(person, page, { _csrf: formCsrf(form.body, page), level: '1', ...indicators('1'), comment: '窗口要求提供不必要的证明' });
  assert.equal(r0.statusCode, 303);
  const task = await db
    .selectFrom('rectification_tasks as t')
    .innerJoin('evaluations as e', 'e.id', 't.evaluation_id')
    .innerJoin('applications as a', 'a.id', 'e.application_id')
    .select('t.id')
    .where('a.number', '=', number)
    .executeTakeFirstOrThrow();
  const url = `/staff/rectifications/${task.id}`;

  const list = await get(approver, '/staff/rectifications');
  assert.equal(list.statusCode, 200);
  assert.equal(list.headers['cache-control'], 'no-store');
  assert.ok(list.body.includes(`href="${url}"`));
  assert.ok(list.body.includes(number));
  assert.match(list.body, /核实（\d+）/);
  assert.equal((await get(person, '/staff/rectifications')).statusCode, 403, 'not for citizens');

  let detail = await get(approver, url);
  assert.equal(detail.statusCode, 200);
  assert.ok(detail.body.includes('窗口要求提供不必要的证明'));
  assert.ok(detail.body.includes('非常不满意'));
  assert.match(detail.body, /核实属实，开始整改/);
  assert.ok(!detail.body.includes('139****'), 'no contact before the call-back');

  // an error beside the field, with the typed note kept
  let r = await submit(approver, url, url, { action: 'verify', note: '', version: '1' });
  assert.equal(r.statusCode, 400);
  assert.match(fieldError(r.body, 'note') ?? '', /请填写核实情况/);
  r = await submit(approver, url, url, { action: 'verify', note: '经核实情况属实', version: '1' });
  assert.equal(r.statusCode, 303);
  assert.equal(r.headers.location, `${url}?done=verify`);
  detail = await get(approver, r.headers.location!);
  assert.match(detail.body, /已办理：核实属实，开始整改/);
  assert.match(detail.body, /经核实情况属实/);

  // a stale page: the version it carried is old → 409 with the task as it is now and the note kept
  r = await post(approver, url, { _csrf: formCsrf(detail.body, url), action: 'rectify', note: '已取消该证明要求', version: '1' });
  assert.equal(r.statusCode, 409);
  assert.match(fieldError(r.body, 'action') ?? '', /请刷新页面/);
  assert.match(r.body, /<textarea[^>]*>已取消该证明要求<\/textarea>/);
  assert.match(r.body, /name="version" value="2"/);

  r = await submit(approver, url, url, { action: 'rectify', note: '已取消该证明要求', version: '2' });
  assert.equal(r.statusCode, 303);
  detail = await get(approver, url);
  assert.ok(detail.body.includes('139****6666'), 'the masked mobile for the call-back');
  assert.equal((await get(platform, url)).body.includes('139****6666'), false, 'not for the reviewer');
  r = await submit(approver, url, url, { action: 'feedback', note: '已回访，评价人表示满意', version: '3' });
  assert.equal(r.statusCode, 303);
  assert.ok(!(await get(approver, url)).body.includes('139****6666'), 'gone after the call-back');

  // 复核 is not the approver's: no form for them, and a forged post is refused
  detail = await get(approver, url);
  assert.match(detail.body, /当前环节不由您办理/);
  r = await post(approver, url, { _csrf: approver.csrfToken, action: 'approve', note: '自行办结', version: '4' });
  assert.equal(r.statusCode, 403);
  r = await submit(platform, url, url, { action: 'approve', note: '整改到位', version: '4' });
  assert.equal(r.statusCode, 303);
  assert.match((await get(platform, url)).body, /该任务已办结/);
});

test('好差评公示: filters, SVG charts with role="img" and a label, the same figures as tables; public and cookie-free', async () => {
  const res = await get(null, '/evaluations');
  assert.equal(res.statusCode, 200);
  assert.equal(res.headers['set-cookie'], undefined);
  assert.match(res.headers['cache-control'] ?? '', /public/);
  assert.match(res.body, /<h1>好差评公示<\/h1>/);
  assert.match(res.body, /<svg class="chart" id="chart-levels" role="img" aria-label="各评价等级的数量：非常满意 \d+ 条；满意 \d+ 条；基本满意 \d+ 条；不满意 \d+ 条；非常不满意 \d+ 条"/);
  assert.match(res.body, /<title>各评价等级的数量：/);
  assert.match(res.body, /<svg class="chart" id="chart-departments" role="img" aria-label="各部门的好评率：[^"]*%/);
  assert.match(res.body, /<caption>各评价等级的数量和占比<\/caption>/);
  assert.match(res.body, /<caption>部门好评率排行/);
  assert.match(res.body, /<label for="f-region">地区<\/label>/);
  assert.ok(!/style=/.test(res.body.split('<main')[1] ?? ''), 'no inline styles (CSP)');
  for (const secret of [evaluator.name, evaluator.idNumber, evaluator.mobile]) assert.ok(!res.body.includes(secret));

  // the figures: this file rated two applications of 西湖区, both 差评
  const xh = await get(null, '/evaluations?region=330106');
  assert.equal(xh.statusCode, 200);
  assert.match(xh.body, /<dt>评价总数<\/dt><dd>2 条<\/dd>/);
  assert.match(xh.body, /<dt>差评率<\/dt><dd>100\.0%<\/dd>/);
  assert.match(xh.body, /<dt>好评率<\/dt><dd>0\.0%<\/dd>/);
  assert.match(xh.body, /<option value="\d+"[^>]*>[^<]*西湖区[^<]*<\/option>/, 'the region’s departments to choose from');
  assert.equal(xh.headers['set-cookie'], undefined, 'the filter is not the visitor’s region preference');

  const bad = await get(null, '/evaluations?from=2026-13-01');
  assert.equal(bad.statusCode, 400);
  assert.match(fieldError(bad.body, 'from') ?? '', /有效日期/);
  const hugeDepartment = await get(null, '/evaluations?department=9999999999');
  assert.equal(hugeDepartment.statusCode, 400, 'beyond the id column, not a database error');
  assert.ok(fieldError(hugeDepartment.body, 'department'));
  const badRegion = await get(null, '/evaluations?region=999999');
  assert.equal(badRegion.statusCode, 400);
  assert.ok(fieldError(badRegion.body, 'region'));
});

test('the staff pages on the 不属实 path: 核实 leads to 回访 with the masked mobile, then to 复核', async () => {
  // after the 公示 test: this third 差评 would change its figures
  const db = t.database.db;
  const number = await insertApplication(db, { item, submittedBy: evaluator.id });
  const page = `/my/applications/${number}/evaluate`;
  const form = await get(person, page);
  const r0 = await post(person, page, { _csrf: formCsrf(form.body, page), level: '2', ...indicators('2'), comment: '不理解为什么不予受理' });
  assert.equal(r0.statusCode, 303);
  const task = await db
    .selectFrom('rectification_tasks as t')
    .innerJoin('evaluations as e', 'e.id', 't.evaluation_id')
    .innerJoin('applications as a', 'a.id', 'e.application_id')
    .select('t.id')
    .where('a.number', '=', number)
    .executeTakeFirstOrThrow();
  const url = `/staff/rectifications/${task.id}`;
  let detail = await get(approver, url);
  assert.match(detail.body, /核实不属实，进入回访/);
  assert.ok(!detail.body.includes('139****'), 'no contact before the call-back');

  let r = await submit(approver, url, url, { action: 'verify_unfounded', note: '经核实，申请材料不符合法定条件', version: '1' });
  assert.equal(r.statusCode, 303);
  detail = await get(approver, url);
  assert.match(detail.body, /<span class="status-tag draft">反馈<\/span>/);
  assert.ok(detail.body.includes('139****6666'), 'the masked mobile for the call-back on this path too');
  assert.match(detail.body, /说明核实结论及依据/);
  assert.match(detail.body, /value="feedback" checked/, 'the call-back is the one action open');
  assert.equal((await get(platform, url)).body.includes('139****6666'), false, 'not for the reviewer');
  r = await submit(approver, url, url, { action: 'feedback', note: '已回访，向评价人说明了不予受理的依据', version: '2' });
  assert.equal(r.statusCode, 303);
  assert.ok(!(await get(approver, url)).body.includes('139****6666'), 'gone after the call-back');
  r = await submit(platform, url, url, { action: 'approve', note: '核实不属实，已回访', version: '3' });
  assert.equal(r.statusCode, 303);
  detail = await get(platform, url);
  assert.match(detail.body, /该任务已办结/);
  assert.match(detail.body, /已回访评价人，提请复核/, 'the call-back is in the timeline');
});

test('no staff page showed the evaluator’s name, ID number or full mobile', () => {
  assert.ok(staffBodies.length > 10);
  for (const body of staffBodies) {
    assert.ok(!body.includes(evaluator.name));
    assert.ok(!body.includes(evaluator.idNumber));
    assert.ok(!body.includes(evaluator.mobile));
  }
});
