/**
 * 爽约限制: a person with no_show_limit no-shows of a service within the last no_show_days days may not book
 * it again until the latest no-show's day + bar_days.
 */
import { sql, type Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';
import type { ServiceRow } from './appointment-service.ts';
import { addDays } from './appointment-time.ts';

export interface NoShowBar {
  noShows: number; // within the last no_show_days days
  until: string; // the first day the person may book again
}

/** The bar on `idNumber` for the service as of `today` (China day), or null. */
export async function noShowBar(
  db: Kysely<DB>,
  s: Pick<ServiceRow, 'id' | 'no_show_limit' | 'no_show_days' | 'bar_days'>,
  idNumber: string,
  today: string,
): Promise<NoShowBar | null> {
  const r = await db
    .selectFrom('appointment_parties as p')
    .innerJoin('appointment_bookings as b', 'b.id', 'p.booking_id')
    .select([sql<number>`count(*)`.as('n'), sql<string | null>`max(b.day)::text`.as('latest')])
    .where('p.service_id', '=', s.id)
    .where('p.id_number', '=', idNumber)
    .where('b.status', '=', 'no_show')
    .where('b.day', '>=', addDays(today, -s.no_show_days))
    .executeTakeFirstOrThrow();
  return barFrom(s, Number(r.n), r.latest, today);
}

/** The bar, from the count of no-shows within the last no_show_days days and the latest one's day. */
export function barFrom(s: Pick<ServiceRow, 'no_show_limit' | 'bar_days'>, n: number, latest: string | null, today: string): NoShowBar | null {
  if (n < s.no_show_limit || !latest) return null;
  const until = addDays(latest, s.bar_days);
  return until > today ? { noShows: n, until } : null;
}
