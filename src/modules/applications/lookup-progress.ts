/**
 * 办件进度查询 without signing in: the application number and the applicant's ID number (resident ID or credit
 * code) together. A wrong pair — either part — gets the same "not found"; failures count against the caller's IP
 * and lock it for a while, so numbers cannot be tried one after another. The answer holds no personal data.
 */
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { NotFoundError } from '../../shared/errors.ts';
import { assertNotLocked, countAgainst, type Limit } from '../identity/throttle.ts';
import { loadWorkflow } from './workflows.ts';
import { actionLabel, stateLabel } from './get-application.ts';

export const PROGRESS_FAILURES_PER_IP: Limit = { max: 20, windowSeconds: 15 * 60, lockSeconds: 15 * 60 };

export interface ProgressView {
  number: string;
  itemName: string;
  departmentName: string;
  stateLabel: string;
  submittedAt: string;
  dueOn: string | null;
  deadlineStatus: string;
  closed: boolean;
  steps: { at: string; label: string; stateLabel: string }[];
}

export async function lookupProgress(db: Kysely<DB>, input: { number: string; idNumber: string; ip: string }): Promise<ProgressView> {
  const key = `progress-ip:${input.ip}`;
  await assertNotLocked(db, [key], (m) => `查询失败次数过多，请 ${m} 分钟后再试`);
  const app = await db
    .selectFrom('applications as a')
    .innerJoin('departments as d', 'd.id', 'a.department_id')
    .select(['a.id', 'a.number', 'a.item_name', 'a.state', 'a.workflow_key', 'a.workflow_version', 'a.submitted_at', 'a.state_due_on', 'a.deadline_status', 'a.closed_at', 'a.subject_id_number', 'd.name as department_name'])
    .where('a.number', '=', input.number.trim())
    .executeTakeFirst();
  if (!app || app.subject_id_number.toUpperCase() !== input.idNumber.trim().toUpperCase()) {
    await countAgainst(db, key, PROGRESS_FAILURES_PER_IP);
    throw new NotFoundError('未查询到办件：请核对办件编号和证件号码', 'number');
  }
  const w = await loadWorkflow(db, app.workflow_key, app.workflow_version);
  const events = await db.selectFrom('application_events').select(['at', 'action', 'to_state']).where('application_id', '=', app.id).orderBy('seq').execute();
  return {
    number: app.number,
    itemName: app.item_name,
    departmentName: app.department_name,
    stateLabel: stateLabel(w, app.state),
    submittedAt: new Date(app.submitted_at).toISOString(),
    dueOn: app.closed_at ? null : app.state_due_on,
    deadlineStatus: app.deadline_status,
    closed: app.closed_at !== null,
    steps: events.map((e) => ({ at: new Date(e.at).toISOString(), label: actionLabel(w, e.action), stateLabel: stateLabel(w, e.to_state) })),
  };
}
