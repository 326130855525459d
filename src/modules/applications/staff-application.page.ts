/**
 * 办件办理 (/staff/applications/:number): what a handling staff member sees — the applicant, the clock, the
 * form's values, the materials with previews, the timeline — and one form per action the workflow allows them
 * now, each with the fields that action needs and the version they saw (a stale version is refused with 409).
 */
import { html, raw, type Html } from '../../http/html.ts';
import { notice } from '../portal/forms.ts';
import { attachmentUrl } from '../attachments/attachments.types.ts';
import type { RegionList } from '../forms/render-form.ts';
import type { ApplicationView } from './get-application.ts';
import type { ApplicableItem } from './load-applicable-item.ts';
import { PAUSE_KINDS } from './act-on-application.ts';
import { clockFacts, DECISION_LABELS, fileLinks, fileSize, formDataSections, stateTag, timelineList, timeTag, type RegionLookup } from './application-view.page.ts';
import { INBOX_PATH, staffHref } from './staff-inbox.page.ts';

export type ActionValues = Record<string, string | string[] | undefined>;

/** A failed action form, shown again with its values and the errors beside their fields (keyed by input name). */
export interface ActionFormState {
  action: string;
  values: ActionValues;
  errors: Record<string, string>;
}

export const actionInputId = (action: string, name: string) => `a-${action}-${name.replace(/[^A-Za-z0-9_-]/g, '-')}`;

const one = (v: string | string[] | undefined): string => (Array.isArray(v) ? (v[0] ?? '') : (v ?? ''));
const many = (v: string | string[] | undefined): string[] => (Array.isArray(v) ? v : v ? [v] : []);

/** The notice after an action (?done=<action>): its label, read from the timeline, and the state now. */
export function doneNotice(done: string | undefined, view: ApplicationView): string | undefined {
  if (!done) return undefined;
  const e = [...view.timeline].reverse().find((x) => x.action === done);
  return e ? `已办理：${e.actionLabel}。办件当前状态：${view.stateLabel}。` : undefined;
}

function errorText(id: string, error: string | undefined): Html | '' {
  return error ? html`<p class="field-error" id="${id}-error"><span class="visually-hidden">错误：</span>${error}</p>` : '';
}

function described(id: string, hint: boolean, error: string | undefined): Html {
  const ids = [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ');
  return raw(`${ids ? html` aria-describedby="${ids}"`.value : ''}${error ? ' aria-invalid="true"' : ''}`);
}

function textInput(action: string, name: string, label: string, o: { value: string; error?: string; required?: boolean; hint?: string; type?: string; inputmode?: string; max?: number }): Html {
  const id = actionInputId(action, name);
  return html`<div class="field${o.error ? ' has-error' : ''}">
<label for="${id}">${label}${o.required ? html`<span class="required" aria-hidden="true"> *</span><span class="visually-hidden">（必填）</span>` : ''}</label>
${o.hint ? html`<p class="hint" id="${id}-hint">${o.hint}</p>` : ''}
${errorText(id, o.error)}
<input type="${o.type ?? 'text'}" id="${id}" name="${name}" value="${o.value}"${raw(o.inputmode ? ` inputmode="${o.inputmode}"` : '')} maxlength="${o.max ?? 200}"${described(id, !!o.hint, o.error)}>
</div>`;
}

function textArea(action: string, name: string, label: string, o: { value: string; error?: string; required?: boolean; hint?: string }): Html {
  const id = actionInputId(action, name);
  return html`<div class="field${o.error ? ' has-error' : ''}">
<label for="${id}">${label}${o.required ? html`<span class="required" aria-hidden="true"> *</span><span class="visually-hidden">（必填）</span>` : ''}</label>
${o.hint ? html`<p class="hint" id="${id}-hint">${o.hint}</p>` : ''}
${errorText(id, o.error)}
<textarea id="${id}" name="${name}" rows="3" maxlength="2000"${described(id, !!o.hint, o.error)}>${o.value}</textarea>
</div>`;
}

function select(action: string, name: string, label: string, options: { value: string; label: string }[], o: { value: string; error?: string; required?: boolean }): Html {
  const id = actionInputId(action, name);
  return html`<div class="field${o.error ? ' has-error' : ''}">
<label for="${id}">${label}${o.required ? html`<span class="required" aria-hidden="true"> *</span><span class="visually-hidden">（必填）</span>` : ''}</label>
${errorText(id, o.error)}
<select id="${id}" name="${name}"${described(id, false, o.error)}>
<option value="">请选择</option>
${options.map((op) => html`<option value="${op.value}"${raw(op.value === o.value ? ' selected' : '')}>${op.label}</option>`)}
</select>
</div>`;
}

/** 一次性告知补正: every material slot and every form field as a checkbox with its reason. */
function supplementChoices(a: string, item: ApplicableItem | null, v: ActionValues, errors: Record<string, string>): Html {
  const slots = new Set(many(v.slots));
  const fields = new Set(many(v.fields));
  const formFields = item ? item.form.steps.flatMap((s) => s.fields).filter((f) => f.type !== 'attachment') : [];
  const choice = (kind: 'slot' | 'field', key: string, label: string, checked: boolean) => {
    const cid = actionInputId(a, `${kind}-${key}`);
    const reasonName = `${kind}Reason.${key}`;
    const rid = actionInputId(a, reasonName);
    const error = errors[reasonName];
    return html`<li class="supplement-choice">
<div class="checkbox"><input type="checkbox" id="${cid}" name="${kind === 'slot' ? 'slots' : 'fields'}" value="${key}"${raw(checked ? ' checked' : '')}><label for="${cid}">${label}</label></div>
<div class="field${error ? ' has-error' : ''}"><label for="${rid}">补正原因：${label}</label>${errorText(rid, error)}<input type="text" id="${rid}" name="${reasonName}" value="${one(v[reasonName])}" maxlength="500"${described(rid, false, error)}></div>
</li>`;
  };
  const listError = errors.supplementItems;
  const lid = actionInputId(a, 'supplementItems');
  return html`<fieldset class="checkbox-group${listError ? ' field has-error' : ''}" id="${lid}" tabindex="-1"${described(lid, true, listError)}>
<legend>补正清单（一次性告知，之后不能再次要求补正）</legend>
<p class="hint" id="${lid}-hint">勾选需要补正的每一项材料和申请内容，并写明原因。</p>
${errorText(lid, listError)}
<h4>申请材料</h4>
${item?.slots.length ? html`<ul class="plain-list">${item.slots.map((s) => choice('slot', s.key, s.label, slots.has(s.key)))}</ul>` : html`<p class="muted">本事项没有申请材料。</p>`}
<details${raw(fields.size ? ' open' : '')}><summary>申请内容（需要更正的表单项）</summary>
${formFields.length ? html`<ul class="plain-list">${formFields.map((f) => choice('field', f.key, f.label, fields.has(f.key)))}</ul>` : html`<p class="muted">无。</p>`}
</details>
</fieldset>`;
}

function actionForm(o: { view: ApplicationView; item: ApplicableItem | null; action: ApplicationView['actions'][number]; csrf: Html; targets: { id: number; name: string }[]; state?: ActionFormState }): Html {
  const { action: a, view } = o;
  const mine = o.state?.action === a.key ? o.state : undefined;
  const v = mine?.values ?? {};
  const errors = mine?.errors ?? {};
  const refusal = a.effect === 'reject' || a.effect === 'not_accept';
  const parts: Html[] = [];
  if (a.effect === 'request_supplement') parts.push(supplementChoices(a.key, o.item, v, errors));
  if (a.effect === 'suspend') {
    parts.push(select(a.key, 'pauseKind', '特别程序', Object.entries(PAUSE_KINDS).map(([value, label]) => ({ value, label })), { value: one(v.pauseKind), error: errors.pauseKind, required: true }));
    parts.push(textInput(a.key, 'expectedDays', '预计所需工作日', { value: one(v.expectedDays), error: errors.expectedDays, required: true, inputmode: 'numeric', max: 3, hint: '1–365 个工作日，将告知申请人；此期间不计入办理时限。' }));
  }
  if (a.effect === 'extend') {
    parts.push(textInput(a.key, 'extensionDays', '延长工作日数', { value: one(v.extensionDays), error: errors.extensionDays, required: true, inputmode: 'numeric', max: 2, hint: '只能延长一次，最多 10 个工作日（《行政许可法》第四十二条）。' }));
  }
  if (a.effect === 'transfer') {
    parts.push(select(a.key, 'targetDepartmentId', '接收部门', o.targets.map((d) => ({ value: String(d.id), label: d.name })), { value: one(v.targetDepartmentId), error: errors.targetDepartmentId, required: true }));
  }
  parts.push(
    textArea(a.key, 'comment', refusal ? '理由' : a.effect === 'request_supplement' ? '补正告知说明' : '意见', {
      value: one(v.comment),
      error: errors.comment,
      required: !!a.needs.comment,
      hint: refusal ? '将写入决定书并告知申请人。' : a.needs.comment ? '将记入办理过程并告知申请人。' : '选填；将记入办理过程。',
    }),
  );
  if (a.needs.legalBasis) parts.push(textInput(a.key, 'legalBasis', '法律依据', { value: one(v.legalBasis), error: errors.legalBasis, required: true, max: 1000, hint: '如《中华人民共和国行政许可法》第三十八条第二款。' }));
  return html`<section class="action-form" id="action-${a.key}" aria-labelledby="h-action-${a.key}">
<h3 id="h-action-${a.key}">${a.label}</h3>
<form method="post" action="${staffHref(view.number)}/actions/${a.key}" novalidate>
${o.csrf}
<input type="hidden" name="version" value="${view.version}">
${parts}
<button type="submit" class="${refusal ? 'danger' : 'primary'}">${a.label}</button>
</form>
</section>`;
}

export interface StaffDetailInput {
  view: ApplicationView;
  item: ApplicableItem | null;
  csrf: Html;
  regions: RegionList & RegionLookup;
  targets: { id: number; name: string }[];
  state?: ActionFormState;
  done?: string;
}

export function renderStaffApplication(o: StaffDetailInput): Html {
  const v = o.view;
  const errors = o.state ? Object.entries(o.state.errors) : [];
  const slotLabel = (k: string) => o.item?.slots.find((s) => s.key === k)?.label ?? k;
  const slotKeys = [...new Set([...(o.item?.slots.map((s) => s.key) ?? []), ...v.attachments.map((f) => f.slot)])];
  // 免提交: what the submission obtained by data sharing (kept in its timeline entry)
  const shared = (v.timeline.find((e) => e.action === 'submit')?.details.shared ?? []) as SharedNote[];
  const sharedNote = (n: SharedNote) => `${n.provider}通过政务数据共享提供（${n.resource}${n.version ? `，数据版本 ${n.version}` : ''}）`;
  const sharedFields = shared.filter((n) => n.target === 'field');
  const fieldLabel = (k: string) => o.item?.form.steps.flatMap((s) => s.fields).find((f) => f.key === k)?.label ?? k;
  return html`<h1>办件 ${v.number}</h1>
${o.done ? notice(o.done) : ''}
${
  errors.length
    ? html`<div class="error-summary" role="alert" tabindex="-1"><h2>未能办理，请修改以下内容</h2><ul>${errors.map(([name, m]) =>
        name ? html`<li><a href="#${actionInputId(o.state!.action, name)}">${m}</a></li>` : html`<li>${m}</li>`,
      )}</ul></div>`
    : ''
}
${v.actions.length ? html`<p><a href="#h-actions">跳到办理操作</a></p>` : ''}
<dl class="profile-facts">
  <div><dt>办理事项</dt><dd>${v.itemName}<br><code class="muted">${v.itemCode}</code></dd></div>
  <div><dt>办理部门</dt><dd>${v.department.name}</dd></div>
  <div><dt>当前状态</dt><dd>${stateTag(v.state, v.stateLabel, v.decision)}${v.decision && DECISION_LABELS[v.decision] && v.state !== 'not_accepted' ? html` <span class="muted">${DECISION_LABELS[v.decision]}</span>` : ''}${v.clock.escalated ? html` <span class="status-tag denied">超期督办</span>` : ''}</dd></div>
  <div><dt>提交时间</dt><dd>${timeTag(v.submittedAt)}</dd></div>
</dl>
<section aria-labelledby="h-applicant">
<h2 id="h-applicant">申请人</h2>
<table class="facts"><caption class="visually-hidden">申请人</caption><tbody>
<tr><th scope="row">名称</th><td>${v.subject.name}</td></tr>
<tr><th scope="row">类型</th><td>${v.subject.type === 'enterprise' ? '企业（法人）' : '个人'}</td></tr>
<tr><th scope="row">${v.subject.type === 'enterprise' ? '统一社会信用代码' : '身份证号码'}</th><td><code>${v.subject.idNumber}</code></td></tr>
</tbody></table>
</section>
<section aria-labelledby="h-clock">
<h2 id="h-clock">办理时限</h2>
${clockFacts(v, { staff: true })}
${
  v.pauses.length
    ? html`<table class="data-table"><caption>暂停计时记录</caption><thead><tr><th scope="col">原因</th><th scope="col">开始</th><th scope="col">结束</th><th scope="col">工作日</th></tr></thead><tbody>${v.pauses.map(
        (x) => html`<tr><td>${x.kind === 'supplement' ? '补正' : (PAUSE_KINDS as Record<string, string>)[x.kind] ?? x.kind}${x.reason ? html`：${x.reason}` : ''}</td><td>${x.startedOn}</td><td>${x.endedOn ?? '进行中'}</td><td>${x.workingDays ?? '—'}</td></tr>`,
      )}</tbody></table>`
    : ''
}
</section>
${
  v.supplement
    ? html`<section aria-labelledby="h-supplement"><h2 id="h-supplement">补正告知</h2>
<p>${timeTag(v.supplement.requestedAt)} 告知：${v.supplement.note}。${v.supplement.answeredAt ? html`申请人已于 ${timeTag(v.supplement.answeredAt)} 提交补正。` : '等待申请人补正。'}</p>
<ul class="plain-list">${v.supplement.items.map((i) => html`<li>${i.slot ? '材料' : '申请内容'}“${i.label}”：${i.reason}</li>`)}</ul></section>`
    : ''
}
${
  v.result
    ? html`<section aria-labelledby="h-result"><h2 id="h-result">办理结果</h2>
<p>${v.result.title}，文书编号 ${v.result.documentNumber}，核验码 <code>${v.result.verificationCode}</code>（${timeTag(v.result.issuedAt)}）。
<a href="/api/v1/results/${v.result.id}/pdf">下载 PDF</a></p></section>`
    : ''
}
<section aria-labelledby="h-files">
<h2 id="h-files">申请材料</h2>
${
  slotKeys.length
    ? slotKeys.map((k) => {
        const files = v.attachments.filter((f) => f.slot === k);
        const viaSharing = shared.find((n) => n.target === 'material' && n.key === k);
        return html`<section class="material-slot" aria-labelledby="h-f-${k}"><h3 id="h-f-${k}">${slotLabel(k)}</h3>${
          viaSharing ? html`<p><span class="status-tag success">已通过共享获取（免提交）</span> <span class="muted">${sharedNote(viaSharing)}</span></p>` : ''
        }${
          viaSharing && !files.length
            ? ''
            : files.length
            ? html`<ul class="plain-list">${files.map(
                (f) => html`<li>${f.fileName}（${f.mediaType}，${fileSize(f.sizeBytes)}，${timeTag(f.createdAt)}）${f.superseded ? html` <span class="status-tag superseded">已被补正文件替换</span>` : ''}
<br>${fileLinks(f)}${
                  f.mediaType === 'image/png' || f.mediaType === 'image/jpeg'
                    ? html`<br><a href="${attachmentUrl(f.id, { inline: true })}" target="_blank" rel="noopener"><img class="attachment-preview" src="${attachmentUrl(f.id, { inline: true })}" alt="${slotLabel(k)}：${f.fileName}" width="240"></a>`
                    : ''
                }</li>`,
              )}</ul>`
            : html`<p class="muted">未提交。</p>`
        }</section>`;
      })
    : html`<p class="muted">未提交材料。</p>`
}
</section>
<section aria-labelledby="h-form">
<h2 id="h-form">申请内容</h2>
${sharedFields.length ? html`<p>以下内容通过政务数据共享获取：${sharedFields.map((n, i) => html`${i ? '；' : ''}“${fieldLabel(n.key)}”由${sharedNote(n)}`)}。</p>` : ''}
${o.item ? formDataSections(o.item.form, v.formData, o.regions, { headingLevel: 3 }) : html`<pre>${JSON.stringify(v.formData, null, 2)}</pre>`}
</section>
<section aria-labelledby="h-timeline">
<h2 id="h-timeline">办理过程</h2>
${timelineList(v)}
</section>
${
  v.actions.length
    ? html`<section aria-labelledby="h-actions"><h2 id="h-actions">办理</h2>
<p class="muted">您看到的是第 ${v.version} 版。若他人已先处理，提交时将提示冲突，本次操作不会生效。</p>
${v.actions.map((a) => actionForm({ view: v, item: o.item, action: a, csrf: o.csrf, targets: o.targets, state: o.state }))}
</section>`
    : html`<p class="notice info">${v.final ? '办件已办结。' : '当前状态下您没有可执行的办理操作。'}</p>`
}
<p><a href="${INBOX_PATH}">返回办件待办</a></p>`;
}

/** One target obtained by data sharing, as the submission recorded it (application_events.details.shared). */
interface SharedNote {
  target: 'field' | 'material';
  key: string;
  resource: string;
  provider: string;
  version: number | null;
}
