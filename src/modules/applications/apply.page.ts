/**
 * 在线申请 (/apply/:itemCode/…): the form's steps, then 上传申请材料, then 确认提交 — one page per step, each a
 * plain HTML form that works without JavaScript (the shared validator at /assets/forms.js only checks earlier).
 * Every step posts to the server, which saves the draft (草稿) and moves on, so the applicant can leave at any
 * point and come back to the same step.
 */
import { html, raw, type Html } from '../../http/html.ts';
import type { ActingFor } from '../access/principal.ts';
import { RELATION_LABELS } from '../portal/account/account-kit.ts';
import { notice } from '../portal/forms.ts';
import { renderFormStep, type RegionList } from '../forms/render-form.ts';
import { fieldDomId } from '../forms/field-names.ts';
import type { FormDefinition, FormError, MaterialSlot } from '../forms/form.types.ts';
import { ACCEPTED_MEDIA_TYPES, MAX_FILES_PER_SLOT, type AttachmentListEntry } from '../attachments/attachments.types.ts';
import type { ApplicableItem } from './load-applicable-item.ts';
import { fileLinks, fileSize, formDataSections, slotRequirement, timeTag, type RegionLookup } from './application-view.page.ts';

/** The pages of the apply flow after the form's own steps. */
export type ApplyPage = { kind: 'step'; key: string } | { kind: 'materials' } | { kind: 'review' };

export const applyBase = (code: string) => `/apply/${encodeURIComponent(code)}`;
export const stepHref = (code: string, key: string) => `${applyBase(code)}/step/${encodeURIComponent(key)}`;
export const materialsHref = (code: string) => `${applyBase(code)}/materials`;
export const reviewHref = (code: string) => `${applyBase(code)}/review`;

export function pageHref(code: string, page: ApplyPage): string {
  return page.kind === 'step' ? stepHref(code, page.key) : page.kind === 'materials' ? materialsHref(code) : reviewHref(code);
}

/** The whole flow: the form's steps, materials, review. */
export function flowPages(form: FormDefinition): { page: ApplyPage; title: string }[] {
  return [
    ...form.steps.map((s) => ({ page: { kind: 'step', key: s.key } as ApplyPage, title: s.title })),
    { page: { kind: 'materials' }, title: '上传申请材料' },
    { page: { kind: 'review' }, title: '确认提交' },
  ];
}

const samePage = (a: ApplyPage, b: ApplyPage) => a.kind === b.kind && (a.kind !== 'step' || (b.kind === 'step' && a.key === b.key));

/** 第 2 步，共 5 步 and the list of steps (earlier ones are links). */
function progress(item: ApplicableItem, current: ApplyPage): Html {
  const pages = flowPages(item.form);
  const index = pages.findIndex((p) => samePage(p.page, current));
  return html`<nav class="apply-progress" aria-label="申请步骤">
<p class="step-indicator">第 ${index + 1} 步，共 ${pages.length} 步：${pages[index]?.title ?? ''}</p>
<ol class="inline-list">${pages.map((p, i) =>
    i === index
      ? html`<li aria-current="step"><strong>${i + 1}. ${p.title}</strong></li>`
      : i < index
        ? html`<li><a href="${pageHref(item.code, p.page)}">${i + 1}. ${p.title}</a></li>`
        : html`<li class="muted">${i + 1}. ${p.title}</li>`,
  )}</ol>
</nav>`;
}

export function actingNote(acting: ActingFor | null): Html | '' {
  if (!acting) return '';
  return html`<section class="acting-banner" aria-labelledby="acting-h">
<h2 id="acting-h">正在代办</h2>
<p>您正在以“${RELATION_LABELS[acting.relation]}”身份代 <strong>${acting.principalName}</strong>${acting.principalType === 'enterprise' ? '（企业）' : ''}办理，申请将以${acting.principalName}的名义提交。<a href="/me/delegations">切换或结束代办</a></p>
</section>`;
}

function heading(item: ApplicableItem): Html {
  return html`<h1>在线申请：${item.name}</h1>
<p class="item-meta"><span>${item.department.name}</span><span>承诺 ${item.promisedDays} 个工作日内办结</span><span><a href="/items/${item.code}">查看办事指南</a></span></p>`;
}

/**
 * The first button of a form is the one Enter presses. A form step may hold a table's 删除第 N 行 buttons before
 * the navigation, so every step starts with an invisible 下一步 (not reachable by Tab, hidden from screen readers:
 * they use the visible one).
 */
const DEFAULT_NEXT = raw('<button type="submit" name="_nav" value="next" class="visually-hidden" tabindex="-1" aria-hidden="true">下一步</button>');

export interface StepPageInput {
  item: ApplicableItem;
  stepKey: string;
  values: Record<string, unknown>;
  errors?: readonly FormError[];
  csrf: Html;
  regions: RegionList;
  acting: ActingFor | null;
  saved?: boolean;
  /** 免提交: the once-only block, and the fields filled from shared data (key → source note), shown read-only */
  onceOnly?: Html | '';
  locked?: Record<string, string>;
}

export function renderStepPage(o: StepPageInput): Html {
  const steps = o.item.form.steps;
  const index = steps.findIndex((s) => s.key === o.stepKey);
  // a table needs the width; other steps read better narrow
  const wide = steps[index]?.fields.some((f) => f.type === 'table');
  return html`${heading(o.item)}
${actingNote(o.acting)}
${progress(o.item, { kind: 'step', key: o.stepKey })}
${o.saved ? notice('草稿已保存。您可以随时回来继续填写（我的办件 › 草稿）。') : ''}
${o.onceOnly ?? ''}
<p>带 <span class="required">*</span> 的为必填项。每进入下一步都会自动保存草稿。</p>
<form class="apply-form${wide ? '' : ' form-narrow'}" method="post" action="${stepHref(o.item.code, o.stepKey)}" novalidate>
${DEFAULT_NEXT}
${o.csrf}
${renderFormStep(o.item.form, o.stepKey, { values: o.values, errors: o.errors, regions: o.regions, headingLevel: 2, locked: o.locked })}
<p class="form-actions">
  ${index > 0 ? html`<button type="submit" class="secondary" name="_nav" value="prev" formnovalidate>上一步</button> ` : ''}<button type="submit" class="primary" name="_nav" value="next">下一步</button>
  <button type="submit" class="secondary" name="_nav" value="save" formnovalidate>保存草稿</button>
</p>
</form>`;
}

export interface MaterialsPageInput {
  item: ApplicableItem;
  files: AttachmentListEntry[];
  /** the slots the form's answers make required */
  requiredKeys: string[];
  /** by slot key ('' = the whole page) */
  errors?: Record<string, string>;
  csrf: Html;
  acting: ActingFor | null;
  maxMb: number;
  done?: string;
  /** 免提交: the once-only block, and the slots exempted by a fill (key → source note) */
  onceOnly?: Html | '';
  exempt?: Map<string, string>;
}

const ACCEPT = '.pdf,.jpg,.jpeg,.png,.ofd,application/pdf,image/jpeg,image/png,application/ofd';
const TYPES = Object.values(ACCEPTED_MEDIA_TYPES)
  .map((t) => t.label.replace(' 图片', '').replace(' 版式文件', ''))
  .join('、');

export const slotInputId = (key: string) => `file-${key}`;

function slotSection(o: MaterialsPageInput, s: MaterialSlot, n: number): Html {
  const files = o.files.filter((f) => f.slot === s.key);
  const error = o.errors?.[s.key];
  const required = o.requiredKeys.includes(s.key);
  const id = slotInputId(s.key);
  const exempt = o.exempt?.get(s.key);
  if (exempt !== undefined && !files.length) {
    return html`<section class="material-slot" id="slot-${s.key}" aria-labelledby="slot-${s.key}-h">
<h2 id="slot-${s.key}-h">${n}. ${s.label}</h2>
<p><span class="status-tag success">已通过共享获取（免提交）</span> <span class="muted">${exempt}</span></p>
<p class="hint">无需上传。如撤回同意，须上传此材料。</p>
</section>`;
  }
  return html`<section class="material-slot${error ? ' has-error' : ''}" id="slot-${s.key}" aria-labelledby="slot-${s.key}-h">
<h2 id="slot-${s.key}-h">${n}. ${s.label}</h2>
<p>${exempt !== undefined ? html`<span class="status-tag success">已通过共享获取（免提交）</span> <span class="muted">${exempt}</span>` : slotRequirement(s, required)}${s.issuer ? html` <span class="muted">出具单位：${s.issuer}</span>` : ''}</p>
${s.notes ? html`<p class="hint">${s.notes}</p>` : ''}
${
  files.length
    ? html`<div class="table-scroll"><table class="data-table">
<caption class="visually-hidden">已上传的“${s.label}”</caption>
<thead><tr><th scope="col">文件</th><th scope="col">大小</th><th scope="col">上传时间</th><th scope="col">操作</th></tr></thead>
<tbody>${files.map(
        (f) => html`<tr><th scope="row">${f.fileName}</th><td>${fileSize(f.sizeBytes)}</td><td>${timeTag(f.createdAt)}</td>
<td class="actions">${fileLinks(f)}
<form class="inline-form" method="post" action="${materialsHref(o.item.code)}/files/${f.id}/delete">${o.csrf}<button type="submit" class="secondary" aria-label="删除文件：${f.fileName}">删除</button></form></td></tr>`,
      )}</tbody></table></div>`
    : html`<p class="muted">尚未上传。</p>`
}
${
  files.length >= MAX_FILES_PER_SLOT
    ? html`<p class="hint">已达到每项 ${MAX_FILES_PER_SLOT} 个文件的上限。</p>`
    : html`<form class="upload-form form-narrow" method="post" action="${materialsHref(o.item.code)}/${s.key}" enctype="multipart/form-data">
${o.csrf}
<div class="field${error ? ' has-error' : ''}">
  <label for="${id}">选择文件：${s.label}</label>
  <p class="hint" id="${id}-hint">${TYPES}，不超过 ${o.maxMb} MB。</p>
  ${error ? html`<p class="field-error" id="${id}-error"><span class="visually-hidden">错误：</span>${error}</p>` : ''}
  <input type="file" id="${id}" name="file" accept="${ACCEPT}" aria-describedby="${id}-hint${error ? ` ${id}-error` : ''}"${raw(error ? ' aria-invalid="true"' : '')}>
</div>
<button type="submit" class="secondary">上传<span class="visually-hidden">：${s.label}</span></button>
</form>`
}
</section>`;
}

const MATERIAL_NOTICES: Record<string, string> = { uploaded: '文件已上传。', deleted: '文件已删除。', saved: '草稿已保存。您可以随时回来继续办理。' };

function summary(errors: Record<string, string> | undefined, href: (key: string) => string): Html | '' {
  const entries = Object.entries(errors ?? {});
  if (!entries.length) return '';
  return html`<div class="error-summary" role="alert" tabindex="-1">
<h2>请处理以下 ${entries.length} 项</h2>
<ul>${entries.map(([k, m]) => (k ? html`<li><a href="${href(k)}">${m}</a></li>` : html`<li>${m}</li>`))}</ul>
</div>`;
}

export function renderMaterialsPage(o: MaterialsPageInput): Html {
  return html`${heading(o.item)}
${actingNote(o.acting)}
${progress(o.item, { kind: 'materials' })}
${o.done && MATERIAL_NOTICES[o.done] ? notice(MATERIAL_NOTICES[o.done]) : ''}
${o.onceOnly ?? ''}
${summary(o.errors, (k) => `#${slotInputId(k)}`)}
<p>请逐项上传申请材料：${TYPES}，单个文件不超过 ${o.maxMb} MB，每项最多 ${MAX_FILES_PER_SLOT} 个文件。文件类型按内容识别，改扩展名无效。</p>
${o.item.slots.length ? o.item.slots.map((s, i) => slotSection(o, s, i + 1)) : html`<p>本事项无需上传材料。</p>`}
<form class="apply-form" method="post" action="${materialsHref(o.item.code)}" novalidate>
${raw('<button type="submit" name="_nav" value="next" class="visually-hidden" tabindex="-1" aria-hidden="true">下一步</button>')}
${o.csrf}
<p class="form-actions">
  <button type="submit" class="secondary" name="_nav" value="prev">上一步</button>
  <button type="submit" class="primary" name="_nav" value="next">下一步：确认提交</button>
  <button type="submit" class="secondary" name="_nav" value="save">保存草稿</button>
</p>
</form>`;
}

export interface ReviewPageInput {
  item: ApplicableItem;
  values: Record<string, unknown>;
  shownKeys: Set<string>;
  formErrors: readonly FormError[];
  /** slot key → message */
  materialErrors: Record<string, string>;
  /** other problems (from the submission) */
  otherErrors?: string[];
  files: AttachmentListEntry[];
  idempotencyKey: string;
  csrf: Html;
  regions: RegionLookup;
  acting: ActingFor | null;
  applicantName: string;
  /** 免提交: slots exempted by a fill (key → source note) */
  exempt?: Map<string, string>;
}

function stepOfField(form: FormDefinition, path: string): string | undefined {
  const top = path.split(/[.[]/)[0];
  return form.steps.find((s) => s.fields.some((f) => f.key === top))?.key;
}

export function renderReviewPage(o: ReviewPageInput): Html {
  const code = o.item.code;
  const problems: Html[] = [
    ...o.formErrors.map((e) => {
      const step = stepOfField(o.item.form, e.field);
      const title = o.item.form.steps.find((s) => s.key === step)?.title ?? '';
      return html`<li><a href="${step ? `${stepHref(code, step)}#${fieldDomId(e.field)}` : '#'}">${title ? `${title}：` : ''}${e.message}</a></li>`;
    }),
    ...Object.entries(o.materialErrors).map(([k, m]) => html`<li><a href="${materialsHref(code)}#slot-${k}">${m}</a></li>`),
    ...(o.otherErrors ?? []).map((m) => html`<li>${m}</li>`),
  ];
  const ready = problems.length === 0;
  return html`${heading(o.item)}
${actingNote(o.acting)}
${progress(o.item, { kind: 'review' })}
${
  ready
    ? html`<p>请核对以下内容，确认无误后提交。提交后进入办理流程，不能再修改；如需补正，工作人员会一次性告知。</p>`
    : html`<div class="error-summary" role="alert" tabindex="-1"><h2>还不能提交，请先处理以下 ${problems.length} 项</h2><ul>${problems}</ul></div>`
}
<section aria-labelledby="h-applicant">
<h2 id="h-applicant">申请人</h2>
<p>${o.applicantName}${o.acting ? html`（由您代为申请）` : ''}</p>
</section>
${formDataSections(o.item.form, o.values, o.regions, { headingLevel: 2, editHref: (k) => stepHref(code, k), shown: (f) => o.shownKeys.has(f.key) })}
<section aria-labelledby="h-materials">
<h2 id="h-materials">申请材料</h2>
<p><a href="${materialsHref(code)}">修改申请材料</a></p>
${
  o.item.slots.length
    ? html`<table class="facts"><caption class="visually-hidden">申请材料</caption><tbody>${o.item.slots.map((s) => {
        const files = o.files.filter((f) => f.slot === s.key);
        const exempt = o.exempt?.get(s.key);
        return html`<tr><th scope="row">${s.label}</th><td>${
          files.length
            ? html`<ul class="plain-list">${files.map((f) => html`<li>${f.fileName}（${fileSize(f.sizeBytes)}）</li>`)}</ul>`
            : exempt !== undefined
              ? html`<span class="status-tag success">已通过共享获取（免提交）</span> <span class="muted">${exempt}</span>`
              : html`<span class="muted">未上传</span>`
        }${o.materialErrors[s.key] ? html`<p class="field-error">${o.materialErrors[s.key]}</p>` : ''}</td></tr>`;
      })}</tbody></table>`
    : html`<p>本事项无需上传材料。</p>`
}
</section>
<form method="post" action="${applyBase(code)}/submit" novalidate>
${o.csrf}
<input type="hidden" name="idempotencyKey" value="${o.idempotencyKey}">
<p>提交即表示您承诺所填内容和所交材料真实、有效，并对其真实性负责。</p>
<p class="form-actions">
  <a class="button secondary" href="${materialsHref(code)}">上一步</a>
  ${ready ? html`<button type="submit" class="primary">提交申请</button>` : html`<span class="muted">处理完上述问题后即可提交。</span>`}
</p>
</form>`;
}

/** /apply: where an application starts — by the item's code, or from a list of items that can be applied for here. */
export function renderStartPage(o: { items: { code: string; name: string; departmentName: string }[]; regionName: string | null; value?: string; error?: string; drafts: number }): Html {
  const error = o.error;
  return html`<h1>在线申请</h1>
${error ? html`<div class="error-summary" role="alert" tabindex="-1"><h2>请修改以下内容</h2><ul><li><a href="#f-itemCode">${error}</a></li></ul></div>` : ''}
${o.drafts ? html`<p>您有 ${o.drafts} 份未提交的草稿，可在<a href="/my/applications#drafts">我的办件</a>中继续填写。</p>` : ''}
<form class="form-narrow" method="get" action="/apply">
<div class="field${error ? ' has-error' : ''}">
  <label for="f-itemCode">事项实施编码</label>
  <p class="hint" id="f-itemCode-hint">见办事指南“基本信息”中的实施编码。不知道编码？<a href="/search?online=1">查找可网上办理的事项</a>。</p>
  ${error ? html`<p class="field-error" id="f-itemCode-error"><span class="visually-hidden">错误：</span>${error}</p>` : ''}
  <input type="text" id="f-itemCode" name="itemCode" value="${o.value ?? ''}" maxlength="36" autocomplete="off" spellcheck="false" aria-describedby="f-itemCode-hint${error ? ' f-itemCode-error' : ''}"${raw(error ? ' aria-invalid="true"' : '')}>
</div>
<button type="submit" class="primary">开始申请</button>
</form>
<section aria-labelledby="h-online">
<h2 id="h-online">${o.regionName ? `${o.regionName}可在线申请的事项` : '可在线申请的事项'}</h2>
${
  o.items.length
    ? html`<ul class="item-list">${o.items.map(
        (i) => html`<li class="item-card"><h3 class="item-title"><a href="${applyBase(i.code)}">${i.name}</a></h3><p class="item-meta"><span>${i.departmentName}</span><span>实施编码 <code>${i.code}</code></span><span><a href="/items/${i.code}">办事指南<span class="visually-hidden">：${i.name}</span></a></span></p></li>`,
      )}</ul>`
    : html`<p class="muted">${o.regionName ? '该地区暂无可在线申请的事项。' : ''}请先<a href="/settings/region?back=%2Fapply">选择所在地区</a>，或按实施编码开始申请。</p>`
}
</section>`;
}

