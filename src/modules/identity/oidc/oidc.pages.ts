/** Pages of the sign-in through the identity provider: the first-sign-in choice, and what went wrong. */
import type { AppContext } from '../../../http/context.ts';
import { html, type Html } from '../../../http/html.ts';
import { errorSummary, textField, type FormErrors } from '../../portal/forms.ts';
import { layout } from '../../portal/layout.ts';
import type { Preferences } from '../../portal/preferences.ts';
import { maskResidentId } from '../../../shared/codes/resident-id.ts';
import { maskMobile } from '../identity.validation.ts';
import type { PendingLink } from './oidc-pending.ts';
import { canRegisterFrom } from './register-oidc-person.ts';

export const LINK_PATH = '/auth/oidc/link';
export const REGISTER_PATH = '/auth/oidc/register';

/**
 * 首次使用统一身份认证登录: (a) link an existing account with its password, or (b) create an account from the
 * verified identity (only when the provider gave a name and a valid ID number). Errors of the link form are
 * keyed by its fields (identifier, password); errors of the create form by 'create'; '' is the whole page.
 */
export function renderLinkPage(
  ctx: AppContext,
  prefs: Preferences,
  o: { displayName: string; identity: PendingLink; csrf: Html; errors?: FormErrors; identifier?: string },
): string {
  const { identity, displayName, errors } = o;
  const createError = errors?.create;
  return layout(ctx, {
    title: `首次使用${displayName}登录`,
    prefs,
    path: LINK_PATH,
    breadcrumbs: [{ label: '首页', href: '/' }, { label: '登录', href: '/login' }, { label: `首次使用${displayName}登录` }],
    body: html`<h1>首次使用${displayName}登录</h1>
${errorSummary(errors)}
<p>您已通过${displayName}完成身份验证${identity.name ? html`（${identity.name}${identity.idNumber ? html`，身份证号 ${maskResidentId(identity.idNumber)}` : ''}）` : ''}。
本站还没有与这个身份对应的账号，请选择一种方式继续。完成后，以后使用${displayName}登录将直接进入该账号。</p>
<div class="two-col">
<section aria-labelledby="link-heading" class="form-narrow">
  <h2 id="link-heading">关联已有账号</h2>
  <p>已在本站注册过账号的，输入该账号的手机号码（或身份证号码）和密码，即可与${displayName}身份关联。</p>
  <form action="${LINK_PATH}" method="post" novalidate>
    ${o.csrf}
    ${textField({ name: 'identifier', label: '手机号码或身份证号码', value: o.identifier, autocomplete: 'username', required: true, maxlength: 64, errors })}
    ${textField({ name: 'password', label: '密码', type: 'password', autocomplete: 'current-password', required: true, maxlength: 200, errors })}
    <button type="submit" class="primary">关联并登录</button>
  </form>
</section>
<section aria-labelledby="create-heading" class="form-narrow">
  <h2 id="create-heading">创建新账号</h2>
  ${
    canRegisterFrom(identity)
      ? html`<p>使用${displayName}提供的实名信息创建账号：姓名 <strong>${identity.name}</strong>，身份证号 <strong>${maskResidentId(identity.idNumber!)}</strong>${
          identity.mobile ? html`，手机号码 <strong>${maskMobile(identity.mobile)}</strong>` : ''
        }。新账号无需设置密码，通过${displayName}登录。</p>
  ${createError ? html`<p class="field-error" id="f-create-error" role="alert"><span class="visually-hidden">错误：</span>${createError}</p>` : ''}
  <form action="${REGISTER_PATH}" method="post">
    ${o.csrf}
    <button type="submit" class="primary" id="f-create"${createError ? html` aria-describedby="f-create-error"` : ''}>创建账号并登录</button>
  </form>`
      : html`<p>${displayName}没有提供姓名和有效的身份证号码，无法直接创建账号。请关联已有账号，或先<a href="/register">注册账号</a>，再使用${displayName}登录并关联。</p>`
  }
</section>
</div>
<p><a href="/">暂不登录，返回首页</a></p>`,
  });
}

/** A sign-in through the provider that could not finish: why, and the ways on. */
export function renderOidcProblemPage(ctx: AppContext, prefs: Preferences, o: { displayName: string; status: number; message: string }): string {
  const title = o.status >= 500 ? `${o.displayName}暂时无法使用` : '登录未完成';
  return layout(ctx, {
    title,
    prefs,
    path: '/auth/oidc/start',
    breadcrumbs: [{ label: '首页', href: '/' }, { label: '登录', href: '/login' }, { label: title }],
    body: html`<h1>${title}</h1>
<p class="error-message" role="alert">${o.message}</p>
<ul class="plain-list">
  <li><a href="/auth/oidc/start">重新使用${o.displayName}登录</a></li>
  <li><a href="/login">使用账号密码登录</a></li>
  <li><a href="/">返回首页</a></li>
</ul>
<p class="muted">如多次尝试仍无法登录，请拨打 12345 政务服务便民热线。</p>`,
  });
}
