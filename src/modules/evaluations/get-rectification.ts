/**
 * One 差评整改 task for staff: the evaluation (without the evaluator), the timeline, the actions this viewer may
 * take now, and — only in the 反馈 step, where the call-back (回访) is due on both paths (属实 after 整改, 不属实
 * straight after 核实), to staff who rectify — the evaluator's mobile, masked, for the call-back.
 */
import type { Kysely } from 'kysely';
import type { DB, RectificationState } from '../../db/schema.ts';
import type { Principal } from '../access/principal.ts';
import { can } from '../access/authorize.ts';
import { chinaToday } from '../calendar/working-calendar.ts';
import { maskMobile } from '../identity/identity.validation.ts';
import { ForbiddenError, NotFoundError } from '../../shared/errors.ts';
import type { RectificationDetail } from './evaluations.types.ts';
import { actionLabel, calledBack, outcomeOf, RECTIFICATION_ACTION_KEYS, RECTIFICATION_ACTIONS } from './rectification-flow.ts';
import { maySeeTask, scopeOfTask, selectTasks, toSummary, type TaskRow } from './rectification-views.ts';

type Queryable = Pick<Kysely<DB>, 'selectFrom'>;

/** The task row, if it exists and the principal may see it (404 / 403 otherwise). */
export async function loadVisibleTask(db: Queryable, p: Principal, id: number): Promise<TaskRow> {
  const row = await selectTasks(db).where('t.id', '=', id).executeTakeFirst();
  if (!row) throw new NotFoundError(`未找到整改任务 ${id}`, 'id');
  if (!maySeeTask(p, row)) throw new ForbiddenError('该整改任务不在您的管理范围内');
  return row;
}

/** The most recent 核实 decision of a task ('verify' or 'verify_unfounded'), if any. */
export async function lastVerifyAction(db: Queryable, taskId: number): Promise<string | undefined> {
  const r = await db
    .selectFrom('rectification_events')
    .select('action')
    .where('task_id', '=', taskId)
    .where('action', 'in', ['verify', 'verify_unfounded'])
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
  return r?.action;
}

/** The action of the most recent event that led the task into 复核 ('feedback' when it came through a call-back). */
export async function lastActionIntoReview(db: Queryable, taskId: number): Promise<string | undefined> {
  const r = await db
    .selectFrom('rectification_events')
    .select('action')
    .where('task_id', '=', taskId)
    .where('to_state', '=', 'reviewing')
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
  return r?.action;
}

export async function getRectification(db: Kysely<DB>, p: Principal, id: number, opts: { today?: string } = {}): Promise<RectificationDetail> {
  const row = await loadVisibleTask(db, p, id);
  const scope = scopeOfTask(row);
  const events = await db
    .selectFrom('rectification_events as ev')
    .innerJoin('accounts as ac', 'ac.id', 'ev.actor_id')
    .select(['ev.at', 'ev.action', 'ev.from_state', 'ev.to_state', 'ev.note', 'ac.name', 'ac.staff_no'])
    .where('ev.task_id', '=', id)
    .orderBy('ev.id')
    .execute();
  const verify = [...events].reverse().find((e) => e.action === 'verify' || e.action === 'verify_unfounded');
  const intoReview = [...events].reverse().find((e) => e.to_state === 'reviewing');
  const canRectify = can(p, 'evaluation.rectify', scope);
  let contact: RectificationDetail['contact'] = null;
  if (row.state === 'feedback' && canRectify) {
    // the call-back (回访), due on both paths, needs a way to reach the evaluator, not who they are
    const e = await db
      .selectFrom('evaluations as e')
      .innerJoin('accounts as ac', 'ac.id', 'e.evaluator_id')
      .select('ac.mobile')
      .where('e.id', '=', row.evaluation_id)
      .executeTakeFirst();
    contact = { mobile: maskMobile(e?.mobile ?? null) };
  }
  return {
    ...toSummary(row, opts.today ?? chinaToday()),
    outcome: outcomeOf(verify?.action),
    events: events.map((e) => ({
      at: new Date(e.at).toISOString(),
      action: e.action,
      actionLabel: actionLabel(e.action),
      fromState: e.from_state as RectificationState,
      toState: e.to_state as RectificationState,
      note: e.note,
      // the actors are staff: their names are part of the record; the evaluator never acts here
      actor: { name: e.name, staffNo: e.staff_no },
    })),
    allowedActions: RECTIFICATION_ACTION_KEYS.filter(
      (a) =>
        RECTIFICATION_ACTIONS[a].from === row.state &&
        can(p, RECTIFICATION_ACTIONS[a].permission, scope) &&
        // no 办结 without a recorded call-back
        (a !== 'approve' || calledBack(intoReview?.action)),
    ).map((a) => ({ action: a, label: RECTIFICATION_ACTIONS[a].label })),
    contact,
  };
}
