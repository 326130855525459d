/**
 * The citizen's 预约 pages as a browser without JavaScript uses them: the services by kind with filters, a
 * service's rules and days, a day's slots; booking through the form with `_csrf` (anonymous visitors are sent
 * to sign in, refusals — 约满, window, one per person, no-show bar, bad partner — shown on the page, never a
 * 500); 我的预约 with the hold awaiting the partner's confirmation; the booking with its code and QR code;
 * confirm and cancel. The demo seed twice is harmless and its services list. PGlite and PostgreSQL.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { LightMyRequestResponse } from 'fastify';
import { seedDemoAppointments, DEMO_APPOINTMENT_SERVICES } from '../../seed/appointments.seed.ts';
import { createTestApp, type TestApp } from '../../testing/test-app.ts';
import { FIXTURE_ITEMS, FIXTURE_REGIONS } from '../../testing/fixture-items.ts';
import { createTestPerson, createTestStaff, findDepartment, signInForTest, type TestSession } from '../../testing/fixture-accounts.ts';
import { chinaToday } from '../calendar/working-calendar.ts';
import { addDays } from './appointment-time.ts';
import { createTestService, TEST_ACTOR, testIdNumber } from './appointment-fixtures.ts';
import { bookAppointment } from './book-appointment.ts';


let t: TestApp;
let civilId: number;
let alice: TestSession;
let bob: TestSession;
let carol: TestSession;
let dave: TestSession;
let clerk: TestSession;
let bobPerson: { id: string; idNumber: string; name: string; mobile: string };
let carolPerson: { id: string; idNumber: string; name: string; mobile: string };

const today = chinaToday();
const day = addDays(today, 3);
const WINDOW = 'page-window';
const MARRIAGE = 'page-marriage';

before(async () => {
  t = await createTestApp(FIXTURE_ITEMS, FIXTURE_REGIONS);
  const db = t.database.db;
  civilId = (await findDepartment(db, { regionCode: '330106', kind: 'civil_affairs' })).id;
  const a = await createTestPerson(db, { name: '周一', idNumber: testIdNumber(5001) });
  bobPerson = await createTestPerson(db, { name: '吴二', idNumber: testIdNumber(5002) });
  carolPerson = await createTestPerson(db, { name: '郑三', idNumber: testIdNumber(5003) });
  const d = await createTestPerson(db, { name: '王四', idNumber: testIdNumber(5004) });
  alice = await signInForTest(t.app, { kind: 'person', identifier: a.mobile });
  bob = await signInForTest(t.app, { kind: 'person', identifier: bobPerson.mobile });
  carol = await signInForTest(t.app, { kind: 'person', identifier: carolPerson.mobile });
  dave = await signInForTest(t.app, { kind: 'person', identifier: d.mobile });
  await createTestStaff(db, { staffNo: 'PG0001', departmentId: civilId, roles: [{ role: 'window_clerk' }] });
  clerk = await signInForTest(t.app, { kind: 'staff', identifier: 'PG0001' });
  // every day 09:00–12:00, 30-minute slots of 2 places, bookable 7 days ahead
  await createTestService(db, { code: WINDOW, name: '页面测试综合窗口', department_id: civilId, capacity: 2, place: '文三路 1 号', notes: '请携带身份证\n提前 10 分钟到达' });
  await createTestService(db, { code: MARRIAGE, kind: 'marriage', name: '页面测试结婚登记', department_id: civilId, parties: 2, hold_minutes: 30 });
});

after(async () => {
  await t?.close();
});

const get = (s: TestSession | null, url: string) => t.app.inject({ method: 'GET', url, headers: s ? { cookie: s.cookie } : {} });

/** Posts a form as a browser does: urlencoded, the session cookie, the hidden _csrf field. */
const post = (s: TestSession | null, url: string, fields: Record<string, string>, csrf = s?.csrfToken ?? '') =>
  t.app.inject({
    method: 'POST',
    url,
    headers: { ...(s ? { cookie: s.cookie } : {}), 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams({ _csrf: csrf, ...fields }).toString(),
  });

const location = (r: LightMyRequestResponse) => String(r.headers.location ?? '');
const bookingCodeOf = (r: LightMyRequestResponse) => {
  const m = /^\/me\/appointments\/([2-9A-HJ-NP-Z]{10})\?done=booked$/.exec(location(r));
  assert.ok(m, `redirected to the booking: ${r.statusCode} ${location(r)}`);
  return m[1]!;
};
const statusOf = async (code: string) => (await t.database.db.selectFrom('appointment_bookings').select('status').where('code', '=', code).executeTakeFirstOrThrow()).status;
const countBookings = async (service: string) =>
  Number(
    (
      await t.database.db
        .selectFrom('appointment_bookings as b')
        .innerJoin('appointment_services as s', 's.id', 'b.service_id')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('s.code', '=', service)
        .executeTakeFirstOrThrow()
    ).n,
  );

test('the demo seed: twice is harmless, and its services are listed by kind with filters', async () => {
  const db = t.database.db;
  const first = await seedDemoAppointments(db);
  assert.ok(first >= 4, `seeded ${first}`);
  const again = await seedDemoAppointments(db);
  assert.equal(again, 0, 'nothing written twice');
  const codes = DEMO_APPOINTMENT_SERVICES.map((s) => s.settings.code);
  const rows = await db.selectFrom('appointment_services').select(['code', 'kind', 'region_code', 'item_code']).where('code', 'in', codes).execute();
  assert.equal(rows.length, first);
  assert.deepEqual([...new Set(rows.map((r) => r.kind))].sort(), ['hospital', 'marriage', 'scenic', 'window']);
  const window = rows.find((r) => r.code === 'xihu-service-centre-window');
  assert.ok(window?.item_code, 'the window serves a real item of 西湖区');
  assert.ok(await db.selectFrom('impl_items').select('code').where('code', '=', window.item_code).where('region_code', '=', '330106').executeTakeFirst());

  const list = await get(null, '/appointments');
  assert.equal(list.statusCode, 200);
  assert.match(list.body, /<h1>预约服务<\/h1>/);
  for (const k of ['婚姻登记', '医院挂号', '政务服务窗口', '景区分时预约']) assert.match(list.body, new RegExp(`<h2 id="h-kind-[a-z]+">${k}`));
  assert.match(list.body, /href="\/appointments\/xihu-marriage">西湖区婚姻登记处 结婚登记预约<\/a>/);
  assert.match(list.body, /href="\/appointments\/lingyin-feilaifeng"/);
  assert.doesNotMatch(list.body, /<script/, 'no JavaScript needed');

  const hospitals = await get(null, '/appointments?kind=hospital');
  assert.match(hospitals.body, /杭州市第一人民医院 心血管内科（普通门诊）/);
  assert.doesNotMatch(hospitals.body, /xihu-marriage/);
  assert.match(hospitals.body, /<option value="hospital" selected>医院挂号<\/option>/);
  const xihu = await get(null, '/appointments?region=330106');
  assert.match(xihu.body, /xihu-marriage/);
  assert.doesNotMatch(xihu.body, /hz-first-hospital/, 'a city hospital is not in the district');
  const bad = await get(null, '/appointments?kind=zoo&region=999999');
  assert.equal(bad.statusCode, 400);
  assert.match(bad.body, /class="error-summary"/);
  assert.match(bad.body, /href="#f-kind">请选择列表中的服务类型/);
  assert.match(bad.body, /href="#f-region">请选择列表中的地区/);

  const marriage = await get(null, '/appointments/xihu-marriage');
  assert.equal(marriage.statusCode, 200);
  assert.match(marriage.body, /<h1>西湖区婚姻登记处 结婚登记预约<\/h1>/);
  assert.match(marriage.body, /须双方共同预约/);
  assert.match(marriage.body, /30 分钟内用本人账号登录确认/);
  assert.match(marriage.body, /法定工作日/);
  assert.match(marriage.body, /09:00–12:00、13:30–17:00/);
});

test('a service page: rules, notes and the next days with their free places; open days link to the day', async () => {
  const r = await get(null, `/appointments/${WINDOW}`);
  assert.equal(r.statusCode, 200);
  assert.equal(r.headers['cache-control'], 'no-store');
  assert.match(r.body, /<h1>页面测试综合窗口<\/h1>/);
  assert.match(r.body, /<p>请携带身份证<\/p>\s*<p>提前 10 分钟到达<\/p>/);
  assert.match(r.body, /最迟在预约时段开始前 2 小时取消/);
  assert.match(r.body, /90 天内爽约（预约后未取消也未到场签到）累计 3 次的，30 天内不能再预约该服务/);
  assert.match(r.body, /每人同时只能有 1 个有效预约/);
  assert.ok(r.body.includes(`href="/appointments/${WINDOW}/${day}"`), 'an open day links to its slots');
  assert.match(r.body, /<span class="status-tag success">可预约<\/span>/);
  assert.match(r.body, /12 \/ 12/, 'six slots of two places');
  assert.equal((await get(null, '/appointments/no-such-service')).statusCode, 404);
  assert.equal((await get(null, '/appointments/Bad_Code')).statusCode, 400);

  // a day not yet open: no link, and when it opens
  await createTestService(t.database.db, { code: 'page-short-window', department_id: civilId, window_days: 1 });
  const short = await get(null, '/appointments/page-short-window');
  assert.ok(!short.body.includes(`href="/appointments/page-short-window/${day}"`));
  assert.match(short.body, /尚未开放/);
  assert.match(short.body, new RegExp(`将于 <time datetime="[^"]+">[^<]+</time> 开放预约`));
});

test('anonymous visitors see the slots and a sign-in link that returns to the day; they cannot post a booking', async () => {
  const r = await get(null, `/appointments/${WINDOW}/${day}`);
  assert.equal(r.statusCode, 200);
  assert.match(r.body, /<h1>页面测试综合窗口：选择时段<\/h1>/);
  assert.ok(r.body.includes(`href="/login?back=${encodeURIComponent(`/appointments/${WINDOW}/${day}`)}"`), 'sign in and come back');
  assert.doesNotMatch(r.body, /name="startsAt"/, 'no booking form');
  assert.match(r.body, /09:00–09:30/);
  const posted = await post(null, `/appointments/${WINDOW}/${day}`, { startsAt: '09:00' });
  assert.equal(posted.statusCode, 401);
  assert.equal(await countBookings(WINDOW), 0);
  // staff are told to book as a person
  const staff = await get(clerk, `/appointments/${WINDOW}/${day}`);
  assert.match(staff.body, /工作人员账号不能预约/);
  assert.equal((await post(clerk, `/appointments/${WINDOW}/${day}`, { startsAt: '09:00' })).statusCode, 403);
  assert.equal((await get(null, `/appointments/${WINDOW}/2026-02-30`)).statusCode, 400);
});

let aliceCode = '';

test('booking through the form: _csrf required, a slot chosen, PRG to the booking with its code and QR code', async () => {
  const form = await get(alice, `/appointments/${WINDOW}/${day}`);
  assert.equal(form.statusCode, 200);
  assert.ok(form.body.includes(`name="_csrf" value="${alice.csrfToken}"`));
  assert.match(form.body, /<input type="radio" id="f-startsAt-0900" name="startsAt" value="09:00">/);
  assert.match(form.body, /<label for="f-startsAt-0900">09:00–09:30　剩余 2 个号<\/label>/);
  assert.match(form.body, /您好，周一/);

  assert.equal((await post(alice, `/appointments/${WINDOW}/${day}`, { startsAt: '09:00' }, 'wrong-token')).statusCode, 403);
  const none = await post(alice, `/appointments/${WINDOW}/${day}`, {});
  assert.equal(none.statusCode, 400);
  assert.match(none.body, /href="#f-startsAt">请选择预约时段/);
  const odd = await post(alice, `/appointments/${WINDOW}/${day}`, { startsAt: '09:10' });
  assert.equal(odd.statusCode, 400);
  assert.match(odd.body, /09:10 不是该服务的预约时段/);
  assert.equal(await countBookings(WINDOW), 0);

  const ok = await post(alice, `/appointments/${WINDOW}/${day}`, { startsAt: '09:00' });
  assert.equal(ok.statusCode, 303, ok.body);
  aliceCode = bookingCodeOf(ok);
  const page = await get(alice, location(ok));
  assert.equal(page.statusCode, 200);
  assert.match(page.body, /预约成功。请按时到场/);
  assert.ok(page.body.includes(`<code class="secret">${aliceCode}</code>`));
  assert.match(page.body, new RegExp(`<svg width="220" height="220" focusable="false" role="img" aria-label="预约码 ${aliceCode} 的二维码"`));
  assert.match(page.body, /预约成功<\/span>/);
  assert.match(page.body, /文三路 1 号/);
  assert.match(page.body, /330106\*{8}\d{3}[\dX]/, 'the ID number masked');
  assert.ok(!page.body.includes(testIdNumber(5001)), 'never the whole ID number');
  assert.ok(page.body.includes(`href="/me/appointments/${aliceCode}/cancel"`));

  // one active booking per person and service: said on the page, not a 500
  const twice = await post(alice, `/appointments/${WINDOW}/${day}`, { startsAt: '10:00' });
  assert.equal(twice.statusCode, 409);
  assert.match(twice.body, /您在该服务已有一个有效预约/);
  assert.match(twice.body, /value="10:00" checked/, 'the choice is kept');
});

test('refusals on the page: the slot full, the day not open yet, the no-show bar', async () => {
  const dayUrl = `/appointments/${WINDOW}/${day}`;
  const bobOk = await post(bob, dayUrl, { startsAt: '09:00' });
  assert.equal(bobOk.statusCode, 303);
  const full = await get(carol, dayUrl);
  assert.doesNotMatch(full.body, /value="09:00"/, 'a full slot has no radio');
  assert.match(full.body, /09:00–09:30　已约满/);
  const late = await post(carol, dayUrl, { startsAt: '09:00' });
  assert.equal(late.statusCode, 409);
  assert.match(late.body, /该时段已约满，请选择其他时段/);
  assert.match(late.body, /href="#f-startsAt"/);

  await createTestService(t.database.db, { code: 'page-later', department_id: civilId, window_days: 1 });
  const early = await post(carol, `/appointments/page-later/${day}`, { startsAt: '09:00' });
  assert.equal(early.statusCode, 409);
  assert.match(early.body, /该日期将于 .+ 开放预约/);

  // carol did not come once (limit 1): barred for 30 days
  const barred = await createTestService(t.database.db, { code: 'page-barred', department_id: civilId, no_show_limit: 1 });
  const past = await bookAppointment(
    t.database.db,
    { accountId: carolPerson.id, name: carolPerson.name, idNumber: carolPerson.idNumber },
    { serviceCode: barred.code, day: addDays(today, -2), startsAt: '09:00' },
    TEST_ACTOR,
    { now: new Date(Date.now() - 4 * 86_400_000) },
  );
  await t.database.db.updateTable('appointment_bookings').set({ status: 'no_show' }).where('code', '=', past.code).execute();
  await t.database.db.updateTable('appointment_parties').set({ active: false }).where('service_id', '=', barred.id).execute();
  const bar = await post(carol, `/appointments/page-barred/${day}`, { startsAt: '09:00' });
  assert.equal(bar.statusCode, 403);
  assert.match(bar.body, /近 90 天内在该服务爽约 1 次/);
  assert.match(bar.body, /<html lang="zh-CN"/);
});

let marriageCode = '';

test('two parties: the partner’s fields checked on the page; the hold awaits the partner, who confirms in 我的预约', async () => {
  const url = `/appointments/${MARRIAGE}/${day}`;
  const form = await get(alice, url);
  assert.match(form.body, /<label for="f-partnerName">另一方姓名/);
  assert.match(form.body, /<label for="f-partnerIdNumber">另一方身份证号/);
  assert.match(form.body, /<strong>30 分钟<\/strong>/);

  const empty = await post(alice, url, { startsAt: '09:30', partnerName: '', partnerIdNumber: '' });
  assert.equal(empty.statusCode, 400);
  assert.match(empty.body, /href="#f-partnerName">请填写另一方的姓名/);
  assert.match(empty.body, /href="#f-partnerIdNumber">请填写另一方的身份证号/);
  const wrongId = bobPerson.idNumber.slice(0, 17) + (bobPerson.idNumber.endsWith('0') ? '1' : '0');
  const bad = await post(alice, url, { startsAt: '09:30', partnerName: bobPerson.name, partnerIdNumber: wrongId });
  assert.equal(bad.statusCode, 400);
  assert.match(bad.body, /身份证号校验位不正确/);
  assert.ok(bad.body.includes(`value="${bobPerson.name}"`), 'what was typed is kept');

  const ok = await post(alice, url, { startsAt: '09:30', partnerName: bobPerson.name, partnerIdNumber: bobPerson.idNumber });
  assert.equal(ok.statusCode, 303, ok.body);
  marriageCode = bookingCodeOf(ok);
  const held = await get(alice, location(ok));
  assert.match(held.body, /已为您保留名额。请通知另一方在 .+ 前用本人账号登录/);
  assert.match(held.body, /待对方确认<\/span>/);
  assert.equal(await statusOf(marriageCode), 'held');

  // the booker cannot confirm for the partner: said on the page
  const self = await post(alice, `/me/appointments/${marriageCode}/confirm`, {});
  assert.equal(self.statusCode, 409);
  assert.match(self.body, /您已确认，请等待另一方登录后确认/);
  assert.match(self.body, new RegExp(`name="back" value="/me/appointments/${marriageCode}"`), 'the page’s own address, not the form’s');

  const list = await get(bob, '/me/appointments');
  assert.equal(list.statusCode, 200);
  assert.match(list.body, /<title>我的预约（1 个待确认）/);
  assert.match(list.body, /有 1 个预约等待您确认/);
  assert.match(list.body, /待您确认<\/strong>/);
  assert.ok(list.body.includes(`action="/me/appointments/${marriageCode}/confirm"`));
  const detail = await get(bob, `/me/appointments/${marriageCode}`);
  assert.match(detail.body, /<h2 id="h-confirm">等待您确认<\/h2>/);

  const confirmed = await post(bob, `/me/appointments/${marriageCode}/confirm`, {});
  assert.equal(confirmed.statusCode, 303);
  assert.equal(location(confirmed), `/me/appointments/${marriageCode}?done=confirmed`);
  assert.equal(await statusOf(marriageCode), 'confirmed');
  const after = await get(bob, location(confirmed));
  assert.match(after.body, /您已确认，预约成功/);
  assert.doesNotMatch(after.body, /h-confirm/);
  const again = await post(bob, `/me/appointments/${marriageCode}/confirm`, {});
  assert.equal(again.statusCode, 409);
  assert.match(again.body, /该预约已确认，无需重复确认/);

  // someone else's booking does not exist for them
  assert.equal((await get(dave, `/me/appointments/${marriageCode}`)).statusCode, 404);
  assert.equal((await post(dave, `/me/appointments/${marriageCode}/confirm`, {})).statusCode, 404);
});

test('我的预约 and cancelling: upcoming first with the deadline, a confirmation page, PRG; after the deadline refused on the page', async () => {
  const anon = await get(null, '/me/appointments');
  assert.equal(anon.statusCode, 303);
  assert.equal(location(anon), `/login?back=${encodeURIComponent('/me/appointments')}`);

  const list = await get(alice, '/me/appointments');
  assert.equal(list.statusCode, 200);
  assert.match(list.body, /<h1>我的预约<\/h1>/);
  assert.ok(list.body.includes(`href="/me/appointments/${aliceCode}"`));
  assert.match(list.body, /可在 <time datetime="[^"]+">[^<]+<\/time> 前取消/);

  const confirmPage = await get(alice, `/me/appointments/${aliceCode}/cancel`);
  assert.equal(confirmPage.statusCode, 200);
  assert.match(confirmPage.body, /<label for="f-reason">取消原因（可不填）<\/label>/);
  const long = await post(alice, `/me/appointments/${aliceCode}/cancel`, { reason: '因'.repeat(201) });
  assert.equal(long.statusCode, 400);
  assert.match(long.body, /取消原因不能超过 200 个字/);
  assert.equal(await statusOf(aliceCode), 'confirmed');
  const cancelled = await post(alice, `/me/appointments/${aliceCode}/cancel`, { reason: '临时有事' });
  assert.equal(cancelled.statusCode, 303);
  assert.equal(location(cancelled), `/me/appointments/${aliceCode}?done=cancelled`);
  assert.equal(await statusOf(aliceCode), 'cancelled');
  const shown = await get(alice, location(cancelled));
  assert.match(shown.body, /预约已取消，名额已释放/);
  assert.match(shown.body, /取消原因：临时有事/);
  assert.doesNotMatch(shown.body, /<svg/, 'no QR code for a cancelled booking');
  assert.equal((await get(alice, `/me/appointments/${aliceCode}/cancel`)).statusCode, 303, 'nothing to cancel: back to the booking');
  const twice = await post(alice, `/me/appointments/${aliceCode}/cancel`, {});
  assert.equal(twice.statusCode, 409);
  assert.match(twice.body, /该预约已取消，不能取消/);
  const history = await get(alice, '/me/appointments');
  assert.match(history.body, /<h2 id="h-history">历史预约<\/h2>[\s\S]*已取消/);

  // cancellation closes 7 days before: too late at once
  await createTestService(t.database.db, { code: 'page-strict', department_id: civilId, cancel_hours: 168 });
  const strict = bookingCodeOf(await post(dave, `/appointments/page-strict/${day}`, { startsAt: '11:00' }));
  const mine = await get(dave, '/me/appointments');
  assert.match(mine.body, /已过取消截止时间/);
  const refused = await post(dave, `/me/appointments/${strict}/cancel`, {});
  assert.equal(refused.statusCode, 409);
  assert.match(refused.body, /现已不能取消/);
  assert.equal(await statusOf(strict), 'confirmed');
});
