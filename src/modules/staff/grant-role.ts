/** 授予角色: gives a staff member a role within a department (and, if stated and allowed, the levels below). */
import type { Kysely } from 'kysely';
import type { DB, StaffRole } from '../../db/schema.ts';
import type { Principal } from '../access/principal.ts';
import type { AuditActor } from '../audit/audit.types.ts';
import { recordAuditEvent } from '../audit/record-audit-event.ts';
import { normaliseCreditCode } from '../identity/identity.validation.ts';
import { AppError, InvalidParameterError } from '../../shared/errors.ts';
import { assertCanRecorded, recordDenial } from './assert-can-recorded.ts';
import { findDepartmentRef, scopeOf } from './department-scope.ts';
import { loadStaffAccount } from './load-staff-account.ts';
import { mayAssignRole } from './role-authority.ts';
import { isUniqueViolation } from './db-errors.ts';

export interface GrantRoleInput {
  staffId: string;
  role: StaffRole;
  department?: string; // credit code; default: the staff member's own department
  includeLowerLevels?: boolean;
}

const duplicate = () => new AppError('CONFLICT', '该工作人员在该部门已有此角色', 'role');

export async function grantRole(db: Kysely<DB>, p: Principal, input: GrantRoleInput, actor: AuditActor): Promise<{ id: string }> {
  const staff = await loadStaffAccount(db, input.staffId);
  const target = { type: 'account', id: staff.id };
  let department = staff.department;
  if (input.department) {
    const found = await findDepartmentRef(db, { code: normaliseCreditCode(input.department, 'department') });
    if (!found) throw new InvalidParameterError('department', '未找到该统一社会信用代码对应的部门');
    department = found;
  }
  const includeLowerLevels = input.includeLowerLevels ?? false;
  if (p.kind !== 'staff') throw await recordDenial(db, { actor, target }, { reason: 'not_staff', departmentId: department.id });
  if (p.accountId === staff.id) throw await recordDenial(db, { actor, target }, { reason: 'self_grant', departmentId: department.id }, '不能给自己授予角色');
  await assertCanRecorded(db, p, 'staff.manage', scopeOf(staff.department), { actor, target }, '您不能管理该部门的工作人员');
  if (!mayAssignRole(p, input.role, scopeOf(department), includeLowerLevels)) {
    throw await recordDenial(
      db,
      { actor, target },
      { permission: 'staff.manage', reason: includeLowerLevels ? 'role_or_lower_levels_not_grantable' : 'role_not_grantable', departmentId: department.id },
      includeLowerLevels ? '您不能在该部门授予此角色（含下级）' : '您不能在该部门授予此角色',
    );
  }
  try {
    return await db.transaction().execute(async (trx) => {
      const existing = await trx
        .selectFrom('role_assignments')
        .select('id')
        .where('account_id', '=', staff.id)
        .where('role', '=', input.role)
        .where('department_id', '=', department.id)
        .where('revoked_at', 'is', null)
        .executeTakeFirst();
      if (existing) throw duplicate();
      const row = await trx
        .insertInto('role_assignments')
        .values({ account_id: staff.id, role: input.role, department_id: department.id, include_lower_levels: includeLowerLevels, granted_by: p.accountId })
        .returning('id')
        .executeTakeFirstOrThrow();
      await recordAuditEvent(trx, {
        action: 'staff.role_granted',
        actor,
        target,
        details: { assignmentId: row.id, role: input.role, departmentId: department.id, departmentCode: department.code, includeLowerLevels },
      });
      return { id: row.id };
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw duplicate();
    throw err;
  }
}
