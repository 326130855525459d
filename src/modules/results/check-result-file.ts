/**
 * 文件比对: is this file the document that was issued under this code? A copy whose SHA-256 differs from the
 * recorded one has been changed (or is not the issued file at all), however genuine it looks.
 */
import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';
import type { VerifiedResult } from './results.types.ts';
import { verifyResult } from './verify-result.ts';

export interface FileCheck {
  result: VerifiedResult;
  matches: boolean;
  uploadedSha256: string;
  uploadedBytes: number;
}

export async function checkResultFile(db: Kysely<DB>, rawCode: string, file: Buffer, o: { ip?: string } = {}): Promise<FileCheck> {
  const result = await verifyResult(db, rawCode, o);
  const uploadedSha256 = createHash('sha256').update(file).digest('hex');
  return { result, matches: uploadedSha256 === result.sha256, uploadedSha256, uploadedBytes: file.length };
}
