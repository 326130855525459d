/**
 * Tells the applicant what happened (办件通知): a message in the in-app inbox of each addressee, and a copy
 * through the message adapter (SMS), which a background job sends so that a slow gateway never holds a
 * transaction.
 *
 * A person's application goes to the person who submitted it and the person applied for. An enterprise's goes to
 * those who may act for the enterprise now: its legal representative, and the agents of its delegations in force
 * that cover the item — not to an agent whose delegation was revoked or has expired, even if they submitted it.
 */
import { sql, type Transaction } from 'kysely';
import type { DB } from '../../db/schema.ts';

interface Addressee {
  id: number;
  number: string;
  submitted_by: string;
  subject_type: 'person' | 'enterprise';
  subject_id: string;
}

/**
 * The rows for the addressees known without reading the database: the submitter and the person applied for.
 * Right at submission, when the submitter acts for the applicant.
 */
export function notificationRows(app: Addressee, message: { title: string; body: string }, to: Iterable<string> = addresseesAtSubmission(app)) {
  return [...new Set(to)].map((accountId) => ({
    account_id: accountId,
    application_id: app.id,
    title: message.title,
    body: message.body,
    link: `/my/applications/${app.number}`,
    sms_state: 'pending' as const,
  }));
}

function addresseesAtSubmission(app: Addressee): string[] {
  return app.subject_type === 'person' ? [app.submitted_by, app.subject_id] : [app.submitted_by];
}

/** The accounts that may act for the application's applicant now (see above). */
export async function currentAddressees(trx: Transaction<DB>, app: Addressee): Promise<string[]> {
  if (app.subject_type === 'person') return addresseesAtSubmission(app);
  const rep = await trx.selectFrom('enterprises').select('legal_rep_account_id').where('id', '=', app.subject_id).executeTakeFirst();
  const item = await trx
    .selectFrom('applications as a')
    .innerJoin('impl_items as i', 'i.code', 'a.item_code')
    .select('i.basic_code')
    .where('a.id', '=', app.id)
    .executeTakeFirst();
  const agents = await trx
    .selectFrom('delegations')
    .select('agent_account_id')
    .where('principal_type', '=', 'enterprise')
    .where('principal_enterprise_id', '=', app.subject_id)
    .where('revoked_at', 'is', null)
    .where('valid_from', '<=', sql<Date>`now()`)
    .where('valid_until', '>', sql<Date>`now()`)
    .where((eb) => eb.or([sql<boolean>`cardinality(item_codes) = 0`, sql<boolean>`${item?.basic_code ?? ''} = ANY(item_codes)`]))
    .execute();
  return [...new Set([...(rep?.legal_rep_account_id ? [rep.legal_rep_account_id] : []), ...agents.map((g) => g.agent_account_id)])];
}

export async function notifyApplicant(trx: Transaction<DB>, app: Addressee, message: { title: string; body: string }): Promise<void> {
  const rows = notificationRows(app, message, await currentAddressees(trx, app));
  if (rows.length) await trx.insertInto('notifications').values(rows).execute();
}
