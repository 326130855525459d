/**
 * The citizen's side of 预约, through the operations with a set clock: the calendar (holidays, makeup working
 * days, rest days), the booking window's edges, past slots, bad input (4xx with the field, nothing written), one
 * booking per person per service, cancellation until the deadline, the two-party hold and its expiry (by the job,
 * by a booking finding the slot full, by the person rebooking), no-shows and the bar they bring, booking codes and
 * their QR code. PGlite and PostgreSQL.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { sql, type Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';
import type { Database } from '../../db/database.ts';
import { createTestDatabase } from '../../testing/test-db.ts';
import { seedCatalogue } from '../../seed/seed-catalogue.ts';
import { FIXTURE_ITEMS, FIXTURE_REGIONS } from '../../testing/fixture-items.ts';
import { AppError, FieldErrorsError } from '../../shared/errors.ts';
import { ALREADY_BOOKED, bookAppointment, SLOT_FULL } from './book-appointment.ts';
import { cancelBooking } from './cancel-booking.ts';
import { rememberSlotFull, slotRecentlyFull } from './full-slot-hint.ts';
import { confirmBooking } from './confirm-booking.ts';
import { getBooking } from './get-booking.ts';
import { listMyBookings } from './list-my-bookings.ts';
import { getAvailability } from './get-availability.ts';
import { getDaySlots } from './get-day-slots.ts';
import { listServices } from './list-services.ts';
import { expireHolds } from './expire-holds.ts';
import { recordNoShows } from './record-no-shows.ts';
import { BOOKING_CODE_ALPHABET, bookingQrSvg, newBookingCode } from './booking-codes.ts';
import { chinaInstant } from './appointment-time.ts';
import { createTestBooker, createTestService, TEST_ACTOR, testIdNumber } from './appointment-fixtures.ts';
import type { AppointmentPerson, BookInput } from './appointments.types.ts';
import type { ServiceRow } from './appointment-service.ts';

let database: Database;
let db: Kysely<DB>;
let idSerial = 2000;

before(async () => {
  database = await createTestDatabase();
  db = database.db;
  await seedCatalogue(db, { items: FIXTURE_ITEMS, regionCodes: FIXTURE_REGIONS });
});

after(async () => {
  await database?.close();
});

const at = (day: string, time: string) => chinaInstant(day, time);
const person = (name?: string): Promise<AppointmentPerson> => createTestBooker(db, { idNumber: testIdNumber(idSerial++), ...(name ? { name } : {}) });
const book = (p: AppointmentPerson, input: BookInput, now: Date, newCode?: () => string) => bookAppointment(db, p, input, TEST_ACTOR, { now, newCode });

/** Runs `fn` expecting an AppError; returns it. */
async function refused(fn: () => Promise<unknown>): Promise<AppError> {
  try {
    await fn();
  } catch (err) {
    if (err instanceof AppError) return err;
    throw err;
  }
  assert.fail('expected a refusal');
}

async function slotTaken(s: ServiceRow, day: string, startsAt: string): Promise<number | undefined> {
  const r = await db.selectFrom('appointment_slots').select('taken').where('service_id', '=', s.id).where('day', '=', day).where('starts_at', '=', startsAt).executeTakeFirst();
  return r?.taken;
}

async function activeParties(s: ServiceRow): Promise<number> {
  const r = await db.selectFrom('appointment_parties').select(sql<number>`count(*)`.as('n')).where('service_id', '=', s.id).where('active', '=', true).executeTakeFirstOrThrow();
  return Number(r.n);
}

async function auditCount(action: string, target: string): Promise<number> {
  const r = await db.selectFrom('audit_events').select(sql<number>`count(*)`.as('n')).where('action', '=', action).where('target_id', '=', target).executeTakeFirstOrThrow();
  return Number(r.n);
}

test('the calendar: a working-day service is closed on 国庆节 and on a rest day and open on a makeup working day; an every-day service is open', async () => {
  const working = await createTestService(db, { open_days: 'working', window_days: 30 });
  const every = await createTestService(db, { open_days: 'every', window_days: 30 });
  const now = at('2026-09-20', '10:00');
  const a = await getAvailability(db, working.code, { from: '2026-09-28', to: '2026-10-12' }, now);
  const byDay = new Map(a.days.map((d) => [d.day, d]));
  assert.equal(byDay.get('2026-09-28')?.status, 'open');
  assert.equal(byDay.get('2026-09-28')?.free, 30); // 6 slots × 5 places
  assert.equal(byDay.get('2026-10-01')?.status, 'holiday');
  assert.equal(byDay.get('2026-10-01')?.note, '国庆节');
  assert.equal(byDay.get('2026-10-10')?.status, 'open', '调休上班的星期六开放');
  assert.equal(byDay.get('2026-10-11')?.status, 'rest');
  assert.equal(byDay.get('2026-10-11')?.statusLabel, '休息日');
  const e = await getAvailability(db, every.code, { from: '2026-10-01', to: '2026-10-01' }, now);
  assert.equal(e.days[0]?.status, 'open');

  const p = await person();
  const holiday = await refused(() => book(p, { serviceCode: working.code, day: '2026-10-01', startsAt: '09:00' }, now));
  assert.equal(holiday.status, 409);
  assert.equal(holiday.field, 'day');
  assert.match(holiday.message, /2026年10月1日是法定节假日（国庆节）/);
  const rest = await refused(() => book(p, { serviceCode: working.code, day: '2026-10-11', startsAt: '09:00' }, now));
  assert.match(rest.message, /休息日/);
  const ok = await book(p, { serviceCode: every.code, day: '2026-10-01', startsAt: '09:00' }, now);
  assert.equal(ok.status, 'confirmed');
  const makeup = await book(p, { serviceCode: working.code, day: '2026-10-10', startsAt: '09:00' }, now);
  assert.equal(makeup.status, 'confirmed');
});

test('the booking window: refused a minute before it opens, naming when; accepted from that minute; closed at the slot start', async () => {
  const s = await createTestService(db, { window_days: 7, opens_at: '08:00' });
  const p = await person();
  const before = at('2026-10-13', '07:59');
  const slots = await getDaySlots(db, s.code, '2026-10-20', before);
  assert.equal(slots.day.status, 'not_yet_open');
  assert.equal(slots.day.opensAt, at('2026-10-13', '08:00').toISOString());
  assert.ok(slots.slots.every((x) => !x.bookable));
  const early = await refused(() => book(p, { serviceCode: s.code, day: '2026-10-20', startsAt: '09:00' }, before));
  assert.equal(early.status, 409);
  assert.equal(early.field, 'day');
  assert.equal(early.message, '该日期将于 2026年10月13日 08:00 开放预约');
  const far = await refused(() => book(p, { serviceCode: s.code, day: '2026-12-31', startsAt: '09:00' }, before));
  assert.equal(far.message, '该日期将于 2026年12月24日 08:00 开放预约');
  const onTime = await book(p, { serviceCode: s.code, day: '2026-10-20', startsAt: '09:00' }, at('2026-10-13', '08:00'));
  assert.equal(onTime.status, 'confirmed');
  assert.equal(onTime.startsAt, '09:00');
  assert.equal(onTime.endsAt, '09:30');

  const q = await person();
  const started = await refused(() => book(q, { serviceCode: s.code, day: '2026-10-20', startsAt: '09:30' }, at('2026-10-20', '09:30')));
  assert.equal(started.field, 'startsAt');
  assert.match(started.message, /已开始或已过去/);
  const ok = await book(q, { serviceCode: s.code, day: '2026-10-20', startsAt: '10:00' }, at('2026-10-20', '09:59'));
  assert.equal(ok.status, 'confirmed');
  const day = await getDaySlots(db, s.code, '2026-10-20', at('2026-10-20', '09:45'));
  assert.deepEqual(
    day.slots.map((x) => [x.startsAt, x.bookable, x.free]),
    [
      ['09:00', false, 4],
      ['09:30', false, 5],
      ['10:00', true, 4],
      ['10:30', true, 5],
      ['11:00', true, 5],
      ['11:30', true, 5],
    ],
  );
  assert.equal(day.day.free, 4 + 5 + 5 + 5);
});

test('bad input is refused with a 4xx naming the field, and nothing is written', async () => {
  const s = await createTestService(db);
  const marriage = await createTestService(db, { kind: 'marriage', parties: 2 });
  const suspended = await createTestService(db, { status: 'suspended' });
  const p = await person();
  const now = at('2026-10-13', '10:00');
  const count = async () => Number((await db.selectFrom('appointment_bookings').select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow()).n);
  const before = await count();
  const cases: [BookInput, number, string][] = [
    [{ serviceCode: s.code, day: '2026-02-30', startsAt: '09:00' }, 400, 'day'],
    [{ serviceCode: s.code, day: '20261015', startsAt: '09:00' }, 400, 'day'],
    [{ serviceCode: s.code, day: '2026-10-15', startsAt: '9:00' }, 400, 'startsAt'],
    [{ serviceCode: s.code, day: '2026-10-15', startsAt: '25:00' }, 400, 'startsAt'],
    [{ serviceCode: s.code, day: '2026-10-15', startsAt: '09:10' }, 400, 'startsAt'],
    [{ serviceCode: s.code, day: '2026-10-15', startsAt: '12:00' }, 400, 'startsAt'],
    [{ serviceCode: 'no-such-service', day: '2026-10-15', startsAt: '09:00' }, 404, 'serviceCode'],
    [{ serviceCode: 'Bad Code!', day: '2026-10-15', startsAt: '09:00' }, 400, 'serviceCode'],
    [{ serviceCode: suspended.code, day: '2026-10-15', startsAt: '09:00' }, 409, 'serviceCode'],
    [{ serviceCode: s.code, day: '2026-10-15', startsAt: '09:00', partner: { name: '李四', idNumber: testIdNumber(1) } }, 400, 'partner'],
    [{ serviceCode: marriage.code, day: '2026-10-15', startsAt: '09:00' }, 400, 'partner'],
    [{ serviceCode: marriage.code, day: '2026-10-15', startsAt: '09:00', partner: { name: '李四', idNumber: '330106199001011234' } }, 400, 'partner.idNumber'],
    [{ serviceCode: marriage.code, day: '2026-10-15', startsAt: '09:00', partner: { name: '李四', idNumber: '12345' } }, 400, 'partner.idNumber'],
    [{ serviceCode: marriage.code, day: '2026-10-15', startsAt: '09:00', partner: { name: '', idNumber: testIdNumber(1) } }, 400, 'partner.name'],
    [{ serviceCode: marriage.code, day: '2026-10-15', startsAt: '09:00', partner: { name: '本人', idNumber: p.idNumber } }, 400, 'partner.idNumber'],
  ];
  for (const [input, status, field] of cases) {
    const e = await refused(() => book(p, input, now));
    assert.equal(e.status, status, `${JSON.stringify(input)} → ${e.message}`);
    assert.equal(e.field, field, JSON.stringify(input));
    assert.match(e.message, /[\u4e00-\u9fff]/, 'a Chinese message');
  }
  const checksum = await refused(() => book(p, { serviceCode: marriage.code, day: '2026-10-15', startsAt: '09:00', partner: { name: '李四', idNumber: '330106199001011234' } }, now));
  assert.ok(checksum instanceof FieldErrorsError);
  assert.match(checksum.message, /校验位/);
  assert.equal(await count(), before);
  assert.equal(await db.selectFrom('appointment_slots').select('id').where('service_id', 'in', [s.id, marriage.id, suspended.id]).executeTakeFirst(), undefined, 'no slot row either');
});

test('one active booking per person per service; another service is fine; after cancelling they may book again', async () => {
  const s = await createTestService(db, { cancel_hours: 2 });
  const other = await createTestService(db);
  const p = await person();
  const now = at('2026-10-13', '10:00');
  const first = await book(p, { serviceCode: s.code, day: '2026-10-15', startsAt: '09:00' }, now);
  const second = await refused(() => book(p, { serviceCode: s.code, day: '2026-10-16', startsAt: '10:00' }, now));
  assert.equal(second.status, 409);
  assert.equal(second.field, 'serviceCode');
  assert.equal(second.message, ALREADY_BOOKED);
  await book(p, { serviceCode: other.code, day: '2026-10-15', startsAt: '09:00' }, now);
  await cancelBooking(db, p, first.code, TEST_ACTOR, { now });
  const again = await book(p, { serviceCode: s.code, day: '2026-10-16', startsAt: '10:00' }, now);
  assert.equal(again.status, 'confirmed');
  const mine = await listMyBookings(db, p, now);
  assert.deepEqual(
    mine.items.map((b) => [b.service.code, b.status]),
    [
      [other.code, 'confirmed'],
      [s.code, 'confirmed'],
      [s.code, 'cancelled'],
    ],
  );
});

test('cancellation: any party until cancel_hours before the start, the place freed; after the deadline 409 with the deadline; strangers 404', async () => {
  const s = await createTestService(db, { cancel_hours: 2 });
  const p = await person();
  const stranger = await person();
  const b = await book(p, { serviceCode: s.code, day: '2026-10-15', startsAt: '10:00' }, at('2026-10-13', '10:00'));
  assert.equal(b.cancelDeadline, at('2026-10-15', '08:00').toISOString());
  assert.equal(b.canCancel, true);
  assert.equal(await slotTaken(s, '2026-10-15', '10:00'), 1);
  const notMine = await refused(() => cancelBooking(db, stranger, b.code, TEST_ACTOR, { now: at('2026-10-14', '10:00') }));
  assert.equal(notMine.status, 404);
  const late = await refused(() => cancelBooking(db, p, b.code, TEST_ACTOR, { now: at('2026-10-15', '08:01') }));
  assert.equal(late.status, 409);
  assert.equal(late.message, '取消截止时间为 2026年10月15日 08:00（预约时段开始前 2 小时），现已不能取消');
  const viewLate = await getBooking(db, p, b.code, at('2026-10-15', '08:01'));
  assert.equal(viewLate.canCancel, false);
  const done = await cancelBooking(db, p, b.code, TEST_ACTOR, { now: at('2026-10-15', '08:00'), reason: '临时有事' });
  assert.equal(done.status, 'cancelled');
  assert.equal(done.cancelReason, '临时有事');
  assert.equal(await slotTaken(s, '2026-10-15', '10:00'), 0);
  assert.equal(await activeParties(s), 0);
  assert.equal(await auditCount('appointment.cancelled', b.code), 1);
  const twice = await refused(() => cancelBooking(db, p, b.code, TEST_ACTOR, { now: at('2026-10-14', '10:00') }));
  assert.equal(twice.status, 409);
});

test('two parties: a hold until the partner signs in and confirms; only the named partner may confirm; anyone else sees 404', async () => {
  const s = await createTestService(db, { kind: 'marriage', parties: 2, hold_minutes: 30 });
  const booker = await person('张三');
  const partner = await person('李四');
  const stranger = await person();
  const now = at('2026-10-13', '10:00');
  const held = await book(booker, { serviceCode: s.code, day: '2026-10-15', startsAt: '09:00', partner: { name: '李四四', idNumber: partner.idNumber.toLowerCase() } }, now);
  assert.equal(held.status, 'held');
  assert.equal(held.holdUntil, new Date(now.getTime() + 30 * 60_000).toISOString());
  assert.deepEqual(
    held.parties.map((x) => [x.role, x.confirmed]),
    [
      ['booker', true],
      ['partner', false],
    ],
  );
  assert.equal(held.awaitingMyConfirmation, false);
  assert.equal(await slotTaken(s, '2026-10-15', '09:00'), 1, 'the hold keeps the place');

  assert.equal((await refused(() => getBooking(db, stranger, held.code, now))).status, 404);
  assert.equal((await refused(() => confirmBooking(db, stranger, held.code, TEST_ACTOR, { now }))).status, 404, 'the partner must match the ID number');
  assert.equal((await refused(() => confirmBooking(db, booker, held.code, TEST_ACTOR, { now }))).status, 409, 'the booker cannot confirm for the partner');

  const seen = await listMyBookings(db, partner, now);
  assert.equal(seen.awaitingMyConfirmation, 1);
  assert.equal(seen.items[0]?.code, held.code);
  assert.equal(seen.items[0]?.awaitingMyConfirmation, true);
  assert.equal(seen.items[0]?.myRole, 'partner');

  const confirmed = await confirmBooking(db, partner, held.code, TEST_ACTOR, { now: new Date(now.getTime() + 29 * 60_000) });
  assert.equal(confirmed.status, 'confirmed');
  assert.equal(confirmed.holdUntil, null);
  assert.equal(confirmed.parties.find((x) => x.role === 'partner')?.name, '李四', 'the name of the verified account');
  assert.equal(await auditCount('appointment.confirmed', held.code), 1);
  assert.equal((await refused(() => confirmBooking(db, partner, held.code, TEST_ACTOR, { now }))).status, 409);
  // either party may cancel
  const cancelled = await cancelBooking(db, partner, held.code, TEST_ACTOR, { now });
  assert.equal(cancelled.status, 'cancelled');
  assert.equal(await slotTaken(s, '2026-10-15', '09:00'), 0);
});

test('an unconfirmed hold expires: the job frees the place and the parties; a late confirmation is refused; running again changes nothing', async () => {
  const s = await createTestService(db, { kind: 'marriage', parties: 2, hold_minutes: 30, capacity: 1 });
  const booker = await person();
  const partner = await person();
  const now = at('2026-10-13', '10:00');
  const held = await book(booker, { serviceCode: s.code, day: '2026-10-15', startsAt: '09:00', partner: { name: partner.name, idNumber: partner.idNumber } }, now);
  await expireHolds(db, new Date(now.getTime() + 29 * 60_000));
  assert.equal((await getBooking(db, booker, held.code, now)).status, 'held');
  const r = await expireHolds(db, new Date(now.getTime() + 30 * 60_000));
  assert.ok(r.expired >= 1);
  const view = await getBooking(db, booker, held.code, now);
  assert.equal(view.status, 'expired');
  assert.equal(await slotTaken(s, '2026-10-15', '09:00'), 0);
  assert.equal(await activeParties(s), 0);
  assert.equal(await auditCount('appointment.expired', held.code), 1);
  const late = await refused(() => confirmBooking(db, partner, held.code, TEST_ACTOR, { now: new Date(now.getTime() + 31 * 60_000) }));
  assert.equal(late.status, 409);
  await expireHolds(db, new Date(now.getTime() + 60 * 60_000));
  assert.equal(await slotTaken(s, '2026-10-15', '09:00'), 0, 'never freed twice');
  assert.equal(await auditCount('appointment.expired', held.code), 1);
});

test('a full slot frees its overdue hold at booking time, without the job; a late confirmation of an overdue hold is refused', async () => {
  const s = await createTestService(db, { kind: 'marriage', parties: 2, hold_minutes: 10, capacity: 1 });
  const [a, b, c, d] = [await person(), await person(), await person(), await person()];
  const now = at('2026-10-13', '10:00');
  const held = await book(a, { serviceCode: s.code, day: '2026-10-15', startsAt: '09:00', partner: { name: b.name, idNumber: b.idNumber } }, now);
  const full = await refused(() => book(c, { serviceCode: s.code, day: '2026-10-15', startsAt: '09:00', partner: { name: d.name, idNumber: d.idNumber } }, new Date(now.getTime() + 9 * 60_000)));
  assert.equal(full.message, SLOT_FULL);
  assert.equal(full.field, 'startsAt');
  const overdue = await refused(() => confirmBooking(db, b, held.code, TEST_ACTOR, { now: new Date(now.getTime() + 10 * 60_000) }));
  assert.match(overdue.message, /到期/);
  const taken = await book(c, { serviceCode: s.code, day: '2026-10-15', startsAt: '09:00', partner: { name: d.name, idNumber: d.idNumber } }, new Date(now.getTime() + 11 * 60_000));
  assert.equal(taken.status, 'held');
  assert.equal((await getBooking(db, a, held.code, now)).status, 'expired');
  assert.equal(await slotTaken(s, '2026-10-15', '09:00'), 1);
  assert.equal(await auditCount('appointment.expired', held.code), 1);
  // the hold may not outlast the slot's start
  const late = await book(a, { serviceCode: s.code, day: '2026-10-15', startsAt: '10:00', partner: { name: b.name, idNumber: b.idNumber } }, at('2026-10-15', '09:55'));
  assert.equal(late.holdUntil, at('2026-10-15', '10:00').toISOString());
});

test('a person whose own hold lapsed (job not run yet) may book again at once', async () => {
  const s = await createTestService(db, { kind: 'marriage', parties: 2, hold_minutes: 10 });
  const [a, b] = [await person(), await person()];
  const now = at('2026-10-13', '10:00');
  const first = await book(a, { serviceCode: s.code, day: '2026-10-15', startsAt: '09:00', partner: { name: b.name, idNumber: b.idNumber } }, now);
  const tooSoon = await refused(() => book(a, { serviceCode: s.code, day: '2026-10-15', startsAt: '10:00', partner: { name: b.name, idNumber: b.idNumber } }, now));
  assert.equal(tooSoon.message, ALREADY_BOOKED);
  const second = await book(a, { serviceCode: s.code, day: '2026-10-15', startsAt: '10:00', partner: { name: b.name, idNumber: b.idNumber } }, new Date(now.getTime() + 10 * 60_000));
  assert.equal(second.status, 'held');
  assert.equal((await getBooking(db, a, first.code, now)).status, 'expired');
  assert.equal(await slotTaken(s, '2026-10-15', '09:00'), 0);
});

test('no-shows: recorded once the slot has ended; three within 90 days bar booking until the day given', async () => {
  const s = await createTestService(db, { no_show_limit: 3, no_show_days: 90, bar_days: 30 });
  const p = await person();
  const other = await person();
  const codes: string[] = [];
  for (const day of ['2026-09-01', '2026-09-02', '2026-09-03']) {
    const prev = new Date(at(day, '09:00').getTime() - 86_400_000);
    const b = await book(p, { serviceCode: s.code, day, startsAt: '09:00' }, prev);
    codes.push(b.code);
    await recordNoShows(db, at(day, '09:29'));
    assert.equal((await getBooking(db, p, b.code, prev)).status, 'confirmed', 'not before the slot ends');
    const r = await recordNoShows(db, at(day, '09:30'));
    assert.equal(r.noShows, 1);
    assert.equal((await recordNoShows(db, at(day, '09:31'))).noShows, 0, 'idempotent');
    assert.equal((await getBooking(db, p, b.code, prev)).status, 'no_show');
    assert.equal(await auditCount('appointment.no_show', b.code), 1);
  }
  const barred = await refused(() => book(p, { serviceCode: s.code, day: '2026-09-08', startsAt: '09:00' }, at('2026-09-04', '10:00')));
  assert.equal(barred.status, 403);
  assert.equal(barred.field, 'serviceCode');
  assert.equal(barred.message, '您近 90 天内在该服务爽约 3 次，2026年10月3日起方可再次预约');
  // the bar is on the person, for this service only
  await book(other, { serviceCode: s.code, day: '2026-09-08', startsAt: '09:00' }, at('2026-09-04', '10:00'));
  const lastDayBarred = await refused(() => book(p, { serviceCode: s.code, day: '2026-10-05', startsAt: '09:00' }, at('2026-10-02', '23:59')));
  assert.equal(lastDayBarred.status, 403);
  const free = await book(p, { serviceCode: s.code, day: '2026-10-05', startsAt: '09:00' }, at('2026-10-03', '00:00'));
  assert.equal(free.status, 'confirmed');
});

test('naming a barred person as the other party reveals nothing; their own bar refuses their confirmation', async () => {
  const s = await createTestService(db, { kind: 'marriage', parties: 2, no_show_limit: 1, no_show_days: 90, bar_days: 30, hold_minutes: 60 });
  const [barred, first, booker] = [await person(), await person(), await person()];
  const missed = await book(first, { serviceCode: s.code, day: '2026-09-01', startsAt: '09:00', partner: { name: barred.name, idNumber: barred.idNumber } }, at('2026-08-31', '09:00'));
  await confirmBooking(db, barred, missed.code, TEST_ACTOR, { now: at('2026-08-31', '09:10') });
  assert.equal((await recordNoShows(db, at('2026-09-01', '09:30'))).noShows, 1);
  // the booker learns nothing about the person they name: the hold is made as for anyone
  const held = await book(booker, { serviceCode: s.code, day: '2026-09-08', startsAt: '09:00', partner: { name: barred.name, idNumber: barred.idNumber } }, at('2026-09-04', '10:00'));
  assert.equal(held.status, 'held');
  const e = await refused(() => confirmBooking(db, barred, held.code, TEST_ACTOR, { now: at('2026-09-04', '10:05') }));
  assert.equal(e.status, 403);
  assert.equal(e.field, 'code');
  assert.match(e.message, /^您近 90 天内在该服务爽约 1 次，2026年10月1日起方可再次预约$/);
});

test('booking codes: 10 characters without 0/O/1/I, unique (a collision retries), and a QR code for check-in', async () => {
  for (let i = 0; i < 200; i++) assert.match(newBookingCode(), /^[2-9A-HJ-NP-Z]{10}$/);
  assert.equal(BOOKING_CODE_ALPHABET.length, 32);
  assert.doesNotMatch(BOOKING_CODE_ALPHABET, /[01OI]/);
  const s = await createTestService(db);
  const now = at('2026-10-13', '10:00');
  const first = await book(await person(), { serviceCode: s.code, day: '2026-10-15', startsAt: '09:00' }, now, () => 'ABCDEFGH23');
  assert.equal(first.code, 'ABCDEFGH23');
  const codes = ['ABCDEFGH23', 'ABCDEFGH23', 'ABCDEFGH45'];
  const second = await book(await person(), { serviceCode: s.code, day: '2026-10-15', startsAt: '09:00' }, now, () => codes.shift()!);
  assert.equal(second.code, 'ABCDEFGH45');
  assert.equal(await slotTaken(s, '2026-10-15', '09:00'), 2, 'the failed attempts left nothing behind');
  const svg = await bookingQrSvg(second.code);
  assert.match(svg, /^<svg role="img" aria-label="预约码 ABCDEFGH45 的二维码" /);
  assert.match(svg, /<path/);
  await assert.rejects(() => bookingQrSvg('0000000000'), (e: AppError) => e.status === 400 && e.field === 'code');
});

test('the public service list: active services only, by kind and by region (and the regions below it)', async () => {
  const hospital = await createTestService(db, { kind: 'hospital', region_code: '330106' });
  const scenic = await createTestService(db, { kind: 'scenic', region_code: '330122' });
  const off = await createTestService(db, { kind: 'scenic', status: 'suspended' });
  const all = (await listServices(db)).map((x) => x.code);
  assert.ok(all.includes(hospital.code) && all.includes(scenic.code) && !all.includes(off.code));
  const scenicOnly = await listServices(db, { kind: 'scenic' });
  assert.deepEqual(
    scenicOnly.map((x) => x.code),
    [scenic.code],
  );
  assert.equal(scenicOnly[0]?.kindLabel, '景区分时预约');
  const city = (await listServices(db, { region: '330100' })).map((x) => x.code);
  assert.ok(city.includes(hospital.code) && city.includes(scenic.code));
  const county = (await listServices(db, { region: '330122' })).map((x) => x.code);
  assert.deepEqual(county, [scenic.code]);
  await assert.rejects(() => listServices(db, { region: '33' }), (e: AppError) => e.field === 'region');
});

test('a full-slot hint refuses for a second without a query; a read without a lock sets none; a place freed on this server is bookable at once', async () => {
  const s = await createTestService(db, { capacity: 1, cancel_hours: 0 });
  const slot = { serviceCode: s.code, day: '2026-10-15', startsAt: '10:00' };
  const t0 = at('2026-10-13', '10:00');
  const one = await person();
  const first = await book(one, slot, t0);
  const second = await person();
  // the quick answer from the read: 约满, but no hint (the read held no lock)
  assert.equal((await refused(() => book(second, slot, t0))).message, SLOT_FULL);
  assert.equal(slotRecentlyFull(s.id, slot.day, slot.startsAt, t0), false);
  // as a booking transaction that found it full under the slot's lock would (the 500-person test sees one do it)
  rememberSlotFull(s.id, slot.day, slot.startsAt, t0);
  // the place freed behind this server's back (as another server would): still 约满 within the second, not after
  await sql`UPDATE appointment_slots SET capacity = 2 WHERE service_id = ${s.id}`.execute(db);
  assert.equal((await refused(() => book(second, slot, new Date(t0.getTime() + 999)))).message, SLOT_FULL);
  const later = await book(second, slot, new Date(t0.getTime() + 1000));
  assert.equal(later.status, 'confirmed');
  // hinted full again; a cancellation here forgets the hint: the next person books in the same second
  rememberSlotFull(s.id, slot.day, slot.startsAt, new Date(t0.getTime() + 1000));
  const third = await person();
  assert.equal((await refused(() => book(third, slot, new Date(t0.getTime() + 1000)))).message, SLOT_FULL);
  await cancelBooking(db, one, first.code, TEST_ACTOR, { now: new Date(t0.getTime() + 1000) });
  const booked = await book(third, slot, new Date(t0.getTime() + 1001));
  assert.equal(booked.status, 'confirmed');
  assert.equal(await slotTaken(s, slot.day, slot.startsAt), 2);
});
