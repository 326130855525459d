/**
 * 约满提示: a hint, kept for one second on this server, that a slot was found full — so that in a booking rush
 * the hundreds of people who press 预约 after the last place went are told 约满 at once, instead of each
 * running the checks and a transaction that can only fail. The hint only ever refuses early; a place is only
 * ever taken by the booking transaction (the authority), so it can never cause an overbooking.
 *
 * It is remembered only when the booking transaction found the slot full under the slot row's lock, never from
 * a read without one. A place freed on this server (a cancellation, an expired hold: after the slot row is
 * updated, under its lock; more capacity: after the commit) forgets the hints of its service, so it is bookable
 * at once; one freed on another server is seen here at the latest a second later. Hints are per process (a
 * process serves one database). The hint is kept
 * against the booking's own clock (`now`): a request whose clock is not within the second after the hint
 * ignores it.
 */
const HINT_MS = 1000;

// service id → `day|HH:MM` → the instant (ms) the slot was found full
const hints = new Map<number, Map<string, number>>();

const slotKey = (day: string, startsAt: string) => `${day}|${startsAt}`;

/** The slot was found full at `now`. */
export function rememberSlotFull(serviceId: number, day: string, startsAt: string, now: Date): void {
  let m = hints.get(serviceId);
  if (!m) {
    if (hints.size > 10_000) hints.clear();
    hints.set(serviceId, (m = new Map()));
  }
  if (m.size > 1_000) m.clear();
  m.set(slotKey(day, startsAt), now.getTime());
}

/** The slot was found full on this server within the second before `now`. */
export function slotRecentlyFull(serviceId: number, day: string, startsAt: string, now: Date): boolean {
  const at = hints.get(serviceId)?.get(slotKey(day, startsAt));
  if (at === undefined) return false;
  const age = now.getTime() - at;
  return age >= 0 && age < HINT_MS;
}

/** A place of the service may have been freed (or capacity added): its hints are forgotten. */
export function forgetFullSlots(serviceId: number): void {
  hints.delete(serviceId);
}
