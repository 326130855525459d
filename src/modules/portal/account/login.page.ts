/** 登录: two tabs (plain links, no script) — 个人/法人登录 with a mobile or ID number, 工作人员登录 with a staff number. */
import { html, type Html } from '../../../http/html.ts';
import type { AppContext } from '../../../http/context.ts';
import { errorSummary, notice, textField, type FormErrors } from '../forms.ts';
import { layout } from '../layout.ts';
import type { Preferences } from '../preferences.ts';

export type LoginKind = 'person' | 'staff';

export interface LoginView {
  prefs: Preferences;
  path: string;
  csrf: Html;
  kind: LoginKind;
  back: string | undefined;
  identifier?: string;
  errors?: FormErrors;
  notice?: string;
}

const TABS: { kind: LoginKind; label: string }[] = [
  { kind: 'person', label: '个人/法人登录' },
  { kind: 'staff', label: '工作人员登录' },
];

function tabHref(kind: LoginKind, back: string | undefined): string {
  const q = new URLSearchParams();
  if (kind === 'staff') q.set('kind', 'staff');
  if (back) q.set('back', back);
  const s = q.toString();
  return s ? `/login?${s}` : '/login';
}

export function renderLogin(ctx: AppContext, v: LoginView): string {
  const person = v.kind === 'person';
  const title = person ? '个人/法人登录' : '工作人员登录';
  const oidc = ctx.config.oidc;
  const oidcHref = `/auth/oidc/start${v.back ? `?back=${encodeURIComponent(v.back)}` : ''}`;
  return layout(ctx, {
    title: '登录',
    prefs: v.prefs,
    path: v.path,
    breadcrumbs: [{ label: '首页', href: '/' }, { label: '登录' }],
    body: html`<div class="account-page form-narrow">
<h1>登录</h1>
${notice(v.notice)}
<nav class="account-tabs" aria-label="登录方式">
  <ul>${TABS.map((t) => html`<li><a href="${tabHref(t.kind, v.back)}"${t.kind === v.kind ? html` aria-current="page" class="current"` : ''}>${t.label}</a></li>`)}</ul>
</nav>
<section class="tab-panel" aria-labelledby="login-title">
  <h2 id="login-title">${title}</h2>
  ${errorSummary(v.errors)}
  ${
    person
      ? html`<p class="muted">个人用手机号码或身份证号码登录。企业（法人）办事，请法定代表人或经办人用本人账号登录后，在“我的代办与授权”中选择企业。</p>`
      : html`<p class="muted">各级政务服务部门工作人员使用工号登录，登录后进入工作台。</p>`
  }
  <form action="/login" method="post">
    ${v.csrf}
    <input type="hidden" name="kind" value="${v.kind}">
    ${v.back ? html`<input type="hidden" name="back" value="${v.back}">` : ''}
    ${textField({
      name: 'identifier',
      label: person ? '手机号码或身份证号码' : '工号',
      value: v.identifier,
      autocomplete: 'username',
      required: true,
      maxlength: 64,
      errors: v.errors,
    })}
    ${textField({ name: 'password', label: '密码', type: 'password', autocomplete: 'current-password', required: true, maxlength: 200, errors: v.errors })}
    <p><button type="submit" class="primary">登录</button></p>
  </form>
  ${
    person
      ? html`<p class="account-links"><a href="/password/reset">忘记密码？</a><span aria-hidden="true"> · </span>还没有账号？<a href="/register">注册个人账号</a></p>
  ${oidc ? html`<div class="oidc-signin"><p class="muted">也可以使用全省统一身份认证账号：</p><p><a class="button secondary" href="${oidcHref}">使用${oidc.displayName}登录</a></p></div>` : ''}`
      : html`<p class="account-links muted">忘记工号或密码，请联系本部门的部门管理员重置。</p>`
  }
</section>
</div>`,
  });
}
