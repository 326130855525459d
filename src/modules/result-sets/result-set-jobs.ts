/**
 * The result sets' background job: the loader (process-result-loads.ts), looked for every few seconds on every
 * server. A load of millions of rows takes a while, so the job only starts the loader and returns: the server's
 * other jobs keep their schedule. One loader at a time per server; several servers load different files at
 * once (each claims its own load).
 */
import type { AppContext } from '../../http/context.ts';
import type { Job } from '../jobs/job-lease.ts';
import { processResultLoads, type ProcessSummary } from './process-result-loads.ts';

export function resultSetJobs(ctx: AppContext, o: { onDone?: (summary: ProcessSummary | undefined) => void } = {}): Job[] {
  let running: Promise<ProcessSummary | undefined> | undefined;
  let last: ProcessSummary | undefined;
  return [
    {
      name: 'result-loads',
      everyMs: Math.max(1000, ctx.config.jobsIntervalMs),
      run: async () => {
        if (running) return { busy: true };
        running = processResultLoads(ctx)
          .then((s) => (last = s))
          .catch((err: unknown) => {
            process.stderr.write(`结果数据导入任务出错：${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
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
