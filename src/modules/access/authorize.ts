/**
 * The one decision: may this principal use this permission on a record of this department? Deny by default.
 * Services call `assertCan` with the record's department before reading or changing it; list queries use
 * `departmentsInScope` so staff never see rows outside their scope.
 */
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { ForbiddenError } from '../../shared/errors.ts';
import { roleHas, type Permission } from './permissions.ts';
import type { DepartmentScope, Principal, RoleGrant } from './principal.ts';

/** Is `code` the region `ancestor` or one below it (GB/T 2260 digits: xx0000 ⊃ xxyy00 ⊃ xxyyzz)? */
export function regionWithin(code: string, ancestor: string): boolean {
  if (code === ancestor) return true;
  if (ancestor.endsWith('0000')) return code.startsWith(ancestor.slice(0, 2));
  if (ancestor.endsWith('00')) return code.startsWith(ancestor.slice(0, 4));
  return false;
}

/** Does one role assignment reach a record of department `r`? */
export function grantCovers(g: RoleGrant, r: DepartmentScope): boolean {
  if (g.departmentId === r.departmentId) return true;
  // the platform administrator's assignment reaches every department in its region and below
  if (g.role === 'platform_admin') return regionWithin(r.regionCode, g.regionCode);
  return g.includeLowerLevels && g.departmentKind === r.departmentKind && regionWithin(r.regionCode, g.regionCode);
}

/** Without `resource`: does the principal hold the permission anywhere (to show a page, before a record is known)? */
export function can(p: Principal | null | undefined, permission: Permission, resource?: DepartmentScope): boolean {
  if (!p) return false;
  if (p.kind === 'client') {
    return (p.scopes as readonly string[]).includes(permission) && (!resource || resource.departmentId === p.departmentId);
  }
  if (p.kind !== 'staff') return false;
  return p.roles.some((g) => roleHas(g.role, permission) && (!resource || grantCovers(g, resource)));
}

export function assertCan(p: Principal | null | undefined, permission: Permission, resource?: DepartmentScope, message?: string): void {
  if (!can(p, permission, resource)) throw new ForbiddenError(message);
}

/**
 * The department ids whose records the principal may see under `permission` ('all' for the whole province).
 * Computed from the departments table, so list queries filter with `department_id IN (…)`.
 */
export async function departmentsInScope(db: Kysely<DB>, p: Principal | null | undefined, permission: Permission): Promise<number[]> {
  if (!p) return [];
  if (p.kind === 'client') return can(p, permission) ? [p.departmentId] : [];
  if (p.kind !== 'staff') return [];
  const grants = p.roles.filter((g) => roleHas(g.role, permission));
  if (!grants.length) return [];
  const ids = new Set<number>(grants.map((g) => g.departmentId));
  const wide = grants.filter((g) => g.role === 'platform_admin' || g.includeLowerLevels);
  if (wide.length) {
    const rows = await db.selectFrom('departments').select(['id', 'kind', 'region_code']).execute();
    for (const d of rows) {
      if (wide.some((g) => grantCovers(g, { departmentId: d.id, departmentKind: d.kind, regionCode: d.region_code }))) ids.add(d.id);
    }
  }
  return [...ids].sort((a, b) => a - b);
}
