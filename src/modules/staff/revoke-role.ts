/** 撤销角色: ends a role assignment. Taking a role away needs the same authority as giving it. */
import { sql, type Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';
import type { Principal } from '../access/principal.ts';
import type { AuditActor } from '../audit/audit.types.ts';
import { recordAuditEvent } from '../audit/record-audit-event.ts';
import { AppError, NotFoundError } from '../../shared/errors.ts';
import { assertCanRecorded, recordDenial } from './assert-can-recorded.ts';
import { scopeOf } from './department-scope.ts';
import { loadStaffAccount } from './load-staff-account.ts';
import { mayAssignRole } from './role-authority.ts';

export async function revokeRole(db: Kysely<DB>, p: Principal, input: { staffId: string; assignmentId: string }, actor: AuditActor): Promise<void> {
  const staff = await loadStaffAccount(db, input.staffId);
  const target = { type: 'account', id: staff.id };
  const a = await db
    .selectFrom('role_assignments as ra')
    .innerJoin('departments as d', 'd.id', 'ra.department_id')
    .select(['ra.id', 'ra.role', 'ra.include_lower_levels', 'd.id as dept_id', 'd.credit_code', 'd.kind', 'd.region_code'])
    .where('ra.id', '=', input.assignmentId)
    .where('ra.account_id', '=', staff.id)
    .where('ra.revoked_at', 'is', null)
    .executeTakeFirst();
  if (!a) throw new NotFoundError('未找到该工作人员的这项角色', 'roleId');
  if (p.kind !== 'staff') throw await recordDenial(db, { actor, target }, { reason: 'not_staff', departmentId: a.dept_id });
  if (p.accountId === staff.id) throw await recordDenial(db, { actor, target }, { reason: 'self_revoke', departmentId: a.dept_id }, '不能撤销自己的角色，请由其他管理员办理');
  await assertCanRecorded(db, p, 'staff.manage', scopeOf(staff.department), { actor, target }, '您不能管理该部门的工作人员');
  const scope = { departmentId: a.dept_id, departmentKind: a.kind, regionCode: a.region_code };
  if (!mayAssignRole(p, a.role, scope, a.include_lower_levels)) {
    throw await recordDenial(db, { actor, target }, { permission: 'staff.manage', reason: 'role_not_revocable', departmentId: a.dept_id }, '您不能撤销此角色');
  }
  await db.transaction().execute(async (trx) => {
    const r = await trx
      .updateTable('role_assignments')
      .set({ revoked_at: sql`now()`, revoked_by: p.accountId })
      .where('id', '=', a.id)
      .where('revoked_at', 'is', null)
      .executeTakeFirst();
    if (Number(r.numUpdatedRows) !== 1) throw new AppError('CONFLICT', '该角色已被撤销', 'roleId');
    await recordAuditEvent(trx, {
      action: 'staff.role_revoked',
      actor,
      target,
      details: { assignmentId: a.id, role: a.role, departmentId: a.dept_id, departmentCode: a.credit_code, includeLowerLevels: a.include_lower_levels },
    });
  });
}
