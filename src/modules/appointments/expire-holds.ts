/**
 * Job: holds that were not confirmed by every party in time expire — the place is freed, the parties may book
 * again, each audited 'appointment.expired'. Batches of BATCH in their own transactions; rows another
 * transaction is confirming or expiring right now are skipped (SKIP LOCKED) and the update is guarded, so two
 * servers running it at once, or a booking expiring a full slot's holds beside it, never release a place twice.
 */
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { expireOverdueHolds } from './release-bookings.ts';

const BATCH = 200;
const MAX_BATCHES = 50;

export async function expireHolds(db: Kysely<DB>, now: Date = new Date()): Promise<{ expired: number }> {
  let expired = 0;
  for (let i = 0; i < MAX_BATCHES; i++) {
    const n = await db.transaction().execute(async (trx) => {
      const rows = await trx
        .selectFrom('appointment_bookings')
        .select('id')
        .where('status', '=', 'held')
        .where('hold_until', '<=', now)
        .orderBy('id')
        .limit(BATCH)
        .forUpdate()
        .skipLocked()
        .execute();
      const released = await expireOverdueHolds(trx, { bookingIds: rows.map((r) => r.id) }, now, 'job');
      return { found: rows.length, released: released.length };
    });
    expired += n.released;
    if (n.found < BATCH) break;
  }
  return { expired };
}
