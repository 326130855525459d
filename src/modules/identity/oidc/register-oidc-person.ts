import type { IdentityDeps, RequestFacts, StartedSession } from '../identity.types.ts';
import type { OidcConfig } from '../../../config.ts';
import { ageFromIdNumber } from '../identity.validation.ts';
import { recordAuditEvent } from '../../audit/record-audit-event.ts';
import { AppError, InvalidParameterError } from '../../../shared/errors.ts';
import { peekPending, takePending, type PendingLink } from './oidc-pending.ts';
import { OidcLinkExpiredError } from './oidc.errors.ts';
import { recordOidcLink, startOidcSession } from './oidc-session.ts';

/** Whether a new account can be made from this identity: the provider gave a valid name and ID number. */
export function canRegisterFrom(identity: PendingLink): boolean {
  return Boolean(identity.name && identity.idNumber);
}

/**
 * First sign-in, choice (b) 创建新账号: a person account from the real-name identity the provider verified
 * (name and resident ID number; the mobile number when it gave a free one), without a password — it signs in
 * through the provider. If the ID number has an account already, the person links it with its password instead.
 * One transaction: the identity used up, the account, the link, the session and their audit events.
 */
export async function registerOidcPerson(deps: IdentityDeps, oidc: OidcConfig, input: { linkToken: string }, from: RequestFacts): Promise<{ session: StartedSession; back: string }> {
  const preview = await peekPending<PendingLink>(deps.db, 'oidc_link', input.linkToken);
  if (!preview) throw new OidcLinkExpiredError(oidc.displayName);
  if (!canRegisterFrom(preview)) {
    throw new AppError('INVALID_PARAMETER', `${oidc.displayName}没有提供姓名和有效的身份证号码，无法直接创建账号，请关联已有账号`, 'create');
  }
  if (ageFromIdNumber(preview.idNumber!) < 16) {
    throw new InvalidParameterError('create', '未满 16 周岁的未成年人请由父母在“我的代办”中添加，无需单独注册');
  }
  try {
    return await deps.db.transaction().execute(async (trx) => {
      const identity = await takePending<PendingLink>(trx, 'oidc_link', input.linkToken);
      if (!identity) throw new OidcLinkExpiredError(oidc.displayName);
      const idNumber = identity.idNumber!;
      const clash = await trx.selectFrom('accounts').select('id').where('kind', '=', 'person').where('id_number', '=', idNumber).executeTakeFirst();
      if (clash) throw alreadyRegistered();
      const linked = await trx.selectFrom('oidc_links').select('account_id').where('issuer', '=', identity.issuer).where('subject', '=', identity.subject).executeTakeFirst();
      if (linked) throw new AppError('CONFLICT', `该${oidc.displayName}身份已关联账号，请重新登录`, 'create');
      // the mobile number only when no other person uses it (it is unique among persons)
      const mobileFree =
        identity.mobile !== null &&
        !(await trx.selectFrom('accounts').select('id').where('kind', '=', 'person').where('mobile', '=', identity.mobile).executeTakeFirst());
      const account = await trx
        .insertInto('accounts')
        .values({
          kind: 'person',
          name: identity.name!,
          id_number: idNumber,
          mobile: mobileFree ? identity.mobile : null,
          password_hash: null,
          status: 'active',
          staff_no: null,
          department_id: null,
        })
        .returning(['id', 'kind', 'department_id'])
        .executeTakeFirstOrThrow();
      await trx.insertInto('oidc_links').values({ issuer: identity.issuer, subject: identity.subject, account_id: account.id }).execute();
      await recordAuditEvent(trx, {
        action: 'auth.registered',
        actor: { type: 'citizen', id: account.id, ...from },
        target: { type: 'account', id: account.id },
        details: { method: 'oidc', issuer: identity.issuer },
      });
      await recordOidcLink(trx, account, { issuer: identity.issuer, subject: identity.subject, how: 'new_account' }, from);
      const session = await startOidcSession(trx, deps, account, identity.issuer, from);
      return { session, back: identity.back };
    });
  } catch (err) {
    // two submissions at once: the unique index on the ID number (or the link's key) decides
    if ((err as { code?: string }).code === '23505') throw alreadyRegistered();
    throw err;
  }
}

function alreadyRegistered(): AppError {
  return new AppError('CONFLICT', '该身份证号码已有账号：请在“关联已有账号”中输入该账号的手机号码（或身份证号码）和密码完成关联。如忘记密码，请先使用“找回密码”', 'create');
}
