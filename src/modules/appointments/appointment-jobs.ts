/** The appointments' background jobs, run on every server under leases (modules/jobs). */
import type { AppContext } from '../../http/context.ts';
import type { Job } from '../jobs/job-lease.ts';
import { expireHolds } from './expire-holds.ts';
import { recordNoShows } from './record-no-shows.ts';

export function appointmentJobs(ctx: AppContext): Job[] {
  return [
    { name: 'appointment-holds', everyMs: 30_000, run: async () => ({ ...(await expireHolds(ctx.db)) }) },
    { name: 'appointment-no-shows', everyMs: 5 * 60_000, run: async () => ({ ...(await recordNoShows(ctx.db)) }) },
  ];
}
