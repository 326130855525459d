/** 我的会话: where the account is signed in, each with a button to end it; the current one is marked. */
import { html, type Html } from '../../../http/html.ts';
import type { AppContext } from '../../../http/context.ts';
import type { SessionView } from '../../sessions/session-store.ts';
import { errorSummary, notice, type FormErrors } from '../forms.ts';
import { layout } from '../layout.ts';
import type { Preferences } from '../preferences.ts';
import { formatTime } from './account-kit.ts';

export interface SessionsView {
  prefs: Preferences;
  path: string;
  account: { name: string; csrfToken: string };
  csrf: Html;
  sessions: SessionView[];
  notice?: string;
  errors?: FormErrors;
}

/** A readable name for a browser and system from its user agent (what a person recognises, not the raw string). */
export function describeUserAgent(ua: string | null): string {
  if (!ua) return '未知设备';
  const browser = /Edg\//.test(ua)
    ? 'Edge'
    : /MicroMessenger/i.test(ua)
      ? '微信'
      : /Firefox\//.test(ua)
        ? 'Firefox'
        : /(Chrome|Chromium|HeadlessChrome)\//.test(ua)
          ? 'Chrome'
          : /Safari\//.test(ua)
            ? 'Safari'
            : null;
  const system = /Windows/.test(ua)
    ? 'Windows'
    : /Android/.test(ua)
      ? 'Android'
      : /iPhone|iPad|iPod/.test(ua)
        ? 'iOS'
        : /Mac OS X|Macintosh/.test(ua)
          ? 'macOS'
          : /HarmonyOS/i.test(ua)
            ? '鸿蒙'
            : /Linux/.test(ua)
              ? 'Linux'
              : null;
  if (!browser && !system) return ua.length > 40 ? `${ua.slice(0, 40)}…` : ua;
  return [browser ?? '浏览器', system ? `（${system}）` : ''].join('');
}

export function renderSessions(ctx: AppContext, v: SessionsView): string {
  return layout(ctx, {
    title: '我的会话',
    prefs: v.prefs,
    path: v.path,
    account: v.account,
    breadcrumbs: [{ label: '首页', href: '/' }, { label: '个人中心', href: '/me' }, { label: '我的会话' }],
    body: html`<div class="account-page">
<h1>我的会话</h1>
${notice(v.notice)}
${errorSummary(v.errors)}
<p>以下是您的账号当前保持登录的设备。如有不认识的登录，请注销它并<a href="/me/password">修改密码</a>。</p>
<div class="table-scroll" role="region" aria-labelledby="h-sessions" tabindex="0">
<table class="data-table sessions-table">
  <caption id="h-sessions">保持登录的会话（${v.sessions.length}）</caption>
  <thead><tr><th scope="col">设备</th><th scope="col">登录方式</th><th scope="col">IP 地址</th><th scope="col">登录时间</th><th scope="col">最近使用</th><th scope="col">到期时间</th><th scope="col">操作</th></tr></thead>
  <tbody>${v.sessions.map(
    (s) => html`<tr${s.current ? html` class="current-session"` : ''}>
    <td>${describeUserAgent(s.userAgent)}${s.current ? html` <strong class="tag-current">当前设备</strong>` : ''}</td>
    <td>${s.authMethod === 'oidc' ? '统一身份认证' : '密码'}</td>
    <td>${s.ip ?? '—'}</td>
    <td><time datetime="${s.createdAt}">${formatTime(s.createdAt)}</time></td>
    <td><time datetime="${s.lastSeenAt}">${formatTime(s.lastSeenAt)}</time></td>
    <td><time datetime="${s.expiresAt}">${formatTime(s.expiresAt)}</time></td>
    <td><form class="inline-form" action="/me/sessions/${s.id}/revoke" method="post">${v.csrf}<button type="submit" class="${s.current ? 'secondary' : 'danger'}">${s.current ? '退出当前设备' : '注销'}<span class="visually-hidden">（${describeUserAgent(s.userAgent)}，${formatTime(s.createdAt)} 登录）</span></button></form></td>
  </tr>`,
  )}</tbody>
</table>
</div>
<p><a href="/me">返回个人中心</a></p>
</div>`,
  });
}
