/** 开发收件箱: the messages (one-time codes) the default adapter kept instead of sending — development only. */
import { html } from '../../../http/html.ts';
import type { AppContext } from '../../../http/context.ts';
import { layout } from '../layout.ts';
import type { Preferences } from '../preferences.ts';
import type { InboxMessage } from './list-inbox-messages.ts';
import { formatTime } from './account-kit.ts';

export function renderDevInbox(ctx: AppContext, v: { prefs: Preferences; path: string; messages: InboxMessage[] }): string {
  return layout(ctx, {
    title: '开发收件箱',
    prefs: v.prefs,
    path: v.path,
    breadcrumbs: [{ label: '首页', href: '/' }, { label: '开发收件箱' }],
    body: html`<div class="account-page">
<h1>开发收件箱</h1>
<div class="dev-warning" role="note">
  <p><strong>仅用于开发和测试。</strong>这里显示本应通过短信发出的消息（如验证码）。正式部署必须关闭本页（设置 <code>NODE_ENV=production</code> 或 <code>YIWANG_DEV_INBOX=0</code>），并配置短信网关（<code>YIWANG_MESSAGE_ADAPTER=webhook</code>）。</p>
</div>
<p><a href="/dev/inbox">刷新</a></p>
${
  v.messages.length
    ? html`<div class="table-scroll" role="region" aria-labelledby="h-inbox" tabindex="0">
<table class="data-table dev-inbox">
  <caption id="h-inbox">最近的 ${v.messages.length} 条消息（最新的在前）</caption>
  <thead><tr><th scope="col">时间</th><th scope="col">渠道</th><th scope="col">收件人</th><th scope="col">内容</th></tr></thead>
  <tbody>${v.messages.map(
    (m) => html`<tr>
    <td><time datetime="${m.createdAt}">${formatTime(m.createdAt)}</time></td>
    <td>${m.channel === 'sms' ? '短信' : m.channel}</td>
    <td class="destination">${m.destination}</td>
    <td class="message-body">${m.body}</td>
  </tr>`,
  )}</tbody>
</table>
</div>`
    : html`<p class="no-hits">收件箱是空的。</p>`
}
</div>`,
  });
}
