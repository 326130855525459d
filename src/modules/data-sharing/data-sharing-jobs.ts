/** The sharing module's background job, run on every server under a lease (modules/jobs): overdue escalation. */
import type { AppContext } from '../../http/context.ts';
import type { Job } from '../jobs/job-lease.ts';
import { escalateOverdueRequests } from './escalate-overdue-requests.ts';

export function dataSharingJobs(ctx: AppContext): Job[] {
  return [{ name: 'share-escalations', everyMs: 5 * 60_000, run: async () => ({ ...(await escalateOverdueRequests(ctx.db)) }) }];
}
