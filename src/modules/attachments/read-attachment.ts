/**
 * 查阅申请材料: the file and what to send it with, for those who may read it (attachment-access.ts). Everyone
 * else gets the 404 an unknown id gets — the answer does not tell whether the file exists — and the refusal of
 * an existing file is recorded (`access.denied`). A staff member's reading is recorded (`attachment.viewed`).
 * The bytes are checked against the SHA-256 taken at upload before they are handed out.
 */
import type { Principal } from '../access/principal.ts';
import type { AuditActor } from '../audit/audit.types.ts';
import { recordAuditEventAlone } from '../audit/record-audit-event.ts';
import { NotFoundError } from '../../shared/errors.ts';
import type { AttachmentAccess, AttachmentDeps, AttachmentInfo } from './attachments.types.ts';
import { attachmentAccess } from './attachment-access.ts';
import { sha256Hex } from './detect-file-type.ts';

export interface AttachmentFile extends AttachmentInfo {
  access: AttachmentAccess;
  applicationId: number | null;
  draftId: number | null;
  bytes: Buffer;
}

const notFound = () => new NotFoundError('材料不存在或您无权查看', 'id');

export async function readAttachment(deps: AttachmentDeps, p: Principal, id: string, actor: AuditActor): Promise<AttachmentFile> {
  const row = await deps.db.selectFrom('attachments').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw notFound();
  const access = await attachmentAccess(deps.db, p, row);
  if (!access) {
    await recordAuditEventAlone(deps.db, {
      action: 'access.denied',
      actor,
      target: { type: 'attachment', id },
      outcome: 'denied',
      details: { operation: 'attachment.read', reason: 'not_owner_applicant_or_handling_staff', ...(row.application_id !== null ? { applicationId: row.application_id } : {}) },
    });
    throw notFound();
  }
  if (row.storage !== deps.storage.kind) throw new Error(`材料 ${id} 存放在 ${row.storage} 存储中，本服务器配置的是 ${deps.storage.kind}`);
  const bytes = await deps.storage.get(row.storage_key);
  if (bytes.length !== row.size_bytes || sha256Hex(bytes) !== row.sha256) {
    throw new Error(`材料 ${id} 的文件与上传时的校验值不符（${row.storage}:${row.storage_key}）`);
  }
  if (access === 'staff') {
    await recordAuditEventAlone(deps.db, {
      action: 'attachment.viewed',
      actor,
      target: { type: 'attachment', id },
      details: { applicationId: row.application_id, slot: row.slot, fileName: row.file_name, sha256: row.sha256 },
    });
  }
  return {
    id: row.id,
    slot: row.slot,
    fileName: row.file_name,
    mediaType: row.media_type,
    sizeBytes: row.size_bytes,
    sha256: row.sha256,
    access,
    applicationId: row.application_id,
    draftId: row.draft_id,
    bytes,
  };
}
