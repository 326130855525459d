/**
 * Loads the official holiday arrangements shipped with the `chinese-days` package (国务院办公厅 notices,
 * 2004 onwards — 2004–2026 in version 1.5.7) into `calendar_days` / `calendar_years`, source 'chinese-days'.
 * Run at every start and after migrations in tests; idempotent:
 * - a year not stored yet is written; a year stored from the package whose days differ (a newer package) is
 *   replaced; a year an administrator set (source 'administrator') is never touched;
 * - when anything changed, the 'calendar' revision moves (every server reloads its calendar);
 * - one transaction under the calendar's advisory lock: several servers starting together load it once, and an
 *   administrator's change never interleaves with it.
 */
import { createRequire } from 'node:module';
import { sql, type Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { bumpCalendarRevision, insertCalendarDays, lockCalendar } from './calendar-store.ts';
import { invalidateWorkingCalendar, type CalendarDayRow } from './working-calendar.ts';

/** The package's data file: { holidays: { 'YYYY-MM-DD': 'English,中文,n' }, workdays: {…}, inLieuDays: {…} }. */
interface ChineseDaysData {
  holidays: Record<string, string>;
  workdays: Record<string, string>;
}

const require = createRequire(import.meta.url);

/** The package's arrangements by year: the days that differ from Monday–Friday, sorted. */
export function packagedCalendarYears(): Map<number, CalendarDayRow[]> {
  const data = require('chinese-days/dist/chinese-days.json') as ChineseDaysData;
  const years = new Map<number, CalendarDayRow[]>();
  const add = (entries: Record<string, string>, kind: CalendarDayRow['kind']) => {
    for (const [day, label] of Object.entries(entries)) {
      const name = label.split(',')[1]?.trim() || label; // 'Spring Festival,春节,4' → 春节
      const year = Number(day.slice(0, 4));
      let list = years.get(year);
      if (!list) years.set(year, (list = []));
      list.push({ day, kind, name });
    }
  };
  add(data.holidays, 'holiday');
  add(data.workdays, 'workday');
  for (const list of years.values()) list.sort((a, b) => (a.day < b.day ? -1 : 1));
  return new Map([...years].sort((a, b) => a[0] - b[0]));
}

/** The title of the State Council's yearly notice the package's data follow. */
export const packagedNotice = (year: number) => `国务院办公厅关于${year}年部分节假日安排的通知`;

const sameDays = (a: readonly CalendarDayRow[], b: readonly CalendarDayRow[]) =>
  a.length === b.length && a.every((d, i) => d.day === b[i]!.day && d.kind === b[i]!.kind && d.name === b[i]!.name);

export interface EnsureCalendarResult {
  /** Years written now (new, or replaced by newer package data). */
  loaded: number[];
  /** Shipped years kept as an administrator set them. */
  keptAdministrator: number[];
  revision: number | null; // the new revision when something changed
}

export async function ensureCalendar(db: Kysely<DB>): Promise<EnsureCalendarResult> {
  const shipped = packagedCalendarYears();
  const result = await db.transaction().execute(async (trx): Promise<EnsureCalendarResult> => {
    await lockCalendar(trx);
    const stored = new Map((await trx.selectFrom('calendar_years').select(['year', 'source']).execute()).map((r) => [r.year, r.source]));
    const storedDays = new Map<number, CalendarDayRow[]>();
    for (const d of await trx.selectFrom('calendar_days').select(['day', 'kind', 'name']).orderBy('day').execute()) {
      const y = Number(d.day.slice(0, 4));
      let list = storedDays.get(y);
      if (!list) storedDays.set(y, (list = []));
      list.push(d);
    }

    const loaded: number[] = [];
    const keptAdministrator: number[] = [];
    const rows: CalendarDayRow[] = [];
    for (const [year, days] of shipped) {
      const source = stored.get(year);
      if (source === 'administrator') {
        keptAdministrator.push(year);
        continue;
      }
      if (source === 'chinese-days' && sameDays(storedDays.get(year) ?? [], days)) continue;
      loaded.push(year);
      rows.push(...days);
    }
    if (!loaded.length) return { loaded, keptAdministrator, revision: null };

    // days of a year not (or no longer correctly) loaded: replaced whole — a year is one notice
    for (const year of loaded) {
      if (storedDays.has(year)) await trx.deleteFrom('calendar_days').where('day', '>=', `${year}-01-01`).where('day', '<=', `${year}-12-31`).execute();
    }
    await insertCalendarDays(trx, rows);
    await trx
      .insertInto('calendar_years')
      .values(loaded.map((year) => ({ year, source: 'chinese-days' as const, notice: packagedNotice(year), updated_by: null })))
      .onConflict((oc) =>
        oc
          .column('year')
          .doUpdateSet({ source: 'chinese-days', notice: sql`excluded.notice`, updated_by: null, updated_at: sql`now()` })
          .where('calendar_years.source', '=', 'chinese-days'),
      )
      .execute();
    const revision = await bumpCalendarRevision(trx);
    return { loaded, keptAdministrator, revision };
  });
  if (result.revision !== null) invalidateWorkingCalendar(db);
  return result;
}
