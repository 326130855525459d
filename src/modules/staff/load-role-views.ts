/** The active role assignments of some staff accounts, with their departments named. */
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { ROLES } from '../access/permissions.ts';
import type { RoleView } from './staff.types.ts';

export async function loadRoleViews(db: Kysely<DB>, accountIds: string[]): Promise<Map<string, RoleView[]>> {
  const out = new Map<string, RoleView[]>(accountIds.map((id) => [id, []]));
  if (!accountIds.length) return out;
  const rows = await db
    .selectFrom('role_assignments as ra')
    .innerJoin('departments as d', 'd.id', 'ra.department_id')
    .select(['ra.id', 'ra.account_id', 'ra.role', 'ra.include_lower_levels', 'ra.granted_at', 'd.id as dept_id', 'd.credit_code', 'd.name', 'd.kind', 'd.region_code'])
    .where('ra.account_id', 'in', accountIds)
    .where('ra.revoked_at', 'is', null)
    .orderBy('ra.granted_at')
    .orderBy('ra.id')
    .execute();
  for (const r of rows) {
    out.get(r.account_id)?.push({
      id: r.id,
      role: r.role,
      roleLabel: ROLES[r.role].label,
      department: { id: r.dept_id, code: r.credit_code, name: r.name, kind: r.kind, regionCode: r.region_code },
      includeLowerLevels: r.include_lower_levels,
      grantedAt: new Date(r.granted_at).toISOString(),
    });
  }
  return out;
}
