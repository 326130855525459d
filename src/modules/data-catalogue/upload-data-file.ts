/**
 * 上传数据文件: a data steward's CSV, XLSX or JSON file of a resource's records, with the mode of the load
 * (full 全量替换 / upsert 增量更新 / delete 按关键项删除), received as a multipart stream and stored in parts
 * the way result files are (storeResultFile: never whole in memory, 413 as soon as the configured size is
 * passed). What can be told at once is refused at once with a 4xx: an empty file, a binary file, a text file
 * that is not UTF-8 (GBK/GB18030 — what Excel for Chinese Windows saves — named as such), a retired resource.
 * Everything else (header, rows) is the background load's to check (process-data-loads.ts).
 *
 * Then, in one transaction, a 'pending' load and its `data_load.uploaded` event. Loads of one resource run one
 * at a time in upload order: a second upload waits in the queue.
 *
 * CSRF: the token is the `x-csrf-token` header, or the form's `_csrf` field, which must come before the file;
 * the mode likewise (a `mode` field before the file, or `?mode=` on the URL).
 */
import { createHash } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';
import type { Principal } from '../access/principal.ts';
import type { AuditActor } from '../audit/audit.types.ts';
import { recordAuditEvent } from '../audit/record-audit-event.ts';
import type { BlobStorage } from '../attachments/blob-storage.ts';
import { AppError, InvalidParameterError } from '../../shared/errors.ts';
import { safeEqual } from '../../shared/tokens.ts';
import { deleteStoredParts, storeResultFile, type IncomingFile } from '../result-sets/upload-result-file.ts';
import { loadsApiOf, resourceForLoads, type ResourceRow } from './get-data-load.ts';
import type { DataFileFormat } from './read-data-file.ts';
import type { LoadMode } from './validate-data-record.ts';

export type { IncomingFile };

export interface DataLoadDeps {
  db: Kysely<DB>;
  storage: BlobStorage;
}

export interface UploadedDataLoad {
  loadId: number;
  status: 'pending';
  mode: LoadMode;
  fileName: string;
  fileBytes: number;
  format: DataFileFormat;
  statusUrl: string;
}

const LOAD_MODES: readonly LoadMode[] = ['full', 'upsert', 'delete'];
/** How much of the start of a text file is checked for its encoding while it streams in. */
const HEAD_BYTES = 256 * 1024;

export const dataFileTooLarge = (maxMb: number) =>
  new AppError('PAYLOAD_TOO_LARGE', `文件过大：数据文件不能超过 ${maxMb} MB。请拆分为多个文件，用“增量更新”分批装载`, 'file');

export const GBK_FILE = '文件是 GBK/GB18030 编码（中文版 Excel 默认的“CSV（逗号分隔）”），只接受 UTF-8 编码：请在 Excel 或 WPS 中另存为“CSV UTF-8（逗号分隔）”后重新上传';
export const NOT_UTF8_FILE = '文件不是 UTF-8 编码，无法识别其中的文字：请另存为 UTF-8 编码后重新上传';

export function parseLoadMode(v: unknown): LoadMode {
  if (typeof v === 'string' && (LOAD_MODES as readonly string[]).includes(v)) return v as LoadMode;
  throw new InvalidParameterError('mode', '请选择装载方式：full（全量替换）、upsert（增量更新）或 delete（按关键项删除）');
}

/** Why the start of a text file is not UTF-8: GBK named when it reads as GBK. */
function encodingError(head: Buffer): AppError {
  let gbk = false;
  try {
    new TextDecoder('gbk', { fatal: true }).decode(head.subarray(0, Math.max(0, head.length - 1)));
    gbk = true;
  } catch {
    gbk = false;
  }
  return new AppError('UNSUPPORTED_MEDIA_TYPE', gbk ? GBK_FILE : NOT_UTF8_FILE, 'file');
}

/**
 * The incoming bytes, passed through unchanged while the start of a text file is checked to be UTF-8 and a
 * JSON file is told from a CSV one (its first character is [ or {). Binary files are left to storeResultFile.
 */
function sniffing(file: IncomingFile, seen: { json: boolean }): IncomingFile {
  const source = file.stream;
  const decoder = new TextDecoder('utf-8', { fatal: true });
  async function* pass(): AsyncGenerator<Buffer> {
    let checked = 0;
    let text: boolean | undefined;
    const head: Buffer[] = [];
    for await (const chunk of source) {
      if (text === undefined && chunk.length) {
        const b = chunk;
        const zip = b[0] === 0x50 && b[1] === 0x4b;
        const utf16 = (b[0] === 0xff && b[1] === 0xfe) || (b[0] === 0xfe && b[1] === 0xff);
        const ole = b[0] === 0xd0 && b[1] === 0xcf;
        const pdf = b[0] === 0x25 && b[1] === 0x50 && b[2] === 0x44 && b[3] === 0x46;
        text = !zip && !utf16 && !ole && !pdf && !b.subarray(0, 64 * 1024).includes(0);
        if (text) {
          let i = b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf ? 3 : 0;
          while (i < b.length && (b[i] === 0x20 || b[i] === 0x09 || b[i] === 0x0a || b[i] === 0x0d)) i++;
          seen.json = b[i] === 0x5b || b[i] === 0x7b; // [ {
        }
      }
      if (text && checked < HEAD_BYTES) {
        const part = chunk.subarray(0, HEAD_BYTES - checked);
        head.push(part);
        try {
          decoder.decode(part, { stream: true });
        } catch {
          throw encodingError(Buffer.concat(head));
        }
        checked += part.length;
      }
      yield chunk;
    }
  }
  const stream = pass() as AsyncGenerator<Buffer> & { truncated?: boolean };
  Object.defineProperty(stream, 'truncated', { get: () => source.truncated });
  return { fileName: file.fileName, stream };
}

function cleanFileName(raw: string | undefined, format: DataFileFormat): string {
  const base = (raw ?? '').split(/[\\/]/).pop() ?? '';
  const name = [...base.replace(/[\u0000-\u001f\u007f]/g, '').trim()].slice(0, 200).join('');
  return name || `数据.${format}`;
}

type Stored = { fileKey: string; bytes: number; format: DataFileFormat; sha256: string };

/** Streams the file into storage; 4xx for what can be told at once (the parts written so far are removed). */
export async function storeDataFile(storage: BlobStorage, file: IncomingFile, maxMb: number): Promise<Stored> {
  const seen = { json: false };
  try {
    const s = await storeResultFile(storage, sniffing(file, seen), maxMb);
    return { fileKey: s.fileKey, bytes: s.bytes, sha256: s.sha256, format: s.format === 'csv' && seen.json ? 'json' : s.format };
  } catch (err) {
    if (err instanceof AppError && err.code === 'PAYLOAD_TOO_LARGE') throw dataFileTooLarge(maxMb);
    if (err instanceof AppError && err.code === 'UNSUPPORTED_MEDIA_TYPE' && /只能上传/.test(err.message)) {
      throw new AppError('UNSUPPORTED_MEDIA_TYPE', '文件格式不受支持：只能上传 CSV（UTF-8 编码）、Excel（.xlsx）或 JSON 文件', 'file');
    }
    throw err;
  }
}

const accountOf = (p: Principal): string | null => (p.kind === 'client' ? null : p.accountId);

function assertLoadable(resource: ResourceRow): void {
  if (resource.status === 'retired') throw new AppError('CONFLICT', '该数据资源已停用，不能再装载数据', 'code');
}

/** The 'pending' load and its event; the stored parts are removed if this fails. */
async function registerLoad(
  deps: DataLoadDeps,
  createdBy: string | null,
  resource: ResourceRow,
  mode: LoadMode,
  stored: Stored,
  rawName: string | undefined,
  actor: AuditActor,
): Promise<UploadedDataLoad> {
  const fileName = cleanFileName(rawName, stored.format);
  try {
    const loadId = await deps.db.transaction().execute(async (trx) => {
      const load = await trx
        .insertInto('data_loads')
        .values({
          resource_id: resource.id,
          mode,
          status: 'pending',
          file_name: fileName,
          file_key: stored.fileKey,
          file_bytes: stored.bytes,
          format: stored.format,
          created_by: createdBy,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      await recordAuditEvent(trx, {
        action: 'data_load.uploaded',
        actor,
        target: { type: 'data_load', id: String(load.id) },
        details: { resourceId: resource.id, resourceCode: resource.code, mode, fileName, bytes: stored.bytes, format: stored.format, sha256: stored.sha256 },
      });
      return Number(load.id);
    });
    return { loadId, status: 'pending', mode, fileName, fileBytes: stored.bytes, format: stored.format, statusUrl: `${loadsApiOf(resource.code)}/${loadId}` };
  } catch (err) {
    await deleteStoredParts(deps.storage, stored.fileKey, stored.bytes).catch(() => undefined);
    throw err;
  }
}

/** Stores one file (already separated from its request) and queues its load. */
export async function uploadDataFile(
  deps: DataLoadDeps,
  p: Principal,
  code: string,
  mode: LoadMode,
  file: IncomingFile,
  actor: AuditActor,
  o: { maxMb: number },
): Promise<UploadedDataLoad> {
  const { resource } = await resourceForLoads(deps.db, p, code, actor);
  assertLoadable(resource);
  const stored = await storeDataFile(deps.storage, file, o.maxMb);
  return registerLoad(deps, accountOf(p), resource, mode, stored, file.fileName, actor);
}

/**
 * Reads the multipart request (the CSRF field and the mode, then one file in `file`) and uploads the file as it
 * streams. Multipart errors become 4xx with Chinese messages, never a 500.
 */
export async function receiveDataUpload(
  deps: DataLoadDeps,
  req: FastifyRequest,
  p: Principal,
  code: string,
  actor: AuditActor,
  o: { maxMb: number; mode?: string },
): Promise<UploadedDataLoad> {
  if (!req.isMultipart()) throw new AppError('UNSUPPORTED_MEDIA_TYPE', '请以 multipart/form-data 格式上传文件', 'body');
  const sessionToken = p.kind === 'client' ? undefined : p.csrfToken;
  const header = req.headers['x-csrf-token'];
  let csrfOk = p.kind === 'client' || (typeof header === 'string' && sessionToken !== undefined && safeEqual(header, sessionToken));
  let modeValue: string | undefined = o.mode;
  let stored: (Stored & { fileName: string | undefined; resource: ResourceRow; mode: LoadMode }) | undefined;
  try {
    for await (const part of req.parts()) {
      if (part.type === 'field') {
        if (part.fieldname === '_csrf' && !csrfOk && typeof part.value === 'string' && sessionToken !== undefined) csrfOk = safeEqual(part.value, sessionToken);
        if (part.fieldname === 'mode' && typeof part.value === 'string' && part.value) modeValue = part.value;
        continue;
      }
      if (!csrfOk) throw new AppError('CSRF_REJECTED', '页面已过期或请求无效，请刷新页面后重新提交');
      if (part.fieldname !== 'file') throw new InvalidParameterError(part.fieldname, '文件只能放在 file 字段中上传');
      if (!part.filename) {
        part.file.resume(); // a form sent without a file chosen: an empty part
        continue;
      }
      if (stored) throw new InvalidParameterError('file', '一次只能上传一个文件');
      const mode = parseLoadMode(modeValue);
      const { resource } = await resourceForLoads(deps.db, p, code, actor);
      assertLoadable(resource);
      stored = { ...(await storeDataFile(deps.storage, { fileName: part.filename, stream: part.file }, o.maxMb)), fileName: part.filename, resource, mode };
    }
  } catch (err) {
    if (stored) await deleteStoredParts(deps.storage, stored.fileKey, stored.bytes).catch(() => undefined);
    if (err instanceof AppError) throw err;
    const c = (err as { code?: string }).code;
    if (c === 'FST_REQ_FILE_TOO_LARGE') throw dataFileTooLarge(o.maxMb);
    if (c === 'FST_FILES_LIMIT') throw new InvalidParameterError('file', '一次只能上传一个文件');
    if (c === 'FST_PARTS_LIMIT' || c === 'FST_FIELDS_LIMIT') throw new InvalidParameterError('body', '上传内容的字段过多');
    if (typeof c === 'string' && c.startsWith('FST_')) throw new InvalidParameterError('body', '上传内容格式不正确');
    if (err instanceof Error && /multipart|Part terminated|Unexpected end/i.test(err.message)) throw new InvalidParameterError('body', '上传内容格式不正确或不完整');
    throw err;
  }
  if (!stored) {
    if (!csrfOk) throw new AppError('CSRF_REJECTED', '页面已过期或请求无效，请刷新页面后重新提交');
    throw new InvalidParameterError('file', '请选择要装载的数据文件（CSV、Excel .xlsx 或 JSON）');
  }
  return registerLoad(deps, accountOf(p), stored.resource, stored.mode, stored, stored.fileName, actor);
}

/** For the benchmark and tests: a load of a file already in storage, queued as an upload queues it. */
export async function queueStoredDataFile(
  deps: DataLoadDeps,
  createdBy: string | null,
  resource: ResourceRow,
  mode: LoadMode,
  stored: Stored,
  fileName: string,
  actor: AuditActor,
): Promise<UploadedDataLoad> {
  return registerLoad(deps, createdBy, resource, mode, stored, fileName, actor);
}

/** The sha256 of bytes, as an upload records it. */
export const sha256Of = (b: Buffer) => createHash('sha256').update(b).digest('hex');
