/**
 * One step of a 差评整改 (核实 → 整改 → 反馈 → 复核): the action must be open in the task's state, taken by
 * someone holding its permission over the task's department ('evaluation.rectify' for the department's steps,
 * 'evaluation.review' for 复核), on the version the caller saw (optimistic locking: a stale version is a 409,
 * and of two people acting at once only one succeeds). The event and the audit row go in the same transaction.
 * 复核 closes (办结) only a task that came to it through a recorded call-back (回访) to the evaluator.
 */
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';
import type { Principal } from '../access/principal.ts';
import { can } from '../access/authorize.ts';
import type { AuditActor } from '../audit/audit.types.ts';
import { recordAuditEvent } from '../audit/record-audit-event.ts';
import { AppError, ForbiddenError, InvalidParameterError } from '../../shared/errors.ts';
import { FINISHED_STATES, RECTIFICATION_STATES } from './evaluations.types.ts';
import { calledBack, NOTE_MAX, NOTE_MIN, outcomeOf, RECTIFICATION_ACTIONS, type RectificationAction } from './rectification-flow.ts';
import { lastActionIntoReview, lastVerifyAction, loadVisibleTask } from './get-rectification.ts';
import { scopeOfTask } from './rectification-views.ts';

export interface AdvanceInput {
  id: number;
  action: RectificationAction;
  note: string;
  version: number;
}

const STALE = () => new AppError('CONFLICT', '该整改任务已被他人处理或已更新，请刷新页面后重新操作', 'version');

export async function advanceRectification(
  db: Kysely<DB>,
  p: Principal,
  input: AdvanceInput,
  actor: AuditActor,
): Promise<{ id: number; state: string; version: number }> {
  if (p.kind !== 'staff') throw new ForbiddenError('差评整改须由工作人员办理');
  const rule = RECTIFICATION_ACTIONS[input.action];
  const row = await loadVisibleTask(db, p, input.id);
  if (rule.from !== row.state) {
    throw new AppError('CONFLICT', `整改任务当前处于“${RECTIFICATION_STATES[row.state]}”，不能执行“${rule.label}”`, 'action');
  }
  if (!can(p, rule.permission, scopeOfTask(row))) {
    throw new ForbiddenError(rule.permission === 'evaluation.review' ? '复核须由平台管理员办理' : '核实、整改和回访须由该部门的审批人员或部门管理员办理');
  }
  if (input.version !== row.version) throw STALE();
  const note = input.note.trim();
  if ([...note].length < NOTE_MIN) throw new InvalidParameterError('note', `请填写${rule.noteLabel}（至少 ${NOTE_MIN} 个字）`);
  if ([...note].length > NOTE_MAX) throw new InvalidParameterError('note', `${rule.noteLabel}不能超过 ${NOTE_MAX} 个字`);

  return db.transaction().execute(async (trx) => {
    if (input.action === 'approve' && !calledBack(await lastActionIntoReview(trx, row.id))) {
      // a task that reached 复核 without the call-back (an older flow) is returned, never closed
      throw new AppError('CONFLICT', '该差评尚未回访评价人，不能办结；请退回，由办理部门回访后再提请复核', 'action');
    }
    const outcome = outcomeOf(await lastVerifyAction(trx, row.id)) ?? 'founded';
    const to = rule.to(outcome);
    const finished = FINISHED_STATES.includes(to);
    const updated = await trx
      .updateTable('rectification_tasks')
      .set((eb) => ({ state: to, version: eb('version', '+', 1), closed_at: finished ? new Date() : null }))
      .where('id', '=', row.id)
      .where('version', '=', input.version)
      .where('state', '=', rule.from)
      .returning(['version'])
      .executeTakeFirst();
    if (!updated) throw STALE(); // someone acted in between
    await trx
      .insertInto('rectification_events')
      .values({ task_id: row.id, action: input.action, from_state: rule.from, to_state: to, actor_id: p.accountId, note })
      .execute();
    await recordAuditEvent(trx, {
      action: 'rectification.transition',
      actor,
      target: { type: 'rectification_task', id: String(row.id) },
      details: { action: input.action, from: rule.from, to, version: updated.version, departmentId: row.department_id, ...(rule.from === 'reviewing' || rule.from === 'feedback' || input.action === 'verify_unfounded' ? { outcome: input.action === 'verify_unfounded' ? 'unfounded' : outcome } : {}) },
    });
    return { id: row.id, state: to, version: updated.version };
  });
}
