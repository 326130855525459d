import type { IdentityDeps, RequestFacts, StartedSession } from './identity.types.ts';
import { verifyPassword } from './passwords.ts';
import { InvalidCredentialsError } from './identity.errors.ts';
import { assertNotLocked, takeAttempts } from './throttle.ts';
import { loginAccountKey, loginKeys, recordFailedSignIn, settleSuccessfulSignIn } from './record-failed-sign-in.ts';
import { createSession } from '../sessions/session-store.ts';
import { recordAuditEvent } from '../audit/record-audit-event.ts';

export interface SignInInput {
  kind: 'person' | 'staff'; // 个人/法人登录 with a mobile or ID number; 工作人员登录 with a staff number
  identifier: string;
  password: string;
}

const lockMessage = (minutes: number) => `登录失败次数过多，已临时锁定，请 ${minutes} 分钟后再试`;

/**
 * Password sign-in. The same message, and the same argon2 work, whether the account is unknown, disabled or
 * the password wrong. Every attempt is counted before the password is checked — per identifier typed and per
 * account (its mobile and ID number share one budget) — and too many lock them for a while; a success clears
 * both counts. Failures also count per IP (checked before, counted after: successes never lock an address).
 */
export async function signIn(deps: IdentityDeps, input: SignInInput, from: RequestFacts): Promise<StartedSession> {
  const identifier = input.identifier.trim().toUpperCase().slice(0, 64);
  const idKey = `login-id:${input.kind}:${identifier}`;
  const ipKey = `login-ip:${from.ip ?? 'unknown'}`;

  let q = deps.db.selectFrom('accounts').select(['id', 'kind', 'password_hash', 'status', 'department_id']).where('kind', '=', input.kind);
  if (input.kind === 'staff') q = q.where('staff_no', '=', identifier);
  else if (/^1\d{10}$/.test(identifier)) q = q.where('mobile', '=', identifier);
  else q = q.where('id_number', '=', identifier);
  const account = identifier ? await q.executeTakeFirst() : undefined;
  const accountKey = account ? loginAccountKey(account.id) : undefined;

  await assertNotLocked(deps.db, [ipKey], lockMessage);
  await takeAttempts(deps.db, loginKeys(idKey, accountKey), lockMessage);
  const ok = (await verifyPassword(account?.password_hash, input.password)) && account?.status === 'active';

  if (!ok) {
    await recordFailedSignIn(deps.db, { ipKey, identifier, account, kind: input.kind }, from);
    throw new InvalidCredentialsError();
  }

  return deps.db.transaction().execute(async (trx) => {
    await settleSuccessfulSignIn(trx, { idKey, accountKey: accountKey! });
    const s = await createSession(trx, { accountId: account!.id, authMethod: 'password', ip: from.ip, userAgent: from.userAgent, timeouts: deps.timeouts });
    await recordAuditEvent(trx, {
      action: 'auth.sign_in.succeeded',
      actor: { type: input.kind === 'staff' ? 'staff' : 'citizen', id: account!.id, departmentId: account!.department_id, ...from },
      target: { type: 'account', id: account!.id },
      details: { method: 'password', sessionId: s.id },
    });
    return { token: s.token, sessionId: s.id, csrfToken: s.csrfToken, accountId: account!.id, kind: input.kind, absoluteExpiresAt: s.absoluteExpiresAt };
  });
}
