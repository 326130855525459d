/**
 * The staff's side of 预约, through the operations with a set clock: check-in (on the day, confirmed only, in
 * scope only), capacity changes (never below what is taken), closures (cancel the day's bookings with the
 * reason, in one transaction), the month view and the day's list (masked ID numbers), the settings (every field
 * checked; the default places followed by untouched slots), the services a staff member manages, and the jobs.
 * PGlite and PostgreSQL.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { sql, type Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';
import type { Database } from '../../db/database.ts';
import type { StaffPrincipal } from '../access/principal.ts';
import type { AppContext } from '../../http/context.ts';
import { createTestDatabase } from '../../testing/test-db.ts';
import { seedCatalogue } from '../../seed/seed-catalogue.ts';
import { FIXTURE_ITEMS, FIXTURE_REGIONS } from '../../testing/fixture-items.ts';
import { findDepartment } from '../../testing/fixture-accounts.ts';
import { AppError, FieldErrorsError } from '../../shared/errors.ts';
import { bookAppointment } from './book-appointment.ts';
import { getBooking } from './get-booking.ts';
import { confirmBooking } from './confirm-booking.ts';
import { getAvailability } from './get-availability.ts';
import { checkInBooking } from './check-in-booking.ts';
import { getStaffBooking } from './get-staff-booking.ts';
import { changeCapacity } from './change-capacity.ts';
import { setClosure } from './set-closure.ts';
import { removeClosure } from './remove-closure.ts';
import { getServiceMonth } from './get-service-month.ts';
import { getDayList } from './get-day-list.ts';
import { saveService } from './save-service.ts';
import { listManagedServices } from './list-managed-services.ts';
import { recordNoShows } from './record-no-shows.ts';
import { appointmentJobs } from './appointment-jobs.ts';
import { chinaInstant } from './appointment-time.ts';
import { createTestBooker, createTestService, createTestStaffPrincipal, TEST_ACTOR, testIdNumber } from './appointment-fixtures.ts';
import type { AppointmentPerson, BookInput, ServiceSettingsInput } from './appointments.types.ts';

let database: Database;
let db: Kysely<DB>;
let civilId: number;
let admin: StaffPrincipal;
let clerk: StaffPrincipal;
let outsiderClerk: StaffPrincipal;
let outsiderAdmin: StaffPrincipal;
let idSerial = 5000;

before(async () => {
  database = await createTestDatabase();
  db = database.db;
  await seedCatalogue(db, { items: FIXTURE_ITEMS, regionCodes: FIXTURE_REGIONS });
  civilId = (await findDepartment(db, { regionCode: '330106', kind: 'civil_affairs' })).id;
  const marketId = (await findDepartment(db, { regionCode: '330106', kind: 'market_regulation' })).id;
  admin = await createTestStaffPrincipal(db, { staffNo: 'AP0001', departmentId: civilId, roles: ['department_admin'], name: '王管理' });
  clerk = await createTestStaffPrincipal(db, { staffNo: 'AP0002', departmentId: civilId, roles: ['window_clerk'], name: '陈窗口' });
  outsiderClerk = await createTestStaffPrincipal(db, { staffNo: 'AP0009', departmentId: marketId, roles: ['window_clerk'] });
  outsiderAdmin = await createTestStaffPrincipal(db, { staffNo: 'AP0010', departmentId: marketId, roles: ['department_admin'] });
});

after(async () => {
  await database?.close();
});

const at = (day: string, time: string) => chinaInstant(day, time);
const person = (): Promise<AppointmentPerson> => createTestBooker(db, { idNumber: testIdNumber(idSerial++) });
const book = (p: AppointmentPerson, input: BookInput, now: Date) => bookAppointment(db, p, input, TEST_ACTOR, { now });
const STAFF_ACTOR = { type: 'staff' as const, id: 'staff-test' };

async function refused(fn: () => Promise<unknown>): Promise<AppError> {
  try {
    await fn();
  } catch (err) {
    if (err instanceof AppError) return err;
    throw err;
  }
  assert.fail('expected a refusal');
}

async function auditCount(action: string, target: string): Promise<number> {
  const r = await db.selectFrom('audit_events').select(sql<number>`count(*)`.as('n')).where('action', '=', action).where('target_id', '=', target).executeTakeFirstOrThrow();
  return Number(r.n);
}

test('check-in: by a clerk of the department, on the booking day only, confirmed bookings only; other departments see 404', async () => {
  const s = await createTestService(db, { department_id: civilId });
  const marriage = await createTestService(db, { department_id: civilId, kind: 'marriage', parties: 2 });
  const p = await person();
  const q = await person();
  const r = await person();
  const b = await book(p, { serviceCode: s.code, day: '2026-10-15', startsAt: '09:00' }, at('2026-10-13', '10:00'));
  const held = await book(q, { serviceCode: marriage.code, day: '2026-10-15', startsAt: '09:00', partner: { name: r.name, idNumber: r.idNumber } }, at('2026-10-15', '08:00'));

  const outside = await refused(() => checkInBooking(db, outsiderClerk, b.code, STAFF_ACTOR, { now: at('2026-10-15', '08:50') }));
  assert.equal(outside.status, 404);
  assert.equal(outside.field, 'code');
  assert.equal((await refused(() => getStaffBooking(db, outsiderClerk, b.code))).status, 404);
  const early = await refused(() => checkInBooking(db, clerk, b.code, STAFF_ACTOR, { now: at('2026-10-14', '16:00') }));
  assert.equal(early.status, 409);
  assert.equal(early.message, '该预约的日期是 2026年10月15日，只能在当天签到');
  const notConfirmed = await refused(() => checkInBooking(db, clerk, held.code, STAFF_ACTOR, { now: at('2026-10-15', '08:50') }));
  assert.match(notConfirmed.message, /尚未经双方确认/);
  const unknown = await refused(() => checkInBooking(db, clerk, '2345678923', STAFF_ACTOR, { now: at('2026-10-15', '08:50') }));
  assert.equal(unknown.status, 404);

  const before = await getStaffBooking(db, clerk, b.code.toLowerCase());
  assert.equal(before.status, 'confirmed');
  const done = await checkInBooking(db, clerk, b.code, STAFF_ACTOR, { now: at('2026-10-15', '08:50') });
  assert.equal(done.status, 'checked_in');
  assert.equal(done.checkedInBy, '陈窗口');
  assert.equal(done.checkedInAt, at('2026-10-15', '08:50').toISOString());
  assert.equal(await auditCount('appointment.checked_in', b.code), 1);
  const again = await refused(() => checkInBooking(db, clerk, b.code, STAFF_ACTOR, { now: at('2026-10-15', '08:51') }));
  assert.match(again.message, /已于 2026年10月15日 08:50 签到/);
  // a checked-in booking is no no-show, and its party may book again
  await recordNoShows(db, at('2026-10-15', '12:00'));
  assert.equal((await getBooking(db, p, b.code)).status, 'checked_in');
  assert.equal((await book(p, { serviceCode: s.code, day: '2026-10-16', startsAt: '09:00' }, at('2026-10-15', '12:00'))).status, 'confirmed');
});

test('capacity: one slot or a whole day, never below the places taken; raising it lets more book; only administrators in scope', async () => {
  const s = await createTestService(db, { department_id: civilId, capacity: 2 });
  const now = at('2026-10-13', '10:00');
  const day = '2026-10-15';
  const [a, b, c] = [await person(), await person(), await person()];
  await book(a, { serviceCode: s.code, day, startsAt: '09:00' }, now);
  await book(b, { serviceCode: s.code, day, startsAt: '09:00' }, now);
  const full = await refused(() => book(c, { serviceCode: s.code, day, startsAt: '09:00' }, now));
  assert.equal(full.status, 409);

  const below = await refused(() => changeCapacity(db, admin, { serviceCode: s.code, day, startsAt: '09:00', capacity: 1 }, STAFF_ACTOR, { now }));
  assert.equal(below.status, 409);
  assert.equal(below.field, 'capacity');
  assert.equal(below.message, '09:00 时段已预约 2 人，号源不能少于已预约人数');
  assert.equal((await refused(() => changeCapacity(db, clerk, { serviceCode: s.code, day, startsAt: '09:00', capacity: 3 }, STAFF_ACTOR, { now }))).status, 403);
  assert.equal((await refused(() => changeCapacity(db, outsiderAdmin, { serviceCode: s.code, day, startsAt: '09:00', capacity: 3 }, STAFF_ACTOR, { now }))).status, 403);
  assert.equal((await refused(() => changeCapacity(db, admin, { serviceCode: s.code, day: '2026-10-12', capacity: 3 }, STAFF_ACTOR, { now }))).field, 'day');
  assert.equal((await refused(() => changeCapacity(db, admin, { serviceCode: s.code, day, startsAt: '09:10', capacity: 3 }, STAFF_ACTOR, { now }))).field, 'startsAt');
  assert.equal((await refused(() => changeCapacity(db, admin, { serviceCode: s.code, day, capacity: -1 }, STAFF_ACTOR, { now }))).field, 'capacity');

  const list = await changeCapacity(db, admin, { serviceCode: s.code, day, startsAt: '09:00', capacity: 3 }, STAFF_ACTOR, { now });
  assert.deepEqual(
    list.slots.map((x) => [x.startsAt, x.capacity, x.taken, x.changed]).slice(0, 2),
    [
      ['09:00', 3, 2, true],
      ['09:30', 2, 0, false],
    ],
  );
  assert.equal((await book(c, { serviceCode: s.code, day, startsAt: '09:00' }, now)).status, 'confirmed');
  assert.equal(await auditCount('appointment.capacity_changed', `${s.code}/${day}/09:00`), 1);

  const wholeBelow = await refused(() => changeCapacity(db, admin, { serviceCode: s.code, day, capacity: 1 }, STAFF_ACTOR, { now }));
  assert.equal(wholeBelow.field, 'capacity');
  const unchanged = await getDayList(db, admin, s.code, day);
  assert.deepEqual(
    unchanged.slots.map((x) => x.capacity),
    [3, 2, 2, 2, 2, 2],
    'a refused change leaves every slot as it was',
  );
  const whole = await changeCapacity(db, admin, { serviceCode: s.code, day, capacity: 4 }, STAFF_ACTOR, { now });
  assert.deepEqual(
    whole.slots.map((x) => [x.capacity, x.free]),
    [
      [4, 1],
      [4, 4],
      [4, 4],
      [4, 4],
      [4, 4],
      [4, 4],
    ],
  );
  const working = await createTestService(db, { department_id: civilId, open_days: 'working' });
  const holiday = await refused(() => changeCapacity(db, admin, { serviceCode: working.code, day: '2026-10-01', capacity: 4 }, STAFF_ACTOR, { now: at('2026-09-20', '10:00') }));
  assert.equal(holiday.status, 409);
  assert.equal(holiday.field, 'day');
});

test('a closure cancels the day’s bookings with its reason in one transaction, refuses new bookings, and can be lifted', async () => {
  const s = await createTestService(db, { department_id: civilId, kind: 'marriage', parties: 2 });
  const now = at('2026-10-13', '10:00');
  const day = '2026-10-16';
  const [a, b, c, d] = [await person(), await person(), await person(), await person()];
  const one = await book(a, { serviceCode: s.code, day, startsAt: '09:00', partner: { name: b.name, idNumber: b.idNumber } }, now);
  await confirmPartner(b, one.code, now);
  const two = await book(c, { serviceCode: s.code, day, startsAt: '10:00', partner: { name: d.name, idNumber: d.idNumber } }, now);

  const noReason = await refused(() => setClosure(db, admin, { serviceCode: s.code, day, reason: '  ' }, STAFF_ACTOR, { now }));
  assert.equal(noReason.field, 'reason');
  assert.equal((await refused(() => setClosure(db, clerk, { serviceCode: s.code, day, reason: '停电' }, STAFF_ACTOR, { now }))).status, 403);
  assert.equal((await refused(() => setClosure(db, admin, { serviceCode: s.code, day: '2026-10-12', reason: '停电' }, STAFF_ACTOR, { now }))).field, 'day');

  const r = await setClosure(db, admin, { serviceCode: s.code, day, reason: '系统升级' }, STAFF_ACTOR, { now });
  assert.deepEqual([...r.cancelled].sort(), [one.code, two.code].sort());
  for (const code of [one.code, two.code]) {
    const v = await getBooking(db, code === one.code ? a : c, code, now);
    assert.equal(v.status, 'cancelled');
    assert.equal(v.cancelReason, '临时闭馆：系统升级');
    assert.equal(await auditCount('appointment.cancelled', code), 1);
  }
  assert.equal(await auditCount('appointment.closure_set', s.code), 1);
  const taken = await db.selectFrom('appointment_slots').select(sql<number>`sum(taken)`.as('n')).where('service_id', '=', s.id).executeTakeFirstOrThrow();
  assert.equal(Number(taken.n), 0);
  const active = await db.selectFrom('appointment_parties').select(sql<number>`count(*)`.as('n')).where('service_id', '=', s.id).where('active', '=', true).executeTakeFirstOrThrow();
  assert.equal(Number(active.n), 0);

  const refusedBooking = await refused(() => book(a, { serviceCode: s.code, day, startsAt: '11:00', partner: { name: b.name, idNumber: b.idNumber } }, now));
  assert.equal(refusedBooking.field, 'day');
  assert.equal(refusedBooking.message, '2026年10月16日暂停预约：系统升级');
  const avail = await getAvailability(db, s.code, { from: day, to: day }, now);
  assert.deepEqual([avail.days[0]?.status, avail.days[0]?.note], ['closed', '系统升级']);

  await removeClosure(db, admin, s.code, day, STAFF_ACTOR);
  assert.equal((await refused(() => removeClosure(db, admin, s.code, day, STAFF_ACTOR))).status, 404);
  assert.equal((await book(a, { serviceCode: s.code, day, startsAt: '11:00', partner: { name: b.name, idNumber: b.idNumber } }, now)).status, 'held');
});

const confirmPartner = (p: AppointmentPerson, code: string, now: Date) => confirmBooking(db, p, code, TEST_ACTOR, { now });

test('the month view and the day’s list: openings, places, bookings with masked ID numbers; in scope only', async () => {
  const s = await createTestService(db, { department_id: civilId, open_days: 'working', capacity: 3, window_days: 30 });
  const now = at('2026-09-20', '10:00');
  const [a, b] = [await person(), await person()];
  await book(a, { serviceCode: s.code, day: '2026-09-30', startsAt: '09:00' }, now);
  await book(b, { serviceCode: s.code, day: '2026-09-30', startsAt: '09:30' }, now);
  await setClosure(db, admin, { serviceCode: s.code, day: '2026-09-29', reason: '内部培训' }, STAFF_ACTOR, { now });

  const month = await getServiceMonth(db, clerk, s.code, '2026-10');
  assert.equal(month.days.length, 31);
  assert.equal(month.canManage, false);
  const oct = new Map(month.days.map((d) => [d.day, d]));
  assert.deepEqual(oct.get('2026-10-01')?.opening, { status: 'holiday', holidayName: '国庆节' });
  assert.equal(oct.get('2026-10-01')?.capacity, 0);
  assert.deepEqual(oct.get('2026-10-10')?.opening, { status: 'open' });
  assert.equal(oct.get('2026-10-10')?.capacity, 18);
  assert.deepEqual(oct.get('2026-10-11')?.opening, { status: 'rest' });
  const sep = await getServiceMonth(db, admin, s.code, '2026-09');
  assert.equal(sep.canManage, true);
  const sepDays = new Map(sep.days.map((d) => [d.day, d]));
  assert.deepEqual(sepDays.get('2026-09-29')?.opening, { status: 'closed', reason: '内部培训' });
  assert.deepEqual([sepDays.get('2026-09-30')?.capacity, sepDays.get('2026-09-30')?.taken, sepDays.get('2026-09-30')?.bookings], [18, 2, 2]);
  assert.equal((await refused(() => getServiceMonth(db, admin, s.code, '2026-13'))).field, 'month');
  assert.equal((await refused(() => getServiceMonth(db, outsiderClerk, s.code, '2026-10'))).status, 403);

  const list = await getDayList(db, clerk, s.code, '2026-09-30');
  assert.equal(list.canCheckIn, true);
  assert.equal(list.canManage, false);
  const nine = list.slots.find((x) => x.startsAt === '09:00')!;
  assert.equal(nine.bookings.length, 1);
  assert.equal(nine.bookings[0]!.parties[0]!.name, a.name);
  assert.equal(nine.bookings[0]!.parties[0]!.idNumberMasked, `${a.idNumber.slice(0, 6)}********${a.idNumber.slice(14)}`);
  const json = JSON.stringify(list);
  assert.ok(!json.includes(a.idNumber) && !json.includes(b.idNumber), 'no full ID number on the list');
  assert.equal((await refused(() => getDayList(db, outsiderClerk, s.code, '2026-09-30'))).status, 403);
  assert.equal((await refused(() => getDayList(db, clerk, s.code, '2026-09-31'))).field, 'day');
});

const settings = (o: Partial<ServiceSettingsInput> = {}): ServiceSettingsInput => ({
  code: 'xihu-marriage-office',
  kind: 'marriage',
  name: '西湖区婚姻登记处',
  departmentId: civilId,
  place: '杭州市西湖区文三路 1 号',
  openDays: 'working',
  sessions: [
    { start: '09:00', end: '12:00' },
    { start: '13:30', end: '17:00' },
  ],
  slotMinutes: 30,
  capacity: 5,
  windowDays: 7,
  ...o,
});

test('settings: every field checked at once; created and changed by an administrator in scope; untouched slots follow the new places', async () => {
  const bad = await refused(() =>
    saveService(db, admin, settings({ code: 'X', name: '', sessions: [{ start: '9:00', end: '12:00' }], slotMinutes: 1, capacity: 0, windowDays: 100, opensAt: '8点' }), STAFF_ACTOR),
  );
  assert.ok(bad instanceof FieldErrorsError);
  assert.deepEqual(
    bad.errors.map((e) => e.field),
    ['code', 'name', 'slotMinutes', 'sessions.0.start', 'capacity', 'windowDays', 'opensAt'],
  );
  const overlap = await refused(() => saveService(db, admin, settings({ sessions: [{ start: '09:00', end: '12:00' }, { start: '11:00', end: '13:00' }] }), STAFF_ACTOR));
  assert.match(overlap.message, /重叠/);
  assert.equal((await refused(() => saveService(db, outsiderAdmin, settings(), STAFF_ACTOR))).status, 403);
  assert.equal((await refused(() => saveService(db, clerk, settings(), STAFF_ACTOR))).status, 403);

  const created = await saveService(db, admin, settings(), STAFF_ACTOR);
  assert.equal(created.created, true);
  assert.equal(created.service.parties, 2, 'a marriage registration takes both parties by default');
  assert.equal(created.service.regionCode, '330106');
  assert.equal(created.service.opensAt, '08:00');

  // a slot with the default places and one changed by staff
  const now = at('2026-10-13', '10:00');
  const [a, b] = [await person(), await person()];
  await book(a, { serviceCode: 'xihu-marriage-office', day: '2026-10-15', startsAt: '09:00', partner: { name: b.name, idNumber: b.idNumber } }, now);
  await changeCapacity(db, admin, { serviceCode: 'xihu-marriage-office', day: '2026-10-15', startsAt: '13:30', capacity: 9 }, STAFF_ACTOR, { now });
  const updated = await saveService(db, admin, settings({ capacity: 8, cancelHours: 4 }), STAFF_ACTOR, { now });
  assert.equal(updated.created, false);
  assert.equal(updated.service.capacity, 8);
  const list = await getDayList(db, admin, 'xihu-marriage-office', '2026-10-15');
  assert.deepEqual(
    list.slots.filter((x) => ['09:00', '09:30', '13:30'].includes(x.startsAt)).map((x) => [x.startsAt, x.capacity, x.taken]),
    [
      ['09:00', 8, 1],
      ['09:30', 8, 0],
      ['13:30', 9, 0],
    ],
  );
  const event = await db
    .selectFrom('audit_events')
    .select('details')
    .where('action', '=', 'appointment.service_saved')
    .where('target_id', '=', 'xihu-marriage-office')
    .orderBy('seq', 'desc')
    .executeTakeFirstOrThrow();
  assert.deepEqual((event.details as { changes: unknown }).changes, { capacity: { from: 5, to: 8 }, cancelHours: { from: 2, to: 4 } });

  // new hours: the old slot stays on the list with its booking
  await saveService(db, admin, settings({ capacity: 8, cancelHours: 4, sessions: [{ start: '14:00', end: '17:00' }] }), STAFF_ACTOR, { now });
  const moved = await getDayList(db, admin, 'xihu-marriage-office', '2026-10-15');
  const old = moved.slots.find((x) => x.startsAt === '09:00');
  assert.equal(old?.outsideHours, true);
  assert.equal(old?.bookings.length, 1);
});

test('the services a staff member manages, with what they may do there', async () => {
  const s = await createTestService(db, { department_id: civilId });
  const mine = (await listManagedServices(db, admin)).find((x) => x.code === s.code);
  assert.deepEqual([mine?.canManage, mine?.canCheckIn], [true, true]);
  const theirs = (await listManagedServices(db, clerk)).find((x) => x.code === s.code);
  assert.deepEqual([theirs?.canManage, theirs?.canCheckIn], [false, true]);
  assert.equal((await listManagedServices(db, outsiderAdmin)).find((x) => x.code === s.code), undefined);
});

test('the jobs: holds every 30 s, no-shows every 5 min, each running its operation', async () => {
  const jobs = appointmentJobs({ db } as AppContext);
  assert.deepEqual(
    jobs.map((j) => [j.name, j.everyMs]),
    [
      ['appointment-holds', 30_000],
      ['appointment-no-shows', 300_000],
    ],
  );
  const r = await jobs[0]!.run();
  assert.equal(typeof r.expired, 'number');
  const n = await jobs[1]!.run();
  assert.equal(typeof n.noShows, 'number');
});
