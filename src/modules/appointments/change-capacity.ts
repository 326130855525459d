/**
 * Staff: 调整号源 — the places of one slot, or of every slot of a day; never below the places already taken
 * (409, and nothing changes). Under the service row's lock (no booking runs beside it on this service), slot
 * rows created as needed and locked in id order.
 */
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';
import type { Principal } from '../access/principal.ts';
import type { AuditActor } from '../audit/audit.types.ts';
import { recordAuditEvent } from '../audit/record-audit-event.ts';
import { getWorkingCalendar } from '../calendar/working-calendar.ts';
import { AppError, InvalidParameterError } from '../../shared/errors.ts';
import { SERVICE_LIMITS, type CapacityChangeInput, type StaffDayList } from './appointments.types.ts';
import { dayOpening, deriveSlots, loadClosures, requireServiceForStaff } from './appointment-service.ts';
import { chinaClock, requireDay, requireTime, shortTime } from './appointment-time.ts';
import { refuseClosedDay } from './book-appointment.ts';
import { getDayList } from './get-day-list.ts';
import { forgetFullSlots } from './full-slot-hint.ts';

export async function changeCapacity(db: Kysely<DB>, p: Principal, input: CapacityChangeInput, actor: AuditActor, opts: { now?: Date } = {}): Promise<StaffDayList> {
  const now = opts.now ?? new Date();
  const s = await requireServiceForStaff(db, p, input.serviceCode, 'appointment.manage');
  const day = requireDay(input.day);
  const startsAt = input.startsAt === undefined || input.startsAt === '' ? undefined : requireTime(input.startsAt);
  const capacity = input.capacity;
  const [, max] = SERVICE_LIMITS.capacity;
  if (!Number.isInteger(capacity) || capacity < 0 || capacity > max) throw new InvalidParameterError('capacity', `号源应为 0 到 ${max} 之间的整数`);
  if (day < chinaClock(now).day) throw new AppError('CONFLICT', '不能调整已过去日期的号源', 'day');
  const cal = await getWorkingCalendar(db);

  await db.transaction().execute(async (trx) => {
    const locked = await trx.selectFrom('appointment_services').selectAll().where('id', '=', s.id).forNoKeyUpdate().executeTakeFirstOrThrow();
    const closures = await loadClosures(trx, s.id, day, day);
    refuseClosedDay(dayOpening(locked, day, cal, closures.get(day)), day);
    const slots = deriveSlots(locked);
    const existing = await trx.selectFrom('appointment_slots').select(['starts_at', 'ends_at']).where('service_id', '=', s.id).where('day', '=', day).execute();
    let targets: { startsAt: string; endsAt: string }[];
    if (startsAt) {
      const one = slots.find((x) => x.startsAt === startsAt) ?? existing.map((r) => ({ startsAt: shortTime(r.starts_at), endsAt: shortTime(r.ends_at) })).find((x) => x.startsAt === startsAt);
      if (!one) throw new InvalidParameterError('startsAt', `该日没有 ${startsAt} 开始的时段`);
      targets = [one];
    } else targets = slots;
    if (!targets.length) throw new AppError('CONFLICT', '该日没有可调整的时段', 'day');
    await trx
      .insertInto('appointment_slots')
      .values(targets.map((x) => ({ service_id: s.id, day, starts_at: x.startsAt, ends_at: x.endsAt, capacity: locked.capacity })))
      .onConflict((oc) => oc.columns(['service_id', 'day', 'starts_at']).doNothing())
      .execute();
    const rows = await trx
      .selectFrom('appointment_slots')
      .select(['id', 'starts_at', 'capacity', 'taken'])
      .where('service_id', '=', s.id)
      .where('day', '=', day)
      .where('starts_at', 'in', targets.map((x) => x.startsAt))
      .orderBy('id')
      .forUpdate()
      .execute();
    const over = rows.find((r) => r.taken > capacity);
    if (over) throw new AppError('CONFLICT', `${shortTime(over.starts_at)} 时段已预约 ${over.taken} 人，号源不能少于已预约人数`, 'capacity');
    await trx
      .updateTable('appointment_slots')
      .set({ capacity })
      .where('id', 'in', rows.map((r) => r.id))
      .execute();
    await recordAuditEvent(trx, {
      action: 'appointment.capacity_changed',
      actor,
      target: { type: 'appointment_slot', id: `${s.code}/${day}${startsAt ? `/${startsAt}` : ''}` },
      details: {
        service: s.code,
        day,
        startsAt: startsAt ?? null,
        from: startsAt ? rows[0]!.capacity : Object.fromEntries(rows.map((r) => [shortTime(r.starts_at), r.capacity])),
        to: capacity,
      },
    });
  });
  forgetFullSlots(s.id); // places may have been added
  return getDayList(db, p, s.code, day);
}
