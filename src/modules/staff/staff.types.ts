/** What the staff administration returns: staff members (工作人员), their role assignments and departments. */
import type { AccountTable, StaffRole } from '../../db/schema.ts';
import type { DepartmentKind } from '../catalogue/catalogue.types.ts';

/** A department as the administration pages name it. */
export interface DepartmentRef {
  id: number;
  code: string; // 统一社会信用代码
  name: string;
  kind: DepartmentKind;
  regionCode: string;
}

/** One active role assignment of a staff member. */
export interface RoleView {
  id: string;
  role: StaffRole;
  roleLabel: string;
  department: DepartmentRef;
  includeLowerLevels: boolean; // 含下级
  grantedAt: string;
}

export interface StaffView {
  id: string;
  staffNo: string; // 工号
  name: string;
  mobile: string | null; // masked: 138****5678
  status: AccountTable['status'];
  department: DepartmentRef;
  roles: RoleView[];
  createdAt: string;
}

export interface Page<T> {
  total: number;
  page: number;
  size: number;
  items: T[];
}
