/**
 * Saves the applicant's draft (草稿) of an application, to be resumed later from any device. A draft is not
 * checked beyond its size: half-filled forms are what drafts are for. One draft per account, applicant and item.
 */
import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import type { DB } from '../../db/schema.ts';
import type { PersonPrincipal } from '../access/principal.ts';
import { InvalidParameterError, NotFoundError } from '../../shared/errors.ts';
import type { BlobStorage } from '../attachments/blob-storage.ts';
import { loadApplicableItem } from './load-applicable-item.ts';
import { resolveApplicant } from './resolve-applicant.ts';

export const MAX_DRAFT_BYTES = 256 * 1024;

export interface DraftView {
  id: number;
  itemCode: string;
  itemName: string;
  step: number;
  formData: Record<string, unknown>;
  updatedAt: string;
}

export async function saveDraft(db: Kysely<DB>, p: PersonPrincipal, input: { itemCode: string; formData: Record<string, unknown>; step?: number }): Promise<DraftView> {
  const item = await loadApplicableItem(db, input.itemCode);
  const applicant = await resolveApplicant(db, p, item.basicCode);
  const json = JSON.stringify(input.formData ?? {});
  if (Buffer.byteLength(json) > MAX_DRAFT_BYTES) throw new InvalidParameterError('formData', '草稿内容过大');
  // the form's steps, then two more pages: the materials (steps.length) and the review (steps.length + 1)
  const step = Math.max(0, Math.min(input.step ?? 0, item.form.steps.length + 1));
  const row = await db
    .insertInto('application_drafts')
    .values({ account_id: p.accountId, subject_type: applicant.subjectType, subject_id: applicant.subjectId, item_code: item.code, item_version_id: item.versionId, form_data: json, step })
    .onConflict((oc) =>
      oc.columns(['account_id', 'subject_type', 'subject_id', 'item_code']).doUpdateSet({ form_data: json, step, item_version_id: item.versionId, updated_at: sql`now()` }),
    )
    .returning(['id', 'step', 'updated_at'])
    .executeTakeFirstOrThrow();
  return { id: row.id, itemCode: item.code, itemName: item.name, step: row.step, formData: input.formData ?? {}, updatedAt: new Date(row.updated_at).toISOString() };
}

/** The draft for this item and the current applicant, or null. */
export async function getDraft(db: Kysely<DB>, p: PersonPrincipal, itemCode: string): Promise<DraftView | null> {
  const item = await loadApplicableItem(db, itemCode);
  const applicant = await resolveApplicant(db, p, item.basicCode);
  const row = await db
    .selectFrom('application_drafts')
    .select(['id', 'step', 'form_data', 'updated_at'])
    .where('account_id', '=', p.accountId)
    .where('subject_type', '=', applicant.subjectType)
    .where('subject_id', '=', applicant.subjectId)
    .where('item_code', '=', item.code)
    .executeTakeFirst();
  if (!row) return null;
  return { id: row.id, itemCode: item.code, itemName: item.name, step: row.step, formData: row.form_data as Record<string, unknown>, updatedAt: new Date(row.updated_at).toISOString() };
}

/** Every draft of the signed-in account (for "my applications"). */
export async function listDrafts(db: Kysely<DB>, p: PersonPrincipal): Promise<{ id: number; itemCode: string; itemName: string; subjectType: string; updatedAt: string }[]> {
  const rows = await db
    .selectFrom('application_drafts as d')
    .innerJoin('impl_item_versions as v', 'v.id', 'd.item_version_id')
    .select(['d.id', 'd.item_code', 'v.name', 'd.subject_type', 'd.updated_at'])
    .where('d.account_id', '=', p.accountId)
    .orderBy('d.updated_at', 'desc')
    .limit(100)
    .execute();
  return rows.map((r) => ({ id: r.id, itemCode: r.item_code, itemName: r.name, subjectType: r.subject_type, updatedAt: new Date(r.updated_at).toISOString() }));
}

/** Deletes a draft of the signed-in account with its files (rows first; the stored files once that commits). */
export async function deleteDraft(db: Kysely<DB>, storage: BlobStorage, p: PersonPrincipal, draftId: number): Promise<void> {
  const keys = await db.transaction().execute(async (trx) => {
    const draft = await trx.selectFrom('application_drafts').select('id').where('id', '=', draftId).where('account_id', '=', p.accountId).forUpdate().executeTakeFirst();
    if (!draft) throw new NotFoundError('草稿不存在', 'id');
    const files = await trx.deleteFrom('attachments').where('draft_id', '=', draftId).where('application_id', 'is', null).returning('storage_key').execute();
    await trx.deleteFrom('application_drafts').where('id', '=', draftId).execute();
    return files.map((f) => f.storage_key);
  });
  for (const k of keys) await storage.delete(k).catch(() => undefined); // an orphan file is harmless; a lost row is not
}
