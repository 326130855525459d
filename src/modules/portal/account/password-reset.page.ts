/** 找回密码, in two steps: the mobile number gets a code, then the code and a new password. */
import { html } from '../../../http/html.ts';
import type { AppContext } from '../../../http/context.ts';
import { textField } from '../forms.ts';
import { PASSWORD_RULE } from './account-kit.ts';
import { renderCodeStep, renderMobileStep, type CodeFlowPages, type CodeFlowView } from './code-flow.ts';

const RESET: CodeFlowPages = { title: '找回密码', crumb: '找回密码', path: '/password/reset' };

/** Step 1: the mobile number of the account. */
export function renderResetMobile(ctx: AppContext, v: CodeFlowView & { mobile?: string }): string {
  return renderMobileStep(ctx, RESET, v, {
    intro: '请输入注册时使用的手机号码。工作人员忘记密码，请联系本部门的部门管理员。',
    mobileHint: '如果该号码已注册，我们会向它发送 6 位短信验证码，5 分钟内有效。',
    links: html`<a href="/login">返回登录</a>`,
  });
}

/** Step 2: the code and the new password. */
export function renderResetPassword(ctx: AppContext, v: CodeFlowView & { mobile: string; code?: string; notice?: string }): string {
  return renderCodeStep(ctx, RESET, v, {
    title: '设置新密码',
    fields: html`${textField({ name: 'password', label: '新密码', type: 'password', hint: PASSWORD_RULE, autocomplete: 'new-password', required: true, maxlength: 200, errors: v.errors })}
  ${textField({ name: 'passwordConfirm', label: '再次输入新密码', type: 'password', autocomplete: 'new-password', required: true, maxlength: 200, errors: v.errors })}`,
    submit: '设置新密码',
    note: '设置新密码后，该账号在所有设备上的登录都会退出。',
  });
}
