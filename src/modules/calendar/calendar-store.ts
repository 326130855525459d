/**
 * What the calendar's writers share: one advisory lock (the start-up loader and an administrator never
 * interleave, on one server or several), the bulk insert of days and the revision every server follows.
 */
import { sql, type Transaction } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { CALENDAR_REVISION, type CalendarDayRow } from './working-calendar.ts';

/** Serialises calendar writers until the transaction ends. */
export async function lockCalendar(trx: Transaction<DB>): Promise<void> {
  await sql`SELECT pg_advisory_xact_lock(hashtext('yiwang.calendar'))`.execute(trx);
}

/** Inserts days in batches, one JSON parameter each (PGlite reads parameter counts as 16-bit); a day already there stays. */
export async function insertCalendarDays(trx: Transaction<DB>, rows: readonly CalendarDayRow[]): Promise<void> {
  for (let i = 0; i < rows.length; i += 2000) {
    const json = JSON.stringify(rows.slice(i, i + 2000).map((r) => ({ day: r.day, kind: r.kind, name: r.name })));
    await sql`
      INSERT INTO calendar_days (day, kind, name)
      SELECT day, kind, name FROM json_populate_recordset(NULL::calendar_days, ${json}::json)
      ON CONFLICT (day) DO NOTHING
    `.execute(trx);
  }
}

/** Moves the 'calendar' revision: every server reloads its calendar on its next check. */
export async function bumpCalendarRevision(trx: Transaction<DB>): Promise<number> {
  const row = await trx
    .insertInto('revisions')
    .values({ name: CALENDAR_REVISION, revision: 1 })
    .onConflict((oc) => oc.column('name').doUpdateSet({ revision: sql`revisions.revision + 1`, updated_at: sql`now()` }))
    .returning('revision')
    .executeTakeFirstOrThrow();
  return Number(row.revision);
}

/** The first and last day of a year, for range conditions on `calendar_days.day`. */
export function yearRange(year: number): [string, string] {
  return [`${year}-01-01`, `${year}-12-31`];
}
