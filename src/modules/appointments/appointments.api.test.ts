/**
 * The appointments JSON API as clients use it: public reads, a person booking (bad input → 4xx with the field,
 * never 500), reading, the QR code, cancelling, the partner confirming; staff saving settings, reading the
 * month and the day's list, changing places, closing a day and checking in — each only in their departments.
 * Every route declares its access. PGlite and PostgreSQL.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { TestApp } from '../../testing/test-app.ts';
import { createTestPerson, createTestStaff, findDepartment, signInForTest, type TestSession } from '../../testing/fixture-accounts.ts';
import { chinaToday } from '../calendar/working-calendar.ts';
import { createTestApp } from '../../testing/test-app.ts';
import { FIXTURE_ITEMS, FIXTURE_REGIONS } from '../../testing/fixture-items.ts';
import { bookAppointment } from './book-appointment.ts';
import { addDays, chinaInstant } from './appointment-time.ts';
import { createTestService, TEST_ACTOR, testIdNumber } from './appointment-fixtures.ts';

let t: TestApp;
let civilId: number;
let alice: TestSession;
let bob: TestSession;
let carol: TestSession;
let bobPerson: { id: string; idNumber: string; name: string; mobile: string };
let carolPerson: { id: string; idNumber: string; name: string; mobile: string };
let admin: TestSession;
let clerk: TestSession;
let outsider: TestSession;

const P = '/api/v1/appointments';
const SERVICE = 'api-test-window';
const today = chinaToday();
const day = addDays(today, 3);

before(async () => {
  t = await createTestApp(FIXTURE_ITEMS, FIXTURE_REGIONS);
  const db = t.database.db;
  civilId = (await findDepartment(db, { regionCode: '330106', kind: 'civil_affairs' })).id;
  const marketId = (await findDepartment(db, { regionCode: '330106', kind: 'market_regulation' })).id;
  const a = await createTestPerson(db, { name: '赵一', idNumber: testIdNumber(3001) });
  bobPerson = await createTestPerson(db, { name: '钱二', idNumber: testIdNumber(3002) });
  carolPerson = await createTestPerson(db, { name: '孙三', idNumber: testIdNumber(3003) });
  alice = await signInForTest(t.app, { kind: 'person', identifier: a.mobile });
  bob = await signInForTest(t.app, { kind: 'person', identifier: bobPerson.mobile });
  carol = await signInForTest(t.app, { kind: 'person', identifier: carolPerson.mobile });
  await createTestStaff(db, { staffNo: 'AA0001', departmentId: civilId, roles: [{ role: 'department_admin' }] });
  await createTestStaff(db, { staffNo: 'AA0002', departmentId: civilId, roles: [{ role: 'window_clerk' }], name: '陈窗口' });
  await createTestStaff(db, { staffNo: 'AA0009', departmentId: marketId, roles: [{ role: 'window_clerk' }, { role: 'department_admin' }] });
  admin = await signInForTest(t.app, { kind: 'staff', identifier: 'AA0001' });
  clerk = await signInForTest(t.app, { kind: 'staff', identifier: 'AA0002' });
  outsider = await signInForTest(t.app, { kind: 'staff', identifier: 'AA0009' });
});

after(async () => {
  await t?.close();
});

const get = (s: TestSession | null, url: string) => t.app.inject({ method: 'GET', url, headers: s ? { cookie: s.cookie } : {} });
const send = (s: TestSession | null, method: 'POST' | 'PUT' | 'DELETE', url: string, payload?: unknown) =>
  t.app.inject({ method, url, headers: s ? s.headers : {}, ...(payload === undefined ? {} : { payload: payload as object }) });

const SETTINGS = {
  kind: 'window',
  name: '西湖区民政局综合窗口',
  departmentId: 0,
  place: '文三路 1 号',
  openDays: 'every',
  sessions: [{ start: '09:00', end: '11:00' }],
  slotMinutes: 30,
  capacity: 2,
  windowDays: 30,
};

test('staff save a service: administrators in scope only; every bad field named; created 201, changed 200', async () => {
  const body = { ...SETTINGS, departmentId: civilId };
  const byClerk = await send(clerk, 'PUT', `${P}/staff/services/${SERVICE}`, body);
  assert.equal(byClerk.statusCode, 403);
  const byOutsider = await send(outsider, 'PUT', `${P}/staff/services/${SERVICE}`, body);
  assert.equal(byOutsider.statusCode, 403);
  const bad = await send(admin, 'PUT', `${P}/staff/services/${SERVICE}`, { ...body, slotMinutes: 3, sessions: [{ start: '11:00', end: '09:00' }] });
  assert.equal(bad.statusCode, 400, bad.body);
  assert.deepEqual(
    bad.json().error.errors.map((e: { field: string }) => e.field),
    ['slotMinutes', 'sessions.0.end'],
  );
  const typeError = await send(admin, 'PUT', `${P}/staff/services/${SERVICE}`, { ...body, capacity: 'many' });
  assert.equal(typeError.statusCode, 400);
  assert.equal(typeError.json().error.field, 'capacity');
  const created = await send(admin, 'PUT', `${P}/staff/services/${SERVICE}`, body);
  assert.equal(created.statusCode, 201, created.body);
  assert.equal(created.json().code, SERVICE);
  const changed = await send(admin, 'PUT', `${P}/staff/services/${SERVICE}`, { ...body, notes: '请携带身份证' });
  assert.equal(changed.statusCode, 200);
  assert.equal(changed.json().notes, '请携带身份证');
  const mine = await get(clerk, `${P}/staff/services`);
  assert.equal(mine.statusCode, 200);
  assert.deepEqual(
    mine.json().items.map((x: { code: string; canManage: boolean; canCheckIn: boolean }) => [x.code, x.canManage, x.canCheckIn]),
    [[SERVICE, false, true]],
  );
  assert.equal((await get(alice, `${P}/staff/services`)).statusCode, 403);
});

test('public reads: services, availability, a day’s slots; bad input 400 with the field; unknown 404', async () => {
  const list = await get(null, `${P}/services?kind=window&region=330100`);
  assert.equal(list.statusCode, 200);
  assert.ok(list.json().items.some((x: { code: string }) => x.code === SERVICE));
  assert.equal((await get(null, `${P}/services?kind=zoo`)).json().error.field, 'kind');
  const one = await get(null, `${P}/services/${SERVICE}`);
  assert.equal(one.json().sessions[0].start, '09:00');
  const avail = await get(null, `${P}/services/${SERVICE}/availability?from=${today}&to=${addDays(today, 6)}`);
  assert.equal(avail.statusCode, 200, avail.body);
  assert.equal(avail.json().days.length, 7);
  assert.equal(avail.json().days[3].status, 'open');
  assert.equal(avail.json().days[3].free, 8);
  const slots = await get(null, `${P}/services/${SERVICE}/days/${day}`);
  assert.equal(slots.statusCode, 200);
  assert.deepEqual(
    slots.json().slots.map((x: { startsAt: string; free: number }) => [x.startsAt, x.free]),
    [
      ['09:00', 2],
      ['09:30', 2],
      ['10:00', 2],
      ['10:30', 2],
    ],
  );
  const cases: [string, number, string][] = [
    [`${P}/services/${SERVICE}/days/2026-02-30`, 400, 'day'],
    [`${P}/services/${SERVICE}/days/tomorrow`, 400, 'day'],
    [`${P}/services/${SERVICE}/availability?from=${addDays(today, 5)}&to=${today}`, 400, 'to'],
    [`${P}/services/${SERVICE}/availability?from=${today}&to=${addDays(today, 90)}`, 400, 'to'],
    [`${P}/services/no-such-service/availability`, 404, 'code'],
    [`${P}/services/NO/availability`, 400, 'code'],
  ];
  for (const [url, status, field] of cases) {
    const r = await get(null, url);
    assert.equal(r.statusCode, status, `${url}: ${r.body}`);
    assert.equal(r.json().error.field, field, url);
  }
});

test('a person books, reads, gets the QR code and cancels; others get 404; bad input 400 with the field; never a 500', async () => {
  const url = `${P}/bookings`;
  assert.equal((await send(null, 'POST', url, { serviceCode: SERVICE, day, startsAt: '09:00' })).statusCode, 401);
  assert.equal((await send(clerk, 'POST', url, { serviceCode: SERVICE, day, startsAt: '09:00' })).statusCode, 403);
  const noCsrf = await t.app.inject({ method: 'POST', url, headers: { cookie: alice.cookie }, payload: { serviceCode: SERVICE, day, startsAt: '09:00' } });
  assert.equal(noCsrf.statusCode, 403);
  const cases: [Record<string, unknown>, number, string][] = [
    [{ serviceCode: SERVICE, day, startsAt: '9点' }, 400, 'startsAt'],
    [{ serviceCode: SERVICE, day: '2026-02-30', startsAt: '09:00' }, 400, 'day'],
    [{ serviceCode: SERVICE, day, startsAt: '09:15' }, 400, 'startsAt'],
    [{ serviceCode: SERVICE, day, startsAt: '09:00', partner: { name: '李四', idNumber: testIdNumber(1) } }, 400, 'partner'],
    [{ serviceCode: SERVICE, day, startsAt: '09:00', extra: 1 }, 400, 'extra'],
    [{ serviceCode: SERVICE, day: addDays(today, 60), startsAt: '09:00' }, 409, 'day'],
    [{ serviceCode: SERVICE, day: addDays(today, -1), startsAt: '09:00' }, 409, 'startsAt'],
    [{ day, startsAt: '09:00' }, 400, 'serviceCode'],
  ];
  for (const [body, status, field] of cases) {
    const r = await send(alice, 'POST', url, body);
    assert.equal(r.statusCode, status, `${JSON.stringify(body)}: ${r.body}`);
    assert.equal(r.json().error.field, field, JSON.stringify(body));
  }
  const made = await send(alice, 'POST', url, { serviceCode: SERVICE, day, startsAt: '09:00' });
  assert.equal(made.statusCode, 201, made.body);
  const code = made.json().code as string;
  assert.equal(made.json().status, 'confirmed');
  const twice = await send(alice, 'POST', url, { serviceCode: SERVICE, day, startsAt: '09:30' });
  assert.equal(twice.statusCode, 409);
  assert.equal(twice.json().error.field, 'serviceCode');

  const mine = await get(alice, `${P}/bookings/${code}`);
  assert.equal(mine.statusCode, 200);
  assert.equal(mine.json().service.name, '西湖区民政局综合窗口');
  assert.equal((await get(bob, `${P}/bookings/${code}`)).statusCode, 404);
  assert.equal((await get(bob, `${P}/bookings/${code}/qr.svg`)).statusCode, 404);
  assert.equal((await get(alice, `${P}/bookings/O0O0O0O0O0`)).statusCode, 400);
  const qr = await get(alice, `${P}/bookings/${code.toLowerCase()}/qr.svg`);
  assert.equal(qr.statusCode, 200);
  assert.match(String(qr.headers['content-type']), /^image\/svg\+xml/);
  assert.match(qr.body, /^<svg role="img"/);
  const list = await get(alice, `${P}/bookings`);
  assert.deepEqual(
    list.json().items.map((b: { code: string }) => b.code),
    [code],
  );

  assert.equal((await send(bob, 'POST', `${P}/bookings/${code}/cancel`, {})).statusCode, 404);
  const cancelled = await send(alice, 'POST', `${P}/bookings/${code}/cancel`, { reason: '改期' });
  assert.equal(cancelled.statusCode, 200, cancelled.body);
  assert.equal(cancelled.json().status, 'cancelled');
  const again = await send(alice, 'POST', `${P}/bookings/${code}/cancel`);
  assert.equal(again.statusCode, 409, again.body);
});

test('two parties over HTTP: the partner signs in, sees the hold awaiting them and confirms', async () => {
  const s = await createTestService(t.database.db, { department_id: civilId, kind: 'marriage', parties: 2, window_days: 30, code: 'api-test-marriage' });
  const made = await send(alice, 'POST', `${P}/bookings`, { serviceCode: s.code, day, startsAt: '10:00', partner: { name: '钱二', idNumber: bobPerson.idNumber } });
  assert.equal(made.statusCode, 201, made.body);
  assert.equal(made.json().status, 'held');
  const code = made.json().code as string;
  const carolTries = await send(carol, 'POST', `${P}/bookings/${code}/confirm`);
  assert.equal(carolTries.statusCode, 404);
  const waiting = await get(bob, `${P}/bookings`);
  assert.equal(waiting.json().awaitingMyConfirmation, 1);
  const confirmed = await send(bob, 'POST', `${P}/bookings/${code}/confirm`);
  assert.equal(confirmed.statusCode, 200, confirmed.body);
  assert.equal(confirmed.json().status, 'confirmed');
  assert.equal(confirmed.json().myRole, 'partner');
});

test('staff over HTTP: the month, the day’s list, places, a closure and check-in — each in scope only', async () => {
  const db = t.database.db;
  // a booking for today, made yesterday (the clock of the operation), so the clerk can check it in now
  const carolAsBooker = { accountId: carolPerson.id, name: carolPerson.name, idNumber: carolPerson.idNumber };
  const todays = await bookAppointment(db, carolAsBooker, { serviceCode: SERVICE, day: today, startsAt: '09:00' }, TEST_ACTOR, { now: chinaInstant(addDays(today, -1), '10:00') });
  const month = await get(clerk, `${P}/staff/services/${SERVICE}/months/${today.slice(0, 7)}`);
  assert.equal(month.statusCode, 200, month.body);
  assert.equal((await get(outsider, `${P}/staff/services/${SERVICE}/months/${today.slice(0, 7)}`)).statusCode, 403);
  assert.equal((await get(clerk, `${P}/staff/services/${SERVICE}/months/2026-1`)).json().error.field, 'month');

  const list = await get(clerk, `${P}/staff/services/${SERVICE}/days/${today}`);
  assert.equal(list.statusCode, 200);
  assert.ok(list.body.includes(todays.code));
  assert.ok(!list.body.includes(carolPerson.idNumber), 'masked ID numbers only');
  assert.equal((await get(outsider, `${P}/staff/services/${SERVICE}/days/${today}`)).statusCode, 403);
  assert.equal((await get(alice, `${P}/staff/services/${SERVICE}/days/${today}`)).statusCode, 403);

  const below = await send(admin, 'PUT', `${P}/staff/services/${SERVICE}/days/${today}/capacity`, { startsAt: '09:00', capacity: 0 });
  assert.equal(below.statusCode, 409);
  assert.equal(below.json().error.field, 'capacity');
  assert.equal((await send(clerk, 'PUT', `${P}/staff/services/${SERVICE}/days/${today}/capacity`, { capacity: 5 })).statusCode, 403);
  const raised = await send(admin, 'PUT', `${P}/staff/services/${SERVICE}/days/${day}/capacity`, { capacity: 5 });
  assert.equal(raised.statusCode, 200, raised.body);
  assert.ok(raised.json().slots.every((x: { capacity: number }) => x.capacity === 5));

  const closeBad = await send(admin, 'PUT', `${P}/staff/services/${SERVICE}/closures/${addDays(today, 4)}`, {});
  assert.equal(closeBad.statusCode, 400);
  assert.equal(closeBad.json().error.field, 'reason');
  const closed = await send(admin, 'PUT', `${P}/staff/services/${SERVICE}/closures/${addDays(today, 4)}`, { reason: '设备检修' });
  assert.equal(closed.statusCode, 200, closed.body);
  const refusedBooking = await send(bob, 'POST', `${P}/bookings`, { serviceCode: SERVICE, day: addDays(today, 4), startsAt: '09:00' });
  assert.equal(refusedBooking.statusCode, 409);
  assert.match(refusedBooking.json().error.message, /设备检修/);
  assert.equal((await send(admin, 'DELETE', `${P}/staff/services/${SERVICE}/closures/${addDays(today, 4)}`)).statusCode, 200);

  assert.equal((await get(outsider, `${P}/staff/bookings/${todays.code}`)).statusCode, 404);
  const outsiderCheckIn = await send(outsider, 'POST', `${P}/staff/bookings/${todays.code}/check-in`);
  assert.equal(outsiderCheckIn.statusCode, 404);
  assert.equal((await send(alice, 'POST', `${P}/staff/bookings/${todays.code}/check-in`)).statusCode, 403);
  const seen = await get(clerk, `${P}/staff/bookings/${todays.code}`);
  assert.equal(seen.json().status, 'confirmed');
  const checked = await send(clerk, 'POST', `${P}/staff/bookings/${todays.code}/check-in`);
  assert.equal(checked.statusCode, 200, checked.body);
  assert.equal(checked.json().status, 'checked_in');
  assert.equal(checked.json().checkedInBy, '陈窗口');
  const twice = await send(clerk, 'POST', `${P}/staff/bookings/${todays.code}/check-in`);
  assert.equal(twice.statusCode, 409);
});

test('every appointment route declares its access', async () => {
  const routes = t.app.declaredRoutes().filter((r) => r.url.startsWith(P) && r.method !== 'HEAD');
  assert.equal(routes.length, 19);
  assert.ok(routes.every((r) => r.access !== undefined));
  const publicOnes = routes.filter((r) => r.access === 'public').map((r) => r.url);
  assert.deepEqual(publicOnes.sort(), [`${P}/services`, `${P}/services/:code`, `${P}/services/:code/availability`, `${P}/services/:code/days/:day`].sort());
});
