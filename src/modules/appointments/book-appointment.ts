/**
 * 预约: a person books a slot of a service for themself (and, for a two-party service such as a marriage
 * registration, names the other party, whose confirmation the place then waits for).
 *
 * Checks, in the order a person can act on them: the input's shape; the service and slot exist; the service is
 * not suspended; the slot has not started; the day is open (closures, holidays); the booking window has opened;
 * no no-show bar; one active booking per person per service. The service and everything these checks read
 * come in ONE statement (readBookingState); a slot already full is answered 约满 first, and one this server found
 * full within the last second is answered without a transaction (full-slot-hint.ts). Then one transaction:
 *   1. the service row FOR SHARE — staff changes that bookings depend on (closures, capacity, settings) lock it
 *      FOR NO KEY UPDATE, so a closure can never miss a booking committed beside it; status and closure are
 *      re-read under it;
 *   2. the slot row, created on first use (INSERT … ON CONFLICT DO NOTHING) and read;
 *   3. a place taken with ONE atomic statement, `UPDATE … SET taken = taken + 1 WHERE id = $1 AND taken <
 *      capacity` — concurrent bookers queue on the row lock and each re-checks the condition (PostgreSQL), or
 *      run one after another (PGlite's single connection); the CHECK constraint is the last guard. When the
 *      slot is full its overdue holds are expired here first (guarded, in this transaction) and the place is
 *      tried once more;
 *   4. the booking and its parties — the unique partial index (service_id, id_number) WHERE active refuses a
 *      second active booking even when two arrive at once;
 *   5. the audit event.
 * Any refusal rolls everything back. A booking code that collides (unique) retries the transaction with a new one.
 */
import { sql, type Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';
import type { AuditActor } from '../audit/audit.types.ts';
import { recordAuditEvent } from '../audit/record-audit-event.ts';
import { getWorkingCalendar } from '../calendar/working-calendar.ts';
import { isUniqueViolation } from '../staff/db-errors.ts';
import { checkResidentId } from '../../shared/codes/resident-id.ts';
import { AppError, FieldErrorsError, ForbiddenError, InvalidParameterError, NotFoundError } from '../../shared/errors.ts';
import { checkServiceCode, dayOpening, deriveSlots, SERVICE_NOT_FOUND, windowOpensAt, type ServiceRow } from './appointment-service.ts';
import { chinaClock, chinaInstant, formatChinaDate, formatChinaDateTime, requireDay, requireTime } from './appointment-time.ts';
import type { AppointmentPerson, BookInput, BookingView, DayOpening } from './appointments.types.ts';
import { newBookingCode } from './booking-codes.ts';
import { loadBookingViews } from './booking-views.ts';
import { barFrom } from './no-show-bar.ts';
import { expireOverdueHolds } from './release-bookings.ts';
import { rememberSlotFull, slotRecentlyFull } from './full-slot-hint.ts';

export const SLOT_FULL = '该时段已约满，请选择其他时段';
export const ALREADY_BOOKED = '您在该服务已有一个有效预约';
const CODE_ATTEMPTS = 5;

interface Party {
  name: string;
  idNumber: string;
}

/** The other party of a two-party service, checked (name, 身份证号 with its check digit, not the booker). */
function checkPartner(s: ServiceRow, person: AppointmentPerson, partner: BookInput['partner']): Party | null {
  if (s.parties === 1) {
    if (partner) throw new InvalidParameterError('partner', '该服务只需本人预约，无需填写另一方');
    return null;
  }
  if (!partner || typeof partner !== 'object') throw new InvalidParameterError('partner', '该服务须双方共同预约，请填写另一方的姓名和身份证号');
  const errors: { field: string; message: string }[] = [];
  const name = typeof partner.name === 'string' ? partner.name.trim() : '';
  if (!name) errors.push({ field: 'partner.name', message: '请填写另一方的姓名' });
  else if ([...name].length > 50) errors.push({ field: 'partner.name', message: '姓名不能超过 50 个字' });
  const idNumber = typeof partner.idNumber === 'string' ? partner.idNumber.trim().toUpperCase() : '';
  const problem = idNumber ? checkResidentId(idNumber) : 'empty';
  if (problem === 'empty') errors.push({ field: 'partner.idNumber', message: '请填写另一方的身份证号' });
  else if (problem === 'format') errors.push({ field: 'partner.idNumber', message: '身份证号应为 18 位（最后一位可以是 X）' });
  else if (problem === 'birth_date') errors.push({ field: 'partner.idNumber', message: '身份证号中的出生日期不正确，请核对' });
  else if (problem === 'checksum') errors.push({ field: 'partner.idNumber', message: '身份证号校验位不正确，请核对' });
  else if (idNumber === person.idNumber) errors.push({ field: 'partner.idNumber', message: '另一方不能是您本人' });
  if (errors.length) throw new FieldErrorsError(errors);
  return { name, idNumber };
}

/** 409 for a day the calendar does not open, with the reason. */
export function refuseClosedDay(opening: DayOpening, day: string): void {
  const d = formatChinaDate(day);
  if (opening.status === 'closed') throw new AppError('CONFLICT', `${d}暂停预约：${opening.reason}`, 'day');
  if (opening.status === 'holiday') throw new AppError('CONFLICT', `${d}是法定节假日（${opening.holidayName}），不开放预约`, 'day');
  if (opening.status === 'rest') throw new AppError('CONFLICT', `${d}是休息日，不开放预约`, 'day');
}

const barMessage = (who: '您', days: number, n: number, until: string) => `${who}近 ${days} 天内在该服务爽约 ${n} 次，${formatChinaDate(until)}起方可再次预约`;

export async function bookAppointment(
  db: Kysely<DB>,
  person: AppointmentPerson,
  input: BookInput,
  actor: AuditActor,
  opts: { now?: Date; newCode?: () => string } = {},
): Promise<BookingView> {
  const now = opts.now ?? new Date();
  const code = checkServiceCode(input.serviceCode);
  const day = requireDay(input.day);
  const startsAt = requireTime(input.startsAt);
  const today = chinaClock(now).day;
  // the service and everything the checks read, in one statement (calendar from its cache)
  const [state, cal] = await Promise.all([readBookingState(db, code, { day, startsAt, idNumber: person.idNumber ?? '', today, now }), getWorkingCalendar(db)]);
  if (!state) throw new NotFoundError(SERVICE_NOT_FOUND, 'serviceCode');
  const s = state.service;
  const slot = deriveSlots(s).find((x) => x.startsAt === startsAt);
  if (!slot) throw new InvalidParameterError('startsAt', `${startsAt} 不是该服务的预约时段`);
  if (!person.idNumber) throw new ForbiddenError('请先完成实名认证（登记身份证号）后再预约');
  const partner = checkPartner(s, person, input.partner);
  if (s.status !== 'active') throw new AppError('CONFLICT', '该服务暂停预约', 'serviceCode');

  const start = chinaInstant(day, startsAt);
  if (now >= start) throw new AppError('CONFLICT', '该时段已开始或已过去，不能预约', 'startsAt');
  // a quick answer when the slot is already full and no overdue hold could free a place: at the opening of a
  // popular day most bookers get this answer, without a transaction (the transaction below stays the authority);
  // within a second of this server finding it full, without even a query (full-slot-hint.ts)
  const refuseIfRecentlyFull = () => {
    if (slotRecentlyFull(s.id, day, startsAt, now)) throw new AppError('CONFLICT', SLOT_FULL, 'startsAt');
  };
  refuseIfRecentlyFull();
  // (read without a lock: not remembered — a place being given back right now may be in no state this read saw)
  if (state.slotFull) throw new AppError('CONFLICT', SLOT_FULL, 'startsAt');
  refuseClosedDay(dayOpening(s, day, cal, state.closure ?? undefined), day);
  const opensAt = windowOpensAt(s, day);
  if (now < opensAt) throw new AppError('CONFLICT', `该日期将于 ${formatChinaDateTime(opensAt)} 开放预约`, 'day');
  const mine = barFrom(s, state.noShows, state.latestNoShow, today);
  if (mine) throw new AppError('FORBIDDEN', barMessage('您', s.no_show_days, mine.noShows, mine.until), 'serviceCode');
  // the other party's own limits (one active booking, no-show bar) are checked when they confirm: a booker must
  // neither learn another person's bookings or record by typing their ID number, nor block them by naming them
  await checkOneActive(db, state.active, now);

  const parties: (Party & { role: 'booker' | 'partner' })[] = [{ name: person.name, idNumber: person.idNumber, role: 'booker' }];
  if (partner) parties.push({ ...partner, role: 'partner' });
  const holdUntil = new Date(Math.min(now.getTime() + s.hold_minutes * 60_000, start.getTime()));

  for (let attempt = 1; ; attempt++) {
    const code = (opts.newCode ?? newBookingCode)();
    try {
      // in a rush every booker gets here at about the same moment and waits for a connection: the hint is read
      // once one is theirs, so that those after the last place answer at once instead of running a transaction
      const id = await db.connection().execute(async (conn) => {
        refuseIfRecentlyFull();
        return conn.transaction().execute(async (trx) => {
          const locked = await trx
            .selectFrom('appointment_services')
            .selectAll()
            .select((eb) => eb.selectFrom('appointment_closures').select('reason').where('service_id', '=', s.id).where('day', '=', day).as('closure'))
            .where('id', '=', s.id)
            .forShare()
            .executeTakeFirstOrThrow();
          if (locked.status !== 'active') throw new AppError('CONFLICT', '该服务暂停预约', 'serviceCode');
          if (locked.closure) refuseClosedDay({ status: 'closed', reason: locked.closure }, day);
          // the settings as they are now (a change waited for this lock): the slot must still exist
          const current = deriveSlots(locked).find((x) => x.startsAt === startsAt);
          if (!current) throw new AppError('CONFLICT', '该服务的开放时段已调整，请重新选择时段', 'startsAt');
          const twoParty = locked.parties === 2;

          await trx
            .insertInto('appointment_slots')
            .values({ service_id: s.id, day, starts_at: startsAt, ends_at: current.endsAt, capacity: locked.capacity })
            .onConflict((oc) => oc.columns(['service_id', 'day', 'starts_at']).doNothing())
            .execute();
          const slotKey = { serviceId: s.id, day, startsAt };
          let slotRow = await takePlace(trx, slotKey);
          if (!slotRow && (await expireOverdueHolds(trx, { slot: slotKey }, now, 'slot_full')).length) slotRow = await takePlace(trx, slotKey);
          if (!slotRow) {
            // full under the slot row's lock: a release in progress would have made takePlace wait for it
            rememberSlotFull(s.id, day, startsAt, now);
            throw new AppError('CONFLICT', SLOT_FULL, 'startsAt');
          }

          const booking = await trx
            .insertInto('appointment_bookings')
            .values({
              code,
              service_id: s.id,
              slot_id: slotRow.id,
              day,
              starts_at: startsAt,
              ends_at: slotRow.ends_at,
              booked_by: person.accountId,
              status: twoParty ? 'held' : 'confirmed',
              hold_until: twoParty ? holdUntil : null,
              confirmed_at: twoParty ? null : now,
              created_at: now,
            })
            .returning('id')
            .executeTakeFirstOrThrow();
          for (const p of parties) {
            try {
              await trx
                .insertInto('appointment_parties')
                .values({
                  booking_id: booking.id,
                  service_id: s.id,
                  id_number: p.idNumber,
                  name: p.name,
                  account_id: p.role === 'booker' ? person.accountId : null,
                  role: p.role,
                  confirmed_at: p.role === 'booker' ? now : null,
                  active: p.role === 'booker', // the other party's place counts once they confirm
                })
                .execute();
            } catch (err) {
              if (isUniqueViolation(err) && (err as { constraint?: string }).constraint === 'appointment_parties_one_active') {
                throw new AppError('CONFLICT', ALREADY_BOOKED, 'serviceCode');
              }
              throw err;
            }
          }
          await recordAuditEvent(trx, {
            action: 'appointment.booked',
            actor,
            target: { type: 'appointment_booking', id: code },
            details: { service: s.code, day, startsAt, status: twoParty ? 'held' : 'confirmed' },
          });
          return booking.id;
        });
      });
      const [view] = await loadBookingViews(db, [id], person.idNumber, now);
      return view!;
    } catch (err) {
      const codeTaken = isUniqueViolation(err) && (err as { constraint?: string }).constraint === 'appointment_bookings_code_key';
      if (!codeTaken || attempt >= CODE_ATTEMPTS) throw err;
    }
  }
}

/** One place of the slot, atomically: the slot's id and end, or undefined when it is full. */
async function takePlace(trx: Kysely<DB>, k: { serviceId: number; day: string; startsAt: string }): Promise<{ id: number; ends_at: string } | undefined> {
  return trx
    .updateTable('appointment_slots')
    .set((eb) => ({ taken: eb('taken', '+', 1) }))
    .where('service_id', '=', k.serviceId)
    .where('day', '=', k.day)
    .where('starts_at', '=', k.startsAt)
    .whereRef('taken', '<', 'capacity')
    .returning(['id', 'ends_at'])
    .executeTakeFirst();
}

interface ActivePlace {
  id: number;
  status: string;
  hold_until: Date | null;
}

interface BookingState {
  service: ServiceRow;
  /** the slot's row exists, has no free place and no hold of it is overdue (read without locking) */
  slotFull: boolean;
  /** the day's special closure, if any */
  closure: string | null;
  /** the person's no-shows of the service within its no_show_days, and the latest one's day */
  noShows: number;
  latestNoShow: string | null;
  /** the person's active places in the service's bookings */
  active: ActivePlace[];
}

/**
 * The service (by code) and what the booking checks read of it for this person, day and slot — one statement,
 * so that a booker in a rush costs one round trip before the transaction (or none after the last place went).
 */
async function readBookingState(
  db: Kysely<DB>,
  code: string,
  o: { day: string; startsAt: string; idNumber: string; today: string; now: Date },
): Promise<BookingState | undefined> {
  const { rows } = await sql<ServiceRow & { slot_full: boolean; closure: string | null; no_shows: number; latest_no_show: string | null; active: ActivePlace[] | string }>`
    SELECT s.*, d.name AS department_name,
           EXISTS (
             SELECT 1 FROM appointment_slots sl
              WHERE sl.service_id = s.id AND sl.day = ${o.day} AND sl.starts_at = ${o.startsAt} AND sl.taken >= sl.capacity
                AND NOT EXISTS (SELECT 1 FROM appointment_bookings b WHERE b.slot_id = sl.id AND b.status = 'held' AND b.hold_until <= ${o.now})
           ) AS slot_full,
           (SELECT c.reason FROM appointment_closures c WHERE c.service_id = s.id AND c.day = ${o.day}) AS closure,
           ns.n AS no_shows, ns.latest AS latest_no_show,
           (SELECT coalesce(json_agg(json_build_object('id', b.id, 'status', b.status, 'hold_until', b.hold_until)), '[]'::json)
              FROM appointment_parties p JOIN appointment_bookings b ON b.id = p.booking_id
             WHERE p.service_id = s.id AND p.id_number = ${o.idNumber} AND p.active) AS active
      FROM appointment_services s
      JOIN departments d ON d.id = s.department_id
      CROSS JOIN LATERAL (
        SELECT count(*)::int AS n, max(b.day)::text AS latest
          FROM appointment_parties p JOIN appointment_bookings b ON b.id = p.booking_id
         WHERE p.service_id = s.id AND p.id_number = ${o.idNumber} AND b.status = 'no_show'
           AND b.day >= ${o.today}::date - s.no_show_days
      ) ns
     WHERE s.code = ${code}`.execute(db);
  const r = rows[0];
  if (!r) return undefined;
  const { slot_full, closure, no_shows, latest_no_show, active, ...service } = r;
  const places = (typeof active === 'string' ? JSON.parse(active) : active) as { id: number; status: string; hold_until: string | null }[];
  return {
    service: service as ServiceRow,
    slotFull: slot_full,
    closure,
    noShows: Number(no_shows),
    latestNoShow: latest_no_show,
    active: places.map((a) => ({ id: Number(a.id), status: a.status, hold_until: a.hold_until === null ? null : new Date(a.hold_until) })),
  };
}

/**
 * One active booking per person per service, checked before the transaction for a quick answer (the unique
 * index decides under concurrency). A hold of theirs that is overdue but not yet expired by the job is expired
 * now, in a transaction of its own (it is a complete change by itself), so it does not stand in the way.
 */
async function checkOneActive(db: Kysely<DB>, rows: readonly ActivePlace[], now: Date): Promise<void> {
  const overdue = rows.filter((r) => r.status === 'held' && r.hold_until !== null && r.hold_until <= now);
  const live = rows.filter((r) => !overdue.includes(r));
  if (live.length) throw new AppError('CONFLICT', ALREADY_BOOKED, 'serviceCode');
  if (overdue.length) {
    const bookingIds = [...new Set(overdue.map((r) => r.id))].sort((a, b) => a - b);
    await db.transaction().execute((trx) => expireOverdueHolds(trx, { bookingIds }, now, 'rebooking'));
  }
}
