/**
 * The application clock on the official calendar: deadlines across Spring Festival and National Day of 2025
 * and 2026, with the makeup working days (调休上班) counted and the holidays skipped. Expected dates are counted
 * by hand from the State Council's arrangements.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Database } from '../../db/database.ts';
import { createTestDatabase } from '../../testing/test-db.ts';
import { getWorkingCalendar, type WorkingCalendar } from '../calendar/working-calendar.ts';
import { acceptanceDueOn, deadlineStatus, decisionStartsOn, extendClock, pauseClock, resumeClock, startAcceptance, startDecision, type ClockFields } from './application-clock.ts';

let database: Database;
let cal: WorkingCalendar;
before(async () => {
  database = await createTestDatabase();
  cal = await getWorkingCalendar(database.db);
});
after(async () => {
  await database?.close();
});

const clock = (o: Partial<ClockFields>): ClockFields => ({
  clock_state: 'running',
  clock_phase: 'decision',
  clock_started_on: '2025-01-02',
  paused_days: 0,
  paused_since: null,
  state_due_on: null,
  promised_due_on: null,
  legal_due_on: null,
  extension_days: 0,
  ...o,
});

test('受理 within 5 working days across National Day 2025 (Oct 1–8 off, Saturday Oct 11 worked)', () => {
  // Sep 30 (Tue) received: Oct 9, Oct 10, Oct 11 (调休), Oct 13, Oct 14
  assert.equal(startAcceptance(cal, '2025-09-30').state_due_on, '2025-10-14');
});

test('受理 across Spring Festival 2026 (Feb 15–23 off, Saturday Feb 14 worked)', () => {
  // Feb 13 (Fri) received: Feb 14 (调休), Feb 24, 25, 26, 27
  assert.equal(startAcceptance(cal, '2026-02-13').state_due_on, '2026-02-27');
});

test('the decision limits run from acceptance across Spring Festival 2026', () => {
  const c = startDecision(cal, '2026-02-09', { promisedDays: 20, legalDays: 20 });
  assert.equal(c.legal_due_on, '2026-03-13');
  assert.equal(c.state_due_on, c.promised_due_on);
});

test('accepted late, across National Day 2025: the application counts as accepted from receipt (Art. 32)', () => {
  // received Tue Sep 30: the acceptance period ends Oct 14 (see above)
  assert.equal(acceptanceDueOn(cal, '2025-09-30'), '2025-10-14');
  assert.equal(decisionStartsOn(cal, '2025-10-14', '2025-09-30'), '2025-10-14', 'the last day is still in time');
  assert.equal(decisionStartsOn(cal, '2025-10-15', '2025-09-30'), '2025-09-30');
  const late = startDecision(cal, '2025-10-20', { promisedDays: 5, legalDays: 20 }, '2025-09-30');
  // from Sep 30: Oct 9, 10, 11 (调休), 13, 14 (5) … Oct 31 (18), Nov 3, Nov 4 (20)
  assert.equal(late.promised_due_on, '2025-10-14');
  assert.equal(late.legal_due_on, '2025-11-04');
  assert.equal(late.clock_started_on, '2025-09-30');
  const inTime = startDecision(cal, '2025-10-14', { promisedDays: 5, legalDays: 20 }, '2025-09-30');
  assert.equal(inTime.promised_due_on, '2025-10-21');
  assert.equal(inTime.clock_started_on, '2025-10-14');
});

test('a 补正 pause over Spring Festival 2025 excludes only its working days, makeup Sunday Jan 26 included', () => {
  // paused Fri Jan 24, resumed Wed Feb 5: Jan 26 (调休), Jan 27, Feb 5 → 3 working days
  const c = clock({ clock_state: 'paused', paused_since: '2025-01-24', promised_due_on: '2025-02-10', state_due_on: '2025-02-10', legal_due_on: '2025-02-20' });
  const { set, excludedDays } = resumeClock(cal, '2025-02-05', c, null);
  assert.equal(excludedDays, 3);
  assert.equal(set.promised_due_on, '2025-02-13');
  assert.equal(set.state_due_on, '2025-02-13');
  assert.equal(set.legal_due_on, '2025-02-25');
  assert.equal(set.paused_days, 3);
  assert.equal(set.clock_state, 'running');
});

test('a 补正 during acceptance restarts the acceptance period when the applicant resubmits', () => {
  const c = clock({ clock_phase: 'acceptance', clock_state: 'paused', paused_since: '2026-09-25', state_due_on: '2026-09-28' });
  const { set } = resumeClock(cal, '2026-09-30', c, { slaDays: 5 });
  // Sep 30 (Wed): Oct 1–7 off; Oct 8, 9, 10 (调休), 12, 13
  assert.equal(set.state_due_on, '2026-10-13');
  assert.equal(set.clock_started_on, '2026-09-30');
});

test('one extension of 10 working days across National Day 2026 (Oct 1–7 off, Saturday Oct 10 worked)', () => {
  const set = extendClock(cal, clock({ legal_due_on: '2026-09-25', promised_due_on: '2026-09-18', state_due_on: '2026-09-18' }), 10);
  // Sep 25 (Fri): Sep 28, 29, 30, Oct 8, 9, 10 (调休), 12, 13, 14, 15
  assert.equal(set.legal_due_on, '2026-10-15');
  assert.equal(set.extension_days, 10);
  assert.equal(pauseClock('2026-09-18').clock_state, 'paused');
});

test('normal, due soon and overdue', () => {
  const today = '2025-09-30';
  const soon = cal.addWorkingDays(today, 2); // Oct 10
  assert.equal(soon, '2025-10-10');
  assert.equal(deadlineStatus(today, soon, '2025-09-29'), 'overdue');
  assert.equal(deadlineStatus(today, soon, today), 'due_soon');
  assert.equal(deadlineStatus(today, soon, '2025-10-10'), 'due_soon');
  assert.equal(deadlineStatus(today, soon, '2025-10-11'), 'normal');
  assert.equal(deadlineStatus(today, soon, null), 'normal');
});
