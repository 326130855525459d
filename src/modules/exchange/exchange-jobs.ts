/** The exchange's background job: delivering change notifications to subscribers (webhook-deliveries). */
import type { AppContext } from '../../http/context.ts';
import type { Job } from '../jobs/job-lease.ts';
import { deliverWebhooks } from './deliver-webhooks.ts';

export function exchangeJobs(ctx: AppContext): Job[] {
  return [
    {
      name: 'webhook-deliveries',
      everyMs: 5000,
      run: async () => ({ ...(await deliverWebhooks(ctx)) }),
    },
  ];
}
