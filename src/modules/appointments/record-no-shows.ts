/**
 * Job: a confirmed booking whose slot has ended (China time) without a check-in becomes a no-show (爽约); its
 * parties may book again (subject to the no-show bar). Guarded (status = 'confirmed') and idempotent; batches
 * in their own transactions, skipping rows locked by a check-in under way.
 */
import { sql, type Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { recordAuditEvents } from '../audit/record-audit-event.ts';
import { SYSTEM_ACTOR } from '../audit/audit.types.ts';
import { chinaClock, shortTime } from './appointment-time.ts';
import { deactivateParties } from './release-bookings.ts';

const BATCH = 200;
const MAX_BATCHES = 50;

export async function recordNoShows(db: Kysely<DB>, now: Date = new Date()): Promise<{ noShows: number }> {
  const { day: today, time } = chinaClock(now);
  let total = 0;
  for (let i = 0; i < MAX_BATCHES; i++) {
    const n = await db.transaction().execute(async (trx) => {
      const rows = await trx
        .selectFrom('appointment_bookings')
        .select('id')
        .where('status', '=', 'confirmed')
        .where((eb) => eb.or([eb('day', '<', today), eb.and([eb('day', '=', today), eb('ends_at', '<=', sql<string>`${time}::time`)])]))
        .orderBy('id')
        .limit(BATCH)
        .forUpdate()
        .skipLocked()
        .execute();
      if (!rows.length) return { found: 0, marked: 0 };
      const marked = await trx
        .updateTable('appointment_bookings')
        .set({ status: 'no_show' })
        .where('id', 'in', rows.map((r) => r.id))
        .where('status', '=', 'confirmed')
        .returning(['id', 'code', 'day', 'starts_at'])
        .execute();
      await deactivateParties(trx, marked.map((r) => r.id));
      await recordAuditEvents(
        trx,
        marked.map((r) => ({
          action: 'appointment.no_show' as const,
          actor: SYSTEM_ACTOR,
          target: { type: 'appointment_booking', id: r.code },
          details: { day: r.day, startsAt: shortTime(r.starts_at) },
        })),
      );
      return { found: rows.length, marked: marked.length };
    });
    total += n.marked;
    if (n.found < BATCH) break;
  }
  return { noShows: total };
}
