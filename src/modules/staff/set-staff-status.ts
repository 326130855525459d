/**
 * 停用 / 启用工作人员账号. Disabling ends every session of the account at once (and sessions re-read the
 * account on every request anyway). Only someone who could grant every role the staff member holds may do it,
 * so a department administrator cannot lock out a platform administrator; nobody disables themselves.
 */
import { sql, type Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';
import type { Principal } from '../access/principal.ts';
import type { AuditActor } from '../audit/audit.types.ts';
import { recordAuditEvent } from '../audit/record-audit-event.ts';
import { endAccountSessions, loadRoleGrants } from '../sessions/session-store.ts';
import { AppError } from '../../shared/errors.ts';
import { assertCanRecorded, recordDenial } from './assert-can-recorded.ts';
import { scopeOf } from './department-scope.ts';
import { loadStaffAccount } from './load-staff-account.ts';
import { mayAssignRole } from './role-authority.ts';

export async function setStaffStatus(
  db: Kysely<DB>,
  p: Principal,
  input: { staffId: string; status: 'active' | 'disabled' },
  actor: AuditActor,
): Promise<{ sessionsEnded: number }> {
  const staff = await loadStaffAccount(db, input.staffId);
  const target = { type: 'account', id: staff.id };
  if (p.kind !== 'staff') throw await recordDenial(db, { actor, target }, { reason: 'not_staff', departmentId: staff.department.id });
  if (p.accountId === staff.id) throw await recordDenial(db, { actor, target }, { reason: 'self_status', departmentId: staff.department.id }, '不能停用或启用自己的账号');
  await assertCanRecorded(db, p, 'staff.manage', scopeOf(staff.department), { actor, target }, '您不能管理该部门的工作人员');
  const held = await loadRoleGrants(db, staff.id);
  if (held.some((g) => !mayAssignRole(p, g.role, g, g.includeLowerLevels))) {
    throw await recordDenial(db, { actor, target }, { permission: 'staff.manage', reason: 'holds_higher_role', departmentId: staff.department.id }, '该工作人员拥有您无权管理的角色');
  }
  return db.transaction().execute(async (trx) => {
    const r = await trx
      .updateTable('accounts')
      .set({ status: input.status, updated_at: sql`now()` })
      .where('id', '=', staff.id)
      .where('status', '!=', input.status)
      .executeTakeFirst();
    if (Number(r.numUpdatedRows) !== 1) {
      throw new AppError('CONFLICT', input.status === 'disabled' ? '该账号已是停用状态' : '该账号已是启用状态', 'status');
    }
    const sessionsEnded = input.status === 'disabled' ? await endAccountSessions(trx, staff.id) : 0;
    await recordAuditEvent(trx, {
      action: input.status === 'disabled' ? 'staff.disabled' : 'staff.enabled',
      actor,
      target,
      details: { staffNo: staff.staffNo, departmentId: staff.department.id, ...(input.status === 'disabled' ? { sessionsEnded } : {}) },
    });
    return { sessionsEnded };
  });
}
