/**
 * 新增工作人员: a department administrator creates a staff account in a department within their scope, with an
 * initial password the staff member is told to change at first sign-in. No roles yet: they are granted apart.
 */
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';
import type { Principal } from '../access/principal.ts';
import type { AuditActor } from '../audit/audit.types.ts';
import { recordAuditEvent } from '../audit/record-audit-event.ts';
import { checkPasswordStrength, hashPassword } from '../identity/passwords.ts';
import { normaliseCreditCode, normaliseMobile, normaliseName } from '../identity/identity.validation.ts';
import { AppError, InvalidParameterError } from '../../shared/errors.ts';
import { assertCanRecorded } from './assert-can-recorded.ts';
import { findDepartmentRef, scopeOf } from './department-scope.ts';
import { normaliseStaffNo } from './staff.validation.ts';
import { isUniqueViolation } from './db-errors.ts';

export interface CreateStaffInput {
  staffNo: string;
  name: string;
  mobile: string;
  department: string; // credit code
  password: string;
}

const taken = () => new AppError('CONFLICT', '该工号已被使用', 'staffNo');

export async function createStaff(db: Kysely<DB>, p: Principal, input: CreateStaffInput, actor: AuditActor): Promise<{ id: string; staffNo: string }> {
  const staffNo = normaliseStaffNo(input.staffNo);
  const name = normaliseName(input.name);
  const mobile = normaliseMobile(input.mobile);
  const code = normaliseCreditCode(input.department, 'department');
  const department = await findDepartmentRef(db, { code });
  if (!department) throw new InvalidParameterError('department', '未找到该统一社会信用代码对应的部门');
  await assertCanRecorded(db, p, 'staff.manage', scopeOf(department), { actor, target: { type: 'department', id: department.code } }, '您不能在该部门新增工作人员');
  checkPasswordStrength(input.password, { mobile });
  const passwordHash = await hashPassword(input.password); // slow: before the transaction
  try {
    return await db.transaction().execute(async (trx) => {
      const existing = await trx.selectFrom('accounts').select('id').where('kind', '=', 'staff').where('staff_no', '=', staffNo).executeTakeFirst();
      if (existing) throw taken();
      const row = await trx
        .insertInto('accounts')
        .values({ kind: 'staff', name, staff_no: staffNo, mobile, department_id: department.id, password_hash: passwordHash, status: 'active', id_number: null })
        .returning('id')
        .executeTakeFirstOrThrow();
      await recordAuditEvent(trx, {
        action: 'staff.created',
        actor,
        target: { type: 'account', id: row.id },
        details: { staffNo, departmentId: department.id, departmentCode: department.code },
      });
      return { id: row.id, staffNo };
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw taken(); // a concurrent creation with the same number
    throw err;
  }
}
