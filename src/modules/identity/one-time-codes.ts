/**
 * One-time codes (短信验证码): six digits, valid five minutes, five tries, used once. Only a hash is stored.
 * Checking a code and using it are two steps: a wrong guess is counted in its own transaction (so a failed
 * registration cannot undo the count), and the code is used up inside the transaction of the change it
 * authorises (so a change that fails leaves the code usable, and a replay finds it used).
 */
import { sql, type Kysely, type Transaction } from 'kysely';
import type { CodePurpose, DB } from '../../db/schema.ts';
import { randomDigits, safeEqual, sha256Hex } from '../../shared/tokens.ts';
import { RateLimitedError } from '../../shared/errors.ts';
import { InvalidCodeError } from './identity.errors.ts';
import { CODES_PER_DESTINATION, CODES_PER_IP, countAgainst, lockedFor } from './throttle.ts';
import type { MessageSender } from './messages/message-sender.ts';

export const CODE_TTL_SECONDS = 300;
export const CODE_MAX_ATTEMPTS = 5;
const RESEND_AFTER_SECONDS = 60;

const codeHash = (purpose: CodePurpose, destination: string, code: string) => sha256Hex(`${purpose}:${destination}:${code}`);

/**
 * Sends a code to `destination`, or — when `deliverCode` is false (nothing to authorise: the mobile is
 * already registered, or no account has it) — the `otherwise` text instead. The caller answers alike.
 */
export async function sendOneTimeCode(
  db: Kysely<DB>,
  sender: MessageSender,
  input: { purpose: CodePurpose; destination: string; ip: string; deliverCode: boolean; text: (code: string) => string; otherwise: string },
): Promise<void> {
  const toKey = `code-to:${input.destination}`;
  const ipKey = `code-ip:${input.ip}`;
  const locked = await lockedFor(db, [toKey, ipKey]);
  if (locked > 0) throw new RateLimitedError(`验证码发送次数过多，请 ${Math.ceil(locked / 60)} 分钟后再试`, locked);
  const recent = await db
    .selectFrom('one_time_codes')
    .select(sql<number>`ceil(extract(epoch FROM created_at + ${`${RESEND_AFTER_SECONDS} seconds`}::interval - now()))`.as('wait'))
    .where('purpose', '=', input.purpose)
    .where('destination', '=', input.destination)
    .where('created_at', '>', sql<Date>`now() - ${`${RESEND_AFTER_SECONDS} seconds`}::interval`)
    .executeTakeFirst();
  if (recent) throw new RateLimitedError(`验证码已发送，请 ${Math.max(1, Number(recent.wait))} 秒后再重新获取`, Math.max(1, Number(recent.wait)));
  const code = randomDigits(6);
  await db.transaction().execute(async (trx) => {
    await countAgainst(trx, toKey, CODES_PER_DESTINATION);
    await countAgainst(trx, ipKey, CODES_PER_IP);
    // a row is written either way, so both answers cost the same; without a code to deliver it can never match
    await trx
      .insertInto('one_time_codes')
      .values({
        purpose: input.purpose,
        destination: input.destination,
        code_hash: input.deliverCode ? codeHash(input.purpose, input.destination, code) : sha256Hex(`unusable:${randomDigits(12)}`),
        expires_at: sql<Date>`now() + ${`${CODE_TTL_SECONDS} seconds`}::interval`,
        consumed_at: null,
      })
      .execute();
  });
  await sender.send({ channel: 'sms', to: input.destination, text: input.deliverCode ? input.text(code) : input.otherwise });
}

/** Checks a code against the newest live one for (purpose, destination); returns its id, not yet used. */
export async function checkOneTimeCode(db: Kysely<DB>, input: { purpose: CodePurpose; destination: string; code: string }): Promise<string> {
  if (!/^\d{6}$/.test(input.code)) throw new InvalidCodeError();
  const result = await db.transaction().execute(async (trx) => {
    const row = await trx
      .selectFrom('one_time_codes')
      .select(['id', 'code_hash', 'attempts'])
      .where('purpose', '=', input.purpose)
      .where('destination', '=', input.destination)
      .where('consumed_at', 'is', null)
      .where('expires_at', '>', sql<Date>`now()`)
      .orderBy('created_at', 'desc')
      .limit(1)
      .forUpdate()
      .executeTakeFirst();
    if (!row || row.attempts >= CODE_MAX_ATTEMPTS) return null;
    if (!safeEqual(row.code_hash, codeHash(input.purpose, input.destination, input.code))) {
      await trx.updateTable('one_time_codes').set({ attempts: sql`attempts + 1` }).where('id', '=', row.id).execute();
      return null;
    }
    return row.id;
  });
  if (!result) throw new InvalidCodeError();
  return result;
}

/** Uses the code up inside the caller's transaction; a second use (replay) fails. */
export async function consumeOneTimeCode(trx: Transaction<DB>, codeId: string): Promise<void> {
  const r = await trx
    .updateTable('one_time_codes')
    .set({ consumed_at: sql`now()` })
    .where('id', '=', codeId)
    .where('consumed_at', 'is', null)
    .where('expires_at', '>', sql<Date>`now()`)
    .executeTakeFirst();
  if (Number(r.numUpdatedRows) !== 1) throw new InvalidCodeError();
}
