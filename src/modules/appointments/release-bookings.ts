/**
 * Ending a booking that holds a place (cancel, expiry, a closure): the status moves only from the states the
 * caller names (a guarded UPDATE, so two transactions can never release the same booking twice), the places
 * are given back by exactly the number of bookings this transaction moved, and the parties' one-per-service
 * allowance is freed — all in the caller's transaction.
 *
 * Lock order, everywhere in this module: service row → booking rows → slot rows (in id order) → audit head.
 */
import { sql, type Transaction } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { recordAuditEvents } from '../audit/record-audit-event.ts';
import { SYSTEM_ACTOR } from '../audit/audit.types.ts';
import { shortTime } from './appointment-time.ts';
import { forgetFullSlots } from './full-slot-hint.ts';

export interface ReleasedBooking {
  id: number;
  code: string;
  service_id: number;
  slot_id: number;
  day: string;
  starts_at: string; // 'HH:MM'
}

export async function releaseBookings(
  trx: Transaction<DB>,
  ids: number[],
  o: { to: 'cancelled' | 'expired'; now: Date; reason?: string },
): Promise<ReleasedBooking[]> {
  if (!ids.length) return [];
  let q = trx
    .updateTable('appointment_bookings as b')
    .where('b.id', 'in', ids)
    .returning(['b.id', 'b.code', 'b.service_id', 'b.slot_id', 'b.day', 'b.starts_at']);
  if (o.to === 'expired') {
    q = q.set({ status: 'expired' }).where('b.status', '=', 'held').where('b.hold_until', '<=', o.now);
  } else {
    q = q.set({ status: 'cancelled', cancelled_at: o.now, cancel_reason: o.reason ?? null, hold_until: null }).where('b.status', 'in', ['held', 'confirmed']);
  }
  const released = await q.execute();
  if (!released.length) return [];
  const bySlot = new Map<number, number>();
  for (const r of released) bySlot.set(r.slot_id, (bySlot.get(r.slot_id) ?? 0) + 1);
  for (const [slotId, n] of [...bySlot].sort((a, b) => a[0] - b[0])) {
    await trx.updateTable('appointment_slots').set({ taken: sql`taken - ${n}` }).where('id', '=', slotId).execute();
  }
  // after the places are given back under the slot rows' locks: a booker who tries now waits for this commit and
  // then gets the place, so no full-slot hint can be set again from the state before it
  for (const serviceId of new Set(released.map((r) => r.service_id))) forgetFullSlots(serviceId);
  await deactivateParties(trx, released.map((r) => r.id));
  return released.map((r) => ({ ...r, starts_at: shortTime(r.starts_at) }));
}

/** The bookings' parties may book this service again (the booking ended). */
export async function deactivateParties(trx: Transaction<DB>, bookingIds: number[]): Promise<void> {
  if (!bookingIds.length) return;
  await trx.updateTable('appointment_parties').set({ active: false }).where('booking_id', 'in', bookingIds).where('active', '=', true).execute();
}

/**
 * Expires the overdue holds among `where` (a slot's, or some bookings'), each audited 'appointment.expired'
 * by the system. Guarded: a hold confirmed or expired meanwhile is left alone.
 */
export async function expireOverdueHolds(
  trx: Transaction<DB>,
  where: { slot: { serviceId: number; day: string; startsAt: string } } | { bookingIds: number[] },
  now: Date,
  trigger: 'job' | 'slot_full' | 'rebooking',
): Promise<ReleasedBooking[]> {
  let ids: number[];
  if ('slot' in where) {
    const rows = await trx
      .selectFrom('appointment_bookings')
      .select('id')
      .where('service_id', '=', where.slot.serviceId)
      .where('day', '=', where.slot.day)
      .where('starts_at', '=', where.slot.startsAt)
      .where('status', '=', 'held')
      .where('hold_until', '<=', now)
      .orderBy('id')
      .execute();
    ids = rows.map((r) => r.id);
  } else ids = where.bookingIds;
  const released = await releaseBookings(trx, ids, { to: 'expired', now });
  await recordAuditEvents(
    trx,
    released.map((r) => ({
      action: 'appointment.expired' as const,
      actor: SYSTEM_ACTOR,
      target: { type: 'appointment_booking', id: r.code },
      details: { day: r.day, startsAt: r.starts_at, trigger },
    })),
  );
  return released;
}
