/** 数据使用情况 page: who used the resources our departments provide, when, for what and for which case. */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../../http/context.ts';
import { html } from '../../http/html.ts';
import { formatTime, pager, sendAdminPage } from '../staff/admin-page.ts';
import type { UsagePage } from './list-data-usage.ts';

export const USAGE_PAGE = '/admin/data/usage';
export const USAGE_PAGE_SIZE = 20;

export function sendUsagePage(ctx: AppContext, req: FastifyRequest, reply: FastifyReply, u: UsagePage, chosen: { resource: string; consumer: string }): FastifyReply {
  const body = html`<h1>数据使用情况</h1>
<p>本部门提供的数据资源经共享交换被读取的记录：使用部门、调用方式、用途、所服务的办件和返回条数。每次读取都已写入防篡改的审计日志。</p>
<form method="get" action="${USAGE_PAGE}" class="inline-form">
  <div class="field">
    <label for="f-resource">数据资源</label>
    <select id="f-resource" name="resource">
      <option value="">全部资源</option>
      ${u.resources.map((r) => html`<option value="${r.code}"${r.code === chosen.resource ? html` selected` : ''}>${r.name}（${r.code}）</option>`)}
    </select>
  </div>
  <div class="field">
    <label for="f-consumer">使用部门</label>
    <select id="f-consumer" name="consumer">
      <option value="">全部部门</option>
      ${u.consumers.map((c) => html`<option value="${c.creditCode}"${c.creditCode === chosen.consumer ? html` selected` : ''}>${c.name}</option>`)}
    </select>
  </div>
  <button type="submit" class="button">筛选</button>
</form>
${
  u.entries.length
    ? html`<div class="table-scroll" role="region" aria-labelledby="h-usage" tabindex="0">
<table class="data-table">
  <caption id="h-usage">使用记录（共 ${u.total} 条）</caption>
  <thead><tr><th scope="col">时间</th><th scope="col">数据资源</th><th scope="col">使用部门</th><th scope="col">调用方</th><th scope="col">用途</th><th scope="col">办件编号</th><th scope="col">条数</th></tr></thead>
  <tbody>${u.entries.map(
    (e) => html`<tr>
    <td><time datetime="${e.at.toISOString()}">${formatTime(e.at)}</time></td>
    <td>${e.resource.name}<br><span class="muted">${e.resource.code}</span></td>
    <td>${e.consumer?.name ?? html`<span class="muted">未知</span>`}</td>
    <td>${e.via.name}${e.via.clientId ? html`<br><span class="muted">${e.via.clientId}</span>` : ''}</td>
    <td>${e.purpose ?? html`<span class="muted">未注明</span>`}</td>
    <td>${e.caseRef ?? html`<span class="muted">—</span>`}</td>
    <td>${e.count}${e.method === 'query' ? html`<span class="muted">（条件查询）</span>` : e.method === 'subscription' ? html`<span class="muted">（变更推送）</span>` : ''}</td>
  </tr>`,
  )}</tbody>
</table>
</div>
${pager(USAGE_PAGE, { resource: chosen.resource || undefined, consumer: chosen.consumer || undefined }, u.page, u.total, u.size)}`
    : html`<p class="no-hits">${u.page > 1 ? '这一页没有记录。' : '暂无使用记录。'}</p>`
}`;
  return sendAdminPage(ctx, req, reply, { title: '数据使用情况', trail: [{ label: '数据使用情况' }], body });
}
