/**
 * Job: a conditional request still unanswered after its due time (working days, configured) is escalated to
 * the platform once — escalated_at is set and share.escalated written (actor: the system), one transaction per
 * batch. Rows are locked and skipped when locked elsewhere, and `escalated_at IS NULL` guards the update, so a
 * second run or a second server finds nothing to do.
 */
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { recordAuditEvents } from '../audit/record-audit-event.ts';
import { SYSTEM_ACTOR } from '../audit/audit.types.ts';

const BATCH = 200;
const MAX_BATCHES = 50;

export async function escalateOverdueRequests(db: Kysely<DB>, now: Date = new Date()): Promise<{ escalated: number }> {
  let total = 0;
  for (let i = 0; i < MAX_BATCHES; i++) {
    const n = await db.transaction().execute(async (trx) => {
      const rows = await trx
        .selectFrom('share_requests')
        .select('id')
        .where('status', '=', 'pending')
        .where('escalated_at', 'is', null)
        .where('due_at', '<', now)
        .orderBy('id')
        .limit(BATCH)
        .forUpdate()
        .skipLocked()
        .execute();
      if (!rows.length) return { found: 0, marked: 0 };
      const marked = await trx
        .updateTable('share_requests')
        .set({ escalated_at: now })
        .where('id', 'in', rows.map((r) => r.id))
        .where('status', '=', 'pending')
        .where('escalated_at', 'is', null)
        .returning(['id', 'resource_id', 'consumer_department_id', 'due_at'])
        .execute();
      await recordAuditEvents(
        trx,
        marked.map((r) => ({
          action: 'share.escalated' as const,
          actor: SYSTEM_ACTOR,
          target: { type: 'share_request', id: String(r.id) },
          details: { requestId: r.id, resourceId: r.resource_id, consumerDepartmentId: r.consumer_department_id, dueAt: r.due_at ? new Date(r.due_at).toISOString() : null },
        })),
      );
      return { found: rows.length, marked: marked.length };
    });
    total += n.marked;
    if (n.found < BATCH) break;
  }
  return { escalated: total };
}
