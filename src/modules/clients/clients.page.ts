/**
 * The platform administrator's pages for machine clients (接入应用管理): the list with the create form, and the
 * page that shows a new secret — the only time it is ever shown. zh-CN, no JavaScript, WCAG 2.1 AA.
 */
import { html, raw, type Html } from '../../http/html.ts';
import type { AppContext } from '../../http/context.ts';
import { layout } from '../portal/layout.ts';
import type { Preferences } from '../portal/preferences.ts';
import { errorSummary, notice, selectField, textField, type FormErrors } from '../portal/forms.ts';
import { CLIENT_SCOPES, PERMISSIONS } from '../access/permissions.ts';
import type { DepartmentRef } from './client-records.ts';
import { DEFAULT_ROTATION_GRACE_SECONDS, type ClientSummary } from './clients.types.ts';

const crumbs = [{ label: '首页', href: '/' }, { label: '接入应用管理', href: '/admin/clients' }];

/** The grace periods offered when rotating a secret (seconds). */
export const GRACE_CHOICES: { value: number; label: string }[] = [
  { value: 0, label: '立即失效' },
  { value: 3600, label: '1 小时' },
  { value: DEFAULT_ROTATION_GRACE_SECONDS, label: '24 小时（默认）' },
  { value: 3 * 24 * 3600, label: '3 天' },
  { value: 7 * 24 * 3600, label: '7 天' },
];

const fmt = (d: Date) =>
  new Intl.DateTimeFormat('zh-CN', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hour12: false }).format(d);

const scopeLabel = (s: string) => (s in PERMISSIONS ? PERMISSIONS[s as keyof typeof PERMISSIONS].label : s);

export interface ClientsPageData {
  prefs: Preferences;
  path: string;
  csrf: Html;
  clients: ClientSummary[];
  departments: DepartmentRef[];
  /** the create form as it was sent, when it failed */
  form?: { name?: string; department?: string; scopes?: string[] };
  errors?: FormErrors;
  notice?: string;
}

function scopeCheckboxes(checked: string[], errors: FormErrors | undefined): Html {
  const error = errors?.scopes;
  return html`<fieldset class="field checkbox-group${error ? ' has-error' : ''}" id="f-scopes"${raw(error ? ' aria-describedby="f-scopes-error"' : '')}>
  <legend>权限范围<span class="required" aria-hidden="true"> *</span></legend>
  <p class="hint">令牌只能在本部门范围内使用所选权限。</p>
  ${error ? html`<p class="field-error" id="f-scopes-error"><span class="visually-hidden">错误：</span>${error}</p>` : ''}
  ${CLIENT_SCOPES.map(
    (s, i) => html`<div class="checkbox">
    <input type="checkbox" id="f-scopes-${i}" name="scopes" value="${s}"${raw(checked.includes(s) ? ' checked' : '')}>
    <label for="f-scopes-${i}">${scopeLabel(s)} <code>${s}</code></label>
  </div>`,
  )}
</fieldset>`;
}

function clientRow(c: ClientSummary, csrf: Html): Html {
  const status = c.disabledAt ? html`<span class="tag">已停用</span> ${fmt(c.disabledAt)}` : '启用';
  return html`<tr>
  <td><code>${c.clientId}</code></td>
  <td>${c.name}</td>
  <td>${c.department.name}<br><span class="muted">${c.department.creditCode}</span></td>
  <td>${c.scopes.map((s) => html`<code>${s}</code> `)}</td>
  <td>${fmt(c.createdAt)}${c.rotatedAt ? html`<br><span class="muted">密钥轮换于 ${fmt(c.rotatedAt)}</span>` : ''}${
    c.previousSecretValidUntil ? html`<br><span class="muted">旧密钥有效至 ${fmt(c.previousSecretValidUntil)}</span>` : ''
  }</td>
  <td>${status}</td>
  <td>${
    c.disabledAt
      ? ''
      : html`<form class="inline-form" method="post" action="/admin/clients/${c.clientId}/rotate">
      ${csrf}
      <label for="grace-${c.clientId}">旧密钥保留</label>
      <select id="grace-${c.clientId}" name="graceSeconds">${GRACE_CHOICES.map(
        (g) => html`<option value="${String(g.value)}"${raw(g.value === DEFAULT_ROTATION_GRACE_SECONDS ? ' selected' : '')}>${g.label}</option>`,
      )}</select>
      <button type="submit" class="secondary">轮换密钥<span class="visually-hidden">：${c.name}</span></button>
    </form>
    <form class="inline-form" method="post" action="/admin/clients/${c.clientId}/disable">
      ${csrf}
      <button type="submit" class="danger">停用<span class="visually-hidden">：${c.name}</span></button>
    </form>`
  }</td>
</tr>`;
}

export function renderClientsPage(ctx: AppContext, d: ClientsPageData): string {
  const errors = d.errors;
  const body = html`<h1>接入应用管理</h1>
<p>接入应用（机器客户端）通过 OAuth 2.0 客户端凭证模式向 <code>POST /api/v1/oauth/token</code> 申请访问令牌，只能在所属部门范围内使用授予的权限。停用后其令牌立即失效。</p>
${notice(d.notice)}
${errorSummary(errors)}
<h2>已登记的接入应用</h2>
${
  d.clients.length
    ? html`<div class="table-scroll"><table class="data-table">
  <caption class="visually-hidden">接入应用列表</caption>
  <thead><tr><th scope="col">客户端标识</th><th scope="col">名称</th><th scope="col">所属部门</th><th scope="col">权限范围</th><th scope="col">创建时间</th><th scope="col">状态</th><th scope="col">操作</th></tr></thead>
  <tbody>${d.clients.map((c) => clientRow(c, d.csrf))}</tbody>
</table></div>`
    : html`<p>尚未登记接入应用。</p>`
}
<h2 id="create">新增接入应用</h2>
${
  d.departments.length
    ? html`<form class="form-narrow" method="post" action="/admin/clients" novalidate>
  ${d.csrf}
  ${textField({ name: 'name', label: '应用名称', value: d.form?.name, required: true, maxlength: 60, hint: '例如：市场监管数据交换前置机', errors })}
  ${selectField({
    name: 'department',
    label: '所属部门',
    options: [{ value: '', label: '请选择部门' }, ...d.departments.map((x) => ({ value: x.creditCode, label: `${ctx.regions.get(x.regionCode)?.name ?? x.regionCode} · ${x.name}` }))],
    value: d.form?.department,
    hint: '应用只能访问该部门的数据',
    errors,
  })}
  ${scopeCheckboxes(d.form?.scopes ?? [], errors)}
  <p><button type="submit" class="primary">创建并生成密钥</button></p>
</form>`
    : html`<p>您管理的范围内没有部门。</p>`
}`;
  return layout(ctx, { title: '接入应用管理', prefs: d.prefs, path: d.path, body, breadcrumbs: crumbs });
}

/** The new secret, shown once. The page is sent with Cache-Control: no-store. */
export function renderSecretPage(
  ctx: AppContext,
  d: { prefs: Preferences; path: string; title: string; clientId: string; clientSecret: string; name: string; previousSecretValidUntil?: Date | null; rotated: boolean },
): string {
  const body = html`<h1>${d.title}</h1>
<div class="notice" role="status"><p>${d.rotated ? '已生成新密钥。' : '接入应用已创建。'}<strong>密钥只显示这一次</strong>，离开本页后无法再次查看，请立即复制并妥善保存。</p></div>
<table class="data-table facts">
  <tbody>
    <tr><th scope="row">应用名称</th><td>${d.name}</td></tr>
    <tr><th scope="row">客户端标识（client_id）</th><td><code>${d.clientId}</code></td></tr>
    <tr><th scope="row">客户端密钥（client_secret）</th><td><code class="secret">${d.clientSecret}</code></td></tr>
  </tbody>
</table>
${
  d.rotated
    ? html`<p>${d.previousSecretValidUntil ? html`旧密钥在 ${fmt(d.previousSecretValidUntil)} 前仍可使用，请在此之前更新接入方的配置。` : '旧密钥已立即失效。'}</p>`
    : ''
}
<p>申请令牌示例：</p>
<pre><code>curl -u ${d.clientId}:&lt;client_secret&gt; -d grant_type=client_credentials ${'<本站地址>'}/api/v1/oauth/token</code></pre>
<p><a class="button secondary" href="/admin/clients">返回接入应用列表</a></p>`;
  return layout(ctx, { title: d.title, prefs: d.prefs, path: d.path, body, breadcrumbs: [...crumbs, { label: d.title }] });
}
