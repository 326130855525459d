/**
 * 办件进度查询 without signing in: the application number and the applicant's ID number (resident ID or credit
 * code) together. A wrong pair — either part — gets the same "not found". The answer holds no personal data.
 * Guessing is limited twice, in `auth_throttle` (shared by every server):
 * - per application number typed ('progress-number:<number>'): every lookup is counted BEFORE the pair is checked
 *   (takeAttempts, atomically), so parallel guesses of one application's ID number cannot all pass a lock check
 *   made before any of them was counted; an unknown number locks exactly like a known one; a right pair clears it.
 * - per IP ('progress-ip:<ip>'): checked before; only wrong pairs count (many people behind one office or carrier
 *   address look up their own applications at once, and their successes must not lock it), and a wrong pair is
 *   counted atomically with a second look at the lock, so parallel wrong pairs beyond the limit get 429, not 404.
 */
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { NotFoundError } from '../../shared/errors.ts';
import { assertNotLocked, clearCounter, takeAttempts, type Limit } from '../identity/throttle.ts';
import { loadWorkflow } from './workflows.ts';
import { actionLabel, stateLabel } from './get-application.ts';

export const PROGRESS_FAILURES_PER_IP: Limit = { max: 20, windowSeconds: 15 * 60, lockSeconds: 15 * 60 };
export const PROGRESS_ATTEMPTS_PER_NUMBER: Limit = { max: 5, windowSeconds: 15 * 60, lockSeconds: 15 * 60 };

const lockMessage = (minutes: number) => `查询失败次数过多，请 ${minutes} 分钟后再试`;

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
  const number = input.number.trim();
  const ipKey = `progress-ip:${input.ip}`;
  const numberKey = `progress-number:${number.slice(0, 64)}`;
  await assertNotLocked(db, [ipKey], lockMessage);
  await takeAttempts(db, [{ key: numberKey, limit: PROGRESS_ATTEMPTS_PER_NUMBER }], lockMessage);
  const app = await db
    .selectFrom('applications as a')
    .innerJoin('departments as d', 'd.id', 'a.department_id')
    .select(['a.id', 'a.number', 'a.item_name', 'a.state', 'a.workflow_key', 'a.workflow_version', 'a.submitted_at', 'a.state_due_on', 'a.deadline_status', 'a.closed_at', 'a.subject_id_number', 'd.name as department_name'])
    .where('a.number', '=', number)
    .executeTakeFirst();
  if (!app || app.subject_id_number.toUpperCase() !== input.idNumber.trim().toUpperCase()) {
    // counts the failure against the IP, or answers 429 if parallel failures locked it since the check above
    await takeAttempts(db, [{ key: ipKey, limit: PROGRESS_FAILURES_PER_IP }], lockMessage);
    throw new NotFoundError('未查询到办件：请核对办件编号和证件号码', 'number');
  }
  await clearCounter(db, numberKey);
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
