/** Pages of a listing: the total, and the rows of one page, fetched only when there is anything to show. */
import { sql, type SelectQueryBuilder, type Simplify } from 'kysely';

export interface PageRequest {
  page: number; // from 1
  size: number;
}

/**
 * Counts what `base` (the listing's tables and conditions, nothing selected yet) finds and, when that is
 * anything, fetches page `page` of `size` rows of `rowsOf(base)` (its columns, joins and order). Returns the
 * total, the page and size asked for, and the rows.
 */
export async function paginate<D, TB extends keyof D, O>(
  base: SelectQueryBuilder<D, TB, {}>,
  page: PageRequest,
  rowsOf: (base: SelectQueryBuilder<D, TB, {}>) => SelectQueryBuilder<any, any, O>,
): Promise<{ total: number; page: number; size: number; rows: Simplify<O>[] }> {
  const { count } = await base.select(sql<string>`count(*)`.as('count')).$castTo<{ count: string }>().executeTakeFirstOrThrow();
  const total = Number(count);
  if (!total) return { total, page: page.page, size: page.size, rows: [] };
  const rows = await rowsOf(base).limit(page.size).offset((page.page - 1) * page.size).execute();
  return { total, page: page.page, size: page.size, rows };
}
