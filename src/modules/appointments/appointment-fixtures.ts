/**
 * Test support for appointments: a service row with overrides, the principals the operations take (built from
 * real accounts, so foreign keys hold), and an audit actor.
 */
import type { Insertable, Kysely } from 'kysely';
import type { AppointmentServiceTable, DB, StaffRole } from '../../db/schema.ts';
import type { StaffPrincipal } from '../access/principal.ts';
import type { AuditActor } from '../audit/audit.types.ts';
import { loadRoleGrants } from '../sessions/session-store.ts';
import { createTestPerson, createTestStaff, residentId } from '../../testing/fixture-accounts.ts';
import type { AppointmentPerson, Session } from './appointments.types.ts';
import { findService, type ServiceRow } from './appointment-service.ts';

let serial = 0;

export type ServiceOverrides = Partial<Omit<Insertable<AppointmentServiceTable>, 'sessions'>> & { sessions?: Session[] };

/**
 * A bookable service: by default a window of the first department of 330106, open every day 09:00–12:00 in
 * 30-minute slots of 5 places, bookable 7 days ahead from 08:00, one party.
 */
export async function createTestService(db: Kysely<DB>, o: ServiceOverrides = {}): Promise<ServiceRow> {
  serial++;
  const departmentId =
    o.department_id ?? (await db.selectFrom('departments').select('id').where('region_code', '=', '330106').orderBy('id').executeTakeFirstOrThrow()).id;
  const { sessions, ...rest } = o;
  const code = o.code ?? `test-service-${process.pid}-${serial}`;
  await db
    .insertInto('appointment_services')
    .values({
      kind: 'window',
      name: `测试预约服务${serial}`,
      region_code: '330106',
      open_days: 'every',
      slot_minutes: 30,
      capacity: 5,
      window_days: 7,
      opens_at: '08:00',
      updated_at: new Date(),
      ...rest,
      code,
      department_id: departmentId,
      sessions: JSON.stringify(sessions ?? [{ start: '09:00', end: '12:00' }]),
    })
    .execute();
  return (await findService(db, code))!;
}

/** A person account (no password: no argon2 cost) as the operations take it. */
export async function createTestBooker(db: Kysely<DB>, o: { name?: string; idNumber?: string } = {}): Promise<AppointmentPerson & { mobile: string }> {
  const p = await createTestPerson(db, { ...o, password: null });
  return { accountId: p.id, name: p.name, idNumber: p.idNumber, mobile: p.mobile };
}

/** A distinct valid resident ID per n (birth dates spread over years, so they never meet createTestPerson's). */
export function testIdNumber(n: number): string {
  return residentId('330106', `${1960 + Math.floor(n / 900)}0101`, 100 + (n % 900));
}

/** A staff account with roles in a department, as the principal a session would load. */
export async function createTestStaffPrincipal(
  db: Kysely<DB>,
  o: { staffNo: string; departmentId: number; roles: StaffRole[]; name?: string },
): Promise<StaffPrincipal> {
  const s = await createTestStaff(db, { staffNo: o.staffNo, departmentId: o.departmentId, name: o.name, roles: o.roles.map((role) => ({ role })) });
  const d = await db.selectFrom('departments').select(['kind', 'region_code']).where('id', '=', o.departmentId).executeTakeFirstOrThrow();
  return {
    kind: 'staff',
    accountId: s.id,
    name: o.name ?? `工作人员${o.staffNo}`,
    sessionId: 'test',
    csrfToken: 'test',
    authMethod: 'password',
    staffNo: o.staffNo,
    departmentId: o.departmentId,
    departmentKind: d.kind,
    regionCode: d.region_code,
    roles: await loadRoleGrants(db, s.id),
  };
}

export const TEST_ACTOR: AuditActor = { type: 'citizen', id: 'appointments-test' };
