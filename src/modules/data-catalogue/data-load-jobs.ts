/**
 * The data loads' background job: the loader (process-data-loads.ts), looked for every few seconds on every
 * server. A load of millions of rows takes a while, so the job only starts the loader and returns; one loader
 * at a time per server; several servers load different resources at once (each claims its own load).
 */
import type { AppContext } from '../../http/context.ts';
import type { Job } from '../jobs/job-lease.ts';
import { processDataLoads, type ProcessSummary } from './process-data-loads.ts';

export function dataLoadJobs(ctx: AppContext, o: { onDone?: (summary: ProcessSummary | undefined) => void } = {}): Job[] {
  let running: Promise<ProcessSummary | undefined> | undefined;
  let last: ProcessSummary | undefined;
  return [
    {
      name: 'data-loads',
      everyMs: Math.max(1000, ctx.config.jobsIntervalMs),
      run: async () => {
        if (running) return { busy: true };
        running = processDataLoads(ctx)
          .then((s) => (last = s))
          .catch((err: unknown) => {
            process.stderr.write(`数据装载任务出错：${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
            return undefined;
          })
          .finally(() => (running = undefined))
          .then((s) => {
            o.onDone?.(s);
            return s;
          });
        return { started: true, ...(last ? { previous: last } : {}) };
      },
    },
  ];
}
