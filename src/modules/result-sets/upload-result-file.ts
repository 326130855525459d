/**
 * 上传结果数据: a CSV or XLSX file of a set's rows, received as a multipart stream and written to blob storage in
 * parts of PART_BYTES as it arrives — a file of hundreds of megabytes never sits in memory whole. The format
 * is decided from the bytes (an XLSX is a ZIP, `PK\x03\x04`; other binary files — PDF, images, the old .xls —
 * are refused with 415; anything else is read as CSV and its encoding checked by the loader). Over the
 * configured size is a 413 as soon as the limit is passed; the parts written so far are removed.
 *
 * Then, in one transaction on the set's row (locked), a 'pending' load and its `result_set.load_uploaded` event;
 * the background loader (process-result-loads.ts) checks and loads it. One upload at a time per set: a second
 * one while the first is still being checked is a 409.
 *
 * CSRF: the route-wide check runs before the body is read, so it sees only the `x-csrf-token` header; a form
 * without JavaScript sends the token as its `_csrf` field, which must come before the file (the form puts it
 * first) — a file is never stored for a request that has not shown the token.
 */
import { createHash, randomUUID } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import type { Principal } from '../access/principal.ts';
import type { AuditActor } from '../audit/audit.types.ts';
import { recordAuditEvent } from '../audit/record-audit-event.ts';
import type { BlobStorage } from '../attachments/blob-storage.ts';
import { AppError, InvalidParameterError } from '../../shared/errors.ts';
import { safeEqual } from '../../shared/tokens.ts';
import { loadSetInScope } from './get-result-set-status.ts';
import { PART_BYTES, partCount, partKey } from './read-result-file.ts';
import { fileTooLarge, loadInProgress, unsupportedFile } from './result-sets.errors.ts';
import type { ResultSetDeps } from './result-sets.types.ts';

export interface IncomingFile {
  fileName: string | undefined; // as the browser sent it; only shown, never used as a key
  /** The bytes; `truncated` is set by the multipart parser when it stopped at the size limit. */
  stream: AsyncIterable<Buffer> & { truncated?: boolean };
}

export interface UploadedLoad {
  loadId: number;
  status: 'pending';
  fileName: string;
  fileBytes: number;
  format: 'csv' | 'xlsx';
}

/** `result-loads/2026/06/<uuid>` by the month in Beijing time; its parts are `<key>/00000` … */
export function resultFileKey(now = new Date()): string {
  const china = new Date(now.getTime() + 8 * 3600_000).toISOString();
  return `result-loads/${china.slice(0, 4)}/${china.slice(5, 7)}/${randomUUID()}`;
}

/** What the file is, from its first bytes. */
export function detectResultFormat(head: Buffer): 'csv' | 'xlsx' {
  if (head.length === 0) throw new InvalidParameterError('file', '文件为空，请重新选择文件');
  const starts = (...bytes: number[]) => bytes.every((b, i) => head[i] === b);
  if (starts(0x50, 0x4b, 0x03, 0x04)) return 'xlsx';
  if (starts(0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1)) {
    throw unsupportedFile('不支持旧版 Excel（.xls）或加密的 Excel 文件：请在 Excel 或 WPS 中另存为 .xlsx 或“CSV UTF-8”后上传（不要设置密码）');
  }
  if (starts(0xff, 0xfe) || starts(0xfe, 0xff)) throw unsupportedFile('文件是 UTF-16 编码：请另存为“CSV UTF-8（逗号分隔）”后上传');
  // text has no NUL bytes; PDF, images, archives and programs do (or have a known signature)
  const sample = head.subarray(0, 64 * 1024);
  if (sample.includes(0) || starts(0x25, 0x50, 0x44, 0x46) || starts(0x1f, 0x8b) || starts(0x50, 0x4b, 0x05, 0x06)) throw unsupportedFile();
  return 'csv';
}

function cleanFileName(raw: string | undefined, format: 'csv' | 'xlsx'): string {
  const base = (raw ?? '').split(/[\\/]/).pop() ?? '';
  const name = [...base.replace(/[\u0000-\u001f\u007f]/g, '').trim()].slice(0, 200).join('');
  return name || `结果数据.${format}`;
}

export async function deleteStoredParts(storage: BlobStorage, fileKey: string, fileBytes: number): Promise<void> {
  for (let i = 0; i < Math.max(1, partCount(fileBytes)); i++) await storage.delete(partKey(fileKey, i));
}

/** Streams the file into storage in parts; checks the format on the first part and the size all along. */
export async function storeResultFile(
  storage: BlobStorage,
  file: IncomingFile,
  maxMb: number,
  o: { partBytes?: number } = {},
): Promise<{ fileKey: string; bytes: number; format: 'csv' | 'xlsx'; sha256: string }> {
  const fileKey = resultFileKey();
  const partBytes = o.partBytes ?? PART_BYTES;
  const maxBytes = maxMb * 1024 * 1024;
  const hash = createHash('sha256');
  let format: 'csv' | 'xlsx' | undefined;
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  let bytes = 0;
  let parts = 0;
  const write = async (part: Buffer) => {
    format ??= detectResultFormat(part);
    await storage.put(partKey(fileKey, parts), part, format === 'xlsx' ? 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' : 'text/csv');
    parts++;
  };
  try {
    for await (const chunk of file.stream) {
      bytes += chunk.length;
      if (bytes > maxBytes || file.stream.truncated) throw fileTooLarge(maxMb);
      hash.update(chunk);
      pending.push(chunk);
      pendingBytes += chunk.length;
      while (pendingBytes >= partBytes) {
        const all = Buffer.concat(pending);
        await write(all.subarray(0, partBytes));
        const rest = all.subarray(partBytes);
        pending = rest.length ? [Buffer.from(rest)] : [];
        pendingBytes = rest.length;
      }
    }
    if (file.stream.truncated) throw fileTooLarge(maxMb);
    if (bytes === 0) throw new InvalidParameterError('file', '文件为空，请重新选择文件');
    if (pendingBytes) await write(Buffer.concat(pending));
  } catch (err) {
    for (let i = 0; i < parts; i++) await storage.delete(partKey(fileKey, i)).catch(() => undefined);
    throw err;
  }
  return { fileKey, bytes, format: format!, sha256: hash.digest('hex') };
}

type SetRow = Awaited<ReturnType<typeof loadSetInScope>>['set'];
type StoredResultFile = Awaited<ReturnType<typeof storeResultFile>>;

const loadRunning = (db: Pick<ResultSetDeps['db'], 'selectFrom'>, setId: number) =>
  db.selectFrom('result_loads').select('id').where('set_id', '=', setId).where('status', 'in', ['pending', 'loading']).executeTakeFirst();

/** Before the first byte is read: the set, the caller's scope, no other upload being checked. */
async function beginUpload(deps: ResultSetDeps, p: Principal, code: string, actor: AuditActor): Promise<SetRow> {
  const { set } = await loadSetInScope(deps.db, p, code, actor);
  if (await loadRunning(deps.db, set.id)) throw loadInProgress();
  return set;
}

/** The 'pending' load and its event, the set locked; the stored parts are removed if this fails. */
async function registerLoad(deps: ResultSetDeps, p: Principal, set: SetRow, stored: StoredResultFile, rawName: string | undefined, actor: AuditActor): Promise<UploadedLoad> {
  const fileName = cleanFileName(rawName, stored.format);
  try {
    const loadId = await deps.db.transaction().execute(async (trx) => {
      await trx.selectFrom('result_sets').select('id').where('id', '=', set.id).forUpdate().executeTakeFirstOrThrow();
      if (await loadRunning(trx, set.id)) throw loadInProgress();
      const load = await trx
        .insertInto('result_loads')
        .values({
          set_id: set.id,
          status: 'pending',
          file_name: fileName,
          file_key: stored.fileKey,
          file_bytes: stored.bytes,
          format: stored.format,
          created_by: p.kind === 'client' ? null : p.accountId,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      await recordAuditEvent(trx, {
        action: 'result_set.load_uploaded',
        actor,
        target: { type: 'result_load', id: String(load.id) },
        details: { setId: set.id, setCode: set.code, fileName, bytes: stored.bytes, format: stored.format, sha256: stored.sha256 },
      });
      return Number(load.id);
    });
    return { loadId, status: 'pending', fileName, fileBytes: stored.bytes, format: stored.format };
  } catch (err) {
    await deleteStoredParts(deps.storage, stored.fileKey, stored.bytes).catch(() => undefined);
    throw err;
  }
}

/** Stores one file (already separated from its request) and registers its load. */
export async function uploadResultFile(deps: ResultSetDeps, p: Principal, code: string, file: IncomingFile, actor: AuditActor, o: { maxMb: number }): Promise<UploadedLoad> {
  const set = await beginUpload(deps, p, code, actor);
  const stored = await storeResultFile(deps.storage, file, o.maxMb);
  return registerLoad(deps, p, set, stored, file.fileName, actor);
}

/**
 * Reads the multipart request (the CSRF field, then one file in `file`) and uploads the file as it streams.
 * Multipart errors become 4xx with Chinese messages, never a 500.
 */
export async function receiveResultUpload(
  deps: ResultSetDeps,
  req: FastifyRequest,
  p: Principal,
  code: string,
  actor: AuditActor,
  o: { maxMb: number },
): Promise<UploadedLoad> {
  if (!req.isMultipart()) throw new AppError('UNSUPPORTED_MEDIA_TYPE', '请以 multipart/form-data 格式上传文件', 'body');
  const sessionToken = p.kind === 'client' ? undefined : p.csrfToken;
  const header = req.headers['x-csrf-token'];
  let csrfOk = p.kind === 'client' || (typeof header === 'string' && sessionToken !== undefined && safeEqual(header, sessionToken));
  let stored: (StoredResultFile & { fileName: string | undefined; set: SetRow }) | undefined;
  try {
    for await (const part of req.parts()) {
      if (part.type === 'field') {
        if (part.fieldname === '_csrf' && !csrfOk && typeof part.value === 'string' && sessionToken !== undefined) csrfOk = safeEqual(part.value, sessionToken);
        continue;
      }
      if (!csrfOk) throw new AppError('CSRF_REJECTED', '页面已过期或请求无效，请刷新页面后重新提交');
      if (part.fieldname !== 'file') throw new InvalidParameterError(part.fieldname, '文件只能放在 file 字段中上传');
      if (!part.filename) {
        part.file.resume(); // a form sent without a file chosen: an empty part
        continue;
      }
      if (stored) throw new InvalidParameterError('file', '一次只能上传一个文件');
      const set = await beginUpload(deps, p, code, actor);
      stored = { ...(await storeResultFile(deps.storage, { fileName: part.filename, stream: part.file }, o.maxMb)), fileName: part.filename, set };
    }
  } catch (err) {
    if (stored) await deleteStoredParts(deps.storage, stored.fileKey, stored.bytes).catch(() => undefined);
    if (err instanceof AppError) throw err;
    const c = (err as { code?: string }).code;
    if (c === 'FST_REQ_FILE_TOO_LARGE') throw fileTooLarge(o.maxMb);
    if (c === 'FST_FILES_LIMIT') throw new InvalidParameterError('file', '一次只能上传一个文件');
    if (c === 'FST_PARTS_LIMIT' || c === 'FST_FIELDS_LIMIT') throw new InvalidParameterError('body', '上传内容的字段过多');
    if (typeof c === 'string' && c.startsWith('FST_')) throw new InvalidParameterError('body', '上传内容格式不正确');
    if (err instanceof Error && /multipart|Part terminated|Unexpected end/i.test(err.message)) throw new InvalidParameterError('body', '上传内容格式不正确或不完整');
    throw err;
  }
  if (!stored) {
    if (!csrfOk) throw new AppError('CSRF_REJECTED', '页面已过期或请求无效，请刷新页面后重新提交');
    throw new InvalidParameterError('file', '请选择要上传的结果文件（CSV 或 Excel .xlsx）');
  }
  return registerLoad(deps, p, stored.set, stored, stored.fileName, actor);
}
