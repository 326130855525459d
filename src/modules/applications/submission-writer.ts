/**
 * Writes checked submissions in batches (group commit): while one transaction commits, the submissions that
 * arrive queue up, and the next transaction writes all of them — applications, first timeline entries, draft
 * files, notifications and audit rows — with a handful of multi-row statements and one turn of the audit chain
 * head. Every submission is still durable before its request is answered, and its rows commit together.
 *
 * If a batch fails, each of its submissions is retried in a transaction of its own, so one bad row cannot fail
 * the others. Duplicates of an idempotency key (in the batch or already stored) are left out by the unique
 * constraint; their callers read the stored application.
 *
 * A draft makes one application: the batch first locks the drafts its jobs name (FOR UPDATE, also against other
 * app servers), and of the jobs naming one draft only the first whose draft still exists writes; the others —
 * two browser tabs, different idempotency keys — are refused with a 409 (the draft was already submitted)
 * without failing the rest of the batch. The caller of a refused job still answers a retry of the winning
 * idempotency key with the stored application (submit-application.ts).
 */
import type { Insertable, Kysely, Transaction } from 'kysely';
import type { ApplicationTable, DB } from '../../db/schema.ts';
import type { AuditEventInput } from '../audit/audit.types.ts';
import { recordAuditEvents } from '../audit/record-audit-event.ts';
import { attachDraftFiles } from '../attachments/attach-draft-files.ts';
import { AppError } from '../../shared/errors.ts';
import { notificationRows } from './notify-applicant.ts';

export interface SubmissionJob {
  values: Insertable<ApplicationTable>;
  draftId: number | null;
  materials: string[];
  notification: { title: string; body: string };
  audit: AuditEventInput;
  /** what was obtained by data sharing instead of typed or uploaded (免提交), kept in the first timeline entry */
  shared?: unknown[];
  /** exchange.case_linked: the accesses made for the draft, linked to the application number */
  linkedAudit?: AuditEventInput;
}

const MAX_BATCH = 64; // ~30 parameters per application: well inside PGlite's and pg's limits

interface Pending {
  job: SubmissionJob;
  resolve: (written: boolean) => void;
  reject: (err: unknown) => void;
}

/** What became of one job: written (true), a duplicate idempotency key (false), or refused with an error. */
type JobOutcome = { written: boolean } | { refused: AppError };

const draftAlreadySubmitted = () => new AppError('CONFLICT', '该草稿已提交，不能重复提交；请在“我的办件”中查看已提交的申请', 'draftId');

function settle(b: Pending, o: JobOutcome): void {
  if ('refused' in o) b.reject(o.refused);
  else b.resolve(o.written);
}

class SubmissionWriter {
  private queue: Pending[] = [];
  private flushing = false;
  constructor(private readonly db: Kysely<DB>) {}

  write(job: SubmissionJob): Promise<boolean> {
    return new Promise((resolve, reject) => {
      this.queue.push({ job, resolve, reject });
      if (!this.flushing) void this.flush();
    });
  }

  private async flush(): Promise<void> {
    this.flushing = true;
    try {
      while (this.queue.length) {
        const batch = this.queue.splice(0, MAX_BATCH);
        try {
          // settled once the transaction has committed: a refused caller may then read the stored application
          const outcomes = await this.db.transaction().execute((trx) => writeBatch(trx, batch.map((b) => b.job)));
          batch.forEach((b, i) => settle(b, outcomes[i]!));
        } catch (err) {
          if (batch.length === 1) {
            batch[0]!.reject(err);
            continue;
          }
          for (const b of batch) {
            try {
              const [o] = await this.db.transaction().execute((trx) => writeBatch(trx, [b.job]));
              settle(b, o!);
            } catch (e) {
              b.reject(e);
            }
          }
        }
      }
    } finally {
      this.flushing = false;
    }
  }
}

/**
 * Claims the drafts of the jobs, in the writing transaction: locks the rows that still exist (in id order, so two
 * servers' batches cannot deadlock) and gives each draft to the first job naming it. The indexes of the jobs whose
 * draft is gone (submitted by an earlier transaction) or taken by an earlier job of the batch are returned.
 */
async function claimDrafts(trx: Transaction<DB>, jobs: SubmissionJob[]): Promise<Set<number>> {
  const refused = new Set<number>();
  const ids = [...new Set(jobs.flatMap((j) => (j.draftId === null ? [] : [Number(j.draftId)])))];
  if (!ids.length) return refused;
  const rows = await trx.selectFrom('application_drafts').select('id').where('id', 'in', ids).orderBy('id').forUpdate().execute();
  const available = new Set(rows.map((r) => Number(r.id)));
  jobs.forEach((j, i) => {
    if (j.draftId === null) return;
    const id = Number(j.draftId);
    if (available.delete(id)) return; // the first job naming the draft takes it
    refused.add(i);
  });
  return refused;
}

/** Writes the jobs in one transaction; per job: written, a duplicate key (nothing made), or refused. */
async function writeBatch(trx: Transaction<DB>, jobs: SubmissionJob[]): Promise<JobOutcome[]> {
  const refused = await claimDrafts(trx, jobs);
  const writable = jobs.filter((_, i) => !refused.has(i));
  const inserted = writable.length
    ? await trx
        .insertInto('applications')
        .values(writable.map((j) => j.values))
        .onConflict((oc) => oc.columns(['submitted_by', 'idempotency_key']).doNothing())
        .returning(['id', 'number'])
        .execute()
    : [];
  const idByNumber = new Map(inserted.map((r) => [r.number, r.id]));
  const made = writable.flatMap((j) => {
    const id = idByNumber.get(j.values.number);
    return id === undefined ? [] : [{ job: j, id }];
  });
  if (made.length) {
    await trx
      .insertInto('application_events')
      .values(
        made.map(({ job, id }) => ({
          application_id: id,
          seq: 1,
          action: 'submit',
          from_state: null,
          to_state: job.values.state,
          actor_type: 'applicant' as const,
          actor_account_id: job.values.submitted_by,
          actor_role: null,
          department_id: null,
          details: JSON.stringify(job.shared?.length ? { materials: job.materials, shared: job.shared } : { materials: job.materials }),
        })),
      )
      .execute();
    for (const { job, id } of made) {
      if (job.draftId === null) continue;
      await attachDraftFiles(trx, { draftId: job.draftId, applicationId: id });
      await trx.deleteFrom('application_drafts').where('id', '=', job.draftId).execute();
    }
    await trx
      .insertInto('notifications')
      .values(made.flatMap(({ job, id }) => notificationRows({ ...job.values, id }, job.notification)))
      .execute();
    await recordAuditEvents(
      trx,
      made.flatMap(({ job }) => (job.linkedAudit ? [job.audit, job.linkedAudit] : [job.audit])),
    );
  }
  return jobs.map((j, i) => (refused.has(i) ? { refused: draftAlreadySubmitted() } : { written: idByNumber.has(j.values.number) }));
}

const writers = new WeakMap<object, SubmissionWriter>();

/** Writes one checked submission (batched with concurrent ones); false when its idempotency key was already used. */
export function writeSubmission(db: Kysely<DB>, job: SubmissionJob): Promise<boolean> {
  let w = writers.get(db);
  if (!w) writers.set(db, (w = new SubmissionWriter(db)));
  return w.write(job);
}
