/**
 * Reads a multipart upload (one file and a few text fields) into memory, within the configured size: the
 * multipart parser stops at the limit, and that becomes the 413 naming it — never a 500. A request that is not
 * multipart is a 415; a second file is refused.
 *
 * CSRF: the route-wide check (http/route-access.ts) runs before the body is read, so it sees only the
 * `x-csrf-token` header. An upload form without JavaScript sends the token as its `_csrf` field instead; routes
 * that take such forms declare `csrf: false` (the same-site check still applies) and pass the session's token
 * here, which accepts the header or the field and refuses anything else — before any file is looked at.
 */
import type { FastifyRequest } from 'fastify';
import { AppError, InvalidParameterError } from '../../shared/errors.ts';
import { safeEqual } from '../../shared/tokens.ts';
import { fileTooLargeError } from './detect-file-type.ts';

export interface Upload {
  fields: Record<string, string>;
  file: { fieldName: string; fileName: string; bytes: Buffer } | undefined;
}

export async function readUpload(req: FastifyRequest, o: { maxMb: number; fileField: string; csrfToken?: string }): Promise<Upload> {
  if (!req.isMultipart()) throw new AppError('UNSUPPORTED_MEDIA_TYPE', '请以 multipart/form-data 格式上传文件', 'body');
  const fields: Record<string, string> = {};
  let file: Upload['file'];
  try {
    for await (const part of req.parts()) {
      if (part.type === 'file') {
        if (part.fieldname !== o.fileField) throw new InvalidParameterError(part.fieldname, `文件只能放在 ${o.fileField} 字段中上传`);
        if (file) throw new InvalidParameterError(o.fileField, '一次只能上传一个文件');
        file = { fieldName: part.fieldname, fileName: part.filename ?? '', bytes: await part.toBuffer() };
      } else {
        if (part.fieldname in fields) throw new InvalidParameterError(part.fieldname, `字段 ${part.fieldname} 重复`);
        if (part.valueTruncated) throw new InvalidParameterError(part.fieldname, `字段 ${part.fieldname} 过长`);
        fields[part.fieldname] = typeof part.value === 'string' ? part.value : String(part.value ?? '');
      }
    }
  } catch (err) {
    if (err instanceof AppError) throw err;
    const code = (err as { code?: string }).code;
    if (code === 'FST_REQ_FILE_TOO_LARGE') throw fileTooLargeError(o.maxMb);
    if (code === 'FST_FILES_LIMIT') throw new InvalidParameterError(o.fileField, '一次只能上传一个文件');
    if (code === 'FST_PARTS_LIMIT' || code === 'FST_FIELDS_LIMIT') throw new InvalidParameterError('body', '上传内容的字段过多');
    if (typeof code === 'string' && code.startsWith('FST_')) throw new InvalidParameterError('body', '上传内容格式不正确');
    if (err instanceof Error && /multipart|Part terminated|Unexpected end/i.test(err.message)) throw new InvalidParameterError('body', '上传内容格式不正确或不完整');
    throw err;
  }
  if (o.csrfToken !== undefined) {
    const header = req.headers['x-csrf-token'];
    const given = typeof header === 'string' ? header : fields._csrf;
    if (given === undefined || !safeEqual(given, o.csrfToken)) throw new AppError('CSRF_REJECTED', '页面已过期或请求无效，请刷新页面后重新提交');
  }
  delete fields._csrf;
  return { fields, file };
}
