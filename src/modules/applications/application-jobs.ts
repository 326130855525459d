/** The applications' background jobs, run on every server under leases (modules/jobs). */
import type { AppContext } from '../../http/context.ts';
import type { Job } from '../jobs/job-lease.ts';
import { updateDeadlines } from './update-deadlines.ts';
import { sendNotificationMessages } from './send-notification-messages.ts';

export function applicationJobs(ctx: AppContext): Job[] {
  return [
    { name: 'application-deadlines', everyMs: 60_000, run: async () => ({ ...(await updateDeadlines(ctx.db, { dueSoonDays: ctx.config.dueSoonDays })) }) },
    { name: 'notification-messages', everyMs: Math.max(1000, ctx.config.jobsIntervalMs), run: async () => sendNotificationMessages(ctx.db, ctx.messages) },
  ];
}
