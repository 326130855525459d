/**
 * 材料文件检查: what a file is, decided from its bytes — PDF, JPEG and PNG by their signatures (file-type), OFD
 * (GB/T 33190) as a ZIP whose root holds `OFD.xml`. The name's extension counts for nothing: an HTML page or
 * a program named `x.pdf` is refused (415), as is a DOCX or any other ZIP. Empty files are refused (400), files
 * over the configured limit too (413).
 */
import { createHash } from 'node:crypto';
import { fileTypeFromBuffer } from 'file-type';
import { AppError, InvalidParameterError } from '../../shared/errors.ts';
import { ACCEPTED_MEDIA_TYPES, type AcceptedMediaType } from './attachments.types.ts';
import { listZipEntries } from './list-zip-entries.ts';

export interface DetectedFile {
  mediaType: AcceptedMediaType;
  extension: string; // pdf, jpg, png, ofd
  sizeBytes: number;
  sha256: string; // hex
}

/** The 413 an over-large file gets, naming the limit (also used when the multipart parser stops reading). */
export function fileTooLargeError(maxMb: number): AppError {
  return new AppError('PAYLOAD_TOO_LARGE', `文件过大：单个文件不能超过 ${maxMb} MB`, 'file');
}

export function sha256Hex(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** Is this ZIP an OFD package (`OFD.xml` at the root of the archive)? */
export function isOfdPackage(bytes: Buffer): boolean {
  const entries = listZipEntries(bytes);
  return entries !== null && entries.some((e) => e.name.toLowerCase() === 'ofd.xml');
}

const FROM_FILE_TYPE: Record<string, AcceptedMediaType> = {
  pdf: 'application/pdf',
  jpg: 'image/jpeg',
  png: 'image/png',
  apng: 'image/png', // an animated PNG is still a PNG
};

export async function detectFileType(bytes: Buffer, opts: { maxMb: number }): Promise<DetectedFile> {
  if (bytes.length === 0) throw new InvalidParameterError('file', '文件为空，请重新选择文件');
  if (bytes.length > opts.maxMb * 1024 * 1024) throw fileTooLargeError(opts.maxMb);
  let mediaType: AcceptedMediaType | undefined;
  if (bytes.length >= 4 && bytes.readUInt32LE(0) === 0x04034b50) {
    // a ZIP: only an OFD package is accepted (file-type would call an OFD just "zip", and a DOCX "docx")
    if (isOfdPackage(bytes)) mediaType = 'application/ofd';
  } else {
    const found = await fileTypeFromBuffer(bytes);
    if (found) mediaType = FROM_FILE_TYPE[found.ext];
  }
  if (!mediaType) {
    throw new AppError('UNSUPPORTED_MEDIA_TYPE', '文件格式不受支持：只能上传 PDF、JPG、PNG 或 OFD 文件（按文件内容判断，不看扩展名）', 'file');
  }
  return { mediaType, extension: ACCEPTED_MEDIA_TYPES[mediaType].extension, sizeBytes: bytes.length, sha256: sha256Hex(bytes) };
}
