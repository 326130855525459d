import { sql } from 'kysely';
import type { IdentityDeps } from './identity.types.ts';
import type { AuditActor } from '../audit/audit.types.ts';
import { checkPasswordStrength, hashPassword, verifyPassword } from './passwords.ts';
import { InvalidParameterError, RateLimitedError } from '../../shared/errors.ts';
import { endAccountSessions } from '../sessions/session-store.ts';
import { recordAuditEvent } from '../audit/record-audit-event.ts';
import { clearCounter, PASSWORD_CHANGE_PER_ACCOUNT, takeAttempts } from './throttle.ts';

/** The throttle key of an account's current-password checks when changing its password. */
export const passwordChangeKey = (accountId: string) => `password-change:${accountId}`;

const lockMessage = (minutes: number) => `当前密码错误次数过多，请 ${minutes} 分钟后再试`;
const lockedOutMessage = (minutes: number) => `当前密码错误次数过多，为保护账号安全，已退出该账号的全部登录，请 ${minutes} 分钟后重新登录再试`;

/**
 * A signed-in account changes its password; its other sessions end, the current one stays.
 * The current password is a second factor a stolen session does not have: each check is counted against the
 * account before it is made (PASSWORD_CHANGE_PER_ACCOUNT, shared by every app server), each wrong one is
 * audited, and the wrong one that reaches the limit ends every session of the account (this one too) and
 * answers 429; until the lock ends, further checks are refused (429) unmade.
 */
export async function changePassword(
  deps: IdentityDeps,
  input: { accountId: string; sessionId: string; currentPassword: string; newPassword: string },
  actor: AuditActor,
): Promise<void> {
  const account = await deps.db.selectFrom('accounts').select(['password_hash', 'mobile', 'id_number']).where('id', '=', input.accountId).executeTakeFirstOrThrow();
  const key = passwordChangeKey(input.accountId);
  if (account.password_hash) {
    const { reachedLimit } = await takeAttempts(deps.db, [{ key, limit: PASSWORD_CHANGE_PER_ACCOUNT }], lockMessage);
    if (!(await verifyPassword(account.password_hash, input.currentPassword))) {
      await deps.db.transaction().execute(async (trx) => {
        const ended = reachedLimit ? await endAccountSessions(trx, input.accountId) : 0;
        await recordAuditEvent(trx, {
          action: 'auth.password_change.failed',
          actor,
          target: { type: 'account', id: input.accountId },
          outcome: 'failure',
          details: reachedLimit ? { reason: 'wrong_password', locked: true, sessionsEnded: ended } : { reason: 'wrong_password' },
        });
      });
      if (reachedLimit) throw new RateLimitedError(lockedOutMessage(PASSWORD_CHANGE_PER_ACCOUNT.lockSeconds / 60), PASSWORD_CHANGE_PER_ACCOUNT.lockSeconds);
      throw new InvalidParameterError('currentPassword', '当前密码不正确');
    }
    await clearCounter(deps.db, key); // the right one: a new password refused below costs no attempt
  }
  checkPasswordStrength(input.newPassword, { mobile: account.mobile, idNumber: account.id_number }, 'newPassword');
  if (input.newPassword === input.currentPassword) throw new InvalidParameterError('newPassword', '新密码不能与当前密码相同');
  const hash = await hashPassword(input.newPassword);
  await deps.db.transaction().execute(async (trx) => {
    await trx.updateTable('accounts').set({ password_hash: hash, updated_at: sql`now()` }).where('id', '=', input.accountId).execute();
    const ended = await endAccountSessions(trx, input.accountId, input.sessionId);
    await recordAuditEvent(trx, { action: 'auth.password_changed', actor, target: { type: 'account', id: input.accountId }, details: { otherSessionsEnded: ended } });
  });
}
