/** 注册个人账号, in two steps: the mobile number gets a code, then the code, name, ID number and password. */
import { html } from '../../../http/html.ts';
import type { AppContext } from '../../../http/context.ts';
import { textField } from '../forms.ts';
import { PASSWORD_RULE } from './account-kit.ts';
import { renderCodeStep, renderMobileStep, type CodeFlowPages, type CodeFlowView } from './code-flow.ts';

const REGISTER: CodeFlowPages = { title: '注册个人账号', crumb: '注册', path: '/register' };

/** Step 1: the mobile number. */
export function renderRegisterMobile(ctx: AppContext, v: CodeFlowView & { mobile?: string }): string {
  return renderMobileStep(ctx, REGISTER, v, {
    intro: '注册需要年满 16 周岁，并使用本人的手机号码和居民身份证。未成年子女无需注册，可由父母在“我的代办与授权”中添加。',
    mobileHint: '我们会向该号码发送 6 位短信验证码，5 分钟内有效。',
    links: html`已有账号？<a href="/login">直接登录</a>`,
  });
}

/** Step 2: the code and the account's details. */
export function renderRegisterDetails(
  ctx: AppContext,
  v: CodeFlowView & { mobile: string; name?: string; idNumber?: string; code?: string; notice?: string },
): string {
  return renderCodeStep(ctx, REGISTER, v, {
    title: '填写验证码和身份信息',
    fields: html`${textField({ name: 'name', label: '姓名', value: v.name, hint: '与居民身份证上的姓名一致。', autocomplete: 'name', required: true, maxlength: 60, errors: v.errors })}
  ${textField({ name: 'idNumber', label: '居民身份证号码', value: v.idNumber, hint: '18 位，最后一位可以是数字或 X。', autocomplete: 'off', required: true, maxlength: 30, errors: v.errors })}
  ${textField({ name: 'password', label: '设置密码', type: 'password', hint: PASSWORD_RULE, autocomplete: 'new-password', required: true, maxlength: 200, errors: v.errors })}
  ${textField({ name: 'passwordConfirm', label: '再次输入密码', type: 'password', autocomplete: 'new-password', required: true, maxlength: 200, errors: v.errors })}`,
    submit: '注册并登录',
  });
}
