/**
 * 删除草稿中的材料: the uploader removes a file while it belongs to a draft. Once the draft is submitted the
 * file is part of the application's record and cannot be removed (409). Someone else's file, or an unknown
 * id, is a 404. The row goes first; the blob is removed after the commit (a failure there leaves an
 * unreferenced blob, never a row without its file).
 */
import type { PersonPrincipal } from '../access/principal.ts';
import { AppError, NotFoundError } from '../../shared/errors.ts';
import type { AttachmentDeps } from './attachments.types.ts';

const notFound = () => new NotFoundError('材料不存在', 'id');

export async function deleteAttachment(deps: AttachmentDeps, p: PersonPrincipal, id: string): Promise<void> {
  const removed = await deps.db.transaction().execute(async (trx) => {
    const row = await trx
      .selectFrom('attachments')
      .select(['id', 'draft_id', 'application_id', 'storage', 'storage_key'])
      .where('id', '=', id)
      .where('owner_id', '=', p.accountId)
      .forUpdate()
      .executeTakeFirst();
    if (!row) throw notFound();
    if (row.application_id !== null || row.draft_id === null) {
      throw new AppError('CONFLICT', '该材料已随申请提交，不能删除', 'id');
    }
    await trx.deleteFrom('attachments').where('id', '=', id).execute();
    return row;
  });
  if (removed.storage === deps.storage.kind) {
    await deps.storage.delete(removed.storage_key).catch(() => undefined);
  }
}
