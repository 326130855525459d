/**
 * 打开草稿: a department's open draft of one list, created on first edit as a copy of its latest published
 * edition (base_version = that version). An edition already in review is returned as it is (it cannot be
 * edited until it is published or returned). Needs lists.draft over the department.
 */
import type { Kysely } from 'kysely';
import type { DB, ListKind } from '../../db/schema.ts';
import type { Principal } from '../access/principal.ts';
import type { AuditActor } from '../audit/audit.types.ts';
import { recordAuditEvent } from '../audit/record-audit-event.ts';
import { isUniqueViolation } from '../staff/db-errors.ts';
import { AppError } from '../../shared/errors.ts';
import { getEdition } from './get-list-edition.ts';
import { accountOf, departmentForDrafting, draftForEditing, lockOpenEdition } from './list-access.ts';
import type { EditionWithEntries } from './three-lists.editions.ts';

/** Runs a draft-changing transaction, once more if a concurrent request created the draft meanwhile. */
export async function withDraftRetry<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (err) {
    if (!isUniqueViolation(err)) throw err;
    try {
      return await run();
    } catch (again) {
      if (isUniqueViolation(again)) throw new AppError('CONFLICT', '清单正在被他人修改，请刷新后重试');
      throw again;
    }
  }
}

export async function openListDraft(db: Kysely<DB>, p: Principal, kind: ListKind, departmentId: number, actor: AuditActor): Promise<EditionWithEntries> {
  const d = await departmentForDrafting(db, p, kind, departmentId, actor);
  const id = await withDraftRetry(() =>
    db.transaction().execute(async (trx) => {
      const open = await lockOpenEdition(trx, kind, d.id);
      if (open) return open.id;
      const draft = await draftForEditing(trx, kind, d, accountOf(p));
      await recordAuditEvent(trx, {
        action: 'list.draft_saved',
        actor,
        target: { type: 'list_edition', id: String(draft.id) },
        details: { kind, departmentId: d.id, opened: true, baseVersion: draft.baseVersion, added: 0, changed: 0, removed: 0 },
      });
      return draft.id;
    }),
  );
  return (await getEdition(db, id, { includeDrafts: true }))!;
}
