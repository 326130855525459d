/** The known years (newest first) with their source and how many holidays and makeup working days each has. */
import { sql, type Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';
import type { CalendarYearSummary } from './calendar.types.ts';

export async function listCalendarYears(db: Kysely<DB>): Promise<CalendarYearSummary[]> {
  const [years, counts] = await Promise.all([
    db.selectFrom('calendar_years').select(['year', 'source', 'notice', 'updated_at']).orderBy('year', 'desc').execute(),
    db
      .selectFrom('calendar_days')
      .select([
        sql<number>`extract(year FROM day)::int`.as('year'),
        sql<number>`count(*) FILTER (WHERE kind = 'holiday')::int`.as('holidays'),
        sql<number>`count(*) FILTER (WHERE kind = 'workday')::int`.as('workdays'),
      ])
      .groupBy(sql`extract(year FROM day)`)
      .execute(),
  ]);
  const byYear = new Map(counts.map((c) => [Number(c.year), c]));
  return years.map((y) => ({
    year: y.year,
    source: y.source,
    notice: y.notice,
    updatedAt: new Date(y.updated_at).toISOString(),
    holidays: Number(byYear.get(y.year)?.holidays ?? 0),
    workdays: Number(byYear.get(y.year)?.workdays ?? 0),
  }));
}
