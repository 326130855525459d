/**
 * A service's rows and its calendar: which days open (the official working calendar or every day, minus
 * closures), which slots a day has (sessions cut into slot_minutes), when a day opens for booking, and the
 * staff scope of the service's department. Shared by every appointment operation.
 */
import type { Kysely, Selectable } from 'kysely';
import type { AppointmentServiceTable, AppointmentSlotTable, DB } from '../../db/schema.ts';
import type { Principal } from '../access/principal.ts';
import type { Permission } from '../access/permissions.ts';
import { can } from '../access/authorize.ts';
import type { WorkingCalendar } from '../calendar/working-calendar.ts';
import { findDepartmentRef, scopeOf } from '../staff/department-scope.ts';
import { ForbiddenError, InvalidParameterError, NotFoundError } from '../../shared/errors.ts';
import { APPOINTMENT_KINDS, SERVICE_CODE_PATTERN, type DayOpening, type ServiceView, type Session } from './appointments.types.ts';
import { addDays, chinaInstant, hhmm, minutesOf, shortTime } from './appointment-time.ts';

export type ServiceRow = Selectable<AppointmentServiceTable> & { department_name: string };
export type SlotRow = Selectable<AppointmentSlotTable>;
/** The database or a transaction on it (a Transaction is a Kysely). */
type Db = Kysely<DB>;

export const SERVICE_NOT_FOUND = '预约服务不存在';
const CODE_RE = new RegExp(SERVICE_CODE_PATTERN);

export async function findService(db: Db, code: string): Promise<ServiceRow | undefined> {
  if (!CODE_RE.test(code)) return undefined;
  return db
    .selectFrom('appointment_services as s')
    .innerJoin('departments as d', 'd.id', 's.department_id')
    .selectAll('s')
    .select('d.name as department_name')
    .where('s.code', '=', code)
    .executeTakeFirst();
}

/** A service code as given, or 400 naming the field when it cannot be one. */
export function checkServiceCode(code: unknown, field = 'serviceCode'): string {
  if (typeof code !== 'string' || !CODE_RE.test(code)) throw new InvalidParameterError(field, '服务代码格式不正确（3–64 位小写字母、数字或短横线）');
  return code;
}

/** The service, or 404 naming the field the code came in. */
export async function requireService(db: Db, code: string, field = 'serviceCode'): Promise<ServiceRow> {
  checkServiceCode(code, field);
  const s = await findService(db, code);
  if (!s) throw new NotFoundError(SERVICE_NOT_FOUND, field);
  return s;
}

export function serviceView(s: ServiceRow): ServiceView {
  return {
    code: s.code,
    kind: s.kind,
    kindLabel: APPOINTMENT_KINDS[s.kind],
    name: s.name,
    departmentId: s.department_id,
    departmentName: s.department_name,
    regionCode: s.region_code,
    itemCode: s.item_code,
    place: s.place,
    notes: s.notes,
    openDays: s.open_days,
    sessions: s.sessions.map((x) => ({ start: x.start, end: x.end })),
    slotMinutes: s.slot_minutes,
    capacity: s.capacity,
    windowDays: s.window_days,
    opensAt: shortTime(s.opens_at),
    parties: s.parties,
    holdMinutes: s.hold_minutes,
    cancelHours: s.cancel_hours,
    noShowLimit: s.no_show_limit,
    noShowDays: s.no_show_days,
    barDays: s.bar_days,
    status: s.status,
  };
}

/** The slots of an open day: each session cut into slot_minutes pieces (a remainder shorter than a slot is dropped). */
export function deriveSlots(s: { sessions: Session[]; slot_minutes: number }): { startsAt: string; endsAt: string }[] {
  const out: { startsAt: string; endsAt: string }[] = [];
  const sessions = [...s.sessions].sort((a, b) => minutesOf(a.start) - minutesOf(b.start));
  for (const x of sessions) {
    const end = minutesOf(x.end);
    for (let m = minutesOf(x.start); m + s.slot_minutes <= end; m += s.slot_minutes) out.push({ startsAt: hhmm(m), endsAt: hhmm(m + s.slot_minutes) });
  }
  return out;
}

/** How the calendar opens a day: a closure first, then the official calendar for 'working' services. */
export function dayOpening(s: Pick<ServiceRow, 'open_days'>, day: string, cal: WorkingCalendar, closureReason?: string): DayOpening {
  if (closureReason !== undefined) return { status: 'closed', reason: closureReason };
  if (s.open_days === 'every' || cal.isWorkingDay(day)) return { status: 'open' };
  const holiday = cal.holidayName(day);
  return holiday ? { status: 'holiday', holidayName: holiday } : { status: 'rest' };
}

/** Day D opens for booking at (D − window_days) at opens_at, China time. */
export function windowOpensAt(s: Pick<ServiceRow, 'window_days' | 'opens_at'>, day: string): Date {
  return chinaInstant(addDays(day, -s.window_days), shortTime(s.opens_at));
}

/** The latest moment a booking may still be cancelled: cancel_hours before the slot starts. */
export function cancelDeadline(s: Pick<ServiceRow, 'cancel_hours'>, day: string, startsAt: string): Date {
  return new Date(chinaInstant(day, startsAt).getTime() - s.cancel_hours * 3_600_000);
}

/** Closures of a service in [from, to], by day. */
export async function loadClosures(db: Db, serviceId: number, from: string, to: string): Promise<Map<string, string>> {
  const rows = await db.selectFrom('appointment_closures').select(['day', 'reason']).where('service_id', '=', serviceId).where('day', '>=', from).where('day', '<=', to).execute();
  return new Map(rows.map((r) => [r.day, r.reason]));
}

/** Slot rows (booked or changed) of a service in [from, to], by day and then 'HH:MM'. */
export async function loadSlotRows(db: Db, serviceId: number, from: string, to: string): Promise<Map<string, Map<string, SlotRow>>> {
  const rows = await db.selectFrom('appointment_slots').selectAll().where('service_id', '=', serviceId).where('day', '>=', from).where('day', '<=', to).execute();
  const out = new Map<string, Map<string, SlotRow>>();
  for (const r of rows) {
    let m = out.get(r.day);
    if (!m) out.set(r.day, (m = new Map()));
    m.set(shortTime(r.starts_at), r);
  }
  return out;
}

/** Does the staff member hold `permission` for the service's department? */
export async function staffCan(db: Db, p: Principal, s: ServiceRow, permission: Permission): Promise<boolean> {
  if (!can(p, permission)) return false;
  const ref = await findDepartmentRef(db, { id: s.department_id });
  return !!ref && can(p, permission, scopeOf(ref));
}

/** A service for a staff operation: 404 if unknown, 403 outside the staff member's departments. */
export async function requireServiceForStaff(db: Kysely<DB>, p: Principal, code: string, permission: Permission | Permission[]): Promise<ServiceRow> {
  const s = await requireService(db, code);
  const wanted = Array.isArray(permission) ? permission : [permission];
  for (const perm of wanted) if (await staffCan(db, p, s, perm)) return s;
  throw new ForbiddenError('您无权管理该预约服务（不在您所在部门的权限范围内）');
}
