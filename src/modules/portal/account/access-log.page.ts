/** 访问记录: who accessed my records and why, which departments read my data through the exchange and for what, and what was done on my behalf. */
import { html } from '../../../http/html.ts';
import type { AppContext } from '../../../http/context.ts';
import type { AccessLogPage } from '../../audit/list-own-access-log.ts';
import { layout } from '../layout.ts';
import type { Preferences } from '../preferences.ts';
import { formatTime } from './account-kit.ts';

export interface AccessLogView {
  prefs: Preferences;
  path: string;
  account: { name: string; csrfToken: string };
  log: AccessLogPage;
}

const OUTCOME = { success: '', failure: '（未成功）', denied: '（已拒绝）' } as const;

function who(e: AccessLogPage['entries'][number]) {
  const a = e.actor;
  if (a.kind === 'staff') return html`${a.name}<span class="muted">（工作人员${a.department ? html`，${a.department}` : ''}）</span>`;
  if (a.kind === 'agent') return html`${a.name}<span class="muted">（代办人）</span>`;
  if (a.kind === 'client') return html`${a.name}<span class="muted">（接入系统${a.department ? html`，${a.department}` : ''}）</span>`;
  if (a.kind === 'department') return html`${a.name}<span class="muted">（数据共享）</span>`;
  return html`${a.name}`;
}

function pager(log: AccessLogPage) {
  const pages = Math.max(1, Math.ceil(log.total / log.size));
  if (pages <= 1) return '';
  return html`<nav class="pagination" aria-label="访问记录分页">
  ${log.page > 1 ? html`<a href="/me/access-log?page=${log.page - 1}" rel="prev">上一页</a>` : ''}
  <span aria-current="page">第 ${log.page} 页，共 ${pages} 页</span>
  ${log.page < pages ? html`<a href="/me/access-log?page=${log.page + 1}" rel="next">下一页</a>` : ''}
</nav>`;
}

export function renderAccessLog(ctx: AppContext, v: AccessLogView): string {
  const { log } = v;
  return layout(ctx, {
    title: '访问记录',
    prefs: v.prefs,
    path: v.path,
    account: v.account,
    breadcrumbs: [{ label: '首页', href: '/' }, { label: '个人中心', href: '/me' }, { label: '访问记录' }],
    body: html`<div class="account-page">
<h1>访问记录</h1>
<p>工作人员查阅您的个人档案、代办人以您的名义办理事项时，都会留下记录，包括时间、查阅人和事由。</p>
<p>政府部门通过数据共享查询您的信息（如户籍、社保）时，也会在这里列出：哪个部门查询了哪项数据、用于什么、服务于哪个办件。如对某条记录有疑问，请拨打 12345 政务服务便民热线。</p>
${
  log.entries.length
    ? html`<div class="table-scroll" role="region" aria-labelledby="h-log" tabindex="0">
<table class="data-table access-log">
  <caption id="h-log">访问记录（共 ${log.total} 条）</caption>
  <thead><tr><th scope="col">时间</th><th scope="col">查阅人或办理人</th><th scope="col">操作</th><th scope="col">事由</th><th scope="col">办件编号</th></tr></thead>
  <tbody>${log.entries.map(
    (e) => html`<tr>
    <td><time datetime="${e.at}">${formatTime(e.at)}</time></td>
    <td>${who(e)}</td>
    <td>${e.label}${e.exchange ? html`：${e.exchange.resource}` : ''}${OUTCOME[e.outcome]}${e.onBehalf ? html`<span class="tag">代办</span>` : ''}</td>
    <td>${e.purpose ?? html`<span class="muted">未注明</span>`}</td>
    <td>${e.exchange?.caseRef ?? html`<span class="muted">—</span>`}</td>
  </tr>`,
  )}</tbody>
</table>
</div>
${pager(log)}`
    : html`<p class="no-hits">${log.page > 1 ? '这一页没有记录。' : '暂无访问记录。'}</p>`
}
<p><a href="/me">返回个人中心</a></p>
</div>`,
  });
}
