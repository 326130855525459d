/**
 * Accounts for tests, written straight to the tables (registration by SMS code is tested on its own), and a
 * sign-in through the API that returns what later requests need: the session cookie and the CSRF token.
 */
import type { FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';
import type { DB, StaffRole } from '../db/schema.ts';
import { residentIdCheckChar } from '../shared/codes/resident-id.ts';
import { hashPassword } from '../modules/identity/passwords.ts';

export const TEST_PASSWORD = 'Yiwang#2026a';

let passwordHash: Promise<string> | undefined;
const testHash = () => (passwordHash ??= hashPassword(TEST_PASSWORD));

/** A valid 18-digit resident ID: area, birth date (YYYYMMDD) and a three-digit sequence. */
export function residentId(area = '330106', birth = '19900307', seq = 123): string {
  const first17 = `${area}${birth}${String(seq).padStart(3, '0')}`;
  return first17 + residentIdCheckChar(first17);
}

let serial = 0;

export async function createTestPerson(
  db: Kysely<DB>,
  o: { name?: string; idNumber?: string; mobile?: string; password?: string | null } = {},
): Promise<{ id: string; idNumber: string; mobile: string; name: string }> {
  serial++;
  const idNumber = o.idNumber ?? residentId('330106', '19900307', serial % 1000);
  const mobile = o.mobile ?? `139${String(10_000_000 + serial * 7919).slice(-8)}`;
  const name = o.name ?? `测试${'甲乙丙丁戊己庚辛壬癸'[serial % 10]}${serial}`;
  const row = await db
    .insertInto('accounts')
    .values({
      kind: 'person',
      name,
      id_number: idNumber,
      mobile,
      password_hash: o.password === null ? null : o.password ? await hashPassword(o.password) : await testHash(),
      status: 'active',
      staff_no: null,
      department_id: null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return { id: row.id, idNumber, mobile, name };
}

/** A department's id by its credit code, or the first department of a region and kind. */
export async function findDepartment(db: Kysely<DB>, where: { regionCode: string; kind?: string }): Promise<{ id: number; creditCode: string; name: string }> {
  let q = db.selectFrom('departments').select(['id', 'credit_code', 'name']).where('region_code', '=', where.regionCode);
  if (where.kind) q = q.where('kind', '=', where.kind as never);
  const d = await q.orderBy('id').executeTakeFirstOrThrow();
  return { id: d.id, creditCode: d.credit_code, name: d.name };
}

export async function createTestStaff(
  db: Kysely<DB>,
  o: { staffNo: string; departmentId: number; roles: { role: StaffRole; departmentId?: number; includeLowerLevels?: boolean }[]; name?: string; status?: 'active' | 'disabled' },
): Promise<{ id: string; staffNo: string }> {
  const row = await db
    .insertInto('accounts')
    .values({
      kind: 'staff',
      name: o.name ?? `工作人员${o.staffNo}`,
      staff_no: o.staffNo,
      department_id: o.departmentId,
      mobile: null,
      id_number: null,
      password_hash: await testHash(),
      status: o.status ?? 'active',
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  for (const r of o.roles) {
    await db
      .insertInto('role_assignments')
      .values({ account_id: row.id, role: r.role, department_id: r.departmentId ?? o.departmentId, include_lower_levels: r.includeLowerLevels ?? false, granted_by: 'test' })
      .execute();
  }
  return { id: row.id, staffNo: o.staffNo };
}

export interface TestSession {
  cookie: string; // "yw_session=…" for the Cookie header
  csrfToken: string;
  /** Headers for a request as this session: the cookie, and the CSRF token for unsafe methods. */
  headers: Record<string, string>;
}

/** Signs in through POST /api/v1/auth/login. */
export async function signInForTest(app: FastifyInstance, o: { kind: 'person' | 'staff'; identifier: string; password?: string }): Promise<TestSession> {
  const res = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { kind: o.kind, identifier: o.identifier, password: o.password ?? TEST_PASSWORD } });
  if (res.statusCode !== 200) throw new Error(`sign-in failed: ${res.statusCode} ${res.body}`);
  const c = res.cookies.find((x) => x.name === 'yw_session');
  if (!c) throw new Error('no session cookie');
  const { csrfToken } = res.json() as { csrfToken: string };
  const cookie = `yw_session=${c.value}`;
  return { cookie, csrfToken, headers: { cookie, 'x-csrf-token': csrfToken } };
}
