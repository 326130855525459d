/**
 * The staff's 预约 pages as a browser without JavaScript uses them: the services their roles reach; the month
 * with closures (close a day with a reason, reopen it — administrators only); the day's list with places and
 * masked parties, capacity forms (administrators only) and check-in by code or per booking (PRG, the result
 * shown). Refusals are shown on the page; staff of another department are refused. PGlite and PostgreSQL.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { LightMyRequestResponse } from 'fastify';
import { createTestApp, type TestApp } from '../../testing/test-app.ts';
import { FIXTURE_ITEMS, FIXTURE_REGIONS } from '../../testing/fixture-items.ts';
import { createTestPerson, createTestStaff, findDepartment, signInForTest, type TestSession } from '../../testing/fixture-accounts.ts';
import { chinaToday } from '../calendar/working-calendar.ts';
import { addDays, chinaInstant } from './appointment-time.ts';
import { createTestService, TEST_ACTOR, testIdNumber } from './appointment-fixtures.ts';
import { bookAppointment } from './book-appointment.ts';
import type { AppointmentPerson } from './appointments.types.ts';


let t: TestApp;
let admin: TestSession;
let clerk: TestSession;
let outsider: TestSession;
let citizen: TestSession;
const people: AppointmentPerson[] = [];

const SERVICE = 'staff-page-window';
const P = `/admin/appointments/${SERVICE}`;
const today = chinaToday();
const later = addDays(today, 3);
let todayCode = ''; // confirmed, today 23:00
let laterCode = ''; // confirmed, in three days 09:00

before(async () => {
  t = await createTestApp(FIXTURE_ITEMS, FIXTURE_REGIONS);
  const db = t.database.db;
  const civilId = (await findDepartment(db, { regionCode: '330106', kind: 'civil_affairs' })).id;
  const marketId = (await findDepartment(db, { regionCode: '330106', kind: 'market_regulation' })).id;
  await createTestStaff(db, { staffNo: 'SP0001', departmentId: civilId, roles: [{ role: 'department_admin' }] });
  await createTestStaff(db, { staffNo: 'SP0002', departmentId: civilId, roles: [{ role: 'window_clerk' }], name: '林窗口' });
  await createTestStaff(db, { staffNo: 'SP0009', departmentId: marketId, roles: [{ role: 'window_clerk' }, { role: 'department_admin' }] });
  admin = await signInForTest(t.app, { kind: 'staff', identifier: 'SP0001' });
  clerk = await signInForTest(t.app, { kind: 'staff', identifier: 'SP0002' });
  outsider = await signInForTest(t.app, { kind: 'staff', identifier: 'SP0009' });
  for (let i = 0; i < 4; i++) {
    const p = await createTestPerson(db, { name: `预约人${i}`, idNumber: testIdNumber(6001 + i) });
    people.push({ accountId: p.id, name: p.name, idNumber: p.idNumber });
    if (i === 0) citizen = await signInForTest(t.app, { kind: 'person', identifier: p.mobile });
  }
  // every day 09:00–12:00 and 23:00–24:00 (so a booking today is possible whenever the test runs), 2 places
  await createTestService(db, {
    code: SERVICE,
    name: '员工页面测试窗口',
    department_id: civilId,
    capacity: 2,
    sessions: [
      { start: '09:00', end: '12:00' },
      { start: '23:00', end: '24:00' },
    ],
  });
  const dawn = chinaInstant(today, '00:00');
  todayCode = (await bookAppointment(db, people[0]!, { serviceCode: SERVICE, day: today, startsAt: '23:00' }, TEST_ACTOR, { now: dawn })).code;
  laterCode = (await bookAppointment(db, people[1]!, { serviceCode: SERVICE, day: later, startsAt: '09:00' }, TEST_ACTOR)).code;
  await bookAppointment(db, people[2]!, { serviceCode: SERVICE, day: later, startsAt: '09:00' }, TEST_ACTOR);
});

after(async () => {
  await t?.close();
});

const get = (s: TestSession | null, url: string) => t.app.inject({ method: 'GET', url, headers: s ? { cookie: s.cookie } : {} });
const post = (s: TestSession, url: string, fields: Record<string, string>) =>
  t.app.inject({
    method: 'POST',
    url,
    headers: { cookie: s.cookie, 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams({ _csrf: s.csrfToken, ...fields }).toString(),
  });
const location = (r: LightMyRequestResponse) => String(r.headers.location ?? '');
const statusOf = async (code: string) => (await t.database.db.selectFrom('appointment_bookings').select('status').where('code', '=', code).executeTakeFirstOrThrow()).status;

test('the services list: what the roles reach, with links; not for citizens or visitors', async () => {
  const mine = await get(clerk, '/admin/appointments');
  assert.equal(mine.statusCode, 200);
  assert.match(mine.body, /<h1>预约管理<\/h1>/);
  assert.ok(mine.body.includes(`href="${P}"`));
  assert.ok(mine.body.includes(`href="${P}/${today}"`), 'today’s list');
  assert.match(mine.body, /<td>签到<\/td>/);
  assert.match((await get(admin, '/admin/appointments')).body, /<td>管理、签到<\/td>/);
  const other = await get(outsider, '/admin/appointments');
  assert.doesNotMatch(other.body, new RegExp(SERVICE));
  assert.match(other.body, /您的角色范围内没有预约服务/);
  assert.equal((await get(citizen, '/admin/appointments')).statusCode, 403);
  const anon = await get(null, '/admin/appointments');
  assert.equal(anon.statusCode, 303);
  assert.match(location(anon), /^\/login\?back=/);
});

test('the month: a calendar with places and bookings, prev/next; the closure form for administrators only; other departments refused', async () => {
  const month = later.slice(0, 7);
  const r = await get(admin, `${P}?month=${month}`);
  assert.equal(r.statusCode, 200);
  assert.match(r.body, new RegExp(`<caption>${Number(month.slice(0, 4))}年${Number(month.slice(5, 7))}月预约月历</caption>`));
  assert.match(r.body, /<th scope="col">星期一<\/th>/);
  assert.ok(r.body.includes(`href="${P}/${later}"`));
  assert.match(r.body, /号源 16 · 已约 2/, 'eight slots of two places, two taken');
  assert.match(r.body, /rel="prev"/);
  assert.match(r.body, /rel="next"/);
  assert.match(r.body, /<h2 id="h-close">设置临时闭馆/);
  const byClerk = await get(clerk, `${P}?month=${month}`);
  assert.equal(byClerk.statusCode, 200);
  assert.doesNotMatch(byClerk.body, /h-close/);
  assert.equal((await get(outsider, P)).statusCode, 403);
  assert.equal((await get(admin, `${P}?month=2026-13`)).statusCode, 400);
  assert.equal((await get(admin, '/admin/appointments/no-such-service')).statusCode, 404);
});

test('closing a day: reason required, past days refused on the page, bookings cancelled, reopened; clerks and outsiders refused', async () => {
  const closeDay = addDays(today, 5);
  await bookAppointment(t.database.db, people[3]!, { serviceCode: SERVICE, day: closeDay, startsAt: '10:00' }, TEST_ACTOR);
  const noReason = await post(admin, `${P}/close`, { day: closeDay, reason: '  ' });
  assert.equal(noReason.statusCode, 400);
  assert.match(noReason.body, /href="#f-reason">请填写闭馆原因/);
  assert.ok(noReason.body.includes(`value="${closeDay}"`), 'the day is kept');
  const past = await post(admin, `${P}/close`, { day: addDays(today, -1), reason: '停电' });
  assert.equal(past.statusCode, 409);
  assert.match(past.body, /不能关闭已过去的日期/);
  assert.equal((await post(clerk, `${P}/close`, { day: closeDay, reason: '停电' })).statusCode, 403);
  assert.equal((await post(outsider, `${P}/close`, { day: closeDay, reason: '停电' })).statusCode, 403);

  const closed = await post(admin, `${P}/close`, { day: closeDay, reason: '系统升级' });
  assert.equal(closed.statusCode, 303, closed.body);
  assert.equal(location(closed), `${P}?month=${closeDay.slice(0, 7)}&done=closed&n=1`);
  const shown = await get(admin, location(closed));
  assert.match(shown.body, /已暂停该日预约，当日 1 个预约已取消并告知原因/);
  assert.match(shown.body, /暂停预约<\/span><br><span class="muted">系统升级<\/span>/);
  assert.ok(shown.body.includes(`aria-label="恢复开放：`));
  const cancelled = await t.database.db.selectFrom('appointment_bookings').select(['status', 'cancel_reason']).where('day', '=', closeDay).executeTakeFirstOrThrow();
  assert.deepEqual(cancelled, { status: 'cancelled', cancel_reason: '临时闭馆：系统升级' });

  const reopened = await post(admin, `${P}/reopen`, { day: closeDay });
  assert.equal(reopened.statusCode, 303);
  assert.match((await get(admin, location(reopened))).body, /已恢复开放/);
  const again = await post(admin, `${P}/reopen`, { day: closeDay });
  assert.equal(again.statusCode, 404);
  assert.match(again.body, /该日没有设置临时闭馆/);
  assert.match(again.body, /预约月历<\/caption>/, 'shown on the month page');
});

test('the day’s list: slots with places, bookings with masked parties; capacity forms for administrators, refusals on the page', async () => {
  const url = `${P}/${later}`;
  const r = await get(admin, url);
  assert.equal(r.statusCode, 200);
  assert.match(r.body, /员工页面测试窗口：.+当日名单<\/h1>/);
  assert.ok(r.body.includes(`<code>${laterCode}</code>`));
  assert.match(r.body, /预约人：预约人1 <code>330106\*{8}\d{3}[\dX]<\/code>/);
  assert.ok(!r.body.includes(people[1]!.idNumber), 'never the whole ID number');
  assert.match(r.body, /<label for="f-capacity-0900" class="visually-hidden">09:00–09:30 的号源<\/label>/);
  assert.match(r.body, /<label for="f-capacity-day">当天每个时段的号源<\/label>/);
  assert.doesNotMatch(r.body, /aria-label="签到：预约码/, 'no check-in buttons on another day');
  const byClerk = await get(clerk, url);
  assert.doesNotMatch(byClerk.body, /f-capacity/);
  assert.match(byClerk.body, /<label for="f-code">预约码/);
  assert.equal((await get(outsider, url)).statusCode, 403);

  const below = await post(admin, `${url}/capacity`, { startsAt: '09:00', capacity: '1' });
  assert.equal(below.statusCode, 409);
  assert.match(below.body, /href="#f-capacity-0900">09:00 时段已预约 2 人，号源不能少于已预约人数/);
  assert.match(below.body, /id="f-capacity-0900" name="capacity" type="number" inputmode="numeric" min="0" max="100000" value="1"/);
  const nonsense = await post(admin, `${url}/capacity`, { capacity: 'many' });
  assert.equal(nonsense.statusCode, 400);
  assert.match(nonsense.body, /href="#f-capacity-day">号源应为 0 或正整数/);
  assert.equal((await post(clerk, `${url}/capacity`, { startsAt: '09:00', capacity: '5' })).statusCode, 403);
  const changed = await post(admin, `${url}/capacity`, { startsAt: '09:00', capacity: '5' });
  assert.equal(changed.statusCode, 303);
  assert.equal(location(changed), `${url}?done=capacity`);
  const after = await get(admin, location(changed));
  assert.match(after.body, /号源已调整/);
  assert.match(after.body, /<td>5 <span class="muted">（已调整）<\/span><\/td>\s*<td>2<\/td>\s*<td>3<\/td>/);
  const whole = await post(admin, `${url}/capacity`, { capacity: '3' });
  assert.equal(whole.statusCode, 303);
  const slots = await t.database.db.selectFrom('appointment_slots').select(['starts_at', 'capacity']).where('day', '=', later).orderBy('starts_at').execute();
  assert.ok(slots.length === 8 && slots.every((s) => s.capacity === 3), 'every slot of the day');
});

test('check-in: by code at the top or per booking; PRG with the result; refusals on the page; other departments refused', async () => {
  const url = `${P}/${today}`;
  const day = await get(clerk, url);
  assert.equal(day.statusCode, 200);
  assert.ok(day.body.includes(`aria-label="签到：预约码 ${todayCode}"`), 'a button per confirmed booking today');

  const empty = await post(clerk, `${url}/check-in`, { code: '' });
  assert.equal(empty.statusCode, 400);
  assert.match(empty.body, /href="#f-code">请输入预约码/);
  const malformed = await post(clerk, `${url}/check-in`, { code: 'abc' });
  assert.equal(malformed.statusCode, 400);
  assert.match(malformed.body, /预约码格式不正确/);
  const notToday = await post(clerk, `${url}/check-in`, { code: laterCode });
  assert.equal(notToday.statusCode, 409);
  assert.match(notToday.body, /只能在当天签到/);
  assert.equal(await statusOf(laterCode), 'confirmed');

  // another department's clerk: refused, the booking untouched
  const outside = await post(outsider, `${url}/check-in`, { code: todayCode });
  assert.equal(outside.statusCode, 403);
  assert.equal(await statusOf(todayCode), 'confirmed');

  const ok = await post(clerk, `${url}/check-in`, { code: todayCode.toLowerCase() });
  assert.equal(ok.statusCode, 303, ok.body);
  assert.equal(location(ok), `${url}?done=checked_in&checked=${todayCode}`);
  assert.equal(await statusOf(todayCode), 'checked_in');
  const shown = await get(clerk, location(ok));
  assert.match(shown.body, new RegExp(`<strong>签到成功：</strong>预约码 <code>${todayCode}</code>`));
  assert.match(shown.body, /已签到<\/span><br><span class="muted"><time[^>]*>[^<]+<\/time> · 林窗口<\/span>/);
  assert.ok(!shown.body.includes(`aria-label="签到：预约码 ${todayCode}"`), 'no button once checked in');
  const twice = await post(clerk, `${url}/check-in`, { code: todayCode });
  assert.equal(twice.statusCode, 409);
  assert.match(twice.body, /该预约已于 .+ 签到/);
  // a code from the address is shown only when it is the staff member's and checked in
  assert.doesNotMatch((await get(clerk, `${url}?done=checked_in&checked=${laterCode}`)).body, /签到成功/);
});
