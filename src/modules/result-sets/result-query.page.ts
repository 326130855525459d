/**
 * 结果查询 pages (zh-CN, no JavaScript needed): the list of query services (/results) and one query
 * (/results/:code) — a form with one labelled input per key column; before the release time the form is shown
 * disabled with the release time; the answer is a table of the row's columns, or the one not-found message.
 */
import { html, type Html } from '../../http/html.ts';
import { errorSummary, textField, type FormErrors } from '../portal/forms.ts';
import type { ResultColumn } from '../../db/schema.ts';
import type { PublicResultSetView } from './list-public-result-sets.ts';
import { MAX_KEY_LENGTH } from './query-result.ts';

export const resultsHref = (code: string) => `/results/${encodeURIComponent(code)}`;

/** 3 天 4 小时 / 2 小时 5 分钟 / 7 分钟 — how long until the release. */
export function timeUntil(ms: number): string {
  const minutes = Math.max(1, Math.ceil(ms / 60_000));
  const d = Math.floor(minutes / 1440);
  const h = Math.floor((minutes % 1440) / 60);
  const m = minutes % 60;
  if (d > 0) return `${d} 天${h ? ` ${h} 小时` : ''}`;
  if (h > 0) return `${h} 小时${m ? ` ${m} 分钟` : ''}`;
  return `${m} 分钟`;
}

function releaseLine(v: PublicResultSetView, now: Date): Html {
  return v.released
    ? html`<span class="status-tag published">已发布，可查询</span>`
    : html`<span class="status-tag draft">未到发布时间</span> 将于 <time datetime="${v.releaseAt}">${v.releaseAtText}</time> 发布（距发布还有 ${timeUntil(new Date(v.releaseAt).getTime() - now.getTime())}）`;
}

export function renderResultSetList(items: PublicResultSetView[], now: Date): Html {
  return html`<h1>结果查询</h1>
<p class="lead">考试成绩等结果由发布部门上传，到发布时间后凭查询条件（如考生号和身份证号）即可查询，无需登录。</p>
${
  items.length
    ? html`<ul class="item-list">${items.map(
        (v) => html`<li class="item-card">
<h2 class="item-title"><a href="${resultsHref(v.code)}">${v.title}</a></h2>
<p class="item-meta"><span>发布部门：${v.department}</span><span>查询条件：${v.keyColumns.map((c) => c.label).join('、')}</span></p>
<p>${releaseLine(v, now)}</p>
</li>`,
      )}</ul>`
    : html`<p>目前没有可查询的结果。</p>`
}`;
}

function inputHint(c: { type: string }): string | undefined {
  return c.type === 'id_number' ? '18 位，最后一位可能是 X' : undefined;
}

export type QueryPageAnswer =
  | { kind: 'found'; columns: ResultColumn[]; row: Record<string, unknown> }
  | { kind: 'not_found'; message: string }
  | { kind: 'limited'; message: string };

function cell(v: unknown): string {
  if (v === null || v === undefined || v === '') return '—';
  return typeof v === 'object' ? JSON.stringify(v) : String(v);
}

export function renderResultQueryPage(o: {
  view: PublicResultSetView;
  now: Date;
  csrf: Html;
  values: Record<string, string>;
  errors?: FormErrors;
  answer?: QueryPageAnswer;
}): Html {
  const v = o.view;
  const closed = !v.released;
  const a = o.answer;
  const shown = a?.kind === 'found' ? a.columns.filter((c) => Object.hasOwn(a.row, c.key)) : [];
  return html`<h1>${v.title}</h1>
${v.description ? html`<p class="lead">${v.description}</p>` : ''}
<p class="item-meta"><span>发布部门：${v.department}</span><span>发布时间：<time datetime="${v.releaseAt}">${v.releaseAtText}</time></span></p>
${
  closed
    ? html`<div class="notice info" role="status"><p>成绩将于 <time datetime="${v.releaseAt}">${v.releaseAtText}</time> 发布，届时方可查询（距发布还有 ${timeUntil(new Date(v.releaseAt).getTime() - o.now.getTime())}）。</p></div>`
    : ''
}
${errorSummary(o.errors)}
${
  a && a.kind !== 'found'
    ? html`<div class="error-summary" role="alert" tabindex="-1"><h2>${a.kind === 'not_found' ? '未查询到结果' : '查询过于频繁'}</h2><p>${a.message}</p></div>`
    : ''
}
<form class="form-narrow" method="post" action="${resultsHref(v.code)}" novalidate>
${o.csrf}
<fieldset${closed ? html` disabled` : ''}>
<legend>请输入查询条件</legend>
${v.keyColumns.map((c) =>
  textField({ name: c.key, label: c.label, value: o.values[c.key], required: true, maxlength: MAX_KEY_LENGTH, autocomplete: 'off', hint: inputHint(c), errors: o.errors }),
)}
<button type="submit" class="primary">查询</button>
</fieldset>
</form>
${
  a?.kind === 'found'
    ? html`<section aria-labelledby="h-result">
<h2 id="h-result">查询结果</h2>
<table class="facts"><caption class="visually-hidden">${v.title}：查询结果</caption><tbody>
${shown.map((c) => html`<tr><th scope="row">${c.label}</th><td>${cell(a.row[c.key])}</td></tr>`)}
</tbody></table>
<p class="muted">身份证号等个人信息已部分隐去。结果以发布部门公布的为准。</p>
</section>`
    : ''
}
<p><a href="/results">返回结果查询列表</a></p>`;
}
