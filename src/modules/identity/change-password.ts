import { sql } from 'kysely';
import type { IdentityDeps } from './identity.types.ts';
import type { AuditActor } from '../audit/audit.types.ts';
import { checkPasswordStrength, hashPassword, verifyPassword } from './passwords.ts';
import { InvalidParameterError } from '../../shared/errors.ts';
import { endAccountSessions } from '../sessions/session-store.ts';
import { recordAuditEvent } from '../audit/record-audit-event.ts';

/** A signed-in account changes its password; its other sessions end, the current one stays. */
export async function changePassword(
  deps: IdentityDeps,
  input: { accountId: string; sessionId: string; currentPassword: string; newPassword: string },
  actor: AuditActor,
): Promise<void> {
  const account = await deps.db.selectFrom('accounts').select(['password_hash', 'mobile', 'id_number']).where('id', '=', input.accountId).executeTakeFirstOrThrow();
  if (account.password_hash && !(await verifyPassword(account.password_hash, input.currentPassword))) {
    throw new InvalidParameterError('currentPassword', '当前密码不正确');
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
