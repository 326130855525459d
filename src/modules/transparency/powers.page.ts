/** 权力清单（含责任清单）: /lists/powers (browse, search, filters, facets) and one power with its 责任清单. */
import { html, raw, type Html } from '../../http/html.ts';
import type { AppContext } from '../../http/context.ts';
import { ITEM_TYPES, EXERCISE_LEVELS, POWER_SOURCES } from '../catalogue/catalogue.types.ts';
import { layout } from '../portal/layout.ts';
import type { Preferences } from '../portal/preferences.ts';
import {
  chinaDate, departmentOptions, exportLinks, facetGroup, homeCrumb, listsCrumb, listsNav, options, pagination, type Params,
} from './lists-components.ts';
import { POWER_TYPES, REGION_LEVELS, type ListsIndex, type PowerFilters, type PowerItem, type PowerResult } from './lists-index.ts';

export const powerHref = (it: { department: { id: number }; entry: { key: string } }): string =>
  `/lists/powers/${it.department.id}/${encodeURIComponent(it.entry.key)}`;

export function powerParams(f: PowerFilters): Params {
  return { q: f.q, department: f.department?.toString(), level: f.level, region: f.region, type: f.type };
}

function heading(ix: ListsIndex, f: PowerFilters): string {
  const parts: string[] = [];
  if (f.department !== undefined) parts.push(ix.departments.get(f.department)?.name ?? '');
  if (f.type) parts.push(ITEM_TYPES[f.type]);
  if (parts.length) return `${parts.join(' · ')}权力清单`;
  return f.q ? `“${f.q}”的权力事项` : '权力清单（含责任清单）';
}

/** Regions with a department publishing powers: the province, its cities and counties, in order. */
function regionChoices(ctx: AppContext, ix: ListsIndex): { value: string; label: string }[] {
  let out = regionChoiceCache.get(ix);
  if (!out) regionChoiceCache.set(ix, (out = collectRegionChoices(ctx, ix)));
  return out;
}

const regionChoiceCache = new WeakMap<ListsIndex, { value: string; label: string }[]>();

function collectRegionChoices(ctx: AppContext, ix: ListsIndex): { value: string; label: string }[] {
  const used = new Set<string>();
  for (const d of ix.departmentsOf('power')) for (const c of d.regionPath) used.add(c);
  return ctx.regions
    .all()
    .filter((r) => used.has(r.code))
    .map((r) => ({ value: r.code, label: `${r.level === 'county' ? '\u3000' : ''}${r.name}` }));
}

function powerCard(it: PowerItem): Html {
  const e = it.entry;
  return html`<li class="item-card">
  <h2 class="item-title"><a href="${powerHref(it)}">${e.name}</a></h2>
  <p class="item-meta"><span>${it.department.name}</span><span>${ITEM_TYPES[e.type]}</span><span>${REGION_LEVELS[it.department.regionLevel]}</span><span>权力编码 ${e.key}</span></p>
  <p class="item-summary">设定依据：${e.legalBasis[0] ?? ''}${e.legalBasis.length > 1 ? ` 等 ${e.legalBasis.length} 项` : ''}</p>
</li>`;
}

export function renderPowers(ctx: AppContext, ix: ListsIndex, prefs: Preferences, path: string, f: PowerFilters, r: PowerResult): string {
  const p = powerParams(f);
  const title = heading(ix, f);
  return layout(ctx, {
    title,
    prefs,
    path,
    breadcrumbs: [homeCrumb, listsCrumb, { label: '权力清单' }],
    body: html`
${listsNav('powers')}
<form class="filter-form" action="/lists/powers" method="get" role="search" aria-label="检索权力清单">
  <div class="field"><label for="f-q">关键词</label><input id="f-q" name="q" type="search" value="${f.q ?? ''}" maxlength="100" placeholder="如：食品经营许可、安全生产"></div>
  <div class="field"><label for="f-department">部门</label><select id="f-department" name="department">${departmentOptions(ix.departmentsOf('power'), f.department)}</select></div>
  <div class="field"><label for="f-region">地区</label><select id="f-region" name="region">${options(regionChoices(ctx, ix), f.region, '全部地区')}</select></div>
  <div class="field"><label for="f-level">层级</label><select id="f-level" name="level">${options(
    Object.entries(REGION_LEVELS).map(([value, label]) => ({ value, label })),
    f.level,
    '全部层级',
  )}</select></div>
  <div class="field"><label for="f-type">权力类型</label><select id="f-type" name="type">${options(
    POWER_TYPES.map((t) => ({ value: t, label: ITEM_TYPES[t] })),
    f.type,
    '全部类型',
  )}</select></div>
  <button class="primary" type="submit">查询</button>
</form>
<div class="results-layout">
  <nav class="facets" aria-label="筛选条件">
    <h2 class="visually-hidden">筛选</h2>
    ${facetGroup('权力类型', 'type', r.facets.type, f.type, '/lists/powers', p)}
    ${facetGroup('行使层级', 'level', r.facets.level, f.level, '/lists/powers', p)}
    ${facetGroup('部门（前 15 个）', 'department', r.facets.department, f.department?.toString(), '/lists/powers', p)}
  </nav>
  <section class="results" aria-labelledby="results-title">
    <h1 id="results-title">${title}</h1>
    <p class="result-count" role="status">共 <strong>${r.total}</strong> 项权力事项</p>
    ${exportLinks('/lists/powers', p, '当前结果')}
    ${
      r.total === 0
        ? html`<div class="no-hits"><p>没有找到符合条件的权力事项。请换一个关键词，或减少筛选条件。</p></div>`
        : html`<ol class="item-list" start="${(r.page - 1) * r.size + 1}">${r.items.map(powerCard)}</ol>
    ${pagination('/lists/powers', p, r.page, r.pages)}`
    }
  </section>
</div>`,
  });
}

export interface ServiceItemLink {
  basicCode: string;
  basicName: string | undefined;
  items: { code: string; name: string; regionName: string }[];
}

export function renderPower(ctx: AppContext, prefs: Preferences, path: string, it: PowerItem, services: ServiceItemLink[]): string {
  const e = it.entry;
  const d = it.department;
  return layout(ctx, {
    title: e.name,
    prefs,
    path,
    breadcrumbs: [homeCrumb, listsCrumb, { label: '权力清单', href: '/lists/powers' }, { label: d.name, href: `/lists/powers?department=${d.id}` }, { label: e.name }],
    body: html`
<h1>${e.name}</h1>
<p class="lead">${d.name} · ${ITEM_TYPES[e.type]}</p>
<dl class="key-facts">
  <div><dt>权力类型</dt><dd>${ITEM_TYPES[e.type]}</dd></div>
  <div><dt>行使层级</dt><dd>${EXERCISE_LEVELS[e.level] ?? e.level}</dd></div>
  <div><dt>权力来源</dt><dd>${POWER_SOURCES[e.powerSource] ?? e.powerSource}</dd></div>
  <div><dt>权力编码</dt><dd>${e.key}</dd></div>
</dl>
<div class="table-scroll"><table class="data-table facts">
  <caption>基本信息</caption>
  <tbody>
    <tr><th scope="row">实施主体</th><td>${e.implementingBody}</td></tr>
    <tr><th scope="row">所属部门</th><td>${d.creditCode ? html`<a href="/departments/${d.creditCode}">${d.name}</a>` : d.name}（${d.regionFullName}）</td></tr>
    <tr><th scope="row">清单版本</th><td>第 ${it.edition.version} 版，${chinaDate(it.edition.publishedAt)} 发布（<a href="/lists/changes/${it.edition.id}">查看本版变化</a>）</td></tr>
    ${e.notes ? html`<tr><th scope="row">备注</th><td>${e.notes}</td></tr>` : ''}
  </tbody>
</table></div>

<h2 id="basis">设定依据</h2>
<ul class="plain-list">${e.legalBasis.map((b) => html`<li>${b}</li>`)}</ul>

<h2 id="responsibility">责任清单</h2>
<h3>责任事项</h3>
<ol>${e.responsibilities.map((r) => html`<li>${r}</li>`)}</ol>
<h3>追责情形</h3>
<ol>${e.accountability.map((a) => html`<li>${a}</li>`)}</ol>

<h2 id="services">行使该权力的服务事项</h2>
${
  services.length === 0
    ? html`<p>该权力暂无对应的政务服务事项（如行政处罚、行政检查等不受理申请的权力）。</p>`
    : services.map(
        (s) => html`<h3>${s.basicName ?? '基本目录事项'}<span class="tag">基本编码 ${s.basicCode}</span></h3>
${
  s.items.length
    ? html`<ul class="plain-list">${s.items.map((i) => html`<li><a href="/items/${i.code}">${i.name}</a> <span class="muted">（${i.regionName}，实施编码 ${i.code}）</span></li>`)}</ul>`
    : html`<p class="muted">本部门暂未发布该事项的实施清单。</p>`
}`,
      )
}
<p><a href="/lists/powers?department=${d.id}">查看${d.name}的全部权力事项</a> · <a href="/lists/changes?kind=power&amp;department=${raw(String(d.id))}">本部门权力清单的变更记录</a></p>`,
  });
}
