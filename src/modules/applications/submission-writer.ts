/**
 * Writes checked submissions in batches (group commit): while one transaction commits, the submissions that
 * arrive queue up, and the next transaction writes all of them — applications, first timeline entries, draft
 * files, notifications and audit rows — with a handful of multi-row statements and one turn of the audit chain
 * head. Every submission is still durable before its request is answered, and its rows commit together.
 *
 * If a batch fails, each of its submissions is retried in a transaction of its own, so one bad row cannot fail
 * the others. Duplicates of an idempotency key (in the batch or already stored) are left out by the unique
 * constraint; their callers read the stored application.
 */
import type { Insertable, Kysely, Transaction } from 'kysely';
import type { ApplicationTable, DB } from '../../db/schema.ts';
import type { AuditEventInput } from '../audit/audit.types.ts';
import { recordAuditEvents } from '../audit/record-audit-event.ts';
import { attachDraftFiles } from '../attachments/attach-draft-files.ts';
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
          const written = await this.db.transaction().execute((trx) => writeBatch(trx, batch.map((b) => b.job)));
          batch.forEach((b, i) => b.resolve(written[i]!));
        } catch (err) {
          if (batch.length === 1) {
            batch[0]!.reject(err);
            continue;
          }
          for (const b of batch) {
            try {
              const [w] = await this.db.transaction().execute((trx) => writeBatch(trx, [b.job]));
              b.resolve(w!);
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

/** Writes the jobs in one transaction; true for each job whose application was created (false: a duplicate key). */
async function writeBatch(trx: Transaction<DB>, jobs: SubmissionJob[]): Promise<boolean[]> {
  const inserted = await trx
    .insertInto('applications')
    .values(jobs.map((j) => j.values))
    .onConflict((oc) => oc.columns(['submitted_by', 'idempotency_key']).doNothing())
    .returning(['id', 'number'])
    .execute();
  const idByNumber = new Map(inserted.map((r) => [r.number, r.id]));
  const made = jobs.flatMap((j) => {
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
  return jobs.map((j) => idByNumber.has(j.values.number));
}

const writers = new WeakMap<object, SubmissionWriter>();

/** Writes one checked submission (batched with concurrent ones); false when its idempotency key was already used. */
export function writeSubmission(db: Kysely<DB>, job: SubmissionJob): Promise<boolean> {
  let w = writers.get(db);
  if (!w) writers.set(db, (w = new SubmissionWriter(db)));
  return w.write(job);
}
