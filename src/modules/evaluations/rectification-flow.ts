/**
 * 差评整改 as data: which action moves a task from which state to which, and who may take it.
 *
 *   verifying 核实 ──verify (属实)──────────▶ rectifying 整改 ──rectify──▶ feedback 反馈 ──feedback (回访)──▶ reviewing 复核
 *   verifying 核实 ──verify_unfounded (不属实)─────────────────────────────▶ feedback 反馈
 *   reviewing ──approve──▶ closed (属实) / dismissed (不属实)
 *   reviewing ──return───▶ rectifying (属实) / verifying (不属实)
 *
 * Every 差评 is real-name (only a signed-in applicant rates), and every real-name 差评 is called back (回访): on both
 * paths the task passes 反馈, where the department calls the evaluator back (told the 整改 done, or why the complaint
 * was found unfounded) and records it, before 复核. 复核 approves only a task that reached it through a recorded
 * call-back (a task that skipped it under an older flow can only be returned).
 * A task is dismissed only through 复核: the department cannot bury a 差评 on its own.
 */
import type { RectificationState } from '../../db/schema.ts';
import type { Permission } from '../access/permissions.ts';

export type RectificationAction = 'verify' | 'verify_unfounded' | 'rectify' | 'feedback' | 'approve' | 'return';
export type Outcome = 'founded' | 'unfounded';

export interface ActionRule {
  label: string;
  from: RectificationState;
  permission: Permission;
  /** Where the action leads; in 复核 it depends on whether the 核实 found the complaint founded. */
  to: (outcome: Outcome) => RectificationState;
  /** What the note (说明) should say, for the form. */
  noteLabel: string;
}

export const RECTIFICATION_ACTIONS: Record<RectificationAction, ActionRule> = {
  verify: { label: '核实属实，开始整改', from: 'verifying', permission: 'evaluation.rectify', to: () => 'rectifying', noteLabel: '核实情况' },
  verify_unfounded: {
    label: '核实不属实，进入回访',
    from: 'verifying',
    permission: 'evaluation.rectify',
    to: () => 'feedback',
    noteLabel: '核实情况及不属实的依据',
  },
  rectify: { label: '整改完成，进入回访', from: 'rectifying', permission: 'evaluation.rectify', to: () => 'feedback', noteLabel: '整改措施' },
  feedback: { label: '已回访评价人，提请复核', from: 'feedback', permission: 'evaluation.rectify', to: () => 'reviewing', noteLabel: '回访情况' },
  approve: {
    label: '复核通过，办结',
    from: 'reviewing',
    permission: 'evaluation.review',
    to: (o) => (o === 'unfounded' ? 'dismissed' : 'closed'),
    noteLabel: '复核意见',
  },
  return: {
    label: '复核不通过，退回',
    from: 'reviewing',
    permission: 'evaluation.review',
    to: (o) => (o === 'unfounded' ? 'verifying' : 'rectifying'),
    noteLabel: '退回理由',
  },
};

export const RECTIFICATION_ACTION_KEYS = Object.keys(RECTIFICATION_ACTIONS) as RectificationAction[];

/** The label of an action in the timeline (a history row may name an action by its key). */
export function actionLabel(action: string): string {
  return (RECTIFICATION_ACTIONS as Record<string, ActionRule | undefined>)[action]?.label ?? action;
}

/**
 * Did the task reach its current 复核 through a recorded call-back? `lastActionIntoReview` is the action of the most
 * recent event that led into 'reviewing'; under this flow it is always 'feedback' (回访).
 */
export function calledBack(lastActionIntoReview: string | undefined): boolean {
  return lastActionIntoReview === 'feedback';
}

/**
 * The outcome of the last 核实: both paths reach 复核 through 反馈 (回访); which one was taken is the last 核实 decision.
 * `lastVerifyAction` is the most recent of 'verify' / 'verify_unfounded' in the task's events.
 */
export function outcomeOf(lastVerifyAction: string | undefined): Outcome | null {
  if (lastVerifyAction === 'verify_unfounded') return 'unfounded';
  if (lastVerifyAction === 'verify') return 'founded';
  return null;
}

export const NOTE_MIN = 2;
export const NOTE_MAX = 1000;
