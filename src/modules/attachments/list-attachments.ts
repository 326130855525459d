/**
 * The current files of a draft or an application (not those replaced by a supplement), by slot and then in the
 * order they were uploaded. The caller decides who may see them (attachment-access.ts).
 */
import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../../db/schema.ts';
import type { AttachmentListEntry } from './attachments.types.ts';

export async function listAttachments(db: Kysely<DB> | Transaction<DB>, of: { draftId: number } | { applicationId: number }): Promise<AttachmentListEntry[]> {
  let q = db
    .selectFrom('attachments')
    .select(['id', 'slot', 'file_name', 'media_type', 'size_bytes', 'sha256', 'created_at'])
    .where('superseded_at', 'is', null);
  // a draft's own files: once submitted they belong to the application
  q = 'draftId' in of ? q.where('draft_id', '=', of.draftId).where('application_id', 'is', null) : q.where('application_id', '=', of.applicationId);
  const rows = await q.orderBy('slot').orderBy('created_at').orderBy('id').execute();
  return rows.map((r) => ({
    id: r.id,
    slot: r.slot,
    fileName: r.file_name,
    mediaType: r.media_type,
    sizeBytes: r.size_bytes,
    sha256: r.sha256,
    createdAt: new Date(r.created_at).toISOString(),
  }));
}
