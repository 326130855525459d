/**
 * 数据共享 staff pages (server-rendered, no JavaScript needed): my department's requests and grants, the
 * request form, a request's detail with its timeline and the actions the caller may take, the provider's inbox
 * (overdue ones marked), grants in both directions with a revoke form, and the platform's overdue list.
 * Times are China time; due dates are the end of a working day.
 */
import { html, raw, type Html } from '../../http/html.ts';
import type { DataItem, RowFilter } from '../../db/schema.ts';
import { errorSummary, notice, selectField, textField, type FormErrors } from '../portal/forms.ts';
import { formatTime, pager } from '../staff/admin-page.ts';
import {
  GRANTS_PAGE,
  LIMITS,
  OVERDUE_PAGE,
  REQUESTS_PAGE,
  REVIEWS_PAGE,
  SHARE_TYPE_NAMES,
  type Paged,
  type ShareGrantView,
  type ShareRequestDetail,
  type ShareRequestView,
} from './data-sharing.types.ts';

export const DONE_MESSAGES: Record<string, string> = {
  requested: '申请已提交，等待数据提供部门答复。',
  granted: '该资源为无条件共享，已立即授权。',
  approved: '已同意共享，授权已生效。',
  refused: '已答复不予同意。',
  withdrawn: '申请已撤回。',
  revoked: '授权已撤销，立即停止使用。',
};

export const requestHref = (id: number) => `${REQUESTS_PAGE}/${id}`;
const time = (iso: string | null) => (iso ? html`<time datetime="${iso}">${formatTime(iso)}</time>` : html`—`);
const STATUS_CLASS: Record<string, string> = { pending: 'draft', granted: 'published', refused: 'denied', withdrawn: 'superseded', active: 'published', expired: 'superseded', revoked: 'denied' };
const tag = (status: string, label: string) => html`<span class="status-tag ${STATUS_CLASS[status] ?? ''}">${label}</span>`;

function due(r: ShareRequestView): Html | string {
  if (r.status !== 'pending' || !r.dueDay) return '—';
  return html`<time datetime="${r.dueAt}">${r.dueDay}</time>（工作日）${r.overdue ? html`<br><span class="status-tag denied">已超期${r.escalatedAt ? '，已督办' : ''}</span>` : ''}`;
}

function itemList(items: { key: string; name: string; personal: boolean }[], clear: string[]): Html {
  return html`<ul class="plain-list">${items.map(
    (i) => html`<li>${i.name} <code class="muted">${i.key}</code>${i.personal ? html` <span class="status-tag draft">个人信息</span>${clear.includes(i.key) ? html` <strong>明文</strong>` : html` <span class="muted">脱敏</span>`}` : ''}</li>`,
  )}</ul>`;
}

function filterText(f: RowFilter): Html | string {
  const entries = Object.entries(f);
  if (!entries.length) return '不限（全部记录）';
  return html`<ul class="plain-list">${entries.map(([k, v]) => html`<li><code>${k}</code> ∈ ${v.join('、')}</li>`)}</ul>`;
}

function fieldError(errors: FormErrors | undefined, name: string): Html | '' {
  const e = errors?.[name];
  return e ? html`<p class="field-error" id="f-${name}-error"><span class="visually-hidden">错误：</span>${e}</p>` : '';
}

function textArea(o: { name: string; label: string; value?: string; hint?: string; errors?: FormErrors; required?: boolean; rows?: number }): Html {
  const id = `f-${o.name}`;
  const error = o.errors?.[o.name];
  const described = [o.hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ');
  return html`<div class="field${error ? ' has-error' : ''}">
  <label for="${id}">${o.label}${o.required ? html`<span class="required" aria-hidden="true"> *</span>` : ''}</label>
  ${o.hint ? html`<p class="hint" id="${id}-hint">${o.hint}</p>` : ''}
  ${fieldError(o.errors, o.name)}
  <textarea id="${id}" name="${o.name}" rows="${o.rows ?? 2}" maxlength="${LIMITS.textMax}"${raw(o.required ? ' required' : '')}${raw(described ? ` aria-describedby="${described}"` : '')}${raw(error ? ' aria-invalid="true"' : '')}>${o.value ?? ''}</textarea>
</div>`;
}

/** Checkboxes of items in a fieldset (name="items" / name="clearItems", value = the item's key). */
function itemBoxes(o: { name: string; legend: string; hint?: string; items: DataItem[]; checked: string[]; errors?: FormErrors; personalOnly?: boolean }): Html {
  const shown = o.personalOnly ? o.items.filter((i) => i.personal) : o.items;
  const error = o.errors?.[o.name];
  return html`<fieldset id="f-${o.name}" class="field${error ? ' has-error' : ''}"${raw(error ? ` aria-describedby="f-${o.name}-error"` : '')}>
  <legend>${o.legend}</legend>
  ${o.hint ? html`<p class="hint">${o.hint}</p>` : ''}
  ${fieldError(o.errors, o.name)}
  ${shown.map((i) => {
    const id = `f-${o.name}-${i.key}`;
    return html`<div class="checkbox-field"><input type="checkbox" id="${id}" name="${o.name}" value="${i.key}"${raw(o.checked.includes(i.key) ? ' checked' : '')}> <label for="${id}">${i.name}（<code>${i.key}</code>）${i.personal ? html` <span class="status-tag draft">个人信息</span>` : ''}</label></div>`;
  })}
</fieldset>`;
}

/** Row-filter inputs (filter_<key>), one per non-personal item: values separated by commas or spaces. */
function filterInputs(items: DataItem[], values: Record<string, string>, errors: FormErrors | undefined, legend: string, hint: string): Html {
  const error = errors?.rowFilter;
  return html`<fieldset id="f-rowFilter" class="field${error ? ' has-error' : ''}">
  <legend>${legend}</legend>
  <p class="hint">${hint}</p>
  ${fieldError(errors, 'rowFilter')}
  ${items.filter((i) => !i.personal).map((i) => textField({ name: `filter_${i.key}`, label: `${i.name}（${i.key}）`, value: values[i.key] ?? '', maxlength: 2000 }))}
</fieldset>`;
}

// ---- my department's requests and grants ----

export function renderMyRequests(o: { requests: Paged<ShareRequestView>; grants: Paged<ShareGrantView>; page: number; done?: string }): Html {
  return html`<h1>数据共享申请</h1>
${notice(o.done)}
<p><a href="${REVIEWS_PAGE}">待本部门答复的申请</a> · <a href="${GRANTS_PAGE}">共享授权</a> · <a href="/admin/data/resources">数据资源目录</a></p>
<section aria-labelledby="h-new">
  <h2 id="h-new">申请共享数据</h2>
  <form method="get" action="${REQUESTS_PAGE}/new" class="inline-form">
    ${textField({ name: 'resource', label: '资源代码', hint: '在数据资源目录中查到资源代码后填写，如 GZ-POP-001', maxlength: 64 })}
    <button type="submit" class="button secondary">填写申请</button>
  </form>
</section>
<section aria-labelledby="h-requests">
  <h2 id="h-requests">本部门的申请（${o.requests.total}）</h2>
  ${requestTable(o.requests, '本部门提出的共享申请', 'consumer')}
  ${pager(REQUESTS_PAGE, {}, o.requests.page, o.requests.total, o.requests.size)}
</section>
<section aria-labelledby="h-grants">
  <h2 id="h-grants">本部门获得的授权（${o.grants.total}）</h2>
  ${grantTable(o.grants, '本部门获得的共享授权', { side: 'consumer' })}
  <p><a href="${GRANTS_PAGE}">管理全部授权（含撤销）</a></p>
</section>`;
}

function requestTable(list: Paged<ShareRequestView>, caption: string, side: 'consumer' | 'provider' | 'overdue'): Html {
  if (!list.items.length) return html`<p>暂无申请。</p>`;
  return html`<div class="table-scroll"><table class="data-table">
  <caption>${caption}，共 ${list.total} 份</caption>
  <thead><tr><th scope="col">编号</th><th scope="col">数据资源</th><th scope="col">${side === 'consumer' ? '提供部门' : '申请部门'}</th>${side === 'overdue' ? html`<th scope="col">提供部门</th>` : ''}<th scope="col">用途</th><th scope="col">状态</th><th scope="col">答复期限</th><th scope="col">提交时间</th></tr></thead>
  <tbody>${list.items.map(
    (r) => html`<tr${raw(r.overdue ? ' class="overdue"' : '')}>
    <th scope="row"><a href="${requestHref(r.id)}">第 ${r.id} 号</a></th>
    <td>${r.resource.name}<br><code class="muted">${r.resource.code}</code> <span class="muted">${r.resource.shareTypeLabel}</span></td>
    <td>${side === 'consumer' ? r.resource.provider.name : r.consumer.name}</td>
    ${side === 'overdue' ? html`<td>${r.resource.provider.name}</td>` : ''}
    <td>${r.purpose}</td>
    <td>${tag(r.status, r.statusLabel)}</td>
    <td>${due(r)}</td>
    <td>${time(r.createdAt)}</td>
  </tr>`,
  )}</tbody>
</table></div>`;
}

function grantTable(list: Paged<ShareGrantView>, caption: string, o: { side: 'consumer' | 'provider'; csrf?: Html; errors?: FormErrors; canRevoke?: boolean }): Html {
  if (!list.items.length) return html`<p>暂无授权。</p>`;
  return html`<div class="table-scroll"><table class="data-table">
  <caption>${caption}，共 ${list.total} 项</caption>
  <thead><tr><th scope="col">授权</th><th scope="col">数据资源</th><th scope="col">${o.side === 'consumer' ? '提供部门' : '使用部门'}</th><th scope="col">信息项</th><th scope="col">行范围</th><th scope="col">用途</th><th scope="col">有效期至</th><th scope="col">状态</th>${o.csrf ? html`<th scope="col">操作</th>` : ''}</tr></thead>
  <tbody>${list.items.map(
    (g) => html`<tr>
    <th scope="row">第 ${g.id} 号${g.requestId ? html`<br><a href="${requestHref(g.requestId)}">申请第 ${g.requestId} 号</a>` : ''}</th>
    <td>${g.resource.name}<br><code class="muted">${g.resource.code}</code></td>
    <td>${o.side === 'consumer' ? g.resource.provider.name : g.consumer.name}${g.clientId ? html`<br><span class="muted">接入应用 <code>${g.clientId}</code></span>` : ''}</td>
    <td>${itemList(g.items, g.clearItems)}</td>
    <td>${filterText(g.rowFilter)}</td>
    <td>${g.purpose}<br><span class="muted">每分钟至多 ${g.ratePerMinute} 次</span></td>
    <td>${time(g.expiresAt)}</td>
    <td>${tag(g.state, g.stateLabel)}${g.revokedAt ? html`<br><span class="muted">${time(g.revokedAt)}：${g.revokeReason ?? ''}</span>` : ''}</td>
    ${
      o.csrf
        ? html`<td>${
            g.state !== 'revoked'
              ? html`<form method="post" action="${GRANTS_PAGE}/${g.id}/revoke">${o.csrf}
        ${textArea({ name: `reason-${g.id}`, label: `撤销理由（第 ${g.id} 号授权）`, errors: o.errors, required: true })}
        <button type="submit" class="button warning">撤销授权</button></form>`
              : '—'
          }</td>`
        : ''
    }
  </tr>`,
  )}</tbody>
</table></div>`;
}

// ---- the request form ----

export interface RequestFormValues {
  departmentId: string;
  items: string[];
  clearItems: string[];
  filters: Record<string, string>;
  purpose: string;
  legalBasis: string;
  scenario: string;
  itemCode: string;
  durationDays: string;
  ratePerMinute: string;
  clientId: string;
}

export interface RequestFormResource {
  code: string;
  name: string;
  providerName: string;
  shareType: 'unconditional' | 'conditional' | 'none';
  shareConditions: string;
  status: string;
  items: DataItem[];
}

/** The code-entry form alone (no resource chosen yet, or an unknown code). */
export function renderChooseResource(o: { code: string; error?: string }): Html {
  const errors = o.error ? { resource: o.error } : undefined;
  return html`<h1>申请共享数据</h1>
${errorSummary(errors)}
<form method="get" action="${REQUESTS_PAGE}/new">
  ${textField({ name: 'resource', label: '资源代码', value: o.code, required: true, maxlength: 64, errors, hint: '在数据资源目录中查到资源代码后填写' })}
  <button type="submit" class="button">下一步</button>
</form>`;
}

/** A resource that cannot be requested: 不予共享 (with its reason) or not published. */
export function renderNotRequestable(r: RequestFormResource): Html {
  const none = r.shareType === 'none';
  return html`<h1>申请共享数据：${r.name}</h1>
<div class="notice info" role="status">
  <p>${none ? html`该资源为<strong>${SHARE_TYPE_NAMES.none}</strong>，不能申请。` : '该资源尚未发布或已停用，不能申请。'}</p>
  ${none ? html`<p>理由：${r.shareConditions.trim() || '提供部门未说明理由'}</p>` : ''}
</div>
<table class="facts"><tbody>
  <tr><th scope="row">资源代码</th><td><code>${r.code}</code></td></tr>
  <tr><th scope="row">提供部门</th><td>${r.providerName}</td></tr>
  <tr><th scope="row">共享类型</th><td>${SHARE_TYPE_NAMES[r.shareType]}</td></tr>
</tbody></table>
<p><a href="${REQUESTS_PAGE}">返回数据共享申请</a></p>`;
}

export function renderRequestForm(o: {
  resource: RequestFormResource;
  values: RequestFormValues;
  errors?: FormErrors;
  csrf: Html;
  departments: { id: number; name: string }[];
  clients: { clientId: string; name: string }[];
  answerDays: number;
}): Html {
  const r = o.resource;
  const v = o.values;
  const e = o.errors;
  return html`<h1>申请共享数据：${r.name}</h1>
${errorSummary(e)}
<table class="facts"><tbody>
  <tr><th scope="row">资源代码</th><td><code>${r.code}</code></td></tr>
  <tr><th scope="row">提供部门</th><td>${r.providerName}</td></tr>
  <tr><th scope="row">共享类型</th><td>${SHARE_TYPE_NAMES[r.shareType]}${
    r.shareType === 'unconditional' ? html`<span class="muted">：提交后立即授权</span>` : html`<span class="muted">：由提供部门在 ${o.answerDays} 个工作日内答复</span>`
  }</td></tr>
  ${r.shareConditions.trim() ? html`<tr><th scope="row">共享条件</th><td>${r.shareConditions}</td></tr>` : ''}
</tbody></table>
<form method="post" action="${REQUESTS_PAGE}" novalidate>
  ${o.csrf}
  <input type="hidden" name="resource" value="${r.code}">
  ${
    o.departments.length > 1
      ? selectField({ name: 'departmentId', label: '申请部门', options: o.departments.map((d) => ({ value: String(d.id), label: d.name })), value: v.departmentId, errors: e })
      : html`<input type="hidden" name="departmentId" value="${v.departmentId}">`
  }
  ${fieldError(e, 'resource')}
  ${itemBoxes({ name: 'items', legend: '申请的信息项（至少一项）', items: r.items, checked: v.items, errors: e, hint: '只申请办理业务确需的信息项' })}
  ${
    r.items.some((i) => i.personal)
      ? itemBoxes({
          name: 'clearItems',
          legend: '需要明文的个人信息项',
          items: r.items,
          checked: v.clearItems,
          errors: e,
          personalOnly: true,
          hint: '未勾选的个人信息一律脱敏返回（如 110105********002X）；明文须在用途和依据中说明理由',
        })
      : ''
  }
  ${filterInputs(r.items, v.filters, e, '行范围（可选）', '只共享这些取值的记录；多个取值用逗号或空格分隔，不填表示不限')}
  ${textArea({ name: 'purpose', label: '用途', value: v.purpose, errors: e, required: true, hint: '如：办理婚姻登记时核验当事人户籍信息' })}
  ${textArea({ name: 'legalBasis', label: '依据', value: v.legalBasis, errors: e, required: true, hint: '法律法规、政策文件，如《政务数据共享条例》' })}
  ${textArea({ name: 'scenario', label: '应用场景', value: v.scenario, errors: e, required: true })}
  ${textField({ name: 'itemCode', label: '所服务的政务服务事项实施编码（可选）', value: v.itemCode, errors: e, maxlength: 36 })}
  ${textField({ name: 'durationDays', label: `使用期限（天，${LIMITS.minDays}–${LIMITS.maxDays}）`, type: 'number', value: v.durationDays, errors: e, required: true, inputmode: 'numeric' })}
  ${textField({ name: 'ratePerMinute', label: '调用频率上限（次/分钟）', type: 'number', value: v.ratePerMinute, errors: e, inputmode: 'numeric' })}
  ${selectField({
    name: 'clientId',
    label: '使用数据的接入应用',
    options: [{ value: '', label: '不指定（本部门工作人员使用）' }, ...o.clients.map((c) => ({ value: c.clientId, label: `${c.name}（${c.clientId}）` }))],
    value: v.clientId,
    errors: e,
  })}
  <button type="submit" class="button">提交申请</button>
</form>`;
}

// ---- one request ----

export interface DecisionValues {
  items: string[];
  clearItems: string[];
  filters: Record<string, string>;
  durationDays: string;
  ratePerMinute: string;
  note: string;
  reason: string;
}

export function decisionDefaults(r: ShareRequestView): DecisionValues {
  return {
    items: r.items.map((i) => i.key),
    clearItems: r.clearItems,
    filters: Object.fromEntries(Object.entries(r.rowFilter).map(([k, v]) => [k, v.join(', ')])),
    durationDays: String(r.durationDays),
    ratePerMinute: String(r.ratePerMinute),
    note: '',
    reason: '',
  };
}

export function renderRequestDetail(o: { r: ShareRequestDetail; declared: DataItem[]; csrf: Html; errors?: FormErrors; done?: string; values: DecisionValues }): Html {
  const r = o.r;
  const e = o.errors;
  const requested = o.declared.filter((i) => r.items.some((x) => x.key === i.key));
  return html`<h1>共享申请第 ${r.id} 号：${r.resource.name}</h1>
${notice(o.done)}
${errorSummary(e)}
<table class="facts"><tbody>
  <tr><th scope="row">状态</th><td>${tag(r.status, r.statusLabel)}${r.overdue ? html` <span class="status-tag denied">已超期${r.escalatedAt ? '，已提请督办' : ''}</span>` : ''}</td></tr>
  <tr><th scope="row">数据资源</th><td>${r.resource.name} <code>${r.resource.code}</code>（${r.resource.shareTypeLabel}）</td></tr>
  <tr><th scope="row">提供部门</th><td>${r.resource.provider.name}</td></tr>
  <tr><th scope="row">申请部门</th><td>${r.consumer.name}${r.createdBy ? html`<span class="muted"> · ${r.createdBy}</span>` : ''}</td></tr>
  <tr><th scope="row">接入应用</th><td>${r.clientId ? html`<code>${r.clientId}</code>` : '不指定'}</td></tr>
  <tr><th scope="row">信息项</th><td>${itemList(r.items, r.clearItems)}</td></tr>
  <tr><th scope="row">行范围</th><td>${filterText(r.rowFilter)}</td></tr>
  <tr><th scope="row">用途</th><td>${r.purpose}</td></tr>
  <tr><th scope="row">依据</th><td>${r.legalBasis}</td></tr>
  <tr><th scope="row">应用场景</th><td>${r.scenario}</td></tr>
  <tr><th scope="row">所服务事项</th><td>${r.itemCode ? html`<code>${r.itemCode}</code>` : '—'}</td></tr>
  <tr><th scope="row">使用期限</th><td>${r.durationDays} 天</td></tr>
  <tr><th scope="row">调用频率</th><td>每分钟至多 ${r.ratePerMinute} 次</td></tr>
  <tr><th scope="row">答复期限</th><td>${r.dueDay ? html`<time datetime="${r.dueAt}">${r.dueDay}</time> 当日 24 时前（按工作日计算）` : '—'}</td></tr>
  ${r.reason ? html`<tr><th scope="row">${r.status === 'refused' ? '不予同意的理由' : '说明'}</th><td>${r.reason}</td></tr>` : ''}
</tbody></table>
${
  r.grant
    ? html`<section aria-labelledby="h-grant"><h2 id="h-grant">授权（第 ${r.grant.id} 号）</h2>
<table class="facts"><tbody>
  <tr><th scope="row">状态</th><td>${tag(r.grant.state, r.grant.stateLabel)}</td></tr>
  <tr><th scope="row">信息项</th><td>${itemList(r.grant.items, r.grant.clearItems)}</td></tr>
  <tr><th scope="row">行范围</th><td>${filterText(r.grant.rowFilter)}</td></tr>
  <tr><th scope="row">有效期</th><td>${time(r.grant.startsAt)} 至 ${time(r.grant.expiresAt)}</td></tr>
  <tr><th scope="row">调用频率</th><td>每分钟至多 ${r.grant.ratePerMinute} 次</td></tr>
  ${r.grant.revokedAt ? html`<tr><th scope="row">撤销</th><td>${time(r.grant.revokedAt)}：${r.grant.revokeReason ?? ''}</td></tr>` : ''}
</tbody></table>
${r.actions.revoke ? html`<p><a href="${GRANTS_PAGE}">到共享授权页撤销</a></p>` : ''}
</section>`
    : ''
}
<section aria-labelledby="h-timeline"><h2 id="h-timeline">办理经过</h2>
<ol class="timeline">${r.timeline.map((t) => html`<li>${time(t.at)} ${t.label}${t.note ? html`<span class="muted">（${t.note}）</span>` : ''}</li>`)}</ol>
</section>
${
  r.actions.approve
    ? html`<section aria-labelledby="h-approve"><h2 id="h-approve">同意共享</h2>
<p class="hint">可以缩小信息项、明文项、行范围、期限和频率，不能超出申请。</p>
<form method="post" action="${requestHref(r.id)}/approve" novalidate>
  ${o.csrf}
  ${itemBoxes({ name: 'items', legend: '同意的信息项', items: requested, checked: o.values.items, errors: e })}
  ${r.clearItems.length ? itemBoxes({ name: 'clearItems', legend: '同意明文的个人信息项', items: requested.filter((i) => r.clearItems.includes(i.key)), checked: o.values.clearItems, errors: e }) : ''}
  ${filterInputs(o.declared, o.values.filters, e, '行范围', '保留申请中的条件，取值只能减少；可以增加条件')}
  ${textField({ name: 'durationDays', label: `期限（天，至多 ${r.durationDays}）`, type: 'number', value: o.values.durationDays, errors: e, inputmode: 'numeric' })}
  ${textField({ name: 'ratePerMinute', label: `调用频率（次/分钟，至多 ${r.ratePerMinute}）`, type: 'number', value: o.values.ratePerMinute, errors: e, inputmode: 'numeric' })}
  ${textArea({ name: 'note', label: '说明（可选）', value: o.values.note, errors: e })}
  <button type="submit" class="button">同意共享</button>
</form></section>`
    : ''
}
${
  r.actions.refuse
    ? html`<section aria-labelledby="h-refuse"><h2 id="h-refuse">不予同意</h2>
<form method="post" action="${requestHref(r.id)}/refuse" novalidate>
  ${o.csrf}
  ${textArea({ name: 'reason', label: '不予同意的理由', value: o.values.reason, errors: e, required: true, hint: '申请部门会看到理由（2–500 字）' })}
  <button type="submit" class="button warning">不予同意</button>
</form></section>`
    : ''
}
${
  r.actions.withdraw
    ? html`<section aria-labelledby="h-withdraw"><h2 id="h-withdraw">撤回申请</h2>
<form method="post" action="${requestHref(r.id)}/withdraw">
  ${o.csrf}
  ${textArea({ name: 'withdrawReason', label: '撤回原因（可选）', errors: e })}
  <button type="submit" class="button secondary">撤回申请</button>
</form></section>`
    : ''
}`;
}

// ---- the provider's inbox, grants, overdue ----

export function renderReviews(o: { list: Paged<ShareRequestView>; status: string }): Html {
  const overdue = o.list.items.filter((r) => r.overdue).length;
  const filters: [string, string][] = [
    ['pending', '待答复'],
    ['', '全部'],
    ['granted', '已同意'],
    ['refused', '不予同意'],
  ];
  return html`<h1>待本部门答复的共享申请</h1>
<p>有条件共享的申请须在规定的工作日内答复，超期的申请会提请平台督办。</p>
<nav aria-label="按状态筛选"><ul class="plain-list inline">${filters.map(([k, label]) =>
    k === o.status ? html`<li><span aria-current="page">${label}</span></li>` : html`<li><a href="${REVIEWS_PAGE}${k ? `?status=${k}` : '?status=all'}">${label}</a></li>`,
  )}</ul></nav>
${overdue ? html`<p class="notice info" role="status">本页有 ${overdue} 份申请已超期未答复。</p>` : ''}
${requestTable(o.list, '待本部门答复的共享申请', 'provider')}
${pager(REVIEWS_PAGE, { status: o.status || 'all' }, o.list.page, o.list.total, o.list.size)}`;
}

export function renderGrants(o: { consumer: Paged<ShareGrantView> | null; provider: Paged<ShareGrantView> | null; csrf: Html; errors?: FormErrors; done?: string }): Html {
  return html`<h1>共享授权</h1>
${notice(o.done)}
${errorSummary(o.errors)}
${o.consumer ? html`<section aria-labelledby="h-in"><h2 id="h-in">本部门获得的授权</h2>${grantTable(o.consumer, '本部门获得的共享授权', { side: 'consumer', csrf: o.csrf, errors: o.errors })}</section>` : ''}
${o.provider ? html`<section aria-labelledby="h-out"><h2 id="h-out">本部门资源授出的授权</h2>${grantTable(o.provider, '本部门数据资源授出的共享授权', { side: 'provider', csrf: o.csrf, errors: o.errors })}</section>` : ''}`;
}

export function renderOverdue(o: { list: Paged<ShareRequestView> }): Html {
  return html`<h1>超期未答复的共享申请（督办）</h1>
<p>以下有条件共享申请已超过答复期限，提供部门仍未答复。</p>
${requestTable(o.list, '超期未答复的共享申请', 'overdue')}
${pager(OVERDUE_PAGE, {}, o.list.page, o.list.total, o.list.size)}`;
}
