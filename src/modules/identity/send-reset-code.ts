import type { IdentityDeps, RequestFacts } from './identity.types.ts';
import { maskMobile, normaliseMobile } from './identity.validation.ts';
import { sendOneTimeCode, CODE_TTL_SECONDS } from './one-time-codes.ts';
import { recordAuditEventAlone } from '../audit/record-audit-event.ts';

/** 找回密码, step 1: a code to the mobile number if a person's account has it; the answer is the same either way. */
export async function sendResetCode(deps: IdentityDeps, input: { mobile: string }, from: RequestFacts): Promise<void> {
  const mobile = normaliseMobile(input.mobile);
  const account = await deps.db
    .selectFrom('accounts')
    .select('id')
    .where('kind', '=', 'person')
    .where('mobile', '=', mobile)
    .where('status', '=', 'active')
    .executeTakeFirst();
  await sendOneTimeCode(deps.db, deps.messages, {
    purpose: 'reset_password',
    destination: mobile,
    ip: from.ip ?? 'unknown',
    deliverCode: Boolean(account),
    text: (code) => `【一网】您正在重置一网账号密码，验证码 ${code}，${CODE_TTL_SECONDS / 60} 分钟内有效。请勿告诉他人。`,
    otherwise: '【一网】有人尝试用您的手机号找回一网账号密码，但该号码未注册。如非本人操作请忽略。',
  });
  await recordAuditEventAlone(deps.db, {
    action: 'auth.code_sent',
    actor: { type: 'anonymous', ...from },
    target: { type: 'mobile', id: maskMobile(mobile)! },
    details: { purpose: 'reset_password' },
  });
}
