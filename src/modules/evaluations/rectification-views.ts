/**
 * Reading rectification tasks for staff: the task, its department and the evaluation as staff may see it
 * (level, indicators, comment, item, application number) — the query selects nothing of the evaluator.
 */
import type { Kysely } from 'kysely';
import type { DB, EvaluationGrade, RectificationState } from '../../db/schema.ts';
import type { Principal } from '../access/principal.ts';
import type { DepartmentKind } from '../catalogue/catalogue.types.ts';
import { can } from '../access/authorize.ts';
import { FINISHED_STATES, GRADES, LEVELS, RECTIFICATION_STATES, type Indicators, type Level, type RectificationSummary } from './evaluations.types.ts';

type Queryable = Pick<Kysely<DB>, 'selectFrom'>;

/** The columns of a task as staff see it. */
export function selectTasks(db: Queryable) {
  return db
    .selectFrom('rectification_tasks as t')
    .innerJoin('evaluations as e', 'e.id', 't.evaluation_id')
    .innerJoin('applications as a', 'a.id', 'e.application_id')
    .innerJoin('departments as d', 'd.id', 't.department_id')
    .select([
      't.id', 't.state', 't.version', 't.due_on', 't.created_at', 't.closed_at', 't.department_id',
      'd.name as department_name', 'd.kind as department_kind', 'd.region_code as department_region',
      'e.id as evaluation_id', 'e.level', 'e.grade', 'e.indicators', 'e.comment', 'e.created_at as evaluated_at', 'e.item_code',
      'a.number as application_number', 'a.item_name',
    ]);
}

export type TaskRow = Awaited<ReturnType<ReturnType<typeof selectTasks>['execute']>>[number];

/** 'YYYY-MM-DD' from a date column (the drivers may give a string or, on some paths, a Date). */
export function dateText(v: string | Date): string {
  return typeof v === 'string' ? v.slice(0, 10) : v.toISOString().slice(0, 10);
}

export function isOverdue(state: RectificationState, dueOn: string, today: string): boolean {
  return !FINISHED_STATES.includes(state) && dueOn < today;
}

export function scopeOfTask(r: Pick<TaskRow, 'department_id' | 'department_kind' | 'department_region'>) {
  return { departmentId: r.department_id, departmentKind: r.department_kind as DepartmentKind, regionCode: r.department_region };
}

/** May this principal see the task at all (to rectify it, or to review it)? */
export function maySeeTask(p: Principal, r: Pick<TaskRow, 'department_id' | 'department_kind' | 'department_region'>): boolean {
  const scope = scopeOfTask(r);
  return can(p, 'evaluation.rectify', scope) || can(p, 'evaluation.review', scope);
}

export function toSummary(r: TaskRow, today: string): RectificationSummary {
  const dueOn = dateText(r.due_on);
  const level = r.level as Level;
  return {
    id: r.id,
    state: r.state,
    stateLabel: RECTIFICATION_STATES[r.state],
    version: r.version,
    dueOn,
    overdue: isOverdue(r.state, dueOn, today),
    createdAt: new Date(r.created_at).toISOString(),
    closedAt: r.closed_at ? new Date(r.closed_at).toISOString() : null,
    department: { id: r.department_id, name: r.department_name },
    evaluation: {
      id: r.evaluation_id,
      level,
      levelLabel: LEVELS[level],
      grade: r.grade as EvaluationGrade,
      gradeLabel: GRADES[r.grade as EvaluationGrade],
      indicators: r.indicators as Indicators,
      comment: r.comment,
      createdAt: new Date(r.evaluated_at).toISOString(),
      applicationNumber: r.application_number,
      item: { code: r.item_code, name: r.item_name },
    },
  };
}
