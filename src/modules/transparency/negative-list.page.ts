/**
 * 企业投资项目负面清单: /lists/negative-list (browse and search by category and industry) and the check
 * /lists/negative-list/check "我的项目需要核准吗？" answered from the list.
 */
import { html, raw, type Html } from '../../http/html.ts';
import type { AppContext } from '../../http/context.ts';
import { layout } from '../portal/layout.ts';
import type { Preferences } from '../portal/preferences.ts';
import { NEGATIVE_CATEGORIES, type NegativeCategory } from '../three-lists/three-lists.types.ts';
import { VERDICT_LABELS, type CheckedEntry, type NegativeCheck } from './check-negative-list.ts';
import { INDUSTRY_SECTIONS, industryLabel } from './industry-classification.ts';
import { chinaDate, exportLinks, facetGroup, homeCrumb, listsCrumb, listsNav, options, pagination, type Params } from './lists-components.ts';
import type { ListsIndex, NegativeFilters, NegativeItem, NegativeResult } from './lists-index.ts';

export function negativeParams(f: NegativeFilters): Params {
  return { q: f.q, category: f.category, industry: f.industry };
}

function categoryTag(c: NegativeCategory): Html {
  return html`<span class="status-tag ${c === 'prohibited' ? 'denied' : c === 'approval' ? 'draft' : 'superseded'}">${NEGATIVE_CATEGORIES[c]}</span>`;
}

function entryCard(it: NegativeItem, level: 2 | 3 = 2, note?: Html): Html {
  const e = it.entry;
  const h = raw(`h${level}`);
  return html`<li class="item-card" id="entry-${e.key}">
  <${h} class="item-title">${e.key} ${e.projectType}</${h}>
  <p class="item-meta">${categoryTag(e.category)}<span>行业：${e.industryCodes.map(industryLabel).join('；')}</span></p>
  ${note ?? ''}
  <p>${e.description}</p>
  ${e.conditions ? html`<p><strong>准入条件：</strong>${e.conditions}</p>` : ''}
  ${e.authority ? html`<p><strong>核准机关：</strong>${e.authority}</p>` : ''}
  <p class="muted">依据：${e.legalBasis.join('；')}</p>
</li>`;
}

export function renderNegativeList(ctx: AppContext, ix: ListsIndex, prefs: Preferences, path: string, f: NegativeFilters, r: NegativeResult): string {
  const p = negativeParams(f);
  const holder = ix.departmentsOf('negative')[0];
  const edition = ix.negatives[0]?.edition;
  const title = f.category ? `负面清单 · ${NEGATIVE_CATEGORIES[f.category]}` : '企业投资项目负面清单';
  return layout(ctx, {
    title,
    prefs,
    path,
    breadcrumbs: [homeCrumb, listsCrumb, { label: '负面清单' }],
    body: html`
${listsNav('negative')}
<form class="filter-form" action="/lists/negative-list" method="get" role="search" aria-label="检索负面清单">
  <div class="field"><label for="f-q">关键词</label><input id="f-q" name="q" type="search" value="${f.q ?? ''}" maxlength="100" placeholder="如：炼油、水电站、汽车"></div>
  <div class="field"><label for="f-category">类别</label><select id="f-category" name="category">${options(
    Object.entries(NEGATIVE_CATEGORIES).map(([value, label]) => ({ value, label })),
    f.category,
    '全部类别',
  )}</select></div>
  <div class="field"><label for="f-industry">行业代码（GB/T 4754）</label><input id="f-industry" name="industry" type="text" value="${f.industry ?? ''}" maxlength="10" list="industry-codes" placeholder="如：C25 或 C2511"></div>
  ${industryDatalist(ix)}
  <button class="primary" type="submit">查询</button>
</form>
<div class="results-layout">
  <nav class="facets" aria-label="筛选条件">
    <h2 class="visually-hidden">筛选</h2>
    ${facetGroup('类别', 'category', r.facets.category, f.category, '/lists/negative-list', p)}
    ${facetGroup('行业门类', 'industry', r.facets.section, f.industry, '/lists/negative-list', p)}
  </nav>
  <section class="results" aria-labelledby="results-title">
    <h1 id="results-title">${title}</h1>
    <p class="lead">列入清单的项目：禁止类不得投资；核准类须经核准机关核准；限制类须符合准入条件。清单以外的项目实行备案管理，无需核准。</p>
    <p><a class="button" href="/lists/negative-list/check">我的项目需要核准吗？立即自查</a></p>
    ${holder && edition ? html`<p class="muted">发布部门：${holder.name} · 第 ${edition.version} 版，${chinaDate(edition.publishedAt)} 发布</p>` : ''}
    <p class="result-count" role="status">共 <strong>${r.total}</strong> 条</p>
    ${exportLinks('/lists/negative-list', p, '当前结果')}
    ${
      r.total === 0
        ? html`<div class="no-hits"><p>没有找到符合条件的条目。</p></div>`
        : html`<ol class="item-list">${r.items.map((it) => entryCard(it))}</ol>${pagination('/lists/negative-list', p, r.page, r.pages)}`
    }
  </section>
</div>`,
  });
}

function industryDatalist(ix: ListsIndex): Html {
  return html`<datalist id="industry-codes">${Object.entries(INDUSTRY_SECTIONS).map(([k, s]) => html`<option value="${k}">${k} ${s.name}</option>`)}${ix
    .negativeIndustryCodes()
    .filter((c) => c.code.length > 1)
    .map((c) => html`<option value="${c.code}">${c.label}</option>`)}</datalist>`;
}

export interface CheckForm {
  industry: string; // as typed
  pick: string; // as chosen from the select
  description: string;
  error?: string;
}

export interface CheckAnswer {
  check?: NegativeCheck<NegativeItem>;
  related?: NegativeItem[]; // description only
}

function checked(c: CheckedEntry<NegativeItem>, why: string): Html {
  return entryCard(c.entry, 3, html`<p class="muted">${why}：${c.codes.map(industryLabel).join('；')}${c.related ? '；与项目描述相关' : ''}</p>`);
}

function renderAnswer(a: CheckAnswer): Html {
  const c = a.check;
  if (!c) {
    if (!a.related) return html``;
    return html`<section class="notice info" aria-labelledby="answer-title">
  <h2 id="answer-title">请选择项目所属行业</h2>
  <p>是否需要核准取决于项目所属行业。根据项目描述，以下条目可能与您的项目相关；请选择或输入行业代码后再查询。</p>
</section>
${a.related.length ? html`<ol class="item-list">${a.related.map((it) => entryCard(it, 3))}</ol>` : html`<p>没有与项目描述相关的条目。</p>`}`;
  }
  const lead =
    c.verdict === 'not_listed'
      ? html`<p>您的项目所属行业（${c.industryLabel}）不在企业投资项目负面清单内，<strong>实行备案管理，无需核准</strong>。请通过投资项目在线审批监管平台办理备案。</p>`
      : c.verdict === 'prohibited'
        ? html`<p>负面清单中有<strong>禁止投资</strong>的条目覆盖您的项目所属行业（${c.industryLabel}）。属于下列禁止情形的项目不得投资建设。</p>`
        : c.verdict === 'approval'
          ? html`<p>负面清单中有<strong>核准类</strong>条目覆盖您的项目所属行业（${c.industryLabel}）。属于下列情形的项目须报经核准机关核准后方可建设。</p>`
          : html`<p>负面清单中有<strong>限制类</strong>条目覆盖您的项目所属行业（${c.industryLabel}）。属于下列情形的项目须符合准入条件。</p>`;
  return html`<section class="${c.verdict === 'not_listed' ? 'notice' : 'notice info'}" aria-labelledby="answer-title" id="answer">
  <h2 id="answer-title">结论：${VERDICT_LABELS[c.verdict]}</h2>
  ${lead}
</section>
${c.matched.length ? html`<h2>覆盖该行业的清单条目（${c.matched.length} 条）</h2><ol class="item-list">${c.matched.map((m) => checked(m, '匹配的行业代码'))}</ol>` : ''}
${
  c.narrower.length
    ? html`<h2>该行业下的细分行业条目（${c.narrower.length} 条）</h2>
<p>以下条目只涉及您所选行业下的部分细分行业。如您的项目属于其中之一，请按该条目办理；否则按上面的结论办理。</p>
<ol class="item-list">${c.narrower.map((m) => checked(m, '涉及的细分行业'))}</ol>`
    : ''
}`;
}

export function renderNegativeCheck(ctx: AppContext, ix: ListsIndex, prefs: Preferences, path: string, form: CheckForm, answer: CheckAnswer): string {
  const listed = ix.negativeIndustryCodes().filter((c) => c.code.length > 1);
  return layout(ctx, {
    title: '我的项目需要核准吗？',
    prefs,
    path,
    breadcrumbs: [homeCrumb, listsCrumb, { label: '负面清单', href: '/lists/negative-list' }, { label: '项目核准自查' }],
    body: html`
${listsNav('check')}
<h1>我的项目需要核准吗？</h1>
<p class="lead">按国民经济行业分类（GB/T 4754）选择或输入项目所属行业，系统根据现行《企业投资项目负面清单》判断：禁止投资、需要核准、限制投资，或不在清单内（备案即可）。</p>
<form class="form-narrow" action="/lists/negative-list/check" method="get">
  ${form.error ? html`<div class="error-summary" role="alert"><h2>请检查输入</h2><p><a href="#c-industry">${form.error}</a></p></div>` : ''}
  <div class="field">
    <label for="c-pick">从清单涉及的行业中选择</label>
    <select id="c-pick" name="pick">
      <option value="">请选择</option>
      <optgroup label="负面清单涉及的行业">${listed.map((c) => html`<option value="${c.code}"${raw(c.code === form.pick ? ' selected' : '')}>${c.label}</option>`)}</optgroup>
      <optgroup label="行业门类">${Object.entries(INDUSTRY_SECTIONS).map(([k, s]) => html`<option value="${k}"${raw(k === form.pick ? ' selected' : '')}>${k} ${s.name}</option>`)}</optgroup>
    </select>
  </div>
  <div class="field${form.error ? ' has-error' : ''}">
    <label for="c-industry">或输入行业代码</label>
    <p class="hint" id="c-industry-hint">门类字母加数字，如 C2511（原油加工及石油制品制造）；也可只输入数字 2511。填写后以此为准。</p>
    ${form.error ? html`<p class="field-error" id="c-industry-error">${form.error}</p>` : ''}
    <input id="c-industry" name="industry" type="text" value="${form.industry}" maxlength="10" list="industry-codes" aria-describedby="c-industry-hint${form.error ? ' c-industry-error' : ''}"${raw(form.error ? ' aria-invalid="true"' : '')}>
    ${industryDatalist(ix)}
  </div>
  <div class="field">
    <label for="c-description">项目简述（选填）</label>
    <p class="hint" id="c-description-hint">如“新建年产 20 万吨乙烯项目”。用于在匹配的条目中找出与项目相关的条目。</p>
    <textarea id="c-description" name="description" rows="3" maxlength="500" aria-describedby="c-description-hint">${form.description}</textarea>
  </div>
  <button type="submit" class="primary">查询</button>
</form>
${renderAnswer(answer)}
<p class="muted">本自查结果仅供参考，以投资主管部门的认定为准。也可通过接口查询：<code>GET /api/v1/lists/<wbr>negative-list/<wbr>check?<wbr>industry=C2511</code></p>`,
  });
}
