/**
 * 我的办件 (/my/applications), 办件详情 (/my/applications/:number) with 补正 and 撤回, and 消息 (/my/notifications):
 * the applicant's pages. Plain forms, no JavaScript needed; every change is a POST that redirects back (303).
 */
import { html, raw, type Html } from '../../http/html.ts';
import type { ActingFor } from '../access/principal.ts';
import { errorSummary, notice, type FormErrors } from '../portal/forms.ts';
import { renderFormStep, type RegionList } from '../forms/render-form.ts';
import type { FieldDef, FormDefinition, FormError, MaterialSlot } from '../forms/form.types.ts';
import { ACCEPTED_MEDIA_TYPES } from '../attachments/attachments.types.ts';
import { EVALUABLE_STATES } from '../evaluations/evaluations.types.ts';
import type { ApplicationView } from './get-application.ts';
import type { MyApplicationRow } from './list-my-applications.ts';
import type { NotificationView } from './list-notifications.ts';
import type { ApplicableItem } from './load-applicable-item.ts';
import { actingNote, applyBase } from './apply.page.ts';
import {
  clockFacts, deadlineBadge, DECISION_LABELS, fileLinks, fileSize, formDataSections, stateTag, timelineList, timeTag, type RegionLookup,
} from './application-view.page.ts';

export const myHref = (number: string) => `/my/applications/${encodeURIComponent(number)}`;

export interface DraftRow {
  id: number;
  itemCode: string;
  itemName: string;
  subjectType: string;
  updatedAt: string;
}

const LIST_NOTICES: Record<string, string> = { draft_deleted: '草稿已删除。' };

export function renderMyApplications(o: {
  items: MyApplicationRow[];
  next: string | null;
  paged: boolean;
  drafts: DraftRow[];
  unread: number;
  acting: ActingFor | null;
  csrf: Html;
  done?: string;
}): Html {
  return html`<h1>我的办件</h1>
${o.acting ? html`<p class="acting-banner">正在代 <strong>${o.acting.principalName}</strong> 办理：下列为${o.acting.principalName}的办件。<a href="/me/delegations">切换或结束代办</a></p>` : ''}
${o.done && LIST_NOTICES[o.done] ? notice(LIST_NOTICES[o.done]) : ''}
<ul class="inline-list">
  <li><a class="button" href="/apply">开始新的申请</a></li>
  <li><a href="/my/notifications">消息${o.unread ? html`（<strong>${o.unread}</strong> 条未读）` : ''}</a></li>
  <li><a href="/progress">免登录进度查询</a></li>
</ul>
<section id="drafts" aria-labelledby="h-drafts">
<h2 id="h-drafts">草稿（未提交）</h2>
${
  o.drafts.length
    ? html`<div class="table-scroll"><table class="data-table">
<caption class="visually-hidden">未提交的草稿，共 ${o.drafts.length} 份</caption>
<thead><tr><th scope="col">事项</th><th scope="col">申请人</th><th scope="col">保存时间</th><th scope="col">操作</th></tr></thead>
<tbody>${o.drafts.map(
        (d) => html`<tr><th scope="row">${d.itemName}<br><code class="muted">${d.itemCode}</code></th>
<td>${d.subjectType === 'enterprise' ? '企业（代办）' : '个人'}</td>
<td>${timeTag(d.updatedAt)}</td>
<td class="actions"><a href="${applyBase(d.itemCode)}">继续填写<span class="visually-hidden">：${d.itemName}</span></a>
<form class="inline-form" method="post" action="/my/applications/drafts/${d.id}/delete">${o.csrf}<button type="submit" class="secondary" aria-label="删除草稿：${d.itemName}">删除</button></form></td></tr>`,
      )}</tbody></table></div>`
    : html`<p class="muted">没有未提交的草稿。</p>`
}
</section>
<section aria-labelledby="h-list">
<h2 id="h-list">已提交的办件</h2>
${
  o.items.length
    ? html`<div class="table-scroll"><table class="data-table my-applications">
<caption class="visually-hidden">我的办件</caption>
<thead><tr><th scope="col">办件编号</th><th scope="col">事项</th><th scope="col">状态</th><th scope="col">办理期限</th><th scope="col">提交时间</th></tr></thead>
<tbody>${o.items.map(
        (a) => html`<tr><th scope="row"><a href="${myHref(a.number)}">${a.number}</a></th>
<td>${a.itemName}</td>
<td>${stateTag(a.state, a.stateLabel, a.decision)}${a.decision && DECISION_LABELS[a.decision] && a.state !== 'not_accepted' ? html`<br><span class="muted">${DECISION_LABELS[a.decision]}</span>` : ''}</td>
<td>${a.closed ? html`<span class="muted">已办结</span>` : a.dueOn ? html`${a.dueOn} ${deadlineBadge(a.deadlineStatus)}` : '—'}${!a.closed && a.state === 'supplement' ? html`<br><span class="muted">补正期间暂停计时</span>` : ''}</td>
<td>${timeTag(a.submittedAt)}</td></tr>`,
      )}</tbody></table></div>
${
  o.next || o.paged
    ? html`<nav class="pagination" aria-label="分页"><ul>${o.paged ? html`<li><a href="/my/applications">回到最新</a></li>` : ''}${
        o.next ? html`<li><a href="/my/applications?before=${o.next}" rel="next">更早的办件</a></li>` : ''
      }</ul></nav>`
    : ''
}`
    : html`<p class="muted">${o.paged ? '没有更早的办件。' : '您还没有提交过申请。'}</p>`
}
</section>`;
}

const DETAIL_NOTICES: Record<string, string> = {
  submitted: '申请已提交。我们将在受理期限内作出是否受理的决定，每一步都会通知您。',
  uploaded: '补正材料已上传。全部补齐后请点击“提交补正”。',
  supplemented: '补正已提交，办件恢复办理。',
  withdrawn: '申请已撤回。',
};

export interface SupplementState {
  /** slot key → message */
  slotErrors: Record<string, string>;
  fieldErrors: FormError[];
  other: FormErrors;
  values: Record<string, unknown>;
}

/** The fields the 补正 list asks to correct, as a one-step form (shown whatever their conditions: staff asked). */
export function supplementForm(form: FormDefinition, v: ApplicationView): FormDefinition | null {
  const keys = new Set((v.supplement?.items ?? []).map((i) => i.field).filter((k): k is string => !!k));
  const fields: FieldDef[] = form.steps.flatMap((s) => s.fields).filter((f) => keys.has(f.key) && f.type !== 'attachment').map(({ when: _when, ...f }) => f);
  return fields.length ? { steps: [{ key: 'supplement', title: '需要更正的申请内容', fields }] } : null;
}

export const supplementInputId = (slot: string) => `supplement-file-${slot}`;

function supplementSection(v: ApplicationView, item: ApplicableItem | null, o: { csrf: Html; regions: RegionList; state?: SupplementState; maxMb: number }): Html | '' {
  const s = v.supplement;
  if (!s || s.answeredAt || !v.actions.some((a) => a.effect === 'supplement')) return '';
  const st = o.state;
  const slots = s.items.filter((i) => i.slot);
  const fields = s.items.filter((i) => i.field);
  const since = new Date(s.requestedAt).getTime();
  const sForm = item ? supplementForm(item.form, v) : null;
  const version = v.version;
  const types = Object.values(ACCEPTED_MEDIA_TYPES).map((t) => t.label).join('、');
  return html`<section id="supplement" class="supplement" aria-labelledby="h-supplement">
<h2 id="h-supplement">需要补正（一次性告知）</h2>
<div class="notice info"><p>${timeTag(s.requestedAt)} 工作人员告知需要补正：${s.note || '请补齐以下内容'}。请一次性补齐下列全部内容后点击“提交补正”。补正期间不计入办理时限。</p></div>
<ol class="plain-list">${s.items.map((i) => html`<li><strong>${i.label}</strong>：${i.reason}</li>`)}</ol>
${slots.map((i) => {
  const key = i.slot!;
  const files = v.attachments.filter((f) => f.slot === key && !f.superseded && new Date(f.createdAt).getTime() > since);
  const error = st?.slotErrors[key];
  const id = supplementInputId(key);
  return html`<section class="material-slot" aria-labelledby="h-s-${key}">
<h3 id="h-s-${key}">补正材料：${i.label}</h3>
<p>原因：${i.reason}</p>
${
  files.length
    ? html`<ul class="plain-list">${files.map((f) => html`<li>已上传：${f.fileName}（${fileSize(f.sizeBytes)}，${timeTag(f.createdAt)}） ${fileLinks(f)}</li>`)}</ul>`
    : html`<p class="muted">尚未上传补正文件。</p>`
}
<form class="upload-form form-narrow" method="post" action="${myHref(v.number)}/supplement/${key}" enctype="multipart/form-data">
${o.csrf}
<div class="field${error ? ' has-error' : ''}">
  <label for="${id}">选择文件：${i.label}</label>
  <p class="hint" id="${id}-hint">${types}，不超过 ${o.maxMb} MB。上传的新文件将替换原来提交的该项材料。</p>
  ${error ? html`<p class="field-error" id="${id}-error"><span class="visually-hidden">错误：</span>${error}</p>` : ''}
  <input type="file" id="${id}" name="file" aria-describedby="${id}-hint${error ? ` ${id}-error` : ''}"${raw(error ? ' aria-invalid="true"' : '')}>
</div>
<button type="submit" class="secondary">上传<span class="visually-hidden">：${i.label}</span></button>
</form>
</section>`;
})}
<form class="form-narrow" method="post" action="${myHref(v.number)}/supplement" novalidate>
${o.csrf}
<input type="hidden" name="version" value="${version}">
${
  fields.length && sForm
    ? renderFormStep(sForm, 'supplement', { values: st?.values ?? v.formData, errors: st?.fieldErrors, regions: o.regions, headingLevel: 3, script: false })
    : ''
}
<button type="submit" class="primary">提交补正</button>
</form>
</section>`;
}

export interface DetailInput {
  view: ApplicationView;
  item: ApplicableItem | null;
  csrf: Html;
  regions: RegionList & RegionLookup;
  acting: ActingFor | null;
  done?: string;
  supplement?: SupplementState;
  errors?: FormErrors;
  maxMb: number;
}

function slotLabel(item: ApplicableItem | null, key: string): string {
  return item?.slots.find((s: MaterialSlot) => s.key === key)?.label ?? key;
}

export function renderApplicationDetail(o: DetailInput): Html {
  const v = o.view;
  const evaluable = v.final && (EVALUABLE_STATES as readonly string[]).includes(v.state);
  const withdraw = v.actions.find((a) => a.effect === 'withdraw');
  const slotKeys = [...new Set(v.attachments.map((a) => a.slot))];
  // 免提交: materials the submission obtained by data sharing (kept in its timeline entry)
  const shared = ((v.timeline.find((e) => e.action === 'submit')?.details.shared ?? []) as { target: string; key: string; resource: string; provider: string }[]).filter(
    (n) => n.target === 'material' && !slotKeys.includes(n.key),
  );
  const allErrors: FormErrors = { ...(o.errors ?? {}) };
  for (const [k, m] of Object.entries(o.supplement?.slotErrors ?? {})) allErrors[`supplement-${k}`] = m;
  return html`<h1>办件详情</h1>
${actingNote(o.acting)}
${o.done && DETAIL_NOTICES[o.done] ? notice(DETAIL_NOTICES[o.done]) : ''}
${
  Object.keys(allErrors).length
    ? html`<div class="error-summary" role="alert" tabindex="-1"><h2>提交未成功，请处理以下内容</h2><ul>${Object.entries(allErrors).map(([k, m]) =>
        k.startsWith('supplement-') ? html`<li><a href="#${supplementInputId(k.slice('supplement-'.length))}">${m}</a></li>` : html`<li>${m}</li>`,
      )}</ul></div>`
    : ''
}
<dl class="profile-facts">
  <div><dt>办件编号</dt><dd>${v.number}</dd></div>
  <div><dt>办理事项</dt><dd>${v.itemName}</dd></div>
  <div><dt>办理部门</dt><dd>${v.department.name}</dd></div>
  <div><dt>当前状态</dt><dd>${stateTag(v.state, v.stateLabel, v.decision)}${v.decision && DECISION_LABELS[v.decision] && v.state !== 'not_accepted' ? html` <span class="muted">${DECISION_LABELS[v.decision]}</span>` : ''}</dd></div>
  <div><dt>申请人</dt><dd>${v.subject.name}${v.subject.type === 'enterprise' ? '（企业）' : ''}</dd></div>
  <div><dt>提交时间</dt><dd>${timeTag(v.submittedAt)}</dd></div>
</dl>
${
  v.result
    ? html`<section aria-labelledby="h-result">
<h2 id="h-result">办理结果</h2>
<table class="facts"><caption class="visually-hidden">办理结果</caption><tbody>
<tr><th scope="row">文书</th><td>${v.result.title}</td></tr>
<tr><th scope="row">文书编号</th><td>${v.result.documentNumber}</td></tr>
<tr><th scope="row">核验码</th><td><code class="verification-code">${v.result.verificationCode}</code></td></tr>
<tr><th scope="row">出具时间</th><td>${timeTag(v.result.issuedAt)}</td></tr>
</tbody></table>
<p class="form-actions"><a class="button" href="/api/v1/results/${v.result.id}/pdf" download>下载${v.result.title}（PDF）</a>
<a href="/verify?code=${encodeURIComponent(v.result.verificationCode)}">在线核验真伪</a></p>
<p class="muted">任何人可在 /verify 页面输入核验码，核对文书是否由本平台出具、是否有效。</p>
</section>`
    : ''
}
${
  evaluable
    ? v.evaluated
      ? html`<p>您已评价本次服务，<a href="${myHref(v.number)}/evaluate">查看您的评价</a>。</p>`
      : html`<section aria-labelledby="h-evaluate"><h2 id="h-evaluate">评价本次服务</h2><p>办件已办结，欢迎您对本次服务作出评价（好差评）。</p><p><a class="button" href="${myHref(v.number)}/evaluate">评价本次服务</a></p></section>`
    : ''
}
${supplementSection(v, o.item, { csrf: o.csrf, regions: o.regions, state: o.supplement, maxMb: o.maxMb })}
<section aria-labelledby="h-clock">
<h2 id="h-clock">办理时限</h2>
${clockFacts(v, { staff: false })}
</section>
<section aria-labelledby="h-timeline">
<h2 id="h-timeline">办理过程</h2>
${timelineList(v)}
</section>
<section aria-labelledby="h-form">
<h2 id="h-form">申请内容</h2>
${o.item ? formDataSections(o.item.form, v.formData, o.regions, { headingLevel: 3 }) : html`<p class="muted">申请表单暂时无法显示。</p>`}
</section>
<section aria-labelledby="h-files">
<h2 id="h-files">申请材料</h2>
${
  slotKeys.length || shared.length
    ? html`<table class="facts"><caption class="visually-hidden">申请材料</caption><tbody>${slotKeys.map(
        (k) => html`<tr><th scope="row">${slotLabel(o.item, k)}</th><td><ul class="plain-list">${v.attachments
          .filter((f) => f.slot === k)
          .map((f) => html`<li>${f.fileName}（${fileSize(f.sizeBytes)}）${f.superseded ? html` <span class="status-tag superseded">已被补正文件替换</span>` : ''} ${fileLinks(f)}</li>`)}</ul></td></tr>`,
      )}${shared.map(
        (n) => html`<tr><th scope="row">${slotLabel(o.item, n.key)}</th><td><span class="status-tag success">已通过共享获取（免提交）</span> <span class="muted">由${n.provider}提供（${n.resource}）</span></td></tr>`,
      )}</tbody></table>`
    : html`<p class="muted">未提交材料。</p>`
}
</section>
${
  withdraw
    ? html`<section aria-labelledby="h-withdraw"><h2 id="h-withdraw">撤回申请</h2><p>办结前您可以撤回申请，撤回后办理终止。</p><p><a href="${myHref(v.number)}/withdraw">撤回申请<span class="visually-hidden">：${v.number}</span></a></p></section>`
    : ''
}
<p><a href="/my/applications">返回我的办件</a></p>`;
}

export function renderWithdraw(o: { view: ApplicationView; csrf: Html; errors?: FormErrors; comment?: string }): Html {
  const v = o.view;
  const error = o.errors?.comment;
  return html`<h1>撤回申请</h1>
${errorSummary(o.errors)}
<dl class="profile-facts">
  <div><dt>办件编号</dt><dd>${v.number}</dd></div>
  <div><dt>办理事项</dt><dd>${v.itemName}</dd></div>
  <div><dt>当前状态</dt><dd>${v.stateLabel}</dd></div>
</dl>
<div class="notice info" role="note"><p>撤回后办理终止，不能恢复；如仍需办理，须重新提交申请。确定要撤回吗？</p></div>
<form class="form-narrow" method="post" action="${myHref(v.number)}/withdraw" novalidate>
${o.csrf}
<input type="hidden" name="version" value="${v.version}">
<div class="field${error ? ' has-error' : ''}">
  <label for="f-comment">撤回原因（选填）</label>
  ${error ? html`<p class="field-error" id="f-comment-error"><span class="visually-hidden">错误：</span>${error}</p>` : ''}
  <textarea id="f-comment" name="comment" rows="3" maxlength="500"${raw(error ? ' aria-invalid="true" aria-describedby="f-comment-error"' : '')}>${o.comment ?? ''}</textarea>
</div>
<p class="form-actions"><button type="submit" class="danger">确认撤回</button> <a href="${myHref(v.number)}">返回，不撤回</a></p>
</form>`;
}

/** 409: someone else acted first. */
export function renderConflict(o: { message: string; reloadHref: string }): Html {
  return html`<h1>该办件已被他人处理</h1>
<div class="notice info" role="alert"><p>${o.message}</p></div>
<p>您看到的是处理前的状态，本次操作没有生效。请重新载入办件，查看最新状态后再决定如何操作。</p>
<p><a class="button" href="${o.reloadHref}">重新载入办件</a></p>`;
}

export function renderNotifications(o: { items: NotificationView[]; unread: number; csrf: Html; done?: boolean }): Html {
  const unreadIds = o.items.filter((n) => !n.read).map((n) => n.id);
  return html`<h1>消息</h1>
${o.done ? notice('已全部标为已读。') : ''}
<p>${o.unread ? html`您有 <strong>${o.unread}</strong> 条未读消息。` : '没有未读消息。'} 办件的每一步都会通知您，同时发送短信。</p>
${
  unreadIds.length
    ? html`<form method="post" action="/my/notifications/read">${o.csrf}${unreadIds.map((id) => html`<input type="hidden" name="ids" value="${id}">`)}<button type="submit" class="secondary">全部标为已读</button></form>`
    : ''
}
${
  o.items.length
    ? html`<ul class="item-list notifications">${o.items.map(
        (n) => html`<li class="item-card">
<h2 class="item-title">${n.read ? '' : html`<span class="status-tag draft">未读</span> `}${n.title}</h2>
<p class="item-meta">${timeTag(n.createdAt)}</p>
<p>${n.body}</p>
${n.link ? html`<p><a href="${n.link}">查看办件<span class="visually-hidden">：${n.title}</span></a></p>` : ''}
</li>`,
      )}</ul>`
    : html`<p class="muted">暂无消息。</p>`
}
<p><a href="/my/applications">返回我的办件</a></p>`;
}

