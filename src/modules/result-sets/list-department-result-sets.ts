/**
 * The result sets of the departments a staff member publishes for ('results.publish' scope), newest change
 * first, with the row count of each set's active load and whether an upload is being checked; and those
 * departments, for the create form. One query for the sets.
 */
import { sql, type Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';
import type { Principal } from '../access/principal.ts';
import { departmentsInScope } from '../access/authorize.ts';
import { SET_STATUS_LABELS, type ResultSetSummary } from './result-sets.types.ts';

export interface DepartmentResultSets {
  sets: ResultSetSummary[];
  departments: { id: number; name: string }[];
  total: number;
  page: number;
  size: number;
}

export async function listDepartmentResultSets(db: Kysely<DB>, p: Principal, o: { page?: number; size?: number } = {}): Promise<DepartmentResultSets> {
  const page = Math.max(1, o.page ?? 1);
  const size = Math.min(Math.max(o.size ?? 50, 1), 200);
  const ids = await departmentsInScope(db, p, 'results.publish');
  if (!ids.length) return { sets: [], departments: [], total: 0, page, size };
  const departments = await db.selectFrom('departments').select(['id', 'name']).where('id', 'in', ids).orderBy('id').execute();
  const total = Number((await db.selectFrom('result_sets').select((eb) => eb.fn.countAll<number>().as('n')).where('department_id', 'in', ids).executeTakeFirstOrThrow()).n);
  const rows = await db
    .selectFrom('result_sets as s')
    .innerJoin('departments as d', 'd.id', 's.department_id')
    .leftJoin('result_loads as a', 'a.id', 's.active_load_id')
    .select([
      's.code',
      's.title',
      's.department_id',
      'd.name as department_name',
      's.status',
      's.release_at',
      's.updated_at',
      'a.rows_read',
      sql<boolean>`EXISTS (SELECT 1 FROM result_loads l WHERE l.set_id = s.id AND l.status IN ('pending', 'loading'))`.as('load_in_progress'),
    ])
    .where('s.department_id', 'in', ids)
    .orderBy('s.updated_at', 'desc')
    .orderBy('s.id', 'desc')
    .limit(size)
    .offset((page - 1) * size)
    .execute();
  const now = Date.now();
  return {
    sets: rows.map((r) => ({
      code: r.code,
      title: r.title,
      department: { id: r.department_id, name: r.department_name },
      status: r.status,
      statusLabel: SET_STATUS_LABELS[r.status],
      releaseAt: new Date(r.release_at).toISOString(),
      released: new Date(r.release_at).getTime() <= now,
      rows: r.rows_read ?? null,
      loadInProgress: r.load_in_progress === true,
      updatedAt: new Date(r.updated_at).toISOString(),
    })),
    departments,
    total,
    page,
    size,
  };
}
