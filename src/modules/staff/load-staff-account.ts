/** A staff account with its department, for the operations that act on one. */
import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { NotFoundError } from '../../shared/errors.ts';
import type { DepartmentRef } from './staff.types.ts';

export interface StaffAccount {
  id: string;
  staffNo: string;
  name: string;
  mobile: string | null;
  status: 'active' | 'disabled';
  createdAt: Date;
  department: DepartmentRef;
}

export async function loadStaffAccount(db: Kysely<DB> | Transaction<DB>, id: string): Promise<StaffAccount> {
  const r = await db
    .selectFrom('accounts as a')
    .innerJoin('departments as d', 'd.id', 'a.department_id')
    .select(['a.id', 'a.staff_no', 'a.name', 'a.mobile', 'a.status', 'a.created_at', 'd.id as dept_id', 'd.credit_code', 'd.name as dept_name', 'd.kind', 'd.region_code'])
    .where('a.id', '=', id)
    .where('a.kind', '=', 'staff')
    .executeTakeFirst();
  if (!r) throw new NotFoundError('未找到该工作人员', 'id');
  return {
    id: r.id,
    staffNo: r.staff_no ?? '',
    name: r.name,
    mobile: r.mobile,
    status: r.status,
    createdAt: r.created_at,
    department: { id: r.dept_id, code: r.credit_code, name: r.dept_name, kind: r.kind, regionCode: r.region_code },
  };
}
