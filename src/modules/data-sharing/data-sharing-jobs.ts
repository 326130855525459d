// placeholder: replaced by the module's jobs
import type { AppContext } from '../../http/context.ts';
import type { Job } from '../jobs/job-lease.ts';

export function dataSharingJobs(_ctx: AppContext): Job[] {
  return [];
}
