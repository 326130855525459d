/**
 * 差评整改 for staff: the list (/staff/rectifications) with counts per state and overdue tasks flagged, and one
 * task (/staff/rectifications/:id) with the evaluation (never the evaluator), the timeline and the action form.
 */
import { html, raw, type Html } from '../../http/html.ts';
import { errorSummary, notice, type FormErrors } from '../portal/forms.ts';
import { formatTime, pager } from '../staff/admin-page.ts';
import type { RectificationDetail, RectificationSummary } from './evaluations.types.ts';
import { INDICATOR_KEYS, INDICATORS, RECTIFICATION_STATE_KEYS, RECTIFICATION_STATES } from './evaluations.types.ts';
import type { RectificationList } from './list-rectifications.ts';
import { NOTE_MAX, RECTIFICATION_ACTIONS, type RectificationAction } from './rectification-flow.ts';

function stateTag(t: RectificationSummary): Html {
  const cls = t.state === 'closed' ? 'success' : t.state === 'dismissed' ? 'superseded' : 'draft';
  return html`<span class="status-tag ${cls}">${t.stateLabel}</span>${t.overdue ? html` <span class="status-tag failure">已超期</span>` : ''}`;
}

export function renderRectificationList(o: { list: RectificationList; state?: string; overdue?: boolean }): Html {
  const l = o.list;
  const tab = (label: string, href: string, count: number, current: boolean) =>
    html`<li><a href="${href}"${raw(current ? ' class="current" aria-current="page"' : '')}>${label}（${count}）</a></li>`;
  const all = RECTIFICATION_STATE_KEYS.reduce((n, s) => n + l.counts[s], 0);
  return html`<h1>差评整改</h1>
<p>差评须在 15 个工作日内完成核实、整改、回访，并经平台复核后办结。评价人身份保密：回访所需的联系方式只在“反馈”环节向本部门整改人员显示，且经过遮蔽。</p>
<nav class="account-tabs" aria-label="按状态筛选"><ul>
  ${tab('全部', '/staff/rectifications', all, !o.state && !o.overdue)}
  ${RECTIFICATION_STATE_KEYS.map((s) => tab(RECTIFICATION_STATES[s], `/staff/rectifications?state=${s}`, l.counts[s], o.state === s && !o.overdue))}
  ${tab('已超期', '/staff/rectifications?overdue=1', l.counts.overdue, Boolean(o.overdue) && !o.state)}
</ul></nav>
<p class="result-count" role="status">共 <strong>${l.total}</strong> 项</p>
${
  l.tasks.length
    ? html`<div class="table-scroll"><table class="data-table">
  <caption class="visually-hidden">差评整改任务，未办结的按期限排在前面</caption>
  <thead><tr><th scope="col">任务</th><th scope="col">事项 / 办件编号</th><th scope="col">评价</th><th scope="col">部门</th><th scope="col">状态</th><th scope="col">整改期限</th></tr></thead>
  <tbody>${l.tasks.map(
    (t) => html`<tr>
    <th scope="row"><a href="/staff/rectifications/${t.id}">整改任务 ${t.id}</a></th>
    <td>${t.evaluation.item.name}<br><span class="muted">${t.evaluation.applicationNumber}</span></td>
    <td>${t.evaluation.levelLabel}</td>
    <td>${t.department.name}</td>
    <td>${stateTag(t)}</td>
    <td>${t.dueOn}</td>
  </tr>`,
  )}</tbody>
</table></div>
${pager('/staff/rectifications', { state: o.state, overdue: o.overdue ? '1' : undefined }, l.page, l.total, l.size)}`
    : html`<p>没有符合条件的整改任务。</p>`
}`;
}

export interface ActionFormValues {
  action?: string;
  note?: string;
}

export function renderRectificationDetail(o: { task: RectificationDetail; csrf: Html; values: ActionFormValues; errors?: FormErrors; done?: string }): Html {
  const t = o.task;
  const e = t.evaluation;
  return html`<h1>整改任务 ${t.id}</h1>
${notice(o.done)}
${errorSummary(o.errors)}
<dl class="profile-facts">
  <div><dt>状态</dt><dd>${stateTag(t)}</dd></div>
  <div><dt>整改期限</dt><dd>${t.dueOn}${t.overdue ? '（已超期）' : ''}</dd></div>
  <div><dt>办理部门</dt><dd>${t.department.name}</dd></div>
  <div><dt>创建时间</dt><dd>${formatTime(t.createdAt)}</dd></div>
  ${t.closedAt ? html`<div><dt>办结时间</dt><dd>${formatTime(t.closedAt)}</dd></div>` : ''}
  ${t.outcome === 'unfounded' ? html`<div><dt>核实结论</dt><dd>差评不属实（经回访评价人后提请复核）</dd></div>` : ''}
</dl>

<h2>评价内容</h2>
<dl class="profile-facts">
  <div><dt>办理事项</dt><dd>${e.item.name}</dd></div>
  <div><dt>办件编号</dt><dd>${e.applicationNumber}</dd></div>
  <div><dt>总体评价</dt><dd>${e.levelLabel}（${e.gradeLabel}）</dd></div>
  <div><dt>评价时间</dt><dd>${formatTime(e.createdAt)}</dd></div>
</dl>
<div class="table-scroll"><table class="data-table">
  <caption>分项评价（1–5 分）</caption>
  <thead><tr>${INDICATOR_KEYS.map((k) => html`<th scope="col">${INDICATORS[k]}</th>`)}</tr></thead>
  <tbody><tr>${INDICATOR_KEYS.map((k) => html`<td>${e.indicators[k]}</td>`)}</tr></tbody>
</table></div>
<h3>评价人意见</h3>
<p>${e.comment || '（未填写）'}</p>
<p class="muted">评价人的姓名、身份证件号码和手机号码依法保密，不向工作人员显示。</p>
${
  t.contact
    ? html`<section class="notice info" aria-labelledby="callback-heading"><h2 id="callback-heading">回访</h2><p>${
        t.outcome === 'unfounded' ? '差评经核实不属实，也须回访评价人，说明核实结论及依据。' : '请向评价人说明整改情况。'
      }请通过平台回访评价人，联系电话（已遮蔽）：<strong>${t.contact.mobile ?? '未登记'}</strong>。回访后在下方填写回访情况。</p></section>`
    : ''
}

<h2>办理过程</h2>
${
  t.events.length
    ? html`<div class="table-scroll"><table class="data-table">
  <caption class="visually-hidden">整改任务的办理过程</caption>
  <thead><tr><th scope="col">时间</th><th scope="col">操作</th><th scope="col">状态变化</th><th scope="col">办理人</th><th scope="col">说明</th></tr></thead>
  <tbody>${t.events.map(
    (ev) => html`<tr><td>${formatTime(ev.at)}</td><th scope="row">${ev.actionLabel}</th><td>${RECTIFICATION_STATES[ev.fromState]} → ${RECTIFICATION_STATES[ev.toState]}</td><td>${ev.actor.name}${
      ev.actor.staffNo ? html`（${ev.actor.staffNo}）` : ''
    }</td><td>${ev.note}</td></tr>`,
  )}</tbody>
</table></div>`
    : html`<p>尚未办理。</p>`
}
${t.allowedActions.length ? actionForm(o) : html`<p class="muted">${t.state === 'closed' || t.state === 'dismissed' ? '该任务已办结。' : '当前环节不由您办理。'}</p>`}
<p><a href="/staff/rectifications">返回差评整改列表</a></p>`;
}

function actionForm(o: { task: RectificationDetail; csrf: Html; values: ActionFormValues; errors?: FormErrors }): Html {
  const t = o.task;
  const chosen = o.values.action ?? (t.allowedActions.length === 1 ? t.allowedActions[0]!.action : undefined);
  const actionError = o.errors?.action ?? o.errors?.version;
  const noteError = o.errors?.note;
  const noteLabel = chosen && chosen in RECTIFICATION_ACTIONS ? RECTIFICATION_ACTIONS[chosen as RectificationAction].noteLabel : '处理说明';
  return html`<h2>办理</h2>
<form class="form-narrow" action="/staff/rectifications/${t.id}" method="post" novalidate>
  ${o.csrf}
  <input type="hidden" name="version" value="${t.version}">
  <fieldset class="checkbox-group field${actionError ? ' has-error' : ''}"${raw(actionError ? ' aria-describedby="f-action-error"' : '')}>
    <legend>操作<span class="required" aria-hidden="true"> *</span></legend>
    ${actionError ? html`<p class="field-error" id="f-action-error"><span class="visually-hidden">错误：</span>${actionError}</p>` : ''}
    ${t.allowedActions.map((a, i) => {
      const id = i === 0 ? 'f-action' : `f-action-${a.action}`;
      return html`<div class="checkbox"><input type="radio" id="${id}" name="action" value="${a.action}"${raw(chosen === a.action ? ' checked' : '')}><label for="${id}">${a.label}</label></div>`;
    })}
  </fieldset>
  <div class="field${noteError ? ' has-error' : ''}">
    <label for="f-note">${noteLabel}<span class="required" aria-hidden="true"> *</span></label>
    <p class="hint" id="f-note-hint">核实情况、整改措施、回访情况或复核意见，将记入办理过程。请勿填写评价人的身份信息。</p>
    ${noteError ? html`<p class="field-error" id="f-note-error"><span class="visually-hidden">错误：</span>${noteError}</p>` : ''}
    <textarea id="f-note" name="note" rows="5" maxlength="${NOTE_MAX}" aria-describedby="f-note-hint${noteError ? ' f-note-error' : ''}"${raw(noteError ? ' aria-invalid="true"' : '')}>${o.values.note ?? ''}</textarea>
  </div>
  <button class="primary" type="submit">提交</button>
</form>`;
}
