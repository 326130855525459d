/**
 * The calendar's pages as a browser without JavaScript uses them, on PGlite and PostgreSQL: the public year page;
 * the administrators' page lists the years and takes a new one as lines — errors beside the field with the line
 * number, CSRF required, POST-redirect-GET on success; other staff and citizens are refused.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createTestApp, type TestApp } from '../../testing/test-app.ts';
import { FIXTURE_ITEMS, FIXTURE_REGIONS } from '../../testing/fixture-items.ts';
import { createTestPerson, createTestStaff, findDepartment, signInForTest, type TestSession } from '../../testing/fixture-accounts.ts';
import { getWorkingCalendar } from './working-calendar.ts';

let t: TestApp;
let admin: TestSession;
let clerk: TestSession;
let person: TestSession;

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
  new RegExp(`<p class="field-error" id="f-${name}-error"><span class="visually-hidden">错误：</span>([^<]*)</p>`).exec(page)?.[1];

async function submit(fields: Record<string, string>) {
  const page = await get(admin, '/admin/calendar');
  assert.equal(page.statusCode, 200);
  return post(admin, '/admin/calendar', { _csrf: formCsrf(page.body, '/admin/calendar'), ...fields });
}

before(async () => {
  t = await createTestApp(FIXTURE_ITEMS, FIXTURE_REGIONS);
  const db = t.database.db;
  const province = await findDepartment(db, { regionCode: '330000', kind: 'civil_affairs' });
  const county = await findDepartment(db, { regionCode: '330106', kind: 'civil_affairs' });
  await createTestStaff(db, { staffNo: 'CPGP01', departmentId: province.id, roles: [{ role: 'platform_admin' }] });
  await createTestStaff(db, { staffNo: 'CPGC01', departmentId: county.id, roles: [{ role: 'department_admin' }] });
  admin = await signInForTest(t.app, { kind: 'staff', identifier: 'CPGP01' });
  clerk = await signInForTest(t.app, { kind: 'staff', identifier: 'CPGC01' });
  const p = await createTestPerson(db);
  person = await signInForTest(t.app, { kind: 'person', identifier: p.mobile });
});

after(async () => {
  await t?.close();
});

test('the public calendar page shows a year’s holiday periods and makeup days', async () => {
  const res = await get(null, '/calendar?year=2025');
  assert.equal(res.statusCode, 200);
  assert.match(res.headers['content-type'] as string, /text\/html/);
  const body = res.body;
  assert.match(body, /<h1>2025 年工作日历<\/h1>/);
  assert.match(body, /<th scope="row">春节<\/th><td><time datetime="2025-01-28">1月28日<\/time>至<time datetime="2025-02-04">2月4日<\/time><\/td><td>8 天<\/td>/);
  assert.match(body, /<th scope="row">国庆节、中秋<\/th><td><time datetime="2025-10-01">10月1日<\/time>至<time datetime="2025-10-08">10月8日<\/time><\/td><td>8 天<\/td>/);
  assert.match(body, /<time datetime="2025-01-26">1月26日<\/time><\/th><td>星期日<\/td><td>春节<\/td>/);
  assert.match(body, /<time datetime="2025-10-11">10月11日<\/time><\/th><td>星期六<\/td><td>国庆节<\/td>/);
  assert.ok(body.includes('href="/calendar?year=2024"') && body.includes('href="/calendar?year=2026"'));
  assert.ok(!body.includes('退出登录'), 'a public page shows no account');

  const y2026 = (await get(null, '/calendar?year=2026')).body;
  assert.match(y2026, /<th scope="row">春节<\/th><td><time datetime="2026-02-15">2月15日<\/time>至<time datetime="2026-02-23">2月23日<\/time><\/td><td>9 天<\/td>/);
  assert.match(y2026, /<time datetime="2026-09-20">9月20日<\/time><\/th><td>星期日<\/td>/);

  const unknown = await get(null, '/calendar?year=2099');
  assert.equal(unknown.statusCode, 200);
  assert.match(unknown.body, /2099 年的节假日安排尚未公布/);
  assert.equal((await get(null, '/calendar?year=1999')).statusCode, 400);
  assert.equal((await get(null, '/calendar')).statusCode, 200);
});

test('only a platform administrator reaches the administration page', async () => {
  assert.equal((await get(clerk, '/admin/calendar')).statusCode, 403);
  assert.equal((await get(person, '/admin/calendar')).statusCode, 403);
  const anonymous = await get(null, '/admin/calendar');
  assert.equal(anonymous.statusCode, 303);
  assert.match(String(anonymous.headers.location), /^\/login\?back=%2Fadmin%2Fcalendar/);
  assert.equal((await post(clerk, '/admin/calendar', { _csrf: clerk.csrfToken, year: '2027', notice: '通知', days: '2027-01-01 休 元旦' })).statusCode, 403);

  const page = await get(admin, '/admin/calendar');
  assert.equal(page.statusCode, 200);
  assert.equal(page.headers['cache-control'], 'no-store');
  assert.match(page.body, /<h1>工作日历维护<\/h1>/);
  assert.match(page.body, /<th scope="row">2026<\/th>\s*<td><span class="tag">官方安排（随系统提供）<\/span><\/td>\s*<td>33<\/td>\s*<td>6<\/td>/);
  assert.match(page.body, /<input id="f-year" name="year" type="text" value="2027"/, 'the form offers the next year');
  assert.match(page.body, /<label for="f-days">/);

  const y2025 = await get(admin, '/admin/calendar?year=2025');
  assert.match(y2025.body, /2025-01-26 班 春节\n/);
  assert.match(y2025.body, /2025-01-28 休 春节\n/);
  assert.match(y2025.body, /随系统提供的官方安排。保存后以您录入的内容为准/);
});

test('entering 2027 as lines: errors beside the field, CSRF, then POST-redirect-GET', async () => {
  const lines = ['2027-01-01 休 元旦', '2027-02-06 休 春节', '2027-02-07 班 春节调休', '2027-02-08 休 春节'].join('\n');
  const fields = { year: '2027', notice: '国务院办公厅关于2027年部分节假日安排的通知', days: lines };

  assert.equal((await post(admin, '/admin/calendar', fields)).statusCode, 403, 'no CSRF field');

  const badWord = await submit({ ...fields, days: `${lines}\n\n2027-02-09 放 春节` });
  assert.equal(badWord.statusCode, 400);
  assert.match(fieldError(badWord.body, 'days') ?? '', /^第 6 行：日期后应写“休”/);
  assert.match(badWord.body, /class="error-summary"/);
  assert.ok(badWord.body.includes('2027-02-09 放 春节</textarea>'), 'what was typed comes back');

  const otherYear = await submit({ ...fields, days: `${lines}\n2026-12-31 休 跨年` });
  assert.equal(otherYear.statusCode, 400);
  assert.equal(fieldError(otherYear.body, 'days'), '第 5 行：日期 2026-12-31 不在 2027 年内');

  const weekday = await submit({ ...fields, days: `${lines}\n2027-02-10 班 调休` });
  assert.equal(fieldError(weekday.body, 'days'), '第 5 行：2027-02-10 是星期三，本来就是工作日；调休上班只能安排在周六或周日');

  const duplicate = await submit({ ...fields, days: `${lines}\n2027-01-01 休 元旦` });
  assert.equal(fieldError(duplicate.body, 'days'), '第 5 行：日期 2027-01-01 重复填写');

  const noName = await submit({ ...fields, days: '2027-01-01 休' });
  assert.match(fieldError(noName.body, 'days') ?? '', /^第 1 行：请在“休”或“班”之后写上节日名称/);

  const badYear = await submit({ ...fields, year: '27' });
  assert.equal(badYear.statusCode, 400);
  assert.ok(fieldError(badYear.body, 'year'));
  const noNotice = await submit({ ...fields, notice: '' });
  assert.ok(fieldError(noNotice.body, 'notice'));

  assert.equal((await getWorkingCalendar(t.database.db, { maxAgeMs: 0 })).isKnown('2027-01-01'), false, 'nothing saved so far');

  const ok = await submit(fields);
  assert.equal(ok.statusCode, 303, ok.body.slice(0, 500));
  assert.equal(ok.headers.location, '/admin/calendar?year=2027&done=saved');
  const shown = await get(admin, '/admin/calendar?year=2027&done=saved');
  assert.match(shown.body, /已保存。/);
  assert.match(shown.body, /<th scope="row">2027<\/th>\s*<td><span class="tag">管理员录入<\/span><\/td>\s*<td>3<\/td>\s*<td>1<\/td>/);
  assert.ok(shown.body.includes(`${lines}</textarea>`));
  assert.match((await get(admin, '/admin/calendar')).body, /value="2028"/, 'next, the year after');

  const cal = await getWorkingCalendar(t.database.db);
  assert.equal(cal.isKnown('2027-02-07'), true);
  // Fri 2027-02-05 + 2: Sun 2/7 (worked), Tue 2/9 (2/6 and 2/8 off)
  assert.equal(cal.addWorkingDays('2027-02-05', 2), '2027-02-09');
  const publicPage = await get(null, '/calendar?year=2027');
  assert.match(publicPage.body, /国务院办公厅关于2027年部分节假日安排的通知/);
  assert.match(publicPage.body, /管理员录入/);
});
