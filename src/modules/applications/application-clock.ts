/**
 * The working-day clock (工作日计时) of an application, as pure functions of the calendar and today's date.
 *
 * - Acceptance phase: from receipt, the 受理 SLA (5 working days, 行政许可法 Art. 32) runs in `state_due_on`.
 * - Decision phase: from acceptance, the promised and legal limits (承诺/法定办结时限) run; `state_due_on` is the
 *   promised date, the one staff work to. An application neither accepted nor sent back for 补正 within the 5
 *   working days counts as accepted from receipt (Art. 32): a later acceptance runs the limits from receipt, and
 *   a 补正 can no longer be requested.
 * - A pause (补正, or an excluded period of Art. 45: 听证、检验检测、专家评审 …) stops the clock; when it ends, the
 *   working days it lasted move every running deadline on by as many days. A 补正 during acceptance restarts the
 *   acceptance period instead: the application counts as received when it is complete (Art. 32).
 * - One extension (延期, Art. 42) moves the legal and promised dates on by at most 10 working days.
 * Days are 'YYYY-MM-DD' in China time; a deadline day itself is still in time.
 */
import type { DeadlineStatus } from '../../db/schema.ts';

/** What the clock needs of the calendar (modules/calendar's WorkingCalendar). */
export interface WorkingDays {
  addWorkingDays(from: string, n: number): string;
  workingDaysBetween(fromExclusive: string, toInclusive: string): number;
}

export interface ClockFields {
  clock_state: 'running' | 'paused' | 'stopped';
  clock_phase: 'acceptance' | 'decision' | 'done';
  clock_started_on: string;
  paused_days: number;
  paused_since: string | null;
  state_due_on: string | null;
  promised_due_on: string | null;
  legal_due_on: string | null;
  extension_days: number;
}

export const ACCEPTANCE_DAYS = 5;
export const MAX_EXTENSION_DAYS = 10;

/** On receipt: the acceptance SLA runs. */
export function startAcceptance(cal: WorkingDays, today: string, slaDays = ACCEPTANCE_DAYS): Pick<ClockFields, 'clock_state' | 'clock_phase' | 'clock_started_on' | 'state_due_on' | 'paused_days' | 'paused_since'> {
  return { clock_state: 'running', clock_phase: 'acceptance', clock_started_on: today, state_due_on: cal.addWorkingDays(today, slaDays), paused_days: 0, paused_since: null };
}

/** The last day of the acceptance period: 5 working days after receipt (Art. 32); the day itself is in time. */
export function acceptanceDueOn(cal: WorkingDays, receivedOn: string): string {
  return cal.addWorkingDays(receivedOn, ACCEPTANCE_DAYS);
}

/**
 * The day the decision limits run from (not counted): the acceptance day — or, when the acceptance period has
 * passed without acceptance or a 补正 request, the day of receipt, since the application then counts as accepted
 * from receipt (Art. 32) and a late acceptance must not stretch the limits.
 */
export function decisionStartsOn(cal: WorkingDays, today: string, receivedOn: string): string {
  return today > acceptanceDueOn(cal, receivedOn) ? receivedOn : today;
}

/**
 * On acceptance: the decision limits run from the acceptance day (not counted), or from receipt (`receivedOn`,
 * the acceptance clock's start) when accepted after the acceptance period (see decisionStartsOn).
 */
export function startDecision(cal: WorkingDays, today: string, limits: { promisedDays: number; legalDays: number }, receivedOn?: string): Partial<ClockFields> {
  const from = receivedOn === undefined ? today : decisionStartsOn(cal, today, receivedOn);
  const promised = cal.addWorkingDays(from, limits.promisedDays);
  return {
    clock_state: 'running',
    clock_phase: 'decision',
    clock_started_on: from,
    paused_days: 0,
    paused_since: null,
    promised_due_on: promised,
    legal_due_on: cal.addWorkingDays(from, limits.legalDays),
    state_due_on: promised,
  };
}

export function pauseClock(today: string): Partial<ClockFields> {
  return { clock_state: 'paused', paused_since: today };
}

/** Ends a pause: returns the fields to set and the working days the pause lasted. */
export function resumeClock(cal: WorkingDays, today: string, c: ClockFields, restartAcceptance: { slaDays: number } | null): { set: Partial<ClockFields>; excludedDays: number } {
  const since = c.paused_since ?? today;
  const excluded = cal.workingDaysBetween(since, today);
  if (c.clock_phase === 'acceptance' && restartAcceptance) {
    return { set: { ...startAcceptance(cal, today, restartAcceptance.slaDays) }, excludedDays: excluded };
  }
  const move = (d: string | null) => (d && excluded > 0 ? cal.addWorkingDays(d, excluded) : d);
  return {
    set: {
      clock_state: 'running',
      paused_since: null,
      paused_days: c.paused_days + excluded,
      state_due_on: move(c.state_due_on),
      promised_due_on: move(c.promised_due_on),
      legal_due_on: move(c.legal_due_on),
    },
    excludedDays: excluded,
  };
}

export function extendClock(cal: WorkingDays, c: ClockFields, days: number): Partial<ClockFields> {
  const move = (d: string | null) => (d ? cal.addWorkingDays(d, days) : d);
  return { extension_days: days, legal_due_on: move(c.legal_due_on), promised_due_on: move(c.promised_due_on), state_due_on: move(c.state_due_on) };
}

export function stopClock(): Partial<ClockFields> {
  return { clock_state: 'stopped', clock_phase: 'done', paused_since: null };
}

/**
 * normal / due_soon / overdue for a running deadline: overdue after the due day; due soon when the due day is
 * within `dueSoonDays` working days. `soonLimit` is cal.addWorkingDays(today, dueSoonDays), computed once per run.
 */
export function deadlineStatus(today: string, soonLimit: string, due: string | null): DeadlineStatus {
  if (!due) return 'normal';
  if (due < today) return 'overdue';
  if (due <= soonLimit) return 'due_soon';
  return 'normal';
}
