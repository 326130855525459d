/**
 * 保存清单条目: adds one entry to a department's draft, or replaces one (possibly under a new key). The draft is
 * created on first edit (open-list-draft.ts). The entry is checked first (validate-list-entry.ts: every problem
 * with its field, 400); a key already used is a 409; then the change, the entry count and `list.draft_saved`
 * are written in one transaction.
 */
import type { Kysely } from 'kysely';
import type { DB, ListKind } from '../../db/schema.ts';
import type { Principal } from '../access/principal.ts';
import type { AuditActor } from '../audit/audit.types.ts';
import { recordAuditEvent } from '../audit/record-audit-event.ts';
import { AppError, FieldErrorsError, NotFoundError } from '../../shared/errors.ts';
import { withDraftRetry } from './open-list-draft.ts';
import { accountOf, departmentForDrafting, draftForEditing, touchEdition } from './list-access.ts';
import type { ListEntry } from './three-lists.types.ts';
import { itemCodesOf, loadItemKinds, validateListEntry } from './validate-list-entry.ts';

export interface SaveEntryInput {
  entry: unknown; // the entry's fields (see three-lists.types.ts); multi-value fields may be text separated by '；' or new lines
  originalKey?: string; // replace: the key of the entry being changed; absent: add a new entry
}

export interface SaveEntryResult {
  editionId: number;
  entry: ListEntry;
  created: boolean; // a new entry (add), or a replaced one
  entryCount: number;
}

export async function saveListEntry(db: Kysely<DB>, p: Principal, kind: ListKind, departmentId: number, input: SaveEntryInput, actor: AuditActor): Promise<SaveEntryResult> {
  const d = await departmentForDrafting(db, p, kind, departmentId, actor);
  const itemKinds = kind === 'power' ? await loadItemKinds(db, itemCodesOf(input.entry)) : new Map();
  const { entry, problems } = validateListEntry(kind, input.entry, { departmentName: d.name, departmentKind: d.kind, regionLevel: d.regionLevel, itemKinds });
  if (problems.length) throw new FieldErrorsError(problems);
  const original = input.originalKey?.trim();

  return withDraftRetry(() =>
    db.transaction().execute(async (trx) => {
      const draft = await draftForEditing(trx, kind, d, accountOf(p));
      const keys = [entry.key, ...(original && original !== entry.key ? [original] : [])];
      const existing = await trx.selectFrom('list_entries').select(['entry_key', 'data']).where('edition_id', '=', draft.id).where('entry_key', 'in', keys).execute();
      const has = (k: string) => existing.some((e) => e.entry_key === k);
      if (original !== undefined && original !== '') {
        if (!has(original)) throw new NotFoundError(`草稿中没有编号为“${original}”的条目（可能已被删除）`, 'originalKey');
        if (original !== entry.key) {
          if (has(entry.key)) throw new AppError('CONFLICT', `编号“${entry.key}”已被本清单的其他条目使用`, 'key');
          await trx.deleteFrom('list_entries').where('edition_id', '=', draft.id).where('entry_key', '=', original).execute();
          await trx.insertInto('list_entries').values({ edition_id: draft.id, entry_key: entry.key, data: JSON.stringify(entry) }).execute();
        } else {
          await trx.updateTable('list_entries').set({ data: JSON.stringify(entry) }).where('edition_id', '=', draft.id).where('entry_key', '=', entry.key).execute();
        }
      } else {
        if (has(entry.key)) throw new AppError('CONFLICT', `编号“${entry.key}”已存在；要修改该条目请使用编辑`, 'key');
        await trx.insertInto('list_entries').values({ edition_id: draft.id, entry_key: entry.key, data: JSON.stringify(entry) }).execute();
      }
      const entryCount = await touchEdition(trx, draft.id);
      const created = !original;
      await recordAuditEvent(trx, {
        action: 'list.draft_saved',
        actor,
        target: { type: 'list_edition', id: String(draft.id) },
        details: { kind, departmentId: d.id, key: entry.key, ...(original && original !== entry.key ? { previousKey: original } : {}), added: created ? 1 : 0, changed: created ? 0 : 1, removed: 0 },
      });
      return { editionId: draft.id, entry, created, entryCount };
    }),
  );
}
