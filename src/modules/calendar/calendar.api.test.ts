/**
 * The calendar's data and API, on PGlite and PostgreSQL: ensureCalendar loads the shipped years once (also when
 * two servers start together) and never overwrites an administrator's year; the public year view; a platform
 * administrator sets a year not shipped (2031) — deadlines follow at once, the audit row is written in the same
 * transaction — while bad input is a 400 naming the field and writes nothing, and anyone else gets 401 / 403.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createTestApp, type TestApp } from '../../testing/test-app.ts';
import { FIXTURE_ITEMS, FIXTURE_REGIONS } from '../../testing/fixture-items.ts';
import { createTestPerson, createTestStaff, findDepartment, signInForTest, type TestSession } from '../../testing/fixture-accounts.ts';
import { verifyAuditChain } from '../audit/verify-audit-chain.ts';
import { ensureCalendar, packagedCalendarYears } from './ensure-calendar.ts';
import { getWorkingCalendar } from './working-calendar.ts';

let t: TestApp;
let admin: TestSession;
let adminId: string;
let clerk: TestSession;
let person: TestSession;

const SHIPPED_ROWS = [...packagedCalendarYears().values()].reduce((n, days) => n + days.length, 0);

async function call(session: TestSession | null, method: 'GET' | 'PUT', url: string, payload?: unknown) {
  const res = await t.app.inject({ method, url, headers: session?.headers ?? {}, ...(payload === undefined ? {} : { payload: payload as object }) });
  return { status: res.statusCode, body: res.json() as Record<string, any> };
}

const revision = async () => Number((await t.database.db.selectFrom('revisions').select('revision').where('name', '=', 'calendar').executeTakeFirstOrThrow()).revision);
const countRows = async (table: 'calendar_days' | 'calendar_years') =>
  Number((await t.database.db.selectFrom(table).select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow()).n);
const yearSetEvents = async () => t.database.db.selectFrom('audit_events').selectAll().where('action', '=', 'calendar.year_set').orderBy('seq').execute();

/** 2031 (surely not shipped): 元旦 on Wed 1/1; 春节 Wed 1/22 – Tue 1/28 with Sun 1/19 and Sat 2/8 worked. */
const YEAR_2031 = {
  notice: '国务院办公厅关于2031年部分节假日安排的通知',
  days: [
    { day: '2031-01-01', kind: 'holiday', name: '元旦' },
    { day: '2031-01-19', kind: 'workday', name: '春节调休' },
    ...['22', '23', '24', '25', '26', '27', '28'].map((d) => ({ day: `2031-01-${d}`, kind: 'holiday', name: '春节' })),
    { day: '2031-02-08', kind: 'workday', name: '春节调休' },
  ],
};

before(async () => {
  t = await createTestApp(FIXTURE_ITEMS, FIXTURE_REGIONS);
  const db = t.database.db;
  const province = await findDepartment(db, { regionCode: '330000', kind: 'civil_affairs' });
  const county = await findDepartment(db, { regionCode: '330106', kind: 'civil_affairs' });
  adminId = (await createTestStaff(db, { staffNo: 'CALP01', departmentId: province.id, roles: [{ role: 'platform_admin' }] })).id;
  await createTestStaff(db, { staffNo: 'CALC01', departmentId: county.id, roles: [{ role: 'window_clerk' }, { role: 'department_admin' }] });
  admin = await signInForTest(t.app, { kind: 'staff', identifier: 'CALP01' });
  clerk = await signInForTest(t.app, { kind: 'staff', identifier: 'CALC01' });
  const p = await createTestPerson(db);
  person = await signInForTest(t.app, { kind: 'person', identifier: p.mobile });
});

after(async () => {
  await t?.close();
});

test('ensureCalendar: every shipped year once, idempotent, a changed package year reloaded, safe when two servers start together', async () => {
  const db = t.database.db;
  assert.equal(await countRows('calendar_years'), 23, '2004–2026');
  assert.equal(await countRows('calendar_days'), SHIPPED_ROWS);
  assert.ok(SHIPPED_ROWS > 700);
  const sources = await db.selectFrom('calendar_years').select(['source', 'notice']).distinct().execute();
  assert.deepEqual([...new Set(sources.map((s) => s.source))], ['chinese-days']);
  const r0 = await revision();

  assert.deepEqual(await ensureCalendar(db), { loaded: [], keptAdministrator: [], revision: null });
  assert.equal(await revision(), r0, 'nothing changed, the revision stays');

  // a shipped year whose stored days differ from the package (an older package): that year alone is reloaded
  await db.deleteFrom('calendar_days').where('day', '=', '2025-01-26').execute();
  await db.updateTable('calendar_days').set({ name: '旧名' }).where('day', '=', '2024-10-01').execute();
  const fixed = await ensureCalendar(db);
  assert.deepEqual(fixed.loaded, [2024, 2025]);
  assert.equal(fixed.revision, r0 + 1);
  assert.equal(await countRows('calendar_days'), SHIPPED_ROWS);
  assert.equal((await getWorkingCalendar(db)).isWorkingDay('2025-01-26'), true, 'the running calendar follows at once');

  // two servers on an empty calendar at the same moment: one loads, the other finds it done
  await db.deleteFrom('calendar_days').execute();
  await db.deleteFrom('calendar_years').execute();
  const both = await Promise.all([ensureCalendar(db), ensureCalendar(db)]);
  assert.deepEqual(both.map((r) => r.loaded.length).sort(), [0, 23]);
  assert.equal(await countRows('calendar_years'), 23);
  assert.equal(await countRows('calendar_days'), SHIPPED_ROWS);
  assert.equal(await revision(), r0 + 2);
});

test('the public year view: holidays and makeup days of a shipped year; an unpublished year is provisional', async () => {
  const y2025 = await call(null, 'GET', '/api/v1/calendar/2025');
  assert.equal(y2025.status, 200);
  assert.equal(y2025.body.known, true);
  assert.equal(y2025.body.source, 'chinese-days');
  assert.match(y2025.body.notice, /2025年部分节假日安排/);
  const days = y2025.body.days as { day: string; kind: string; name: string; weekday: string }[];
  assert.deepEqual(days.find((d) => d.day === '2025-01-26'), { day: '2025-01-26', kind: 'workday', name: '春节', weekday: '星期日' });
  assert.deepEqual(
    days.filter((d) => d.name === '春节' && d.kind === 'holiday').map((d) => d.day),
    ['2025-01-28', '2025-01-29', '2025-01-30', '2025-01-31', '2025-02-01', '2025-02-02', '2025-02-03', '2025-02-04'],
  );
  assert.deepEqual(days.filter((d) => d.kind === 'workday').map((d) => d.day), ['2025-01-26', '2025-02-08', '2025-04-27', '2025-09-28', '2025-10-11']);

  const y2026 = (await call(null, 'GET', '/api/v1/calendar/2026')).body;
  assert.deepEqual(
    (y2026.days as { day: string; kind: string }[]).filter((d) => d.kind === 'workday').map((d) => d.day),
    ['2026-01-04', '2026-02-14', '2026-02-28', '2026-05-09', '2026-09-20', '2026-10-10'],
  );

  const unknown = await call(null, 'GET', '/api/v1/calendar/2031');
  assert.deepEqual({ ...unknown.body, status: unknown.status }, { year: 2031, known: false, source: null, notice: '', updatedAt: null, days: [], status: 200 });
  const bad = await call(null, 'GET', '/api/v1/calendar/1999');
  assert.equal(bad.status, 400);
  assert.equal(bad.body.error.field, 'year');
  assert.equal((await call(null, 'GET', '/api/v1/calendar/abcd')).status, 400);

  const list = await call(null, 'GET', '/api/v1/calendar');
  assert.equal(list.status, 200);
  assert.equal(list.body.years.length, 23);
  assert.deepEqual(list.body.years[0], { ...list.body.years[0], year: 2026, source: 'chinese-days', holidays: 33, workdays: 6 });
});

test('setting a year: only a platform administrator; bad input is a 400 naming the field and changes nothing', async () => {
  const url = '/api/v1/admin/calendar/2031';
  const r0 = await revision();
  const events0 = (await yearSetEvents()).length;

  assert.equal((await call(null, 'PUT', url, YEAR_2031)).status, 401);
  assert.equal((await call(person, 'PUT', url, YEAR_2031)).status, 403);
  const refused = await call(clerk, 'PUT', url, YEAR_2031);
  assert.equal(refused.status, 403, 'a department administrator does not manage the calendar');
  assert.equal(refused.body.error.code, 'FORBIDDEN');
  const noCsrf = await t.app.inject({ method: 'PUT', url, headers: { cookie: admin.cookie }, payload: YEAR_2031 });
  assert.equal(noCsrf.statusCode, 403);

  const cases: [string, unknown, string][] = [
    ['a day of another year', { ...YEAR_2031, days: [{ day: '2030-12-31', kind: 'holiday', name: '元旦' }] }, 'days.0.day'],
    ['a duplicate day', { ...YEAR_2031, days: [YEAR_2031.days[0], YEAR_2031.days[0]] }, 'days.1.day'],
    ['a day that does not exist', { ...YEAR_2031, days: [{ day: '2031-02-29', kind: 'holiday', name: '春节' }] }, 'days.0.day'],
    ['a malformed day', { ...YEAR_2031, days: [{ day: '2031-1-1', kind: 'holiday', name: '元旦' }] }, 'days.0.day'],
    ['an unknown kind', { ...YEAR_2031, days: [{ day: '2031-01-01', kind: 'rest', name: '元旦' }] }, 'days.0.kind'],
    ['a makeup working day on a Thursday', { ...YEAR_2031, days: [YEAR_2031.days[0], { day: '2031-01-02', kind: 'workday', name: '调休' }] }, 'days.1.kind'],
    ['an empty name', { ...YEAR_2031, days: [{ day: '2031-01-01', kind: 'holiday', name: '  ' }] }, 'days.0.name'],
    ['no days', { ...YEAR_2031, days: [] }, 'days'],
    ['only makeup days', { ...YEAR_2031, days: [{ day: '2031-01-19', kind: 'workday', name: '春节调休' }] }, 'days'],
    ['no notice', { ...YEAR_2031, notice: ' ' }, 'notice'],
    ['a missing notice', { days: YEAR_2031.days }, 'notice'],
    ['an unknown property', { ...YEAR_2031, source: 'chinese-days' }, 'source'],
  ];
  for (const [what, body, field] of cases) {
    const res = await call(admin, 'PUT', url, body);
    assert.equal(res.status, 400, what);
    assert.equal(res.body.error.code, 'INVALID_PARAMETER', what);
    assert.equal(res.body.error.field, field, what);
    assert.match(res.body.error.message, /[\u4e00-\u9fff]/, `${what}: a Chinese message`);
  }
  const outOfRange = await call(admin, 'PUT', '/api/v1/admin/calendar/2101', YEAR_2031);
  assert.equal(outOfRange.status, 400);
  assert.equal(outOfRange.body.error.field, 'year');

  assert.equal((await call(null, 'GET', '/api/v1/calendar/2031')).body.known, false, 'nothing written');
  assert.equal(await t.database.db.selectFrom('calendar_days').select('day').where('day', '>=', '2031-01-01').executeTakeFirst(), undefined);
  assert.equal(await revision(), r0);
  assert.equal((await yearSetEvents()).length, events0);
});

test('a platform administrator sets 2031: deadlines honour it at once, audited; the shipped data never overwrites it', async () => {
  const db = t.database.db;
  const before = await getWorkingCalendar(db);
  // provisional: Fri 2031-01-17 + 5 → Mon–Fri 20, 21, 22, 23, 24
  assert.equal(before.isKnown('2031-01-17'), false);
  assert.equal(before.addWorkingDays('2031-01-17', 5), '2031-01-24');
  const r0 = await revision();

  const res = await call(admin, 'PUT', '/api/v1/admin/calendar/2031', YEAR_2031);
  assert.equal(res.status, 200, JSON.stringify(res.body));
  assert.equal(res.body.known, true);
  assert.equal(res.body.source, 'administrator');
  assert.equal(res.body.notice, YEAR_2031.notice);
  assert.equal(res.body.days.length, YEAR_2031.days.length);
  assert.equal(await revision(), r0 + 1);

  // the same process computes with it at once (no wait for the next revision check)
  const cal = await getWorkingCalendar(db);
  assert.equal(cal.lastKnownYear, 2031);
  assert.equal(cal.isKnown('2031-01-17'), true);
  // Fri 1/17: 1/19 (Sun, worked), 1/20, 1/21; 1/22–28 off; 1/29, 1/30
  assert.equal(cal.addWorkingDays('2031-01-17', 5), '2031-01-30');
  assert.equal(cal.workingDaysBetween('2031-01-17', '2031-01-30'), 5);
  assert.equal(cal.addWorkingDays('2031-02-07', 1), '2031-02-08');
  assert.equal(cal.holidayName('2031-01-01'), '元旦');
  assert.equal(cal.isKnown('2030-06-03'), false, 'the years between stay provisional');

  const year = await db.selectFrom('calendar_years').selectAll().where('year', '=', 2031).executeTakeFirstOrThrow();
  assert.equal(year.source, 'administrator');
  assert.equal(year.updated_by, adminId);

  const [event] = (await yearSetEvents()).slice(-1);
  assert.ok(event);
  assert.equal(event.actor_id, adminId);
  assert.equal(event.target_type, 'calendar_year');
  assert.equal(event.target_id, '2031');
  const details = event.details as Record<string, unknown>;
  assert.equal(details.notice, YEAR_2031.notice);
  assert.deepEqual(details.workdays, ['2031-01-19', '2031-02-08']);
  assert.equal((details.holidays as string[]).length, 8);
  assert.equal(details.previousSource, null);
  assert.equal((await verifyAuditChain(db)).ok, true);

  // replacing the year: the old rows go, the new ones stand
  const smaller = { notice: YEAR_2031.notice, days: [{ day: '2031-01-01', kind: 'holiday', name: '元旦' }] };
  assert.equal((await call(admin, 'PUT', '/api/v1/admin/calendar/2031', smaller)).status, 200);
  assert.equal((await getWorkingCalendar(db)).addWorkingDays('2031-01-17', 5), '2031-01-24');
  assert.equal((await call(admin, 'PUT', '/api/v1/admin/calendar/2031', YEAR_2031)).status, 200);

  // an administrator corrects a shipped year; the start-up loader keeps both years as set
  const y2026 = (await call(null, 'GET', '/api/v1/calendar/2026')).body;
  const corrected = { notice: '国务院办公厅关于2026年部分节假日安排的通知（更正）', days: [...y2026.days.map((d: { day: string; kind: string; name: string }) => ({ day: d.day, kind: d.kind, name: d.name })), { day: '2026-12-31', kind: 'holiday', name: '测试更正' }] };
  assert.equal((await call(admin, 'PUT', '/api/v1/admin/calendar/2026', corrected)).status, 200);
  assert.equal((await yearSetEvents()).at(-1)?.details && ((await yearSetEvents()).at(-1)!.details as Record<string, unknown>).previousSource, 'chinese-days');
  const rerun = await ensureCalendar(db);
  assert.deepEqual(rerun, { loaded: [], keptAdministrator: [2026], revision: null });
  const after = await getWorkingCalendar(db);
  assert.equal(after.holidayName('2026-12-31'), '测试更正');
  assert.equal(after.addWorkingDays('2031-01-17', 5), '2031-01-30');
  const sources = await db.selectFrom('calendar_years').select(['year', 'source']).where('source', '=', 'administrator').orderBy('year').execute();
  assert.deepEqual(sources, [{ year: 2026, source: 'administrator' }, { year: 2031, source: 'administrator' }]);
});
