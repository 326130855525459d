import type { IdentityDeps, RequestFacts } from './identity.types.ts';
import { normaliseMobile } from './identity.validation.ts';
import { checkOneTimeCode, consumeOneTimeCode } from './one-time-codes.ts';
import { checkPasswordStrength, hashPassword } from './passwords.ts';
import { InvalidCodeError } from './identity.errors.ts';
import { endAccountSessions } from '../sessions/session-store.ts';
import { recordAuditEvent } from '../audit/record-audit-event.ts';
import { sql } from 'kysely';

/**
 * 找回密码, step 2: a valid code sets a new password and ends every session of the account.
 * The code is checked first (a wrong guess is counted against the code, which allows five), and only then is the
 * password checked against the account's own data: before the code, the answer depends on nothing but the input,
 * so it cannot tell whether a password contains some mobile's ID number (or its last six digits).
 */
export async function resetPassword(
  deps: IdentityDeps,
  input: { mobile: string; code: string; password: string },
  from: RequestFacts,
): Promise<void> {
  const mobile = normaliseMobile(input.mobile);
  // what the input alone decides (length, classes, the mobile typed) is said before a code attempt is spent
  checkPasswordStrength(input.password, { mobile });
  const codeId = await checkOneTimeCode(deps.db, { purpose: 'reset_password', destination: mobile, code: input.code.trim() });
  const account = await deps.db.selectFrom('accounts').select(['id', 'id_number']).where('kind', '=', 'person').where('mobile', '=', mobile).executeTakeFirst();
  if (!account) throw new InvalidCodeError(); // not reachable: no code is deliverable without an account
  checkPasswordStrength(input.password, { mobile, idNumber: account.id_number });
  const passwordHash = await hashPassword(input.password);
  await deps.db.transaction().execute(async (trx) => {
    await consumeOneTimeCode(trx, codeId);
    await trx.updateTable('accounts').set({ password_hash: passwordHash, updated_at: sql`now()` }).where('id', '=', account.id).execute();
    const ended = await endAccountSessions(trx, account.id);
    await recordAuditEvent(trx, {
      action: 'auth.password_reset',
      actor: { type: 'citizen', id: account.id, ...from },
      target: { type: 'account', id: account.id },
      details: { sessionsEnded: ended },
    });
  });
}
