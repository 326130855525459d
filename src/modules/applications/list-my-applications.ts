/**
 * 我的办件: the applications the signed-in person submitted or that are theirs — or, while acting for an
 * enterprise or person, that principal's — newest first, a page at a time.
 */
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';
import type { PersonPrincipal } from '../access/principal.ts';
import { loadWorkflow } from './workflows.ts';

export interface MyApplicationRow {
  number: string;
  itemName: string;
  state: string;
  stateLabel: string;
  submittedAt: string;
  dueOn: string | null;
  deadlineStatus: string;
  closed: boolean;
  decision: string | null;
}

export async function listMyApplications(db: Kysely<DB>, p: PersonPrincipal, o: { limit?: number; before?: string } = {}): Promise<{ items: MyApplicationRow[]; next: string | null }> {
  const limit = Math.min(Math.max(o.limit ?? 20, 1), 100);
  let q = db
    .selectFrom('applications')
    .select(['id', 'number', 'item_name', 'state', 'workflow_key', 'workflow_version', 'submitted_at', 'state_due_on', 'deadline_status', 'closed_at', 'decision']);
  if (p.acting) {
    q = q.where('subject_type', '=', p.acting.principalType).where('subject_id', '=', p.acting.principalId);
  } else {
    const me = p.accountId;
    // one's own and those submitted for other persons; an enterprise's are listed while acting for it
    q = q.where('subject_type', '=', 'person').where((eb) => eb.or([eb('submitted_by', '=', me), eb('subject_id', '=', me)]));
  }
  if (o.before) q = q.where('id', '<', Number(o.before));
  const rows = await q.orderBy('id', 'desc').limit(limit + 1).execute();
  const items: MyApplicationRow[] = [];
  for (const r of rows.slice(0, limit)) {
    const w = await loadWorkflow(db, r.workflow_key, r.workflow_version);
    items.push({
      number: r.number,
      itemName: r.item_name,
      state: r.state,
      stateLabel: w.states[r.state]?.label ?? r.state,
      submittedAt: new Date(r.submitted_at).toISOString(),
      dueOn: r.state_due_on,
      deadlineStatus: r.deadline_status,
      closed: r.closed_at !== null,
      decision: r.decision,
    });
  }
  return { items, next: rows.length > limit ? String(rows[limit - 1]!.id) : null };
}
