/**
 * 提交审核: a department's draft goes to review (draft → in_review) with its revision note (修订说明), by an editor
 * of the department (lists.draft). A draft identical to the published edition, or an empty first edition, is
 * refused: there is nothing to publish.
 */
import type { Kysely } from 'kysely';
import type { DB, ListKind } from '../../db/schema.ts';
import type { Principal } from '../access/principal.ts';
import type { AuditActor } from '../audit/audit.types.ts';
import { recordAuditEvent } from '../audit/record-audit-event.ts';
import { AppError, InvalidParameterError, NotFoundError } from '../../shared/errors.ts';
import { diffEntries } from './diff-list-editions.ts';
import { entryOf } from './three-lists.editions.ts';
import { accountOf, departmentForDrafting, lockOpenEdition } from './list-access.ts';

export async function submitListDraft(
  db: Kysely<DB>,
  p: Principal,
  kind: ListKind,
  departmentId: number,
  input: { note?: string },
  actor: AuditActor,
): Promise<{ editionId: number; status: 'in_review'; added: number; changed: number; removed: number }> {
  const note = (input.note ?? '').trim();
  if (!note) throw new InvalidParameterError('note', '请填写修订说明（本次改了什么、为什么改）');
  if (note.length > 1000) throw new InvalidParameterError('note', '修订说明不能超过 1000 个字');
  const d = await departmentForDrafting(db, p, kind, departmentId, actor);
  return db.transaction().execute(async (trx) => {
    const open = await lockOpenEdition(trx, kind, d.id);
    if (!open) throw new NotFoundError('该清单没有草稿，请先编辑清单', 'status');
    if (open.status === 'in_review') throw new AppError('CONFLICT', '该清单已提交审核，请等待审核结果', 'status');
    const entries = (await trx.selectFrom('list_entries').select('data').where('edition_id', '=', open.id).execute()).map((e) => entryOf(e.data));
    const base = await trx
      .selectFrom('list_entries as x')
      .innerJoin('list_editions as e', 'e.id', 'x.edition_id')
      .select('x.data')
      .where('e.list_kind', '=', kind)
      .where('e.department_id', '=', d.id)
      .where('e.status', '=', 'published')
      .execute();
    const diff = diffEntries(base.map((b) => entryOf(b.data)), entries);
    const counts = { added: diff.added.length, changed: diff.changed.length, removed: diff.removed.length };
    if (!counts.added && !counts.changed && !counts.removed) {
      throw new AppError('CONFLICT', entries.length ? '草稿与已发布的版本相同，没有需要审核的修改' : '清单还没有任何条目，请先添加条目', 'status');
    }
    await trx
      .updateTable('list_editions')
      .set({ status: 'in_review', note, submitted_by: accountOf(p), submitted_at: new Date(), updated_at: new Date(), entry_count: entries.length })
      .where('id', '=', open.id)
      .execute();
    await recordAuditEvent(trx, {
      action: 'list.submitted',
      actor,
      target: { type: 'list_edition', id: String(open.id) },
      details: { kind, departmentId: d.id, note, entryCount: entries.length, ...counts },
    });
    return { editionId: open.id, status: 'in_review' as const, ...counts };
  });
}
