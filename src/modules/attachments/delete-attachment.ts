/**
 * 删除材料: the uploader removes a file
 * - while it belongs to a draft;
 * - or while it answers the open 补正 of an application and the 补正 has not been submitted yet (state
 *   `supplement`, uploaded after the request), as long as the uploader is still on the applicant's side (a
 *   revoked agent is told the file does not exist).
 * A file submitted with the application, or with a submitted 补正, is part of the application's record and
 * cannot be removed (409). Someone else's file, or an unknown id, is a 404. The row goes first; the blob is
 * removed after the commit (a failure there leaves an unreferenced blob, never a row without its file).
 */
import type { PersonPrincipal } from '../access/principal.ts';
import { AppError, NotFoundError } from '../../shared/errors.ts';
import type { AttachmentDeps } from './attachments.types.ts';
import { isApplicantSide, loadApplicationFileScope } from './attachment-access.ts';
import { answersSupplement, openSupplement, SUPPLEMENT_STATE } from './supplement-files.ts';

const notFound = () => new NotFoundError('材料不存在', 'id');
const submitted = () => new AppError('CONFLICT', '该材料已随申请提交，不能删除', 'id');

export async function deleteAttachment(deps: AttachmentDeps, p: PersonPrincipal, id: string): Promise<void> {
  const removed = await deps.db.transaction().execute(async (trx) => {
    const owned = await trx.selectFrom('attachments').select('application_id').where('id', '=', id).where('owner_id', '=', p.accountId).executeTakeFirst();
    if (!owned) throw notFound();
    // the application row first, as the 补正 submission and uploads lock it: a file cannot disappear between the
    // submission's check that every listed slot has a new file and its commit
    if (owned.application_id !== null) {
      await trx.selectFrom('applications').select('id').where('id', '=', owned.application_id).forUpdate().executeTakeFirst();
    }
    const row = await trx
      .selectFrom('attachments')
      .select(['id', 'draft_id', 'application_id', 'storage', 'storage_key', 'created_at', 'superseded_at'])
      .where('id', '=', id)
      .where('owner_id', '=', p.accountId)
      .forUpdate()
      .executeTakeFirst();
    if (!row) throw notFound();
    if (row.application_id === null) {
      if (row.draft_id === null) throw submitted();
    } else {
      const a = await loadApplicationFileScope(trx, { id: row.application_id });
      // the uploader no longer acting for the applicant has lost the application and its files
      if (!a || !(await isApplicantSide(trx, p, a))) throw notFound();
      const open = a.state === SUPPLEMENT_STATE ? await openSupplement(trx, a.id) : undefined;
      if (!open || !answersSupplement(row, open)) throw submitted();
    }
    await trx.deleteFrom('attachments').where('id', '=', id).execute();
    return row;
  });
  if (removed.storage === deps.storage.kind) {
    await deps.storage.delete(removed.storage_key).catch(() => undefined);
  }
}
