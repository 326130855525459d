/**
 * Workflows as data (办理流程), like DIGIT's business services: the states an application passes through, who
 * acts in each, the SLA of each state in working days, and the actions that move it on. A definition is stored
 * in the `workflows` table under (key, version) and never changed; an application keeps the version it started
 * with.
 */
import type { StaffRole } from '../../db/schema.ts';

/** What the working-day clock does while an application is in a state. */
export type ClockMode =
  | 'acceptance' // running: the acceptance period (受理审查, 5 working days)
  | 'decision' // running: the decision period, from acceptance (法定/承诺办结时限)
  | 'paused' // stopped for a reason that is excluded by law (补正, 听证, 检验检测, 专家评审 …)
  | 'stopped'; // finished

export interface WorkflowState {
  label: string; // 待受理
  /** Who acts now: the applicant or a staff role; null for a final state. */
  actor: 'applicant' | StaffRole | null;
  /** The SLA of the state in working days (e.g. 5 for 受理); the decision states run against the item's limits. */
  slaDays?: number;
  clock: ClockMode;
  final?: boolean;
}

/** What an action does beyond moving the state; the engine implements each effect once. */
export type ActionEffect =
  | 'accept' // 受理: the decision clock starts
  | 'not_accept' // 不予受理: closed with reasons and legal basis
  | 'request_supplement' // 补正告知: one complete list; the clock pauses
  | 'supplement' // the applicant supplements; back to the state it came from
  | 'transfer' // 移交: to another department, which accepts or not
  | 'forward' // 审查通过 / 退回: no effect beyond the state
  | 'suspend' // 中止计时: an excluded period (听证, 检验检测, 专家评审 …) with a reason and expected length
  | 'resume' // 恢复计时
  | 'extend' // 延期: once, by approval, at most 10 working days
  | 'approve' // 准予: concluded, the licence issued and delivered electronically
  | 'reject' // 不予: concluded, the decision issued with reasons and legal basis
  | 'withdraw'; // 撤回 by the applicant

export interface WorkflowAction {
  label: string; // 受理
  from: string[];
  /** The next state; 'resume' returns to the state kept in resume_state; 'same' stays. */
  to: string | 'resume' | 'same';
  by: 'applicant' | StaffRole[];
  effect: ActionEffect;
  /** What the request must carry (the engine checks; pages show the fields). */
  needs?: { comment?: boolean; legalBasis?: boolean };
}

export interface WorkflowDefinition {
  key: string;
  version: number;
  name: string;
  initial: string;
  states: Record<string, WorkflowState>;
  actions: Record<string, WorkflowAction>;
}
