import type { IdentityDeps, RequestFacts, StartedSession } from '../identity.types.ts';
import type { OidcConfig } from '../../../config.ts';
import { verifyPassword } from '../passwords.ts';
import { InvalidCredentialsError } from '../identity.errors.ts';
import { assertNotLocked, takeAttempts } from '../throttle.ts';
import { loginAccountKey, loginKeys, recordFailedSignIn, settleSuccessfulSignIn } from '../record-failed-sign-in.ts';
import { AppError } from '../../../shared/errors.ts';
import { peekPending, takePending, type PendingLink } from './oidc-pending.ts';
import { OidcLinkExpiredError } from './oidc.errors.ts';
import { recordOidcLink, startOidcSession } from './oidc-session.ts';

export interface LinkOidcAccountInput {
  linkToken: string; // the first-sign-in cookie
  identifier: string; // mobile or ID number of the existing person account
  password: string;
}

const lockMessage = (minutes: number) => `登录失败次数过多，已临时锁定，请 ${minutes} 分钟后再试`;

/**
 * First sign-in, choice (a) 关联已有账号: the person proves they own an existing person account with its
 * password — throttled and audited exactly like a password sign-in (same keys, same limits, same message) —
 * then, in one transaction, the verified identity is used up, linked to the account, and a session starts.
 * When the provider gave an ID number, it must be the account's.
 */
export async function linkOidcAccount(deps: IdentityDeps, oidc: OidcConfig, input: LinkOidcAccountInput, from: RequestFacts): Promise<{ session: StartedSession; back: string }> {
  if (!(await peekPending<PendingLink>(deps.db, 'oidc_link', input.linkToken))) throw new OidcLinkExpiredError(oidc.displayName);

  const identifier = input.identifier.trim().toUpperCase().slice(0, 64);
  const idKey = `login-id:person:${identifier}`;
  const ipKey = `login-ip:${from.ip ?? 'unknown'}`;

  let q = deps.db.selectFrom('accounts').select(['id', 'kind', 'password_hash', 'status', 'department_id', 'id_number']).where('kind', '=', 'person');
  q = /^1\d{10}$/.test(identifier) ? q.where('mobile', '=', identifier) : q.where('id_number', '=', identifier);
  const account = identifier ? await q.executeTakeFirst() : undefined;
  const accountKey = account ? loginAccountKey(account.id) : undefined;

  // counted before the password is checked, against the same keys as a password sign-in
  await assertNotLocked(deps.db, [ipKey], lockMessage);
  await takeAttempts(deps.db, loginKeys(idKey, accountKey), lockMessage);
  const ok = (await verifyPassword(account?.password_hash, input.password)) && account?.status === 'active';

  if (!ok) {
    await recordFailedSignIn(deps.db, { ipKey, identifier, account, kind: 'person', method: 'oidc_link' }, from);
    throw new InvalidCredentialsError();
  }

  return deps.db.transaction().execute(async (trx) => {
    // used up here: a second submission (or a concurrent one) finds nothing
    const identity = await takePending<PendingLink>(trx, 'oidc_link', input.linkToken);
    if (!identity) throw new OidcLinkExpiredError(oidc.displayName);
    if (identity.idNumber && account!.id_number !== identity.idNumber) {
      throw new AppError('CONFLICT', `该账号的身份证号码与${oidc.displayName}认证的身份不一致，不能关联。请使用本人账号`, 'identifier');
    }
    const taken = await trx
      .selectFrom('oidc_links')
      .select(['subject', 'account_id'])
      .where('issuer', '=', identity.issuer)
      .where((eb) => eb.or([eb('subject', '=', identity.subject), eb('account_id', '=', account!.id)]))
      .executeTakeFirst();
    if (taken) {
      throw new AppError(
        'CONFLICT',
        taken.subject === identity.subject ? `该${oidc.displayName}身份已关联其他账号，请重新登录` : `该账号已关联另一个${oidc.displayName}身份，不能重复关联`,
        taken.subject === identity.subject ? undefined : 'identifier',
      );
    }
    await trx.insertInto('oidc_links').values({ issuer: identity.issuer, subject: identity.subject, account_id: account!.id }).execute();
    await settleSuccessfulSignIn(trx, { idKey, accountKey: accountKey! });
    await recordOidcLink(trx, account!, { issuer: identity.issuer, subject: identity.subject, how: 'password' }, from);
    const session = await startOidcSession(trx, deps, account!, identity.issuer, from);
    return { session, back: identity.back };
  });
}
