/**
 * Tells the applicant what happened (办件通知): a message in the in-app inbox of the person who submitted and of
 * the person applied for, and a copy through the message adapter (SMS), which a background job sends so that a
 * slow gateway never holds a transaction.
 */
import type { Transaction } from 'kysely';
import type { DB } from '../../db/schema.ts';

interface Addressee {
  id: number;
  number: string;
  submitted_by: string;
  subject_type: 'person' | 'enterprise';
  subject_id: string;
}

export function notificationRows(app: Addressee, message: { title: string; body: string }) {
  const to = new Set([app.submitted_by]);
  if (app.subject_type === 'person') to.add(app.subject_id);
  return [...to].map((accountId) => ({
    account_id: accountId,
    application_id: app.id,
    title: message.title,
    body: message.body,
    link: `/my/applications/${app.number}`,
    sms_state: 'pending' as const,
  }));
}

export async function notifyApplicant(trx: Transaction<DB>, app: Addressee, message: { title: string; body: string }): Promise<void> {
  await trx.insertInto('notifications').values(notificationRows(app, message)).execute();
}
