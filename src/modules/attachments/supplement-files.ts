/**
 * 补正 files: while an application waits for 补正 (state `supplement`), the applicant uploads new files for the
 * material slots the one open request (`application_supplements`, not yet answered) lists. A file answers that
 * request when it belongs to the application, is not superseded and was uploaded after the request was made —
 * the same rule the `supplement` effect (applications/act-on-application.ts) applies when the applicant submits
 * the 补正: the older files of a slot that got a new one are then marked superseded, and stay on record.
 */
import type { Kysely } from 'kysely';
import type { DB, SupplementItem } from '../../db/schema.ts';

export const SUPPLEMENT_STATE = 'supplement'; // 待补正

export interface OpenSupplement {
  id: number;
  requestedAt: Date;
  slots: string[]; // the material slots the request lists
}

/** The application's unanswered 补正 request, if any. */
export async function openSupplement(db: Kysely<DB>, applicationId: number): Promise<OpenSupplement | undefined> {
  const r = await db
    .selectFrom('application_supplements')
    .select(['id', 'requested_at', 'items'])
    .where('application_id', '=', applicationId)
    .where('answered_at', 'is', null)
    .orderBy('id', 'desc')
    .executeTakeFirst();
  if (!r) return undefined;
  const items = (typeof r.items === 'string' ? JSON.parse(r.items) : r.items) as SupplementItem[];
  return { id: r.id, requestedAt: new Date(r.requested_at), slots: items.map((i) => i.slot).filter((s): s is string => !!s) };
}

/** Was a current file of the application uploaded for this request (not submitted with the application)? */
export function answersSupplement(file: { created_at: Date | string; superseded_at: Date | string | null }, s: OpenSupplement): boolean {
  return file.superseded_at === null && new Date(file.created_at) > s.requestedAt;
}
