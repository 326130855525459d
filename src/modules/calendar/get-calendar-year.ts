/** One year's arrangement as stored — or, for a year not published yet, an empty provisional one. */
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { WEEKDAY_LABELS, type CalendarYearView } from './calendar.types.ts';
import { yearRange } from './calendar-store.ts';
import { dayNumber, weekdayOf } from './working-calendar.ts';

export async function getCalendarYear(db: Kysely<DB>, year: number): Promise<CalendarYearView> {
  const [first, last] = yearRange(year);
  const [meta, days] = await Promise.all([
    db.selectFrom('calendar_years').select(['source', 'notice', 'updated_at']).where('year', '=', year).executeTakeFirst(),
    db.selectFrom('calendar_days').select(['day', 'kind', 'name']).where('day', '>=', first).where('day', '<=', last).orderBy('day').execute(),
  ]);
  return {
    year,
    known: meta !== undefined,
    source: meta?.source ?? null,
    notice: meta?.notice ?? '',
    updatedAt: meta ? new Date(meta.updated_at).toISOString() : null,
    days: days.map((d) => ({ day: d.day, kind: d.kind, name: d.name, weekday: WEEKDAY_LABELS[weekdayOf(dayNumber(d.day))]! })),
  };
}
