/** 找回密码, in two steps: the mobile number gets a code, then the code and a new password. */
import { html, type Html } from '../../../http/html.ts';
import type { AppContext } from '../../../http/context.ts';
import { maskMobile } from '../../identity/identity.validation.ts';
import { errorSummary, notice, textField, type FormErrors } from '../forms.ts';
import { layout } from '../layout.ts';
import type { Preferences } from '../preferences.ts';
import { PASSWORD_RULE } from './account-kit.ts';

interface Common {
  prefs: Preferences;
  path: string;
  csrf: Html;
  errors?: FormErrors;
}

const crumbs = [{ label: '首页', href: '/' }, { label: '登录', href: '/login' }, { label: '找回密码' }];

/** Step 1: the mobile number of the account. */
export function renderResetMobile(ctx: AppContext, v: Common & { mobile?: string }): string {
  return layout(ctx, {
    title: '找回密码',
    prefs: v.prefs,
    path: v.path,
    breadcrumbs: crumbs,
    body: html`<div class="account-page form-narrow">
<h1>找回密码</h1>
<p class="step-indicator">第 1 步，共 2 步：验证手机号码</p>
${errorSummary(v.errors)}
<p>请输入注册时使用的手机号码。工作人员忘记密码，请联系本部门的部门管理员。</p>
<form action="/password/reset/code" method="post">
  ${v.csrf}
  ${textField({ name: 'mobile', label: '手机号码', type: 'tel', value: v.mobile, hint: '如果该号码已注册，我们会向它发送 6 位短信验证码，5 分钟内有效。', autocomplete: 'tel-national', inputmode: 'tel', required: true, maxlength: 20, errors: v.errors })}
  <p><button type="submit" class="primary">获取验证码</button></p>
</form>
<p class="account-links"><a href="/login">返回登录</a></p>
</div>`,
  });
}

/** Step 2: the code and the new password. */
export function renderResetPassword(ctx: AppContext, v: Common & { mobile: string; code?: string; notice?: string }): string {
  return layout(ctx, {
    title: '找回密码',
    prefs: v.prefs,
    path: v.path,
    breadcrumbs: crumbs,
    body: html`<div class="account-page form-narrow">
<h1>找回密码</h1>
<p class="step-indicator">第 2 步，共 2 步：设置新密码</p>
${notice(v.notice, 'info')}
${errorSummary(v.errors)}
<p id="f-mobile" tabindex="-1">手机号码：<strong>${maskMobile(v.mobile)}</strong>　<a href="/password/reset">更换手机号码</a></p>
${v.errors?.mobile ? html`<p class="field-error"><span class="visually-hidden">错误：</span>${v.errors.mobile}</p>` : ''}
<form action="/password/reset" method="post">
  ${v.csrf}
  <input type="hidden" name="mobile" value="${v.mobile}">
  ${textField({ name: 'code', label: '短信验证码', value: v.code, hint: '6 位数字，5 分钟内有效。', autocomplete: 'one-time-code', inputmode: 'numeric', required: true, maxlength: 10, errors: v.errors })}
  ${textField({ name: 'password', label: '新密码', type: 'password', hint: PASSWORD_RULE, autocomplete: 'new-password', required: true, maxlength: 200, errors: v.errors })}
  ${textField({ name: 'passwordConfirm', label: '再次输入新密码', type: 'password', autocomplete: 'new-password', required: true, maxlength: 200, errors: v.errors })}
  <p><button type="submit" class="primary">设置新密码</button></p>
</form>
<form action="/password/reset/code" method="post" class="resend-form">
  ${v.csrf}
  <input type="hidden" name="mobile" value="${v.mobile}">
  <input type="hidden" name="resend" value="1">
  <p>没有收到验证码？<button type="submit" class="secondary">重新获取验证码</button></p>
</form>
<p class="muted">设置新密码后，该账号在所有设备上的登录都会退出。</p>
</div>`,
  });
}
