/**
 * Background jobs shared by several app servers: each job has one row in `job_leases`; a server runs the job
 * only after taking the lease with one atomic UPDATE (the lease has expired), so in any interval at most one
 * server runs it. The jobs are also written to be harmless if run twice (their updates are guarded), so a
 * server that stalls past its lease cannot do damage.
 */
import { randomUUID } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';

export interface Job {
  name: string;
  everyMs: number;
  run: () => Promise<Record<string, unknown>>;
}

/** Takes the lease of `name` for `ms` if it is free; true when this holder may run the job now. */
export async function takeLease(db: Kysely<DB>, name: string, holder: string, ms: number): Promise<boolean> {
  await db.insertInto('job_leases').values({ name }).onConflict((oc) => oc.column('name').doNothing()).execute();
  const r = await db
    .updateTable('job_leases')
    .set({ holder, lease_until: sql`now() + ${`${Math.max(1, Math.round(ms))} milliseconds`}::interval` })
    .where('name', '=', name)
    .where('lease_until', '<', sql<Date>`now()`)
    .returning('name')
    .executeTakeFirst();
  return !!r;
}

export async function recordRun(db: Kysely<DB>, name: string, result: Record<string, unknown>): Promise<void> {
  await db.updateTable('job_leases').set({ last_run_at: sql`now()`, last_result: JSON.stringify(result) }).where('name', '=', name).execute();
}

/** Runs the jobs every `intervalMs` on this server, each when its lease allows. */
export class JobScheduler {
  private timer: NodeJS.Timeout | undefined;
  private running = false;
  readonly holder = `${process.pid}-${randomUUID().slice(0, 8)}`;

  constructor(
    private readonly db: Kysely<DB>,
    private readonly jobs: Job[],
    private readonly onError: (job: string, err: unknown) => void,
  ) {}

  start(intervalMs: number): void {
    if (intervalMs <= 0 || this.timer) return;
    this.timer = setInterval(() => void this.tick(), intervalMs);
    this.timer.unref();
  }

  async tick(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      for (const job of this.jobs) {
        try {
          if (!(await takeLease(this.db, job.name, this.holder, job.everyMs))) continue;
          await recordRun(this.db, job.name, await job.run());
        } catch (err) {
          this.onError(job.name, err);
        }
      }
    } finally {
      this.running = false;
    }
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }
}
