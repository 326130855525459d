/** 注册个人账号, in two steps: the mobile number gets a code, then the code, name, ID number and password. */
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

const crumbs = [{ label: '首页', href: '/' }, { label: '登录', href: '/login' }, { label: '注册' }];

/** Step 1: the mobile number. */
export function renderRegisterMobile(ctx: AppContext, v: Common & { mobile?: string }): string {
  return layout(ctx, {
    title: '注册个人账号',
    prefs: v.prefs,
    path: v.path,
    breadcrumbs: crumbs,
    body: html`<div class="account-page form-narrow">
<h1>注册个人账号</h1>
<p class="step-indicator">第 1 步，共 2 步：验证手机号码</p>
${errorSummary(v.errors)}
<p>注册需要年满 16 周岁，并使用本人的手机号码和居民身份证。未成年子女无需注册，可由父母在“我的代办与授权”中添加。</p>
<form action="/register/code" method="post">
  ${v.csrf}
  ${textField({ name: 'mobile', label: '手机号码', type: 'tel', value: v.mobile, hint: '我们会向该号码发送 6 位短信验证码，5 分钟内有效。', autocomplete: 'tel-national', inputmode: 'tel', required: true, maxlength: 20, errors: v.errors })}
  <p><button type="submit" class="primary">获取验证码</button></p>
</form>
<p class="account-links">已有账号？<a href="/login">直接登录</a></p>
</div>`,
  });
}

/** Step 2: the code and the account's details. */
export function renderRegisterDetails(ctx: AppContext, v: Common & { mobile: string; name?: string; idNumber?: string; code?: string; notice?: string }): string {
  return layout(ctx, {
    title: '注册个人账号',
    prefs: v.prefs,
    path: v.path,
    breadcrumbs: crumbs,
    body: html`<div class="account-page form-narrow">
<h1>注册个人账号</h1>
<p class="step-indicator">第 2 步，共 2 步：填写验证码和身份信息</p>
${notice(v.notice, 'info')}
${errorSummary(v.errors)}
<p id="f-mobile" tabindex="-1">手机号码：<strong>${maskMobile(v.mobile)}</strong>　<a href="/register">更换手机号码</a></p>
${v.errors?.mobile ? html`<p class="field-error"><span class="visually-hidden">错误：</span>${v.errors.mobile}</p>` : ''}
<form action="/register" method="post">
  ${v.csrf}
  <input type="hidden" name="mobile" value="${v.mobile}">
  ${textField({ name: 'code', label: '短信验证码', value: v.code, hint: '6 位数字，5 分钟内有效。', autocomplete: 'one-time-code', inputmode: 'numeric', required: true, maxlength: 10, errors: v.errors })}
  ${textField({ name: 'name', label: '姓名', value: v.name, hint: '与居民身份证上的姓名一致。', autocomplete: 'name', required: true, maxlength: 60, errors: v.errors })}
  ${textField({ name: 'idNumber', label: '居民身份证号码', value: v.idNumber, hint: '18 位，最后一位可以是数字或 X。', autocomplete: 'off', required: true, maxlength: 30, errors: v.errors })}
  ${textField({ name: 'password', label: '设置密码', type: 'password', hint: PASSWORD_RULE, autocomplete: 'new-password', required: true, maxlength: 200, errors: v.errors })}
  ${textField({ name: 'passwordConfirm', label: '再次输入密码', type: 'password', autocomplete: 'new-password', required: true, maxlength: 200, errors: v.errors })}
  <p><button type="submit" class="primary">注册并登录</button></p>
</form>
<form action="/register/code" method="post" class="resend-form">
  ${v.csrf}
  <input type="hidden" name="mobile" value="${v.mobile}">
  <input type="hidden" name="resend" value="1">
  <p>没有收到验证码？<button type="submit" class="secondary">重新获取验证码</button></p>
</form>
</div>`,
  });
}
