/** One staff member, with roles, for an administrator whose `staff.read` scope covers their department. */
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';
import type { Principal } from '../access/principal.ts';
import type { AuditActor } from '../audit/audit.types.ts';
import { maskMobile } from '../identity/identity.validation.ts';
import { assertCanRecorded } from './assert-can-recorded.ts';
import { scopeOf } from './department-scope.ts';
import { loadRoleViews } from './load-role-views.ts';
import { loadStaffAccount } from './load-staff-account.ts';
import type { StaffView } from './staff.types.ts';

export async function getStaff(db: Kysely<DB>, p: Principal, staffId: string, actor: AuditActor): Promise<StaffView> {
  const s = await loadStaffAccount(db, staffId);
  await assertCanRecorded(db, p, 'staff.read', scopeOf(s.department), { actor, target: { type: 'account', id: s.id } }, '您不能查看该部门的工作人员');
  const roles = await loadRoleViews(db, [s.id]);
  return {
    id: s.id,
    staffNo: s.staffNo,
    name: s.name,
    mobile: maskMobile(s.mobile),
    status: s.status,
    department: s.department,
    roles: roles.get(s.id) ?? [],
    createdAt: s.createdAt.toISOString(),
  };
}
