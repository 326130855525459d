import type { IdentityDeps, RequestFacts } from './identity.types.ts';
import { normaliseMobile } from './identity.validation.ts';
import { sendOneTimeCode, CODE_TTL_SECONDS } from './one-time-codes.ts';
import { recordAuditEventAlone } from '../audit/record-audit-event.ts';
import { maskMobile } from './identity.validation.ts';

/**
 * Step 1 of registration: a code to the mobile number. The answer is the same whether or not the number is
 * registered already; its owner learns which from the message itself.
 */
export async function sendRegistrationCode(deps: IdentityDeps, input: { mobile: string }, from: RequestFacts): Promise<void> {
  const mobile = normaliseMobile(input.mobile);
  const taken = await deps.db.selectFrom('accounts').select('id').where('kind', '=', 'person').where('mobile', '=', mobile).executeTakeFirst();
  await sendOneTimeCode(deps.db, deps.messages, {
    purpose: 'register',
    destination: mobile,
    ip: from.ip ?? 'unknown',
    deliverCode: !taken,
    text: (code) => `【一网】您正在注册一网政务服务账号，验证码 ${code}，${CODE_TTL_SECONDS / 60} 分钟内有效。如非本人操作请忽略。`,
    otherwise: '【一网】有人尝试用您的手机号注册一网账号，该号码已注册。如忘记密码，请在登录页使用“找回密码”。',
  });
  await recordAuditEventAlone(deps.db, {
    action: 'auth.code_sent',
    actor: { type: 'anonymous', ...from },
    target: { type: 'mobile', id: maskMobile(mobile)! },
    details: { purpose: 'register' },
  });
}
