/**
 * 好差评公示: public statistics over the evaluations that match the filters (department, item, region and below,
 * a date range in Beijing time) — totals, counts per level, 好评率 / 中评率 / 差评率, indicator averages, how far
 * the rectification of 差评 has got, and the departments and items ranked by 好评率 (then by count).
 *
 * Each figure is one aggregate query over `evaluations` (indexed by department and by item, each with the time),
 * and names are looked up only for the ranked rows. Nothing here identifies an evaluator.
 */
import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { chinaToday } from '../calendar/working-calendar.ts';
import { InvalidParameterError } from '../../shared/errors.ts';
import { INDICATOR_KEYS, INDICATORS, LEVEL_VALUES, LEVELS, type IndicatorKey, type Level } from './evaluations.types.ts';

export interface StatsFilters {
  department?: number;
  item?: string;
  region?: string;
  from?: string; // 'YYYY-MM-DD', Beijing time, inclusive
  to?: string; // 'YYYY-MM-DD', inclusive
  top?: number;
}

/** A percentage with one decimal (66.7), or null when there is nothing to divide by. */
export type Rate = number | null;

export interface EvaluationStats {
  filters: { department: number | null; item: string | null; region: string | null; from: string | null; to: string | null };
  total: number;
  levels: { level: Level; label: string; count: number; rate: Rate }[];
  grades: { good: { count: number; rate: Rate }; neutral: { count: number; rate: Rate }; bad: { count: number; rate: Rate } };
  indicators: { key: IndicatorKey; label: string; average: number | null }[];
  rectification: { total: number; completed: number; closed: number; dismissed: number; inProgress: number; overdue: number; completionRate: Rate };
  departments: { id: number; name: string; regionCode: string; total: number; good: number; neutral: number; bad: number; goodRate: Rate }[];
  items: { code: string; name: string; department: string; total: number; good: number; neutral: number; bad: number; goodRate: Rate }[];
}

export const DEFAULT_TOP = 10;
export const MAX_TOP = 50;

export function rate(part: number, whole: number): Rate {
  return whole > 0 ? Math.round((part / whole) * 1000) / 10 : null;
}

function validDate(s: string, field: string): string {
  const d = new Date(`${s}T00:00:00Z`);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(s) || Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== s) {
    throw new InvalidParameterError(field, `参数 ${field} 应为有效日期（年-月-日）`);
  }
  const year = Number(s.slice(0, 4));
  if (year < 2000 || year > 2100) throw new InvalidParameterError(field, `参数 ${field} 应在 2000 年至 2100 年之间`);
  return s;
}

/** The first day after `day` ('YYYY-MM-DD'). */
function nextDay(day: string): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().slice(0, 10);
}

/** The region and those below it (GB/T 2260: xx0000 ⊃ xxyy00 ⊃ xxyyzz), as a LIKE pattern. */
function regionPattern(code: string): string {
  if (code.endsWith('0000')) return `${code.slice(0, 2)}%`;
  if (code.endsWith('00')) return `${code.slice(0, 4)}%`;
  return code;
}

const num = (v: unknown) => Number(v ?? 0);
const avg = (v: unknown) => (v === null || v === undefined ? null : Math.round(Number(v) * 100) / 100);

export async function getEvaluationStats(db: Kysely<DB>, f: StatsFilters, opts: { today?: string } = {}): Promise<EvaluationStats> {
  const from = f.from ? validDate(f.from, 'from') : undefined;
  const to = f.to ? validDate(f.to, 'to') : undefined;
  if (from && to && from > to) throw new InvalidParameterError('to', '结束日期不能早于开始日期');
  const top = Math.min(Math.max(f.top ?? DEFAULT_TOP, 1), MAX_TOP);

  const conditions: RawBuilder<unknown>[] = [sql`TRUE`];
  if (f.department !== undefined) conditions.push(sql`e.department_id = ${f.department}`);
  if (f.item) conditions.push(sql`e.item_code = ${f.item}`);
  if (f.region) {
    const pattern = regionPattern(f.region);
    conditions.push(pattern.endsWith('%') ? sql`e.region_code LIKE ${pattern}` : sql`e.region_code = ${pattern}`);
  }
  if (from) conditions.push(sql`e.created_at >= ${new Date(`${from}T00:00:00+08:00`)}`);
  if (to) conditions.push(sql`e.created_at < ${new Date(`${nextDay(to)}T00:00:00+08:00`)}`);
  const where = sql.join(conditions, sql` AND `);
  const today = opts.today ?? chinaToday();

  const indicatorAverages = sql.join(
    INDICATOR_KEYS.map((k) => sql`avg((e.indicators ->> ${sql.lit(k)})::numeric) AS ${sql.ref(`avg_${k}`)}`),
    sql`, `,
  );
  const ranking = sql`count(*) FILTER (WHERE e.grade = 'good')::float8 / count(*) DESC, count(*) DESC`;
  type GroupRow = { n: unknown; good: unknown; neutral: unknown; bad: unknown };
  const gradeCounts = sql`count(*) AS n,
             count(*) FILTER (WHERE e.grade = 'good') AS good,
             count(*) FILTER (WHERE e.grade = 'neutral') AS neutral,
             count(*) FILTER (WHERE e.grade = 'bad') AS bad`;
  // four independent aggregates: on PostgreSQL they run side by side on the pool
  const [totalsResult, rectResult, deptResult, itemResult] = await Promise.all([
    sql<Record<string, unknown>>`
      SELECT count(*) AS total,
             ${sql.join(LEVEL_VALUES.map((l) => sql`count(*) FILTER (WHERE e.level = ${sql.lit(l)}) AS ${sql.ref(`l${l}`)}`), sql`, `)},
             ${indicatorAverages}
      FROM evaluations e WHERE ${where}`.execute(db),
    sql<Record<string, unknown>>`
      SELECT count(*) AS total,
             count(*) FILTER (WHERE t.state = 'closed') AS closed,
             count(*) FILTER (WHERE t.state = 'dismissed') AS dismissed,
             count(*) FILTER (WHERE t.state NOT IN ('closed', 'dismissed') AND t.due_on < ${today}) AS overdue
      FROM rectification_tasks t JOIN evaluations e ON e.id = t.evaluation_id
      WHERE ${where}`.execute(db),
    sql<GroupRow & { department_id: number }>`
      SELECT e.department_id, ${gradeCounts}
      FROM evaluations e WHERE ${where}
      GROUP BY e.department_id
      ORDER BY ${ranking}, e.department_id
      LIMIT ${top}`.execute(db),
    sql<GroupRow & { item_code: string }>`
      SELECT e.item_code, ${gradeCounts}
      FROM evaluations e WHERE ${where}
      GROUP BY e.item_code
      ORDER BY ${ranking}, e.item_code
      LIMIT ${top}`.execute(db),
  ]);
  const totals = totalsResult.rows[0]!;
  const total = num(totals.total);
  const levelCount = (l: Level) => num(totals[`l${l}`]);
  const good = levelCount(5) + levelCount(4);
  const neutral = levelCount(3);
  const bad = levelCount(2) + levelCount(1);
  const rect = rectResult.rows[0]!;
  const rectTotal = num(rect.total);
  const completed = num(rect.closed) + num(rect.dismissed);
  const deptRows = deptResult.rows;
  const itemRows = itemResult.rows;

  const deptIds = deptRows.map((r) => Number(r.department_id));
  const departments = deptIds.length
    ? new Map((await db.selectFrom('departments').select(['id', 'name', 'region_code']).where('id', 'in', deptIds).execute()).map((d) => [d.id, d]))
    : new Map();
  const itemCodes = itemRows.map((r) => r.item_code);
  const items = itemCodes.length
    ? new Map(
        (
          await db
            .selectFrom('impl_items as i')
            .innerJoin('impl_item_versions as v', (j) =>
              j.onRef('v.item_code', '=', 'i.code').on((eb) => eb('v.version', '=', eb.fn.coalesce('i.published_version', 'i.latest_version'))),
            )
            .innerJoin('departments as d', 'd.id', 'i.department_id')
            .select(['i.code', 'v.name', 'd.name as department'])
            .where('i.code', 'in', itemCodes)
            .execute()
        ).map((i) => [i.code, i]),
      )
    : new Map();

  return {
    filters: { department: f.department ?? null, item: f.item ?? null, region: f.region ?? null, from: from ?? null, to: to ?? null },
    total,
    levels: LEVEL_VALUES.map((l) => ({ level: l, label: LEVELS[l], count: levelCount(l), rate: rate(levelCount(l), total) })),
    grades: {
      good: { count: good, rate: rate(good, total) },
      neutral: { count: neutral, rate: rate(neutral, total) },
      bad: { count: bad, rate: rate(bad, total) },
    },
    indicators: INDICATOR_KEYS.map((k) => ({ key: k, label: INDICATORS[k], average: avg(totals[`avg_${k}`]) })),
    rectification: {
      total: rectTotal,
      completed,
      closed: num(rect.closed),
      dismissed: num(rect.dismissed),
      inProgress: rectTotal - completed,
      overdue: num(rect.overdue),
      completionRate: rate(completed, rectTotal),
    },
    departments: deptRows.map((r) => {
      const id = Number(r.department_id);
      const d = departments.get(id) as { name: string; region_code: string } | undefined;
      return {
        id,
        name: d?.name ?? String(id),
        regionCode: d?.region_code ?? '',
        total: num(r.n),
        good: num(r.good),
        neutral: num(r.neutral),
        bad: num(r.bad),
        goodRate: rate(num(r.good), num(r.n)),
      };
    }),
    items: itemRows.map((r) => {
      const i = items.get(r.item_code) as { name: string; department: string } | undefined;
      return {
        code: r.item_code,
        name: i?.name ?? r.item_code,
        department: i?.department ?? '',
        total: num(r.n),
        good: num(r.good),
        neutral: num(r.neutral),
        bad: num(r.bad),
        goodRate: rate(num(r.good), num(r.n)),
      };
    }),
  };
}
