import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';

/** The other departments an application may be transferred to: those of its region, then of the regions above. */
export async function listTransferTargets(db: Kysely<DB>, departmentId: number, regions: { path(code: string): { code: string }[] }): Promise<{ id: number; name: string }[]> {
  const own = await db.selectFrom('departments').select('region_code').where('id', '=', departmentId).executeTakeFirst();
  if (!own) return [];
  const chain = regions.path(own.region_code).map((r) => r.code).reverse();
  const rows = await db.selectFrom('departments').select(['id', 'name', 'region_code']).where('region_code', 'in', chain).where('id', '!=', departmentId).orderBy('kind').orderBy('id').execute();
  return rows.sort((a, b) => chain.indexOf(a.region_code) - chain.indexOf(b.region_code)).map((r) => ({ id: r.id, name: r.name }));
}
