/**
 * 上传申请材料: one file for one material slot of the signed-in account's draft, or of an application waiting
 * for 补正 whose submitter or applicant this person is. The slot must be one of the item version's materials
 * (`m<seq>`) — for a 补正, one the open request lists — and holds at most MAX_FILES_PER_SLOT files: a draft's
 * files, or, for a 补正, the files uploaded for the open request (those submitted with the application, which it
 * will replace, do not count). The type is decided from the bytes; the file goes to the blob store under a key
 * the platform makes up (`attachments/<year>/<month>/<uuid>`), then the row and its `attachment.uploaded` event
 * are written in one transaction. A refused file is never stored; if the transaction fails, the blob just
 * written is removed again.
 */
import { randomUUID } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../../db/schema.ts';
import type { PersonPrincipal } from '../access/principal.ts';
import type { AuditActor } from '../audit/audit.types.ts';
import { recordAuditEvent } from '../audit/record-audit-event.ts';
import { loadApplicableItem } from '../applications/load-applicable-item.ts';
import { AppError, InvalidParameterError, NotFoundError } from '../../shared/errors.ts';
import { MAX_FILES_PER_SLOT, type AttachmentDeps, type AttachmentInfo, type AttachmentTarget } from './attachments.types.ts';
import { detectFileType } from './detect-file-type.ts';
import { safeFileName } from './file-names.ts';
import { isApplicantSide, loadApplicationFileScope } from './attachment-access.ts';
import { answersSupplement, openSupplement, SUPPLEMENT_STATE, type OpenSupplement } from './supplement-files.ts';

export interface StoreAttachmentInput {
  slot: string; // the material slot (材料) of the item's form
  target: AttachmentTarget;
  fileName: string | undefined; // as the browser sent it; only shown, never trusted
  bytes: Buffer;
}

type Resolved = { kind: 'draft'; draftId: number } | { kind: 'application'; applicationId: number; number: string; supplement: OpenSupplement };

export function validateSlot(raw: string | undefined): string {
  const slot = (raw ?? '').trim();
  if (!slot) throw new InvalidParameterError('slot', '请指定要上传的材料项');
  if ([...slot].length > 100 || /[\u0000-\u001f\u007f]/.test(slot)) throw new InvalidParameterError('slot', '材料项标识不正确');
  return slot;
}

/** `attachments/2026/12/<uuid>`, by the month in Beijing time. */
export function attachmentStorageKey(id: string, now = new Date()): string {
  const china = new Date(now.getTime() + 8 * 3600_000).toISOString();
  return `attachments/${china.slice(0, 4)}/${china.slice(5, 7)}/${id}`;
}

async function resolveTarget(db: Kysely<DB>, p: PersonPrincipal, target: AttachmentTarget, slot: string): Promise<Resolved> {
  if ('draftId' in target) {
    const d = await db
      .selectFrom('application_drafts')
      .select(['id', 'item_code', 'item_version_id'])
      .where('id', '=', target.draftId)
      .where('account_id', '=', p.accountId)
      .executeTakeFirst();
    if (!d) throw new NotFoundError('草稿不存在或已提交', 'draftId');
    // the materials of the version the draft was started on
    const item = await loadApplicableItem(db, d.item_code, db, d.item_version_id);
    if (!item.slots.some((s) => s.key === slot)) throw new InvalidParameterError('slot', `本事项没有这项材料（${slot}），请按办事指南所列材料上传`);
    return { kind: 'draft', draftId: d.id };
  }
  const a = await loadApplicationFileScope(db, { number: target.applicationNumber });
  // someone else's application answers like one that does not exist
  if (!a || !(await isApplicantSide(db, p, a))) throw new NotFoundError('办件不存在', 'applicationNumber');
  const supplement = a.state === SUPPLEMENT_STATE ? await openSupplement(db, a.id) : undefined;
  if (!supplement) throw notInSupplement();
  if (!supplement.slots.includes(slot)) throw new InvalidParameterError('slot', `该材料（${slot}）不在补正清单中，只能上传清单所列的补正材料`);
  return { kind: 'application', applicationId: a.id, number: a.number, supplement };
}

const notInSupplement = () => new AppError('CONFLICT', '该办件当前不处于待补正状态，不能上传材料', 'applicationNumber');
const slotFull = () => new AppError('CONFLICT', `每项材料最多上传 ${MAX_FILES_PER_SLOT} 个文件，请先删除不需要的文件`, 'slot');

/** The files that count against the slot's limit: the draft's, or those uploaded for the open 补正. */
async function filesInSlot(db: Kysely<DB> | Transaction<DB>, r: Resolved, slot: string): Promise<number> {
  if (r.kind === 'draft') {
    const q = db
      .selectFrom('attachments')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('slot', '=', slot)
      .where('superseded_at', 'is', null)
      .where('draft_id', '=', r.draftId)
      .where('application_id', 'is', null);
    return Number((await q.executeTakeFirstOrThrow()).n);
  }
  // the files submitted with the application are replaced by the 补正, not added to
  const rows = await db
    .selectFrom('attachments')
    .select(['created_at', 'superseded_at'])
    .where('application_id', '=', r.applicationId)
    .where('slot', '=', slot)
    .where('superseded_at', 'is', null)
    .execute();
  return rows.filter((f) => answersSupplement(f, r.supplement)).length;
}

export async function storeAttachment(deps: AttachmentDeps, p: PersonPrincipal, input: StoreAttachmentInput, actor: AuditActor): Promise<AttachmentInfo> {
  const slot = validateSlot(input.slot);
  const file = await detectFileType(input.bytes, { maxMb: deps.maxMb });
  const fileName = safeFileName(input.fileName, file.mediaType);
  const target = await resolveTarget(deps.db, p, input.target, slot);
  if ((await filesInSlot(deps.db, target, slot)) >= MAX_FILES_PER_SLOT) throw slotFull();

  const id = randomUUID();
  const key = attachmentStorageKey(id);
  await deps.storage.put(key, input.bytes, file.mediaType);
  try {
    await deps.db.transaction().execute(async (trx) => {
      // the draft or application row is locked: concurrent uploads count one after another, and a submission or
      // a state change cannot slip in between the check and the insert
      if (target.kind === 'draft') {
        const d = await trx.selectFrom('application_drafts').select('id').where('id', '=', target.draftId).forUpdate().executeTakeFirst();
        if (!d) throw new NotFoundError('草稿不存在或已提交', 'draftId');
      } else {
        const a = await trx.selectFrom('applications').select('state').where('id', '=', target.applicationId).forUpdate().executeTakeFirstOrThrow();
        if (a.state !== SUPPLEMENT_STATE || (await openSupplement(trx, target.applicationId))?.id !== target.supplement.id) throw notInSupplement();
      }
      if ((await filesInSlot(trx, target, slot)) >= MAX_FILES_PER_SLOT) throw slotFull();
      await trx
        .insertInto('attachments')
        .values({
          id,
          owner_id: p.accountId,
          draft_id: target.kind === 'draft' ? target.draftId : null,
          application_id: target.kind === 'application' ? target.applicationId : null,
          slot,
          file_name: fileName,
          media_type: file.mediaType,
          size_bytes: file.sizeBytes,
          sha256: file.sha256,
          storage: deps.storage.kind,
          storage_key: key,
          superseded_at: null,
        })
        .execute();
      await recordAuditEvent(trx, {
        action: 'attachment.uploaded',
        actor,
        target: { type: 'attachment', id },
        details: {
          slot,
          fileName,
          mediaType: file.mediaType,
          sizeBytes: file.sizeBytes,
          sha256: file.sha256,
          ...(target.kind === 'draft' ? { draftId: target.draftId } : { applicationId: target.applicationId, applicationNumber: target.number }),
        },
      });
    });
  } catch (err) {
    await deps.storage.delete(key).catch(() => undefined);
    throw err;
  }
  return { id, slot, fileName, mediaType: file.mediaType, sizeBytes: file.sizeBytes, sha256: file.sha256 };
}
