/**
 * 办理结果核验: anyone with a verification code learns whether the document is genuine and in force, with the
 * holder's personal data masked. Unknown codes are counted per IP (in `auth_throttle`, shared by all servers):
 * 30 misses in 10 minutes lock that IP out of verification for 10 minutes. A code has 80 random bits, so the
 * limit is not what makes guessing hopeless; it keeps scrapers from hammering the lookup.
 * The IP is checked before the lookup and only misses count (a counter at a bank or an office verifies many
 * documents from one address, and found codes must not lock it); a miss is counted atomically with a second look
 * at the lock (takeAttempts), so parallel misses beyond the limit are answered 429, not 404. There is no key per
 * code: the code is the whole secret, so each guess is a different code and such a key would never be hit twice.
 */
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { InvalidParameterError, NotFoundError } from '../../shared/errors.ts';
import { chinaToday } from '../calendar/working-calendar.ts';
import { assertNotLocked, takeAttempts, type Limit } from '../identity/throttle.ts';
import { maskIdNumber, publicHolderName } from './masking.ts';
import type { ResultContent, VerifiedResult } from './results.types.ts';
import { normaliseVerificationCode } from './verification-code.ts';

export const VERIFY_MISSES_PER_IP: Limit = { max: 30, windowSeconds: 600, lockSeconds: 600 };

export const CODE_FORMAT_MESSAGE = '核验码格式不正确：应为 16 位字母和数字，如 7KQ2-M9XD-4HVB-0RTE';
export const CODE_NOT_FOUND_MESSAGE = '未找到与该核验码对应的办理结果，请核对核验码后重试';

const lockMessage = (minutes: number) => `核验次数过多，请 ${minutes} 分钟后再试`;

export async function verifyResult(db: Kysely<DB>, rawCode: string, o: { ip?: string; now?: Date } = {}): Promise<VerifiedResult> {
  const code = normaliseVerificationCode(rawCode);
  if (!code) throw new InvalidParameterError('code', CODE_FORMAT_MESSAGE);
  const key = o.ip ? `verify-ip:${o.ip}` : undefined;
  if (key) await assertNotLocked(db, [key], lockMessage);
  const row = await db
    .selectFrom('application_results')
    .select(['kind', 'title', 'document_number', 'verification_code', 'holder_name', 'holder_id_number', 'content', 'issued_at', 'valid_until', 'sha256', 'revoked_at'])
    .where('verification_code', '=', code)
    .executeTakeFirst();
  if (!row) {
    // counts the miss, or answers 429 if parallel misses locked the IP since the check above
    if (key) await takeAttempts(db, [{ key, limit: VERIFY_MISSES_PER_IP }], lockMessage);
    throw new NotFoundError(CODE_NOT_FOUND_MESSAGE, 'code');
  }
  const c = row.content as unknown as ResultContent;
  const revoked = row.revoked_at !== null;
  const expired = !revoked && row.valid_until !== null && row.valid_until < chinaToday(o.now);
  const status = revoked ? 'revoked' : expired ? 'expired' : 'valid';
  return {
    valid: status === 'valid',
    status,
    kind: row.kind,
    title: row.title,
    documentNumber: row.document_number,
    itemName: c.itemName,
    departmentName: c.departmentName,
    holderName: publicHolderName(row.holder_name, c.holderType),
    holderIdNumber: maskIdNumber(row.holder_id_number),
    issuedOn: c.issuedOn,
    issuedAt: new Date(row.issued_at).toISOString(),
    validUntil: row.valid_until,
    revoked,
    revokedAt: row.revoked_at ? new Date(row.revoked_at).toISOString() : null,
    sha256: row.sha256,
    verificationCode: row.verification_code,
  };
}
