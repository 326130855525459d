/**
 * The staff inbox (待办): open applications of the departments the staff member's roles reach, in the states
 * those roles act in, most urgent first; with counts by state and deadline colour. One indexed query for the
 * page (applications_inbox_idx: department, state, running deadline) and one index-only query for the counts.
 *
 * The colour is read from the deadline itself, as of now: overdue before today, due soon up to YIWANG_DUE_SOON_DAYS
 * working days ahead, normal after that or while the clock is paused (补正, 特别程序). That is what the deadline
 * job writes into `deadline_status` too; reading it from `state_due_on` keeps the filters index ranges and the
 * counts exact between two runs of the job.
 */
import { sql, type Kysely } from 'kysely';
import type { DB, DeadlineStatus, StaffRole } from '../../db/schema.ts';
import type { StaffPrincipal } from '../access/principal.ts';
import { departmentsInScope } from '../access/authorize.ts';
import { roleHas } from '../access/permissions.ts';
import { STANDARD_WORKFLOWS } from './workflows.ts';
import { chinaToday, getWorkingCalendar } from '../calendar/working-calendar.ts';
import { InvalidParameterError } from '../../shared/errors.ts';

export interface InboxFilter {
  state?: string;
  deadline?: DeadlineStatus;
  escalated?: boolean;
  itemCode?: string;
  q?: string; // application number or applicant name
  limit?: number;
  after?: string; // cursor from the previous page
}

export interface InboxRow {
  number: string;
  itemCode: string;
  itemName: string;
  subjectName: string;
  state: string;
  stateLabel: string;
  dueOn: string | null;
  deadlineStatus: DeadlineStatus;
  escalated: boolean;
  submittedAt: string;
  version: number;
}

export interface Inbox {
  items: InboxRow[];
  next: string | null;
  counts: { state: string; stateLabel: string; normal: number; dueSoon: number; overdue: number; total: number }[];
  states: { state: string; label: string }[];
}

const STATE_LABELS = new Map<string, string>();
const PAUSED_STATES = new Set<string>();
for (const w of STANDARD_WORKFLOWS) {
  for (const [k, s] of Object.entries(w.states)) {
    if (!STATE_LABELS.has(k)) STATE_LABELS.set(k, s.label);
    if (s.clock === 'paused') PAUSED_STATES.add(k);
  }
}

/** The states a set of roles acts in (in every standard workflow); approvers also see what was escalated to them. */
export function statesForRoles(roles: StaffRole[]): string[] {
  const out = new Set<string>();
  for (const w of STANDARD_WORKFLOWS) for (const [k, s] of Object.entries(w.states)) if (s.actor && s.actor !== 'applicant' && roles.includes(s.actor)) out.add(k);
  return [...out];
}

export async function listStaffInbox(db: Kysely<DB>, p: StaffPrincipal, f: InboxFilter = {}, o: { dueSoonDays?: number; today?: string } = {}): Promise<Inbox> {
  const departments = await departmentsInScope(db, p, 'application.handle');
  const roles = [...new Set(p.roles.filter((g) => roleHas(g.role, 'application.handle')).map((g) => g.role))];
  let states = statesForRoles(roles);
  // approvers oversee the department's open work: 待补正 and 特别程序 too, and everything escalated to them
  if (roles.includes('approver')) states = [...new Set([...states, ...statesForRoles(['window_clerk', 'reviewer']), 'supplement', 'suspended'])];
  const stateList = states.map((s) => ({ state: s, label: STATE_LABELS.get(s) ?? s }));
  if (!departments.length || !states.length) return { items: [], next: null, counts: [], states: stateList };
  const chosen = f.state ? states.filter((s) => s === f.state) : states;
  const limit = Math.min(Math.max(f.limit ?? 20, 1), 100);
  const today = o.today ?? chinaToday();
  const soon = (await getWorkingCalendar(db)).addWorkingDays(today, o.dueSoonDays ?? 2);
  const running = chosen.filter((s) => !PAUSED_STATES.has(s));
  const colour = sql<DeadlineStatus>`CASE WHEN state IN (${sql.join([...PAUSED_STATES])}) OR state_due_on IS NULL THEN 'normal'
    WHEN state_due_on < ${today}::date THEN 'overdue' WHEN state_due_on <= ${soon}::date THEN 'due_soon' ELSE 'normal' END`;

  let q = db
    .selectFrom('applications')
    .select(['id', 'number', 'item_code', 'item_name', 'subject_name', 'state', 'state_due_on', colour.as('deadline_status'), 'escalated_at', 'submitted_at', 'version'])
    .where('closed_at', 'is', null)
    .where('department_id', 'in', departments);
  if (f.deadline === 'overdue') q = q.where('state', 'in', running.length ? running : ['-']).where('state_due_on', '<', today);
  else if (f.deadline === 'due_soon') q = q.where('state', 'in', running.length ? running : ['-']).where('state_due_on', '>=', today).where('state_due_on', '<=', soon);
  else if (f.deadline === 'normal') {
    q = q
      .where('state', 'in', chosen.length ? chosen : ['-'])
      .where((eb) => eb.or([eb('state', 'in', [...PAUSED_STATES]), eb('state_due_on', 'is', null), eb('state_due_on', '>', soon)]));
  } else q = q.where('state', 'in', chosen.length ? chosen : ['-']);
  if (f.escalated) q = q.where('escalated_at', 'is not', null);
  if (f.itemCode) q = q.where('item_code', '=', f.itemCode);
  if (f.q) {
    const term = f.q.trim();
    q = /^[0-9-]{6,}$/.test(term) ? q.where('number', 'like', `${term.replace(/[%_]/g, '')}%`) : q.where('subject_name', '=', term);
  }
  if (f.after) {
    const [due, id] = decodeCursor(f.after);
    q = due === null ? q.where('state_due_on', 'is', null).where('id', '>', id) : q.where((eb) => eb.or([eb('state_due_on', '>', due), eb.and([eb('state_due_on', '=', due), eb('id', '>', id)]), eb('state_due_on', 'is', null)]));
  }
  const rows = await q.orderBy(sql`state_due_on ASC NULLS LAST`).orderBy('id').limit(limit + 1).execute();
  const counts = await db
    .selectFrom('applications')
    .select(['state', colour.as('deadline_status'), sql<string>`count(*)`.as('n')])
    .where('closed_at', 'is', null)
    .where('department_id', 'in', departments)
    .where('state', 'in', states)
    .groupBy(['state', sql`2`])
    .execute();
  const byState = new Map<string, { normal: number; dueSoon: number; overdue: number }>();
  for (const c of counts) {
    const e = byState.get(c.state) ?? { normal: 0, dueSoon: 0, overdue: 0 };
    const n = Number(c.n);
    if (c.deadline_status === 'overdue') e.overdue += n;
    else if (c.deadline_status === 'due_soon') e.dueSoon += n;
    else e.normal += n;
    byState.set(c.state, e);
  }
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  return {
    items: page.map((r) => ({
      number: r.number,
      itemCode: r.item_code,
      itemName: r.item_name,
      subjectName: r.subject_name,
      state: r.state,
      stateLabel: STATE_LABELS.get(r.state) ?? r.state,
      dueOn: r.state_due_on,
      deadlineStatus: r.deadline_status,
      escalated: r.escalated_at !== null,
      submittedAt: new Date(r.submitted_at).toISOString(),
      version: r.version,
    })),
    next: rows.length > limit && last ? encodeCursor(last.state_due_on, last.id) : null,
    counts: states.map((s) => {
      const e = byState.get(s) ?? { normal: 0, dueSoon: 0, overdue: 0 };
      return { state: s, stateLabel: STATE_LABELS.get(s) ?? s, ...e, total: e.normal + e.dueSoon + e.overdue };
    }),
    states: stateList,
  };
}

function encodeCursor(due: string | null, id: number): string {
  return Buffer.from(`${due ?? ''}|${id}`).toString('base64url');
}

/**
 * The cursor of the next page: 'YYYY-MM-DD|id' (or '|id' past the dated rows). Anything else — an id that is
 * not a safe integer such as '1e30' or twenty digits, a date that does not exist — is a 400, never a query.
 */
function decodeCursor(c: string): [string | null, number] {
  const parts = Buffer.from(c, 'base64url').toString().split('|');
  const [due, id] = parts;
  const n = Number(id);
  const dateOk = due === '' || (due !== undefined && /^\d{4}-\d{2}-\d{2}$/.test(due) && isCalendarDate(due));
  if (parts.length !== 2 || !dateOk || !/^\d{1,18}$/.test(id ?? '') || !Number.isSafeInteger(n)) {
    throw new InvalidParameterError('after', '翻页参数无效，请回到第一页重新查看');
  }
  return [due ? due : null, n];
}

function isCalendarDate(d: string): boolean {
  const t = new Date(`${d}T00:00:00Z`);
  return !Number.isNaN(t.getTime()) && t.toISOString().slice(0, 10) === d;
}
