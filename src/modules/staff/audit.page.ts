/** 审计日志检索 (/admin/audit): a search form and the events in the viewer's scope. */
import { html, type Html } from '../../http/html.ts';
import { AUDIT_EVENTS } from '../audit/audit.events.ts';
import type { AuditSearchResult } from '../audit/search-audit-events.ts';
import { errorSummary, selectField, textField, type FormErrors } from '../portal/forms.ts';
import { formatTime, pager } from './admin-page.ts';

export interface AuditFilters {
  action?: string;
  actor?: string;
  targetType?: string;
  targetId?: string;
  outcome?: string;
  from?: string;
  to?: string;
}

const OUTCOMES = { success: '成功', failure: '失败', denied: '拒绝' } as const;
const ACTOR_TYPES: Record<string, string> = {
  anonymous: '未登录访客',
  citizen: '自然人',
  enterprise_agent: '企业经办人',
  staff: '工作人员',
  client: '接入应用',
  system: '系统',
};

export function renderAuditSearch(o: { filters: AuditFilters; result: AuditSearchResult | null; errors?: FormErrors }): Html {
  const f = o.filters;
  const r = o.result;
  return html`<h1>审计日志检索</h1>
<p>只显示您管理范围内的部门工作人员或接入应用的操作记录。日期按北京时间。</p>
${errorSummary(o.errors)}
<form class="filter-form audit-filter" action="/admin/audit" method="get" role="search" aria-label="检索审计日志" novalidate>
  ${selectField({
    name: 'action',
    label: '事件类型',
    value: f.action,
    errors: o.errors,
    options: [{ value: '', label: '全部事件' }, ...Object.entries(AUDIT_EVENTS).map(([k, e]) => ({ value: k, label: `${e.label}（${k}）` }))],
  })}
  ${selectField({ name: 'outcome', label: '结果', value: f.outcome, errors: o.errors, options: [{ value: '', label: '全部' }, ...Object.entries(OUTCOMES).map(([k, l]) => ({ value: k, label: l }))] })}
  ${textField({ name: 'actor', label: '操作人（工号或标识）', value: f.actor, maxlength: 64, errors: o.errors })}
  ${textField({ name: 'targetType', label: '对象类型', value: f.targetType, maxlength: 40, hint: '如 account、impl_item', errors: o.errors })}
  ${textField({ name: 'targetId', label: '对象标识', value: f.targetId, maxlength: 100, errors: o.errors })}
  ${textField({ name: 'from', label: '开始日期', type: 'date', value: f.from, hint: '格式 YYYY-MM-DD', errors: o.errors })}
  ${textField({ name: 'to', label: '结束日期', type: 'date', value: f.to, hint: '格式 YYYY-MM-DD（含当日）', errors: o.errors })}
  <button class="primary" type="submit">检索</button>
</form>
${
  r
    ? html`<p class="result-count" role="status">共 <strong>${r.total}</strong> 条记录</p>
${
  r.total
    ? html`<div class="table-scroll"><table class="data-table audit-table">
  <caption class="visually-hidden">审计事件，按时间倒序</caption>
  <thead><tr><th scope="col">序号</th><th scope="col">时间</th><th scope="col">事件</th><th scope="col">操作人</th><th scope="col">对象</th><th scope="col">结果</th><th scope="col">来源</th></tr></thead>
  <tbody>${r.events.map(
    (e) => html`<tr>
    <td>${e.seq}</td>
    <td>${formatTime(e.at)}</td>
    <th scope="row">${e.actionLabel}<br><code class="muted">${e.action}</code></th>
    <td>${ACTOR_TYPES[e.actor.type] ?? e.actor.type}${e.actor.name ? html`：${e.actor.name}` : ''}${e.actor.staffNo ? html`（${e.actor.staffNo}）` : ''}${
      e.department ? html`<br><span class="muted">${e.department.name}</span>` : ''
    }${e.actor.onBehalfOf ? html`<br><span class="muted">代办：${e.actor.onBehalfOf}</span>` : ''}</td>
    <td>${e.target ? html`${e.target.type}<br><code>${e.target.id}</code>` : '—'}</td>
    <td><span class="status-tag ${e.outcome}">${OUTCOMES[e.outcome]}</span></td>
    <td>${e.ip ?? '—'}${e.requestId ? html`<br><code class="muted">${e.requestId}</code>` : ''}</td>
  </tr>`,
  )}</tbody>
</table></div>
${pager('/admin/audit', { ...f }, r.page, r.total, r.size)}`
    : html`<p>没有符合条件的记录。</p>`
}`
    : ''
}`;
}
