/**
 * At submission (提交申请): the draft's current files become the application's, in the submitting
 * transaction. Returns how many were attached. After this they can no longer be deleted by their uploader.
 */
import type { Transaction } from 'kysely';
import type { DB } from '../../db/schema.ts';

export async function attachDraftFiles(trx: Transaction<DB>, o: { draftId: number; applicationId: number }): Promise<number> {
  const r = await trx
    .updateTable('attachments')
    .set({ application_id: o.applicationId })
    .where('draft_id', '=', o.draftId)
    .where('application_id', 'is', null)
    .where('superseded_at', 'is', null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows);
}
