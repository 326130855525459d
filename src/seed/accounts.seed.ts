/**
 * Demo accounts (演示账号), written with the demo catalogue so a newcomer can sign in at once as a citizen, as
 * window, review and approval staff, as department administrators and as the platform administrator.
 * They exist only in demo data (`yiwang seed`, or `start` on an empty database); README.md lists them.
 */
import type { Transaction } from 'kysely';
import type { DB, StaffRole } from '../db/schema.ts';
import type { DepartmentKind } from '../modules/catalogue/catalogue.types.ts';
import { hashPassword } from '../modules/identity/passwords.ts';

export const DEMO_PASSWORD = 'Yiwang#2026';

export const DEMO_PERSONS = [
  { name: '王芳', idNumber: '330106199003071527', mobile: '13800000001' },
  { name: '李建国', idNumber: '330122196505203514', mobile: '13800000002' },
] as const;

export interface DemoStaff {
  staffNo: string; // 工号
  name: string;
  region: string;
  kind: DepartmentKind;
  roles: StaffRole[];
  includeLowerLevels?: boolean;
}

export const DEMO_STAFF: DemoStaff[] = [
  { staffNo: 'XH0001', name: '陈静', region: '330106', kind: 'market_regulation', roles: ['window_clerk'] },
  { staffNo: 'XH0002', name: '刘洋', region: '330106', kind: 'market_regulation', roles: ['reviewer'] },
  { staffNo: 'XH0003', name: '赵敏', region: '330106', kind: 'market_regulation', roles: ['approver'] },
  { staffNo: 'XH0009', name: '孙伟', region: '330106', kind: 'market_regulation', roles: ['department_admin', 'data_steward'] },
  { staffNo: 'XH1001', name: '周婷', region: '330106', kind: 'civil_affairs', roles: ['window_clerk'] },
  { staffNo: 'KS0009', name: '冯丽', region: '330000', kind: 'exam_authority', roles: ['department_admin', 'data_steward'] },
  { staffNo: 'XH1009', name: '何丽', region: '330106', kind: 'civil_affairs', roles: ['department_admin'] },
  { staffNo: 'TL0001', name: '吴磊', region: '330122', kind: 'market_regulation', roles: ['window_clerk'] },
  { staffNo: 'HZ0009', name: '郑华', region: '330100', kind: 'market_regulation', roles: ['department_admin'], includeLowerLevels: true },
  { staffNo: 'ZJ0001', name: '钱进', region: '330000', kind: 'development_reform', roles: ['platform_admin'] },
  // the province's 公安厅: provides 户籍人口 to the exchange and answers conditional share requests for it
  { staffNo: 'GA0009', name: '马骏', region: '330000', kind: 'public_security', roles: ['data_steward'] },
  // the province's 发改委: drafts the enterprise-investment negative list (负面清单)
  { staffNo: 'ZJ0009', name: '林涛', region: '330000', kind: 'development_reform', roles: ['department_admin'] },
];

/** Writes the demo accounts inside the seeding transaction; staff whose department is not seeded are skipped. */
export async function seedDemoAccounts(trx: Transaction<DB>, deptIds: Map<string, number>): Promise<number> {
  let written = 0;
  for (const p of DEMO_PERSONS) {
    await trx
      .insertInto('accounts')
      .values({ kind: 'person', name: p.name, id_number: p.idNumber, mobile: p.mobile, password_hash: await hashPassword(DEMO_PASSWORD), status: 'active', staff_no: null, department_id: null })
      .execute();
    written++;
  }
  for (const s of DEMO_STAFF) {
    const departmentId = deptIds.get(`${s.region}:${s.kind}`);
    if (departmentId === undefined) continue;
    const row = await trx
      .insertInto('accounts')
      .values({ kind: 'staff', name: s.name, staff_no: s.staffNo, department_id: departmentId, password_hash: await hashPassword(DEMO_PASSWORD), status: 'active', mobile: null, id_number: null })
      .returning('id')
      .executeTakeFirstOrThrow();
    for (const role of s.roles) {
      await trx
        .insertInto('role_assignments')
        .values({ account_id: row.id, role, department_id: departmentId, include_lower_levels: s.includeLowerLevels ?? false, granted_by: 'seed' })
        .execute();
    }
    written++;
  }
  return written;
}
