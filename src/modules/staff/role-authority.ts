/**
 * Who may give (or take away) which staff role where. A role is assigned by a staff member holding
 * `staff.manage` through an assignment that covers the department, and only a role that assignment's role may
 * grant (`grantableRoles`: a department administrator never grants 平台管理员). 含下级 (include lower levels)
 * may be given only by someone whose own covering assignment includes lower levels, or a platform
 * administrator. Nobody changes their own roles.
 */
import type { StaffRole } from '../../db/schema.ts';
import { grantCovers } from '../access/authorize.ts';
import { grantableRoles, roleHas } from '../access/permissions.ts';
import type { DepartmentScope, Principal } from '../access/principal.ts';

export function mayAssignRole(p: Principal, role: StaffRole, scope: DepartmentScope, includeLowerLevels: boolean): boolean {
  if (p.kind !== 'staff') return false;
  return p.roles.some(
    (g) =>
      roleHas(g.role, 'staff.manage') &&
      grantCovers(g, scope) &&
      grantableRoles(g.role).includes(role) &&
      (!includeLowerLevels || g.role === 'platform_admin' || g.includeLowerLevels),
  );
}
