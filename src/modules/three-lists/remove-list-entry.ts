/** 删除清单条目: removes one entry from a department's draft (created from the published edition if needed). */
import type { Kysely } from 'kysely';
import type { DB, ListKind } from '../../db/schema.ts';
import type { Principal } from '../access/principal.ts';
import type { AuditActor } from '../audit/audit.types.ts';
import { recordAuditEvent } from '../audit/record-audit-event.ts';
import { NotFoundError } from '../../shared/errors.ts';
import { withDraftRetry } from './open-list-draft.ts';
import { accountOf, departmentForDrafting, draftForEditing, touchEdition } from './list-access.ts';

export async function removeListEntry(db: Kysely<DB>, p: Principal, kind: ListKind, departmentId: number, key: string, actor: AuditActor): Promise<{ editionId: number; entryCount: number }> {
  const d = await departmentForDrafting(db, p, kind, departmentId, actor);
  return withDraftRetry(() =>
    db.transaction().execute(async (trx) => {
      const draft = await draftForEditing(trx, kind, d, accountOf(p));
      const gone = await trx.deleteFrom('list_entries').where('edition_id', '=', draft.id).where('entry_key', '=', key).executeTakeFirst();
      if (Number(gone.numDeletedRows) === 0) throw new NotFoundError(`草稿中没有编号为“${key.slice(0, 70)}”的条目`, 'key');
      const entryCount = await touchEdition(trx, draft.id);
      await recordAuditEvent(trx, {
        action: 'list.draft_saved',
        actor,
        target: { type: 'list_edition', id: String(draft.id) },
        details: { kind, departmentId: d.id, key, added: 0, changed: 0, removed: 1 },
      });
      return { editionId: draft.id, entryCount };
    }),
  );
}
