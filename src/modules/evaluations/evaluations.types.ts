/**
 * 好差评 (service evaluation, GB/T 39734-2020, GB/T 39735-2020): five levels, the online indicators, grades,
 * and the rectification (差评整改) of a 差评 through 核实 → 整改 → 反馈 → 复核.
 */
import type { EvaluationGrade, RectificationState } from '../../db/schema.ts';

/** 评价等级: 5 非常满意 … 1 非常不满意. */
export const LEVELS = { 5: '非常满意', 4: '满意', 3: '基本满意', 2: '不满意', 1: '非常不满意' } as const satisfies Record<number, string>;
export type Level = 1 | 2 | 3 | 4 | 5;
export const LEVEL_VALUES: Level[] = [5, 4, 3, 2, 1];

/** 网上评价指标 (each 1–5). */
export const INDICATORS = {
  overall: '整体满意度',
  efficiency: '办事效率',
  guideAccuracy: '办事指南精确度',
  convenience: '办事便捷度',
  usability: '平台操作性',
} as const;
export type IndicatorKey = keyof typeof INDICATORS;
export const INDICATOR_KEYS = Object.keys(INDICATORS) as IndicatorKey[];
export type Indicators = Record<IndicatorKey, number>;

/** 好评 4–5, 中评 3, 差评 1–2. */
export const GRADES = { good: '好评', neutral: '中评', bad: '差评' } as const satisfies Record<EvaluationGrade, string>;

export function gradeOf(level: number): EvaluationGrade {
  return level >= 4 ? 'good' : level === 3 ? 'neutral' : 'bad';
}

/** A 差评's comment must say what went wrong. */
export const BAD_COMMENT_MIN = 5;
export const COMMENT_MAX = 500;

/** 差评整改时限: 15 working days from the day the 差评 is given. */
export const RECTIFICATION_WORKING_DAYS = 15;

/** Application states (from the workflow engine) after which the applicant may rate: 已送达/办结, 不予受理. */
export const EVALUABLE_STATES = ['delivered', 'not_accepted'] as const;
export const WITHDRAWN_STATE = 'withdrawn';

export const RECTIFICATION_STATES = {
  verifying: '核实',
  rectifying: '整改',
  feedback: '反馈',
  reviewing: '复核',
  closed: '已办结',
  dismissed: '核实不属实',
} as const satisfies Record<RectificationState, string>;
export const RECTIFICATION_STATE_KEYS = Object.keys(RECTIFICATION_STATES) as RectificationState[];
export const FINISHED_STATES: RectificationState[] = ['closed', 'dismissed'];

export interface EvaluationInput {
  level: Level;
  indicators: Indicators;
  comment: string;
}

export interface SubmittedEvaluation {
  id: number;
  applicationNumber: string;
  level: Level;
  levelLabel: string;
  grade: EvaluationGrade;
  gradeLabel: string;
  indicators: Indicators;
  comment: string;
  createdAt: string;
  /** A 差评 opens a rectification task (整改), due in 15 working days. */
  rectification: { id: number; dueOn: string } | null;
}

/** What staff see of an evaluation: never the evaluator (name, ID number, mobile). */
export interface StaffEvaluationView {
  id: number;
  level: Level;
  levelLabel: string;
  grade: EvaluationGrade;
  gradeLabel: string;
  indicators: Indicators;
  comment: string;
  createdAt: string;
  applicationNumber: string;
  item: { code: string; name: string };
}

export interface RectificationSummary {
  id: number;
  state: RectificationState;
  stateLabel: string;
  version: number;
  dueOn: string;
  /** due_on is before today (Beijing) and the task is not finished */
  overdue: boolean;
  createdAt: string;
  closedAt: string | null;
  department: { id: number; name: string };
  evaluation: StaffEvaluationView;
}

export interface RectificationEventView {
  at: string;
  action: string;
  actionLabel: string;
  fromState: RectificationState;
  toState: RectificationState;
  note: string;
  actor: { name: string; staffNo: string | null };
}

export interface RectificationDetail extends RectificationSummary {
  /** 'unfounded' while a 核实 that found the complaint unfounded awaits the call-back and 复核 (or after it was dismissed). */
  outcome: 'founded' | 'unfounded' | null;
  events: RectificationEventView[];
  /** The actions this viewer may take now. */
  allowedActions: { action: string; label: string }[];
  /** For the call-back (回访) only: the evaluator's mobile, masked, in the 反馈 step (on both paths), to staff who rectify. */
  contact: { mobile: string | null } | null;
}
