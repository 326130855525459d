/** 申请材料附件的类型。 */
import type { Kysely } from 'kysely';
import type { AppContext } from '../../http/context.ts';
import type { DB } from '../../db/schema.ts';
import type { BlobStorage } from './blob-storage.ts';

/** The file kinds an applicant may upload (decided from the bytes, never from the name). */
export const ACCEPTED_MEDIA_TYPES = {
  'application/pdf': { extension: 'pdf', label: 'PDF', previewable: true },
  'image/jpeg': { extension: 'jpg', label: 'JPG 图片', previewable: true },
  'image/png': { extension: 'png', label: 'PNG 图片', previewable: true },
  'application/ofd': { extension: 'ofd', label: 'OFD 版式文件', previewable: false }, // GB/T 33190 开放版式文档
} as const;

export type AcceptedMediaType = keyof typeof ACCEPTED_MEDIA_TYPES;

/** At most this many files per material slot (材料) of one draft, or uploaded for one 补正 of an application. */
export const MAX_FILES_PER_SLOT = 10;

/** What the operations need from the server. */
export interface AttachmentDeps {
  db: Kysely<DB>;
  storage: BlobStorage;
  maxMb: number; // config.attachmentMaxMb
}

export function attachmentDeps(ctx: AppContext): AttachmentDeps {
  return { db: ctx.db, storage: ctx.storage, maxMb: ctx.config.attachmentMaxMb };
}

/** One stored file as its owner and the people handling the application see it. */
export interface AttachmentInfo {
  id: string;
  slot: string;
  fileName: string;
  mediaType: string;
  sizeBytes: number;
  sha256: string;
}

export interface AttachmentListEntry extends AttachmentInfo {
  createdAt: string; // ISO 8601
}

/** Where an upload goes: the signed-in account's draft (草稿), or an application waiting for 补正. */
export type AttachmentTarget = { draftId: number } | { applicationNumber: string };

/** Why a principal may read a file ('owner': the uploader of a file that belongs to no application yet). */
export type AttachmentAccess = 'owner' | 'applicant' | 'staff';

/** The address a page links to (with `inline`, PDFs and images open in the browser). */
export function attachmentUrl(id: string, opts: { inline?: boolean } = {}): string {
  return `/api/v1/attachments/${encodeURIComponent(id)}${opts.inline ? '?inline=1' : ''}`;
}
