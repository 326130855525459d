/**
 * 退回: the reviewer (lists.publish over the department) sends an edition in review back to its department as a
 * draft, with a comment saying what to change (required). The department sees the comment on its draft.
 */
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';
import type { Principal } from '../access/principal.ts';
import type { AuditActor } from '../audit/audit.types.ts';
import { recordAuditEvent } from '../audit/record-audit-event.ts';
import { AppError, InvalidParameterError, NotFoundError } from '../../shared/errors.ts';
import { assertMayReview, findListDepartment } from './list-access.ts';

export async function returnListDraft(db: Kysely<DB>, p: Principal, editionId: number, input: { comment?: string }, actor: AuditActor): Promise<{ editionId: number; status: 'draft' }> {
  const comment = (input.comment ?? '').trim();
  if (!comment) throw new InvalidParameterError('comment', '退回时请填写审核意见，说明需要修改的内容');
  if (comment.length > 1000) throw new InvalidParameterError('comment', '审核意见不能超过 1000 个字');
  const ed = await db.selectFrom('list_editions').select(['id', 'list_kind', 'department_id']).where('id', '=', editionId).executeTakeFirst();
  if (!ed) throw new NotFoundError('该清单版本不存在', 'editionId');
  const d = await findListDepartment(db, ed.department_id);
  await assertMayReview(db, p, ed.list_kind, d, actor);
  return db.transaction().execute(async (trx) => {
    const cur = await trx.selectFrom('list_editions').select('status').where('id', '=', editionId).forUpdate().executeTakeFirstOrThrow();
    if (cur.status !== 'in_review') throw new AppError('CONFLICT', '只有待审核的清单可以退回（该版本已发布或已退回）', 'status');
    await trx.updateTable('list_editions').set({ status: 'draft', review_comment: comment, updated_at: new Date() }).where('id', '=', editionId).execute();
    await recordAuditEvent(trx, {
      action: 'list.returned',
      actor,
      target: { type: 'list_edition', id: String(editionId) },
      details: { kind: ed.list_kind, departmentId: d.id, comment },
    });
    return { editionId, status: 'draft' as const };
  });
}
