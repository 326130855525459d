/** 工作人员名单: staff of the departments in the principal's `staff.read` scope, with their roles. */
import { sql, type Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { paginate } from '../../db/paginate.ts';
import { departmentsInScope } from '../access/authorize.ts';
import type { Principal } from '../access/principal.ts';
import { maskMobile } from '../identity/identity.validation.ts';
import { loadRoleViews } from './load-role-views.ts';
import type { Page, StaffView } from './staff.types.ts';

export interface ListStaffInput {
  department?: string; // credit code
  name?: string; // part of the name or the staff number
  page: number;
  size: number;
}

export async function listStaff(db: Kysely<DB>, p: Principal, input: ListStaffInput): Promise<Page<StaffView>> {
  const ids = await departmentsInScope(db, p, 'staff.read');
  const empty = { total: 0, page: input.page, size: input.size, items: [] };
  if (!ids.length) return empty;
  const name = input.name?.trim();
  const base = db
    .selectFrom('accounts as a')
    .innerJoin('departments as d', 'd.id', 'a.department_id')
    .where('a.kind', '=', 'staff')
    .where('a.department_id', 'in', ids)
    .$if(!!input.department, (q) => q.where('d.credit_code', '=', input.department!))
    .$if(!!name, (q) => q.where((eb) => eb.or([eb(sql`strpos(a.name, ${name})`, '>', 0), eb('a.staff_no', '=', name!.toUpperCase())])));
  const { rows, ...pageInfo } = await paginate(base, input, (q) =>
    q
      .select(['a.id', 'a.staff_no', 'a.name', 'a.mobile', 'a.status', 'a.created_at', 'd.id as dept_id', 'd.credit_code', 'd.name as dept_name', 'd.kind', 'd.region_code'])
      .orderBy('d.region_code')
      .orderBy('d.id')
      .orderBy('a.staff_no'),
  );
  if (!pageInfo.total) return empty;
  const roles = await loadRoleViews(db, rows.map((r) => r.id));
  return {
    ...pageInfo,
    items: rows.map((r) => ({
      id: r.id,
      staffNo: r.staff_no ?? '',
      name: r.name,
      mobile: maskMobile(r.mobile),
      status: r.status,
      department: { id: r.dept_id, code: r.credit_code, name: r.dept_name, kind: r.kind, regionCode: r.region_code },
      roles: roles.get(r.id) ?? [],
      createdAt: new Date(r.created_at).toISOString(),
    })),
  };
}
