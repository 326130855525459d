/**
 * 差评整改 tasks in the viewer's scope (the departments where they rectify or review), open ones first by due
 * date; overdue tasks (due before today, Beijing time, and not finished) are flagged. With counts per state.
 */
import { sql, type Kysely } from 'kysely';
import type { DB, RectificationState } from '../../db/schema.ts';
import type { Principal } from '../access/principal.ts';
import { can, departmentsInScope } from '../access/authorize.ts';
import { chinaToday } from '../calendar/working-calendar.ts';
import { ForbiddenError } from '../../shared/errors.ts';
import { FINISHED_STATES, RECTIFICATION_STATE_KEYS, type RectificationSummary } from './evaluations.types.ts';
import { selectTasks, toSummary } from './rectification-views.ts';

export interface RectificationQuery {
  state?: RectificationState;
  overdue?: boolean;
  page: number;
  size: number;
}

export interface RectificationList {
  total: number;
  page: number;
  size: number;
  /** tasks in scope per state, and how many open ones are overdue (for the tabs) */
  counts: Record<RectificationState, number> & { overdue: number };
  tasks: RectificationSummary[];
}

export async function listRectifications(db: Kysely<DB>, p: Principal, q: RectificationQuery, opts: { today?: string } = {}): Promise<RectificationList> {
  if (!can(p, 'evaluation.rectify') && !can(p, 'evaluation.review')) throw new ForbiddenError('您没有处理差评整改的权限');
  const today = opts.today ?? chinaToday();
  const ids = [...new Set([...(await departmentsInScope(db, p, 'evaluation.rectify')), ...(await departmentsInScope(db, p, 'evaluation.review'))])];
  const counts = Object.fromEntries([...RECTIFICATION_STATE_KEYS.map((s) => [s, 0]), ['overdue', 0]]) as RectificationList['counts'];
  if (!ids.length) return { total: 0, page: q.page, size: q.size, counts, tasks: [] };

  const countRows = await db
    .selectFrom('rectification_tasks as t')
    .select(['t.state', sql<number>`count(*)`.as('n'), sql<number>`count(*) FILTER (WHERE t.due_on < ${today})`.as('late')])
    .where('t.department_id', 'in', ids)
    .groupBy('t.state')
    .execute();
  for (const r of countRows) {
    counts[r.state] = Number(r.n);
    if (!FINISHED_STATES.includes(r.state)) counts.overdue += Number(r.late);
  }

  let base = selectTasks(db).where('t.department_id', 'in', ids);
  if (q.state) base = base.where('t.state', '=', q.state);
  if (q.overdue) base = base.where('t.due_on', '<', today).where('t.state', 'not in', FINISHED_STATES);
  const inScope = RECTIFICATION_STATE_KEYS.reduce((n, s) => n + counts[s], 0);
  const total = q.state && q.overdue ? await countOf(base) : q.state ? counts[q.state] : q.overdue ? counts.overdue : inScope;
  const rows = await base
    .orderBy(sql`CASE WHEN t.state IN ('closed', 'dismissed') THEN 1 ELSE 0 END`)
    .orderBy('t.due_on')
    .orderBy('t.id')
    .limit(q.size)
    .offset((q.page - 1) * q.size)
    .execute();
  return { total, page: q.page, size: q.size, counts, tasks: rows.map((r) => toSummary(r, today)) };
}

async function countOf(q: ReturnType<typeof selectTasks>): Promise<number> {
  const r = await q.clearSelect().select(sql<number>`count(*)`.as('n')).executeTakeFirst();
  return Number(r?.n ?? 0);
}
