/**
 * Where an application may be transferred (移送): another department of its department's region or of a region
 * above it (县 → 市 → 省). The page offers these (listTransferTargets, from the regions in memory) and the
 * transfer itself checks its target against the same rule (findTransferTarget, from the database).
 */
import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../../db/schema.ts';

/** The other departments an application may be transferred to: those of its region, then of the regions above. */
export async function listTransferTargets(db: Kysely<DB>, departmentId: number, regions: { path(code: string): { code: string }[] }): Promise<{ id: number; name: string }[]> {
  const own = await db.selectFrom('departments').select('region_code').where('id', '=', departmentId).executeTakeFirst();
  if (!own) return [];
  const chain = regions.path(own.region_code).map((r) => r.code).reverse();
  const rows = await db.selectFrom('departments').select(['id', 'name', 'region_code']).where('region_code', 'in', chain).where('id', '!=', departmentId).orderBy('kind').orderBy('id').execute();
  return rows.sort((a, b) => chain.indexOf(a.region_code) - chain.indexOf(b.region_code)).map((r) => ({ id: r.id, name: r.name }));
}

/**
 * Is `targetId` a department an application of `departmentId` may be transferred to (the rule above)? Its place
 * if so; undefined if it is the same department, or one of neither this region nor a region above.
 */
export async function findTransferTarget(
  db: Kysely<DB> | Transaction<DB>,
  departmentId: number,
  targetId: number,
): Promise<{ departmentId: number; regionCode: string; name: string } | undefined> {
  if (targetId === departmentId) return undefined;
  const rows = await db.selectFrom('departments').select(['id', 'region_code', 'name']).where('id', 'in', [departmentId, targetId]).execute();
  const own = rows.find((r) => r.id === departmentId);
  const target = rows.find((r) => r.id === targetId);
  if (!own || !target) return undefined;
  // walk up from the department's region: at most province › city › county, bounded in case of a cycle
  for (let code: string | null = own.region_code, n = 0; code && n < 10; n++) {
    if (code === target.region_code) return { departmentId: target.id, regionCode: target.region_code, name: target.name };
    const r: { parent_code: string | null } | undefined = await db.selectFrom('regions').select('parent_code').where('code', '=', code).executeTakeFirst();
    code = r?.parent_code ?? null;
  }
  return undefined;
}
