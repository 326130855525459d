/**
 * The pages of a two-step flow that starts with a text message: step 1 asks for the mobile number and sends it
 * a code (POST `{path}/code`), step 2 takes the code and the flow's own fields (POST `{path}`). Registration and
 * password reset are such flows; each page file says only what is its own.
 */
import { html, type Html } from '../../../http/html.ts';
import type { AppContext } from '../../../http/context.ts';
import { maskMobile } from '../../identity/identity.validation.ts';
import { errorSummary, notice, textField, type FormErrors } from '../forms.ts';
import { layout } from '../layout.ts';
import type { Preferences } from '../preferences.ts';

/** One flow: its page title (and heading), its breadcrumb and the path of its step 1 page. */
export interface CodeFlowPages {
  title: string;
  crumb: string;
  path: string;
}

/** What every page of a flow is rendered with. */
export interface CodeFlowView {
  prefs: Preferences;
  path: string;
  csrf: Html;
  errors?: FormErrors;
}

/** A page of the flow: the layout, the heading and which step of two this is. */
function flowPage(ctx: AppContext, flow: CodeFlowPages, v: CodeFlowView, step: string, body: Html): string {
  return layout(ctx, {
    title: flow.title,
    prefs: v.prefs,
    path: v.path,
    breadcrumbs: [{ label: '首页', href: '/' }, { label: '登录', href: '/login' }, { label: flow.crumb }],
    body: html`<div class="account-page form-narrow">
<h1>${flow.title}</h1>
<p class="step-indicator">${step}</p>
${body}
</div>`,
  });
}

/** Step 1: the mobile number. `intro` stands above the form, `mobileHint` under the field, `links` below the form. */
export function renderMobileStep(
  ctx: AppContext,
  flow: CodeFlowPages,
  v: CodeFlowView & { mobile?: string },
  text: { intro: string; mobileHint: string; links: Html },
): string {
  return flowPage(
    ctx,
    flow,
    v,
    '第 1 步，共 2 步：验证手机号码',
    html`${errorSummary(v.errors)}
<p>${text.intro}</p>
<form action="${flow.path}/code" method="post">
  ${v.csrf}
  ${textField({ name: 'mobile', label: '手机号码', type: 'tel', value: v.mobile, hint: text.mobileHint, autocomplete: 'tel-national', inputmode: 'tel', required: true, maxlength: 20, errors: v.errors })}
  <p><button type="submit" class="primary">获取验证码</button></p>
</form>
<p class="account-links">${text.links}</p>`,
  );
}

/**
 * Step 2: the code sent to the (masked) mobile number, the flow's own `fields` after it, the `submit` button,
 * a form to send the code again and an optional closing `note`.
 */
export function renderCodeStep(
  ctx: AppContext,
  flow: CodeFlowPages,
  v: CodeFlowView & { mobile: string; code?: string; notice?: string },
  step: { title: string; fields: Html; submit: string; note?: string },
): string {
  return flowPage(
    ctx,
    flow,
    v,
    `第 2 步，共 2 步：${step.title}`,
    html`${notice(v.notice, 'info')}
${errorSummary(v.errors)}
<p id="f-mobile" tabindex="-1">手机号码：<strong>${maskMobile(v.mobile)}</strong>　<a href="${flow.path}">更换手机号码</a></p>
${v.errors?.mobile ? html`<p class="field-error"><span class="visually-hidden">错误：</span>${v.errors.mobile}</p>` : ''}
<form action="${flow.path}" method="post">
  ${v.csrf}
  <input type="hidden" name="mobile" value="${v.mobile}">
  ${textField({ name: 'code', label: '短信验证码', value: v.code, hint: '6 位数字，5 分钟内有效。', autocomplete: 'one-time-code', inputmode: 'numeric', required: true, maxlength: 10, errors: v.errors })}
  ${step.fields}
  <p><button type="submit" class="primary">${step.submit}</button></p>
</form>
<form action="${flow.path}/code" method="post" class="resend-form">
  ${v.csrf}
  <input type="hidden" name="mobile" value="${v.mobile}">
  <input type="hidden" name="resend" value="1">
  <p>没有收到验证码？<button type="submit" class="secondary">重新获取验证码</button></p>
</form>${step.note ? html`\n<p class="muted">${step.note}</p>` : ''}`,
  );
}
