/**
 * Staff: 预约服务设置 — a department administrator creates a bookable service or changes its settings (opening
 * days and hours, slot length, places, booking window, limits). Every field is checked at once (the form shows
 * each error beside its field). Under the service row's lock, so no booking runs on the old settings beside it.
 *
 * When the default places per slot change, the slots from today on that still had the old default follow the
 * new one — never below what is taken there; slots staff changed on their own keep their places.
 */
import { sql, type Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';
import type { Principal } from '../access/principal.ts';
import { assertCan } from '../access/authorize.ts';
import type { AuditActor } from '../audit/audit.types.ts';
import { recordAuditEvent } from '../audit/record-audit-event.ts';
import { findDepartmentRef, scopeOf } from '../staff/department-scope.ts';
import { isUniqueViolation } from '../staff/db-errors.ts';
import { AppError, FieldErrorsError } from '../../shared/errors.ts';
import { APPOINTMENT_KINDS, SERVICE_CODE_PATTERN, SERVICE_LIMITS, type ServiceSettingsInput, type ServiceView, type Session } from './appointments.types.ts';
import { deriveSlots, findService, serviceView, type ServiceRow } from './appointment-service.ts';
import { chinaClock, isEndTime, isTimeOfDay, minutesOf } from './appointment-time.ts';
import { forgetFullSlots } from './full-slot-hint.ts';

const FORBIDDEN = '您无权管理该部门的预约服务';

type Checked = Required<Omit<ServiceSettingsInput, 'itemCode'>> & { itemCode: string | null };

function intIn(errors: { field: string; message: string }[], field: string, label: string, v: unknown, [min, max]: readonly [number, number]): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
    errors.push({ field, message: `${label}应为 ${min} 到 ${max} 之间的整数` });
    return min;
  }
  return v;
}

function text(errors: { field: string; message: string }[], field: string, label: string, v: unknown, max: number, required: boolean): string {
  const s = typeof v === 'string' ? v.trim() : '';
  if (required && !s) errors.push({ field, message: `请填写${label}` });
  else if ([...s].length > max) errors.push({ field, message: `${label}不能超过 ${max} 个字` });
  return s;
}

/** Checks every field; throws FieldErrorsError listing each problem. */
export function checkServiceSettings(input: ServiceSettingsInput, defaults: { regionCode: string }): Checked {
  const errors: { field: string; message: string }[] = [];
  const L = SERVICE_LIMITS;
  if (typeof input.code !== 'string' || !new RegExp(SERVICE_CODE_PATTERN).test(input.code)) errors.push({ field: 'code', message: '服务代码应为 3–64 位小写字母、数字或短横线' });
  if (!(input.kind in APPOINTMENT_KINDS)) errors.push({ field: 'kind', message: '请选择服务类型' });
  const name = text(errors, 'name', '服务名称', input.name, L.name, true);
  const place = text(errors, 'place', '办理地点', input.place ?? '', L.place, false);
  const notes = text(errors, 'notes', '须知', input.notes ?? '', L.notes, false);
  const regionCode = input.regionCode ?? defaults.regionCode;
  if (!/^[1-9][0-9]{5}$/.test(regionCode)) errors.push({ field: 'regionCode', message: '行政区划代码应为 6 位数字' });
  const itemCode = input.itemCode ? input.itemCode.trim() : null;
  if (itemCode && !/^[0-9A-Z]{1,36}$/.test(itemCode)) errors.push({ field: 'itemCode', message: '实施编码格式不正确' });
  if (input.openDays !== 'working' && input.openDays !== 'every') errors.push({ field: 'openDays', message: '请选择开放日（法定工作日或每天）' });
  const slotMinutes = intIn(errors, 'slotMinutes', '每个时段的分钟数', input.slotMinutes, L.slotMinutes);
  const sessions: Session[] = [];
  if (!Array.isArray(input.sessions) || input.sessions.length < 1 || input.sessions.length > L.sessions) {
    errors.push({ field: 'sessions', message: `请填写 1 到 ${L.sessions} 段开放时间` });
  } else {
    input.sessions.forEach((x, i) => {
      const start = x && typeof x.start === 'string' ? x.start : '';
      const end = x && typeof x.end === 'string' ? x.end : '';
      if (!isTimeOfDay(start)) errors.push({ field: `sessions.${i}.start`, message: '开始时间应为 HH:MM（如 09:00）' });
      else if (!isEndTime(end)) errors.push({ field: `sessions.${i}.end`, message: '结束时间应为 HH:MM（如 12:00）' });
      else if (minutesOf(end) <= minutesOf(start)) errors.push({ field: `sessions.${i}.end`, message: '结束时间应晚于开始时间' });
      else sessions.push({ start, end });
    });
    const sorted = [...sessions].sort((a, b) => minutesOf(a.start) - minutesOf(b.start));
    for (let i = 1; i < sorted.length; i++) {
      if (minutesOf(sorted[i]!.start) < minutesOf(sorted[i - 1]!.end)) {
        errors.push({ field: 'sessions', message: `开放时间 ${sorted[i - 1]!.start}–${sorted[i - 1]!.end} 与 ${sorted[i]!.start}–${sorted[i]!.end} 重叠` });
        break;
      }
    }
    if (sessions.length === input.sessions.length && !errors.some((e) => e.field === 'slotMinutes') && !deriveSlots({ sessions, slot_minutes: slotMinutes }).length) {
      errors.push({ field: 'sessions', message: `开放时间不足一个 ${slotMinutes} 分钟的时段` });
    }
  }
  const capacity = intIn(errors, 'capacity', '每个时段的号源', input.capacity, L.capacity);
  const windowDays = intIn(errors, 'windowDays', '提前预约天数', input.windowDays, L.windowDays);
  const opensAt = input.opensAt ?? '08:00';
  if (!isTimeOfDay(opensAt)) errors.push({ field: 'opensAt', message: '放号时间应为 HH:MM（如 08:00）' });
  const parties = input.parties ?? (input.kind === 'marriage' ? 2 : 1);
  if (parties !== 1 && parties !== 2) errors.push({ field: 'parties', message: '预约人数应为 1（本人）或 2（双方共同确认）' });
  const holdMinutes = intIn(errors, 'holdMinutes', '等待对方确认的分钟数', input.holdMinutes ?? 30, L.holdMinutes);
  const cancelHours = intIn(errors, 'cancelHours', '取消截止（时段开始前小时数）', input.cancelHours ?? 2, L.cancelHours);
  const noShowLimit = intIn(errors, 'noShowLimit', '爽约次数', input.noShowLimit ?? 3, L.noShowLimit);
  const noShowDays = intIn(errors, 'noShowDays', '爽约统计天数', input.noShowDays ?? 90, L.noShowDays);
  const barDays = intIn(errors, 'barDays', '限制预约天数', input.barDays ?? 30, L.barDays);
  const status = input.status ?? 'active';
  if (status !== 'active' && status !== 'suspended') errors.push({ field: 'status', message: '状态应为 active（开放）或 suspended（暂停）' });
  if (!Number.isInteger(input.departmentId) || input.departmentId < 1) errors.push({ field: 'departmentId', message: '请选择部门' });
  if (errors.length) throw new FieldErrorsError(errors);
  return {
    code: input.code,
    kind: input.kind,
    name,
    departmentId: input.departmentId,
    regionCode,
    itemCode,
    place,
    notes,
    openDays: input.openDays,
    sessions,
    slotMinutes,
    capacity,
    windowDays,
    opensAt,
    parties,
    holdMinutes,
    cancelHours,
    noShowLimit,
    noShowDays,
    barDays,
    status,
  };
}

/** The table's columns for checked settings (all but the code, the opening hours and the timestamps). */
export const columnsOf = (c: Checked) => ({
  kind: c.kind,
  name: c.name,
  department_id: c.departmentId,
  region_code: c.regionCode,
  item_code: c.itemCode,
  place: c.place,
  notes: c.notes,
  open_days: c.openDays,
  slot_minutes: c.slotMinutes,
  capacity: c.capacity,
  window_days: c.windowDays,
  opens_at: c.opensAt,
  parties: c.parties,
  hold_minutes: c.holdMinutes,
  cancel_hours: c.cancelHours,
  no_show_limit: c.noShowLimit,
  no_show_days: c.noShowDays,
  bar_days: c.barDays,
  status: c.status,
});

/** The settings that changed, as { field: { from, to } } in the API's names. */
function changesOf(before: ServiceView, after: Checked): Record<string, { from: unknown; to: unknown }> {
  const out: Record<string, { from: unknown; to: unknown }> = {};
  for (const k of Object.keys(after) as (keyof Checked)[]) {
    if (k === 'code') continue;
    const from = (before as unknown as Record<string, unknown>)[k];
    const to = after[k];
    if (JSON.stringify(from) !== JSON.stringify(to)) out[k] = { from, to };
  }
  return out;
}

export async function saveService(
  db: Kysely<DB>,
  p: Principal,
  input: ServiceSettingsInput,
  actor: AuditActor,
  opts: { now?: Date } = {},
): Promise<{ service: ServiceView; created: boolean }> {
  const now = opts.now ?? new Date();
  const dept = Number.isInteger(input.departmentId) ? await findDepartmentRef(db, { id: input.departmentId }) : undefined;
  if (!dept) throw new FieldErrorsError([{ field: 'departmentId', message: '部门不存在' }]);
  assertCan(p, 'appointment.manage', scopeOf(dept), FORBIDDEN);
  const c = checkServiceSettings(input, { regionCode: dept.regionCode });
  const existing = await findService(db, c.code);
  if (existing && existing.department_id !== dept.id) {
    const old = await findDepartmentRef(db, { id: existing.department_id });
    assertCan(p, 'appointment.manage', old && scopeOf(old), FORBIDDEN);
  }

  try {
    const created = await db.transaction().execute(async (trx) => {
      const locked = existing && (await trx.selectFrom('appointment_services').select(['id', 'capacity']).where('id', '=', existing.id).forNoKeyUpdate().executeTakeFirstOrThrow());
      if (!locked) {
        await trx
          .insertInto('appointment_services')
          .values({ code: c.code, ...columnsOf(c), sessions: JSON.stringify(c.sessions), created_at: now, updated_at: now })
          .execute();
        await recordAuditEvent(trx, { action: 'appointment.service_saved', actor, target: { type: 'appointment_service', id: c.code }, details: { created: true, settings: { ...c } } });
        return true;
      }
      const changes = changesOf(serviceView(existing as ServiceRow), c);
      await trx
        .updateTable('appointment_services')
        .set({ ...columnsOf(c), sessions: JSON.stringify(c.sessions), updated_at: now })
        .where('id', '=', locked.id)
        .execute();
      let slotsFollowing = 0;
      if (c.capacity !== locked.capacity) {
        const follow = await trx
          .selectFrom('appointment_slots')
          .select('id')
          .where('service_id', '=', locked.id)
          .where('day', '>=', chinaClock(now).day)
          .where('capacity', '=', locked.capacity)
          .orderBy('id')
          .forUpdate()
          .execute();
        if (follow.length) {
          await trx
            .updateTable('appointment_slots')
            .set({ capacity: sql`GREATEST(taken, ${c.capacity}::integer)` })
            .where('id', 'in', follow.map((r) => r.id))
            .execute();
        }
        slotsFollowing = follow.length;
      }
      await recordAuditEvent(trx, {
        action: 'appointment.service_saved',
        actor,
        target: { type: 'appointment_service', id: c.code },
        details: { changes, ...(slotsFollowing ? { slotsFollowing } : {}) },
      });
      return false;
    });
    if (existing) forgetFullSlots(existing.id); // capacity, sessions or status may have changed
    const saved = await findService(db, c.code);
    return { service: serviceView(saved!), created };
  } catch (err) {
    if (isUniqueViolation(err)) throw new AppError('CONFLICT', '该服务代码已被使用，请换一个', 'code');
    throw err;
  }
}

