/**
 * A day of a service as citizens see it: the calendar's opening, the booking window, and the free places of
 * the slots that have not started. Pure: the caller loads the closures and slot rows.
 */
import type { WorkingCalendar } from '../calendar/working-calendar.ts';
import { DAY_STATUSES, type AvailabilityDay, type DayStatus, type SlotAvailability } from './appointments.types.ts';
import { dayOpening, deriveSlots, windowOpensAt, type ServiceRow, type SlotRow } from './appointment-service.ts';
import { chinaInstant, formatChinaDateTime, weekdayOfDay } from './appointment-time.ts';

export function dayAvailability(
  s: ServiceRow,
  day: string,
  now: Date,
  cal: WorkingCalendar,
  closureReason: string | undefined,
  rows: Map<string, SlotRow> | undefined,
): { day: AvailabilityDay; slots: SlotAvailability[] } {
  const base = { day, weekday: weekdayOfDay(day), opensAt: null, capacity: 0, free: 0 };
  const result = (status: DayStatus, note: string | null, extra: Partial<AvailabilityDay> = {}, slots: SlotAvailability[] = []) => ({
    day: { ...base, status, statusLabel: DAY_STATUSES[status], note, ...extra },
    slots,
  });
  if (s.status !== 'active') return result('suspended', '该服务暂停预约');
  const opening = dayOpening(s, day, cal, closureReason);
  if (opening.status === 'closed') return result('closed', opening.reason);
  if (opening.status === 'holiday') return result('holiday', opening.holidayName);
  if (opening.status === 'rest') return result('rest', null);

  const opensAt = windowOpensAt(s, day);
  const windowOpen = now >= opensAt;
  let capacity = 0;
  let free = 0;
  const slots = deriveSlots(s).map((x) => {
    const row = rows?.get(x.startsAt);
    const cap = row?.capacity ?? s.capacity;
    const taken = row?.taken ?? 0;
    const left = Math.max(0, cap - taken);
    const started = now >= chinaInstant(day, x.startsAt);
    if (!started) {
      capacity += cap;
      free += left;
    }
    return { startsAt: x.startsAt, endsAt: x.endsAt, capacity: cap, taken, free: left, bookable: windowOpen && !started && left > 0, started };
  });
  const out = slots.map(({ started: _, ...rest }) => rest);
  if (!slots.some((x) => !x.started)) return result('past', null, {}, out);
  if (!windowOpen) return result('not_yet_open', `将于 ${formatChinaDateTime(opensAt)} 开放预约`, { opensAt: opensAt.toISOString(), capacity, free }, out);
  return result(free > 0 ? 'open' : 'full', null, { capacity, free }, out);
}
