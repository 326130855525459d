/**
 * Never overbook: many bookings at once for one slot, one person booking several times at once, one partner named
 * twice at once, and overdue holds expired by the job while bookings race for their places. On PostgreSQL the
 * operations run truly concurrently through the pool; on PGlite they queue on its one connection.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { sql, type Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';
import type { Database } from '../../db/database.ts';
import { createTestDatabase } from '../../testing/test-db.ts';
import { seedCatalogue } from '../../seed/seed-catalogue.ts';
import { FIXTURE_ITEMS, FIXTURE_REGIONS } from '../../testing/fixture-items.ts';
import { verifyAuditChain } from '../audit/verify-audit-chain.ts';
import { AppError } from '../../shared/errors.ts';
import { ALREADY_BOOKED, bookAppointment, SLOT_FULL } from './book-appointment.ts';
import { confirmBooking } from './confirm-booking.ts';
import { expireHolds } from './expire-holds.ts';
import { chinaInstant } from './appointment-time.ts';
import { createTestBooker, createTestService, TEST_ACTOR, testIdNumber } from './appointment-fixtures.ts';
import type { AppointmentPerson } from './appointments.types.ts';
import { slotRecentlyFull } from './full-slot-hint.ts';

let database: Database;
let db: Kysely<DB>;

before(async () => {
  database = await createTestDatabase();
  db = database.db;
  await seedCatalogue(db, { items: FIXTURE_ITEMS, regionCodes: FIXTURE_REGIONS });
});

after(async () => {
  await database?.close();
});

const DAY = '2026-09-15';
const NOW = chinaInstant('2026-09-10', '10:00');

async function people(n: number, offset: number): Promise<AppointmentPerson[]> {
  const out: AppointmentPerson[] = [];
  for (let i = 0; i < n; i++) out.push(await createTestBooker(db, { idNumber: testIdNumber(offset + i) }));
  return out;
}

async function slotOf(serviceId: number, startsAt: string) {
  return db.selectFrom('appointment_slots').selectAll().where('service_id', '=', serviceId).where('day', '=', DAY).where('starts_at', '=', startsAt).executeTakeFirst();
}

async function count(table: 'appointment_bookings' | 'appointment_parties', serviceId: number, where: Record<string, unknown> = {}): Promise<number> {
  let q = db.selectFrom(table).select(sql<number>`count(*)`.as('n')).where('service_id', '=', serviceId);
  for (const [k, v] of Object.entries(where)) q = q.where(k as never, '=', v as never);
  return Number((await q.executeTakeFirstOrThrow()).n);
}

async function audits(action: string, codes: string[]): Promise<number> {
  if (!codes.length) return 0;
  const r = await db.selectFrom('audit_events').select(sql<number>`count(*)`.as('n')).where('action', '=', action).where('target_id', 'in', codes).executeTakeFirstOrThrow();
  return Number(r.n);
}

function conflicts(results: PromiseSettledResult<unknown>[]): { message: string; field: string | undefined; code: string }[] {
  return results
    .filter((r): r is PromiseRejectedResult => r.status === 'rejected')
    .map((r) => {
      const e = r.reason as AppError;
      if (!(e instanceof AppError)) throw e; // anything else (a deadlock, a constraint error) fails the test
      return { message: e.message, field: e.field, code: e.code };
    });
}

test('500 concurrent bookings by 500 people for one slot of 10 places: exactly 10 succeed', async () => {
  const s = await createTestService(db, { capacity: 10 });
  const persons = await people(500, 0);
  const results = await Promise.allSettled(persons.map((p) => bookAppointment(db, p, { serviceCode: s.code, day: DAY, startsAt: '09:00' }, TEST_ACTOR, { now: NOW })));
  const ok = results.filter((r) => r.status === 'fulfilled').map((r) => (r as PromiseFulfilledResult<{ code: string; status: string }>).value);
  assert.equal(ok.length, 10);
  assert.ok(ok.every((b) => b.status === 'confirmed'));
  const refused = conflicts(results);
  assert.equal(refused.length, 490);
  assert.ok(refused.every((e) => e.code === 'CONFLICT' && e.message === SLOT_FULL && e.field === 'startsAt'));
  // a transaction that found the slot full under its lock left the hint that answers the rest without one
  assert.equal(slotRecentlyFull(s.id, DAY, '09:00', NOW), true);
  const slot = await slotOf(s.id, '09:00:00');
  assert.equal(slot?.taken, 10);
  assert.equal(slot?.capacity, 10);
  assert.equal(await count('appointment_bookings', s.id), 10, 'no booking row of a refused attempt survives');
  assert.equal(await count('appointment_parties', s.id, { active: true }), 10);
  assert.equal(await count('appointment_parties', s.id), 10);
  assert.equal(await audits('appointment.booked', ok.map((b) => b.code)), 10);
  assert.equal(new Set(ok.map((b) => b.code)).size, 10);
  assert.deepEqual((await verifyAuditChain(db)).ok, true);
});

test('one person booking five times at once (three slots): exactly one booking', async () => {
  const s = await createTestService(db, { capacity: 10 });
  const [p] = await people(1, 600);
  const slots = ['09:00', '09:30', '10:00', '09:00', '09:30'];
  const results = await Promise.allSettled(slots.map((startsAt) => bookAppointment(db, p!, { serviceCode: s.code, day: DAY, startsAt }, TEST_ACTOR, { now: NOW })));
  assert.equal(results.filter((r) => r.status === 'fulfilled').length, 1);
  const refused = conflicts(results);
  assert.equal(refused.length, 4);
  assert.ok(refused.every((e) => e.message === ALREADY_BOOKED && e.field === 'serviceCode'), JSON.stringify(refused));
  const taken = await db.selectFrom('appointment_slots').select(sql<number>`coalesce(sum(taken), 0)`.as('n')).where('service_id', '=', s.id).executeTakeFirstOrThrow();
  assert.equal(Number(taken.n), 1, 'the places taken by refused attempts are given back');
  assert.equal(await count('appointment_parties', s.id, { active: true }), 1);
});

test('two people naming the same partner: both are held (naming someone neither reveals nor blocks them); the partner confirms one, not both', async () => {
  const s = await createTestService(db, { kind: 'marriage', parties: 2, capacity: 10 });
  const [a, b, partner] = await people(3, 700);
  const held = await Promise.all(
    [a!, b!].map((p) => bookAppointment(db, p, { serviceCode: s.code, day: DAY, startsAt: '09:00', partner: { name: partner!.name, idNumber: partner!.idNumber } }, TEST_ACTOR, { now: NOW })),
  );
  assert.deepEqual(held.map((v) => v.status), ['held', 'held']);
  assert.equal((await slotOf(s.id, '09:00:00'))?.taken, 2);
  // the partner can still book on their own: being named holds nothing of theirs
  assert.equal(await count('appointment_parties', s.id, { active: true }), 2);
  const results = await Promise.allSettled(held.map((v) => confirmBooking(db, partner!, v.code, TEST_ACTOR, { now: NOW })));
  assert.equal(results.filter((r) => r.status === 'fulfilled').length, 1);
  assert.deepEqual(
    conflicts(results).map((e) => [e.message, e.field]),
    [['您在该服务已有一个有效预约，不能再确认这个预约', 'code']],
  );
  assert.equal(await count('appointment_parties', s.id, { active: true }), 3);
});

test('the expiry job racing bookings for a slot full of overdue holds: each place is freed once and taken once', async () => {
  const s = await createTestService(db, { kind: 'marriage', parties: 2, capacity: 3, hold_minutes: 30 });
  const couples = await people(6, 800);
  for (let i = 0; i < 3; i++) {
    const booker = couples[2 * i]!;
    const partner = couples[2 * i + 1]!;
    await bookAppointment(db, booker, { serviceCode: s.code, day: DAY, startsAt: '09:00', partner: { name: partner.name, idNumber: partner.idNumber } }, TEST_ACTOR, { now: NOW });
  }
  assert.equal((await slotOf(s.id, '09:00:00'))?.taken, 3);
  const later = new Date(NOW.getTime() + 31 * 60_000);
  const newcomers = await people(20, 900);
  const partners = await people(20, 950);
  const jobs = [expireHolds(db, later), expireHolds(db, later)];
  const bookings = newcomers.map((p, i) =>
    bookAppointment(db, p, { serviceCode: s.code, day: DAY, startsAt: '09:00', partner: { name: partners[i]!.name, idNumber: partners[i]!.idNumber } }, TEST_ACTOR, { now: later }),
  );
  const [j1, j2, ...results] = await Promise.allSettled([...jobs, ...bookings]);
  assert.equal(j1!.status, 'fulfilled');
  assert.equal(j2!.status, 'fulfilled');
  assert.equal(results.filter((r) => r.status === 'fulfilled').length, 3);
  assert.ok(conflicts(results).every((e) => e.message === SLOT_FULL));
  const slot = await slotOf(s.id, '09:00:00');
  assert.equal(slot?.taken, 3);
  assert.equal(await count('appointment_bookings', s.id, { status: 'expired' }), 3);
  assert.equal(await count('appointment_bookings', s.id, { status: 'held' }), 3);
  const expiredCodes = (await db.selectFrom('appointment_bookings').select('code').where('service_id', '=', s.id).where('status', '=', 'expired').execute()).map((r) => r.code);
  assert.equal(await audits('appointment.expired', expiredCodes), 3, 'each hold expired exactly once');
  // the three new holds' bookers (their partners count once they confirm)
  assert.equal(await count('appointment_parties', s.id, { active: true }), 3);
});
