/** Bookings as their parties and as staff see them: one query for the bookings, one for their parties. */
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { maskIdNumber } from '../results/masking.ts';
import { APPOINTMENT_KINDS, BOOKING_STATUSES, PARTY_ROLES, type BookingView, type PartyView, type StaffBookingView } from './appointments.types.ts';
import { chinaInstant, shortTime } from './appointment-time.ts';

const iso = (d: Date | null): string | null => (d ? d.toISOString() : null);

interface PartyRow {
  booking_id: number;
  id_number: string;
  name: string;
  role: 'booker' | 'partner';
  confirmed_at: Date | null;
}

async function loadParties(db: Kysely<DB>, ids: number[]): Promise<Map<number, PartyRow[]>> {
  const out = new Map<number, PartyRow[]>();
  if (!ids.length) return out;
  const rows = await db
    .selectFrom('appointment_parties')
    .select(['booking_id', 'id_number', 'name', 'role', 'confirmed_at'])
    .where('booking_id', 'in', ids)
    .orderBy('booking_id')
    .orderBy('role') // booker before partner
    .execute();
  for (const r of rows) {
    const list = out.get(r.booking_id) ?? [];
    list.push(r);
    out.set(r.booking_id, list);
  }
  return out;
}

const partyView = (r: PartyRow): PartyView => ({
  role: r.role,
  roleLabel: PARTY_ROLES[r.role],
  name: r.name,
  idNumberMasked: maskIdNumber(r.id_number),
  confirmed: r.confirmed_at !== null,
});

function bookingQuery(db: Kysely<DB>) {
  return db
    .selectFrom('appointment_bookings as b')
    .innerJoin('appointment_services as s', 's.id', 'b.service_id')
    .innerJoin('departments as d', 'd.id', 's.department_id')
    .leftJoin('accounts as c', 'c.id', 'b.checked_in_by')
    .select([
      'b.id',
      'b.code',
      'b.status',
      'b.day',
      'b.starts_at',
      'b.ends_at',
      'b.booked_by',
      'b.hold_until',
      'b.cancel_reason',
      'b.created_at',
      'b.confirmed_at',
      'b.cancelled_at',
      'b.checked_in_at',
      'c.name as checked_in_by_name',
      's.code as service_code',
      's.name as service_name',
      's.kind as service_kind',
      's.place as service_place',
      's.notes as service_notes',
      's.parties as service_parties',
      's.cancel_hours',
      'd.name as department_name',
    ]);
}

/**
 * Bookings as the person with `viewerIdNumber` (one of their parties) sees them, in the order of `ids`.
 * Callers check first that the viewer is a party.
 */
export async function loadBookingViews(db: Kysely<DB>, ids: number[], viewerIdNumber: string, now: Date): Promise<BookingView[]> {
  if (!ids.length) return [];
  const rows = await bookingQuery(db).where('b.id', 'in', ids).execute();
  const parties = await loadParties(db, ids);
  const byId = new Map(rows.map((r) => [r.id, r]));
  const out: BookingView[] = [];
  for (const id of ids) {
    const b = byId.get(id);
    if (!b) continue;
    const ps = parties.get(id) ?? [];
    const mine = ps.find((p) => p.id_number === viewerIdNumber);
    const startsAt = shortTime(b.starts_at);
    const start = chinaInstant(b.day, startsAt);
    const deadline = new Date(start.getTime() - b.cancel_hours * 3_600_000);
    const active = b.status === 'held' || b.status === 'confirmed';
    out.push({
      code: b.code,
      status: b.status,
      statusLabel: BOOKING_STATUSES[b.status],
      service: {
        code: b.service_code,
        name: b.service_name,
        kind: b.service_kind,
        kindLabel: APPOINTMENT_KINDS[b.service_kind],
        place: b.service_place,
        notes: b.service_notes,
        departmentName: b.department_name,
        parties: b.service_parties,
      },
      day: b.day,
      startsAt,
      endsAt: shortTime(b.ends_at),
      startsAtInstant: start.toISOString(),
      holdUntil: iso(b.hold_until),
      createdAt: b.created_at.toISOString(),
      confirmedAt: iso(b.confirmed_at),
      cancelledAt: iso(b.cancelled_at),
      cancelReason: b.cancel_reason,
      checkedInAt: iso(b.checked_in_at),
      parties: ps.map(partyView),
      myRole: mine?.role ?? 'booker',
      awaitingMyConfirmation: b.status === 'held' && !!mine && mine.confirmed_at === null && (!b.hold_until || b.hold_until > now),
      cancelDeadline: deadline.toISOString(),
      canCancel: active && now <= deadline,
    });
  }
  return out;
}

/** Bookings as staff see them (masked ID numbers), by ids or for one day of a service, in slot order. */
export async function loadStaffBookingViews(db: Kysely<DB>, where: { ids: number[] } | { serviceId: number; day: string }): Promise<StaffBookingView[]> {
  let q = bookingQuery(db);
  if ('ids' in where) {
    if (!where.ids.length) return [];
    q = q.where('b.id', 'in', where.ids);
  } else q = q.where('b.service_id', '=', where.serviceId).where('b.day', '=', where.day);
  const rows = await q.orderBy('b.starts_at').orderBy('b.created_at').orderBy('b.id').execute();
  const parties = await loadParties(db, rows.map((r) => r.id));
  return rows.map((b) => ({
    code: b.code,
    status: b.status,
    statusLabel: BOOKING_STATUSES[b.status],
    serviceCode: b.service_code,
    serviceName: b.service_name,
    day: b.day,
    startsAt: shortTime(b.starts_at),
    endsAt: shortTime(b.ends_at),
    holdUntil: iso(b.hold_until),
    createdAt: b.created_at.toISOString(),
    cancelReason: b.cancel_reason,
    checkedInAt: iso(b.checked_in_at),
    checkedInBy: b.checked_in_by_name,
    parties: (parties.get(b.id) ?? []).map(partyView),
  }));
}
