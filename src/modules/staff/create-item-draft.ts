/** 新建草稿: a new draft version of a guide, by staff (or a machine client) allowed to write its department's items. */
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';
import type { Principal } from '../access/principal.ts';
import type { AuditActor } from '../audit/audit.types.ts';
import { createItemVersion } from '../catalogue/create-item-version.ts';
import { AppError, InvalidParameterError } from '../../shared/errors.ts';
import { authorizeItemDrafts } from './authorize-item-drafts.ts';
import { toGuideChanges, type DraftChanges } from './draft-changes.ts';
import { normaliseText } from './staff.validation.ts';

export async function createItemDraft(
  db: Kysely<DB>,
  p: Principal,
  input: { code: string; changes: DraftChanges; changeNote: string },
  actor: AuditActor,
): Promise<{ version: number }> {
  const item = await authorizeItemDrafts(db, p, input.code, 'catalogue.draft.write', actor);
  const changes = toGuideChanges(input.changes);
  if (!Object.keys(changes).length) throw new InvalidParameterError('changes', '请至少修改一项内容');
  const changeNote = normaliseText(input.changeNote, 'changeNote', '修改说明', { max: 200, required: true })!;
  try {
    return await createItemVersion(db, { code: item.code, changes, changeNote, actor });
  } catch (err) {
    // the catalogue names the column; the API and the page name the field
    if (err instanceof AppError && err.field === 'promised_days') throw new InvalidParameterError('promisedDays', err.message);
    throw err;
  }
}
