/**
 * What the applicant's and the staff's application pages share (办件页面通用部分): the deadline badge (正常 /
 * 即将超期 / 已超期, in words, never by colour alone), the clock, the timeline, the form's values in words, the
 * materials with their files, file sizes and times. Rendering only: the data comes from the engine's operations.
 */
import { html, raw, type Html } from '../../http/html.ts';
import type { FieldDef, FormDefinition, MaterialSlot } from '../forms/form.types.ts';
import { attachmentUrl } from '../attachments/attachments.types.ts';
import { formatTime, isoTime } from '../portal/account/account-kit.ts';
import type { ApplicationView } from './get-application.ts';

/** What the pages need of the region list (ctx.regions). */
export interface RegionLookup {
  get(code: string): { full_name: string; name: string } | undefined;
}

export const DEADLINE_LABELS: Record<string, string> = { normal: '正常', due_soon: '即将超期', overdue: '已超期' };
const DEADLINE_CLASS: Record<string, string> = { normal: 'success', due_soon: 'draft', overdue: 'denied' };

/** 正常 / 即将超期 / 已超期 as a tag with its word (the colour only repeats it). */
export function deadlineBadge(status: string): Html {
  return html`<span class="status-tag ${DEADLINE_CLASS[status] ?? 'superseded'}">${DEADLINE_LABELS[status] ?? status}</span>`;
}

export const DECISION_LABELS: Record<string, string> = { approved: '准予', rejected: '不予', not_accepted: '不予受理' };

/** The state as a tag: open states neutral, 准予/送达 green, refusals and withdrawals grey-red. */
export function stateTag(state: string, label: string, decision?: string | null): Html {
  const cls = decision === 'approved' ? 'success' : decision === 'rejected' || decision === 'not_accepted' || state === 'withdrawn' ? 'denied' : state === 'supplement' ? 'draft' : 'published';
  return html`<span class="status-tag ${cls}">${label}</span>`;
}

/** A time for people (Beijing time) inside a machine-readable <time>. */
export function timeTag(iso: string): Html {
  return html`<time datetime="${isoTime(iso)}">${formatTime(iso)}</time>`;
}

/** A deadline day with its weekday: 2026-12-07（星期一）. */
export function dayWithWeekday(day: string): string {
  const d = new Date(`${day}T00:00:00Z`);
  if (Number.isNaN(d.getTime())) return day;
  return `${day}（星期${'日一二三四五六'[d.getUTCDay()]}）`;
}

export function fileSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} 字节`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

const PHASE_LABELS: Record<string, string> = { acceptance: '受理期限', decision: '承诺办结期限' };

/** The clock (办理时限): which deadline runs, until when, its status, pauses and extension. */
export function clockFacts(v: ApplicationView, o: { staff: boolean }): Html {
  const c = v.clock;
  if (v.final) {
    return html`<p>办件已于 ${v.closedAt ? timeTag(v.closedAt) : '—'} 办结，不再计时。${c.pausedDays ? `办理期间暂停计时共 ${c.pausedDays} 个工作日。` : ''}</p>`;
  }
  const rows: [string, Html | string][] = [];
  rows.push([PHASE_LABELS[c.phase] ?? '办理期限', c.dueOn ? html`${dayWithWeekday(c.dueOn)} ${deadlineBadge(c.deadlineStatus)}` : '—']);
  if (c.phase === 'decision' && c.legalDueOn) rows.push(['法定办结期限', dayWithWeekday(c.legalDueOn)]);
  if (c.pausedDays) rows.push(['已暂停计时', `${c.pausedDays} 个工作日（不计入办理时限）`]);
  if (c.extensionDays) rows.push(['经批准延长', `${c.extensionDays} 个工作日`]);
  if (o.staff && c.escalated) rows.push(['超期督办', html`<span class="status-tag denied">已督办</span>`]);
  const paused = c.state === 'paused';
  const open = v.pauses.find((x) => x.endedOn === null);
  return html`${
    paused
      ? html`<div class="notice info" role="status"><p><strong>计时已暂停。</strong>${
          open?.kind === 'supplement' || v.state === 'supplement'
            ? `补正材料期间不计入办理时限；${o.staff ? '申请人' : '您'}提交补正后恢复计时。`
            : `特别程序（${open?.reason ?? '听证、检验检测、专家评审等'}）期间不计入办理时限${open?.expectedDays ? `，预计需要 ${open.expectedDays} 个工作日` : ''}。`
        }下表期限将按暂停的工作日顺延。</p></div>`
      : ''
  }
<table class="facts"><caption class="visually-hidden">办理时限</caption><tbody>
${rows.map(([k, val]) => html`<tr><th scope="row">${k}</th><td>${val}</td></tr>`)}
</tbody></table>
<p class="muted">期限按工作日计算，法定节假日不计入；期限当日仍在时限内。</p>`;
}

const ACTOR_LABELS: Record<string, string> = { window_clerk: '窗口受理人员', reviewer: '审查人员', approver: '审批负责人' };

function actorLabel(e: ApplicationView['timeline'][number]): string {
  if (e.actorType === 'applicant') return '申请人';
  if (e.actorType === 'system') return '系统';
  return e.actorRole ? (ACTOR_LABELS[e.actorRole] ?? '工作人员') : '工作人员';
}

/** 办理过程: every step, oldest first, with its reasons and legal basis. */
export function timelineList(v: ApplicationView): Html {
  return html`<ol class="steps timeline">
${v.timeline.map(
  (e) => html`<li><strong>${e.actionLabel}</strong> → ${e.toLabel}
  <span>${timeTag(e.at)} · ${actorLabel(e)}</span>
  ${e.comment ? html`<span>意见：${e.comment}</span>` : ''}
  ${e.legalBasis ? html`<span>依据：${e.legalBasis}</span>` : ''}
</li>`,
)}
</ol>`;
}

function optionLabel(f: FieldDef, v: unknown): string {
  return f.options?.find((o) => o.value === String(v))?.label ?? String(v);
}

function present(v: unknown): boolean {
  if (v === undefined || v === null) return false;
  if (typeof v === 'string') return v.trim() !== '';
  if (Array.isArray(v)) return v.length > 0;
  return true;
}

/** One value in words: an option's label, an address with its county, a table as a table. */
export function displayValue(f: FieldDef, v: unknown, regions: RegionLookup): Html | string {
  if (!present(v)) return html`<span class="muted">未填写</span>`;
  switch (f.type) {
    case 'select':
      return optionLabel(f, v);
    case 'multiselect':
      return (Array.isArray(v) ? v : [v]).map((x) => optionLabel(f, x)).join('、');
    case 'address': {
      const a = typeof v === 'object' && v !== null ? (v as Record<string, unknown>) : {};
      const code = typeof a.regionCode === 'string' ? a.regionCode : '';
      return `${regions.get(code)?.full_name ?? code}${typeof a.detail === 'string' ? a.detail : ''}`;
    }
    case 'table': {
      const rows = (Array.isArray(v) ? v : []).filter((r): r is Record<string, unknown> => typeof r === 'object' && r !== null && Object.values(r).some(present));
      if (!rows.length) return html`<span class="muted">未填写</span>`;
      const cols = f.columns ?? [];
      return html`<div class="table-scroll"><table class="data-table"><caption class="visually-hidden">${f.label}</caption>
<thead><tr>${cols.map((c) => html`<th scope="col">${c.label}</th>`)}</tr></thead>
<tbody>${rows.map((r) => html`<tr>${cols.map((c) => html`<td>${present(r[c.key]) ? displayValue(c, r[c.key], regions) : '—'}</td>`)}</tr>`)}</tbody></table></div>`;
    }
    case 'number':
      return `${String(v)}${f.unit ? ` ${f.unit}` : ''}`;
    default:
      return typeof v === 'object' ? JSON.stringify(v) : String(v);
  }
}

/** The form's values, step by step, as tables of label and value (only fields that are shown for these values). */
export function formDataSections(form: FormDefinition, data: Record<string, unknown>, regions: RegionLookup, o: { headingLevel: 2 | 3; editHref?: (stepKey: string) => string; shown?: (f: FieldDef) => boolean }): Html {
  const h = (text: Html | string) => raw(`<h${o.headingLevel}>${html`${text}`.value}</h${o.headingLevel}>`);
  return html`${form.steps.map((s) => {
    const fields = s.fields.filter((f) => f.type !== 'attachment' && (o.shown ? o.shown(f) : true));
    if (!fields.length) return '';
    // a table of the form gets its own scrolling box below: nested in a cell it would widen the page on a phone
    const scalars = fields.filter((f) => f.type !== 'table');
    const tables = fields.filter((f) => f.type === 'table');
    return html`<section class="form-data">
${h(s.title)}
${o.editHref ? html`<p><a href="${o.editHref(s.key)}">修改“${s.title}”</a></p>` : ''}
${
  scalars.length
    ? html`<table class="facts"><caption class="visually-hidden">${s.title}</caption><tbody>
${scalars.map((f) => html`<tr><th scope="row">${f.label}</th><td>${displayValue(f, data[f.key], regions)}</td></tr>`)}
</tbody></table>`
    : ''
}
${tables.map((f) => html`<p class="table-label"><strong>${f.label}</strong></p>${displayValue(f, data[f.key], regions)}`)}
</section>`;
  })}`;
}

export interface FileEntry {
  id: string;
  slot: string;
  fileName: string;
  mediaType: string;
  sizeBytes: number;
  createdAt: string;
  superseded?: boolean;
}

/** How a slot is required: 必要, or 情形必要 with the guide's text (and whether this application's answers require it). */
export function slotRequirement(s: MaterialSlot, required: boolean): Html {
  if (s.required) return html`<span class="status-tag draft">必要</span>`;
  if (required) return html`<span class="status-tag draft">必要</span> <span class="muted">（${s.condition ?? '根据您填写的内容'}，须提交）</span>`;
  return html`<span class="status-tag superseded">情形必要</span>${s.condition ? html` <span class="muted">${s.condition}</span>` : ''}`;
}

/** A file's links: open (in a new tab: PDFs and images) and download. */
export function fileLinks(f: FileEntry): Html {
  const previewable = f.mediaType === 'application/pdf' || f.mediaType.startsWith('image/');
  return html`${
    previewable ? html`<a href="${attachmentUrl(f.id, { inline: true })}" target="_blank" rel="noopener">预览<span class="visually-hidden">${f.fileName}</span>（新窗口打开）</a> · ` : ''
  }<a href="${attachmentUrl(f.id)}" download>下载<span class="visually-hidden">${f.fileName}</span></a>`;
}
