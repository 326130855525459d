/** Departments by id or credit code, and the scope (department, kind, region) the access rules decide on. */
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';
import type { DepartmentScope } from '../access/principal.ts';
import type { DepartmentRef } from './staff.types.ts';

export async function findDepartmentRef(db: Kysely<DB>, by: { id: number } | { code: string }): Promise<DepartmentRef | undefined> {
  let q = db.selectFrom('departments').select(['id', 'credit_code', 'name', 'kind', 'region_code']);
  q = 'id' in by ? q.where('id', '=', by.id) : q.where('credit_code', '=', by.code);
  const d = await q.executeTakeFirst();
  return d && { id: d.id, code: d.credit_code, name: d.name, kind: d.kind, regionCode: d.region_code };
}

/** Departments by id, for naming the departments of role assignments and audit events. */
export async function departmentRefs(db: Kysely<DB>, ids: number[]): Promise<Map<number, DepartmentRef>> {
  const out = new Map<number, DepartmentRef>();
  if (!ids.length) return out;
  const rows = await db.selectFrom('departments').select(['id', 'credit_code', 'name', 'kind', 'region_code']).where('id', 'in', [...new Set(ids)]).execute();
  for (const d of rows) out.set(d.id, { id: d.id, code: d.credit_code, name: d.name, kind: d.kind, regionCode: d.region_code });
  return out;
}

export function scopeOf(d: DepartmentRef): DepartmentScope {
  return { departmentId: d.id, departmentKind: d.kind, regionCode: d.regionCode };
}
