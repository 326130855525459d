/**
 * The deadline job (期限预警与超期督办): sets each running application's deadline status — normal, due soon
 * (within YIWANG_DUE_SOON_DAYS working days), overdue — and escalates every newly overdue application once to
 * the approvers of its department: a timeline entry, an audit row and a notification to each approver, in one
 * transaction per application. `escalated_at IS NULL` under a row lock makes a second run (or a second server)
 * find nothing to do.
 */
import { sql, type Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { chinaToday, getWorkingCalendar } from '../calendar/working-calendar.ts';
import { recordAuditEvent } from '../audit/record-audit-event.ts';
import { SYSTEM_ACTOR } from '../audit/audit.types.ts';

export interface DeadlineRun {
  today: string;
  statusChanged: number;
  escalated: number;
}

export async function updateDeadlines(db: Kysely<DB>, o: { dueSoonDays: number; today?: string; batch?: number }): Promise<DeadlineRun> {
  const cal = await getWorkingCalendar(db);
  const today = o.today ?? chinaToday();
  const soon = cal.addWorkingDays(today, o.dueSoonDays);
  const status = sql<string>`CASE WHEN state_due_on < ${today}::date THEN 'overdue' WHEN state_due_on <= ${soon}::date THEN 'due_soon' ELSE 'normal' END`;
  const changed = await db
    .updateTable('applications')
    .set({ deadline_status: sql`${status}` })
    .where('closed_at', 'is', null)
    .where('clock_state', '=', 'running')
    .where('state_due_on', 'is not', null)
    .where(sql<boolean>`deadline_status <> ${status}`)
    .executeTakeFirst();

  let escalated = 0;
  const batch = o.batch ?? 200;
  for (;;) {
    const done = await db.transaction().execute(async (trx) => {
      const due = await trx
        .selectFrom('applications')
        .select(['id', 'number', 'item_name', 'state', 'version', 'department_id', 'state_due_on'])
        .where('closed_at', 'is', null)
        .where('deadline_status', '=', 'overdue')
        .where('escalated_at', 'is', null)
        .orderBy('id')
        .limit(batch)
        .forUpdate()
        .skipLocked()
        .execute();
      for (const a of due) {
        await trx.updateTable('applications').set({ escalated_at: sql`now()`, version: a.version + 1 }).where('id', '=', a.id).execute();
        await trx
          .insertInto('application_events')
          .values({
            application_id: a.id,
            seq: a.version + 1,
            action: 'escalate',
            from_state: a.state,
            to_state: a.state,
            actor_type: 'system',
            actor_account_id: null,
            actor_role: null,
            department_id: a.department_id,
            comment: `已超过办理期限（${a.state_due_on}），提请审批负责人督办`,
            details: JSON.stringify({ dueOn: a.state_due_on, today }),
          })
          .execute();
        const approvers = await trx
          .selectFrom('role_assignments as r')
          .innerJoin('accounts as ac', 'ac.id', 'r.account_id')
          .select('r.account_id')
          .distinct()
          .where('r.role', '=', 'approver')
          .where('r.department_id', '=', a.department_id)
          .where('r.revoked_at', 'is', null)
          .where('ac.status', '=', 'active')
          .execute();
        if (approvers.length) {
          await trx
            .insertInto('notifications')
            .values(
              approvers.map((x) => ({
                account_id: x.account_id,
                application_id: a.id,
                title: '超期办件督办',
                body: `办件 ${a.number}（${a.item_name}）已超过办理期限 ${a.state_due_on}，请督促办理。`,
                link: `/staff/applications/${a.number}`,
              })),
            )
            .execute();
        }
        await recordAuditEvent(trx, {
          action: 'application.escalated',
          actor: SYSTEM_ACTOR,
          target: { type: 'application', id: a.number },
          details: { dueOn: a.state_due_on, approvers: approvers.length },
        });
      }
      return due.length;
    });
    escalated += done;
    if (done < batch) break;
  }
  return { today, statusChanged: Number(changed.numUpdatedRows), escalated };
}
