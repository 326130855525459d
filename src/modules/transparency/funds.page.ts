/** 专项资金管理清单: /lists/funds (amounts by year, totals by year, filters) and one fund with its allocations. */
import { html, type Html } from '../../http/html.ts';
import type { AppContext } from '../../http/context.ts';
import { barChart, BRAND_COLOUR, GRADE_COLOURS } from '../evaluations/bar-chart.ts';
import { layout } from '../portal/layout.ts';
import type { Preferences } from '../portal/preferences.ts';
import {
  chinaDate, departmentOptions, exportLinks, homeCrumb, listsCrumb, listsNav, options, pagination, wan, type Params,
} from './lists-components.ts';
import { roundWan, type FundFilters, type FundItem, type FundResult, type ListsIndex, type YearTotal } from './lists-index.ts';

export const fundHref = (it: FundItem): string => `/lists/funds/${it.department.id}/${encodeURIComponent(it.entry.key)}`;

export function fundParams(f: FundFilters): Params {
  return { q: f.q, year: f.year?.toString(), department: f.department?.toString() };
}

export function fundsByYearChart(id: string, totals: YearTotal[]): Html {
  return html`<figure>
  ${barChart({
    id,
    title: '专项资金规模与已分配金额（万元）',
    labelWidth: 130,
    bars: totals.flatMap((t) => [
      { label: `${t.year} 年资金规模`, value: t.amount, display: wan(t.amount), colour: BRAND_COLOUR },
      { label: `${t.year} 年已分配`, value: t.allocated, display: wan(t.allocated), colour: GRADE_COLOURS.good },
    ]),
  })}
  <figcaption class="muted">图：各年度专项资金规模与已分配金额（万元，数据见表）</figcaption>
</figure>`;
}

export function totalsTable(totals: YearTotal[], caption: string): Html {
  const sum = (k: 'amount' | 'allocated' | 'allocations') => totals.reduce((s, t) => s + t[k], 0);
  return html`<div class="table-scroll"><table class="data-table">
  <caption>${caption}</caption>
  <thead><tr><th scope="col">年度</th><th scope="col">资金规模（万元）</th><th scope="col">已分配（万元）</th><th scope="col">分配笔数</th><th scope="col">专项资金（项）</th></tr></thead>
  <tbody>${totals.map((t) => html`<tr><th scope="row">${t.year}</th><td>${wan(t.amount)}</td><td>${wan(t.allocated)}</td><td>${t.allocations}</td><td>${t.funds}</td></tr>`)}</tbody>
  <tfoot><tr><th scope="row">合计</th><td>${wan(sum('amount'))}</td><td>${wan(sum('allocated'))}</td><td>${sum('allocations')}</td><td>—</td></tr></tfoot>
</table></div>`;
}

export function renderFunds(ctx: AppContext, ix: ListsIndex, prefs: Preferences, path: string, f: FundFilters, r: FundResult): string {
  const p = fundParams(f);
  const allYears = ix.matchFunds({}).years;
  const title = f.year ? `${f.year} 年专项资金管理清单` : '专项资金管理清单';
  return layout(ctx, {
    title,
    prefs,
    path,
    breadcrumbs: [homeCrumb, listsCrumb, { label: '专项资金清单' }],
    body: html`
${listsNav('funds')}
<h1>${title}</h1>
<form class="filter-form" action="/lists/funds" method="get" role="search" aria-label="检索专项资金">
  <div class="field"><label for="f-q">关键词</label><input id="f-q" name="q" type="search" value="${f.q ?? ''}" maxlength="100" placeholder="如：科技、农业、企业名称"></div>
  <div class="field"><label for="f-year">年度</label><select id="f-year" name="year">${options(
    allYears.map((y) => ({ value: String(y), label: `${y} 年` })),
    f.year?.toString(),
    '全部年度',
  )}</select></div>
  <div class="field"><label for="f-department">主管部门</label><select id="f-department" name="department">${departmentOptions(ix.departmentsOf('fund'), f.department)}</select></div>
  <button class="primary" type="submit">查询</button>
</form>
<p class="result-count" role="status">共 <strong>${r.total}</strong> 项专项资金</p>
${exportLinks('/lists/funds', p, '当前结果')}
<h2 id="totals">年度合计</h2>
${r.totals.length ? html`<div class="two-col">${fundsByYearChart('chart-fund-years', r.totals)}${totalsTable(r.totals, '各年度专项资金规模与分配合计')}</div>` : html`<p>暂无数据。</p>`}
<h2 id="funds">专项资金</h2>
${
  r.total === 0
    ? html`<div class="no-hits"><p>没有找到符合条件的专项资金。</p></div>`
    : html`<div class="table-scroll"><table class="data-table">
  <caption>专项资金及各年度资金规模（万元）</caption>
  <thead><tr><th scope="col">资金名称</th><th scope="col">主管部门</th>${r.years.map((y) => html`<th scope="col">${y} 年</th>`)}<th scope="col">合计</th><th scope="col">已分配</th></tr></thead>
  <tbody>${r.items.map((it) => {
    const byYear = new Map(it.entry.years.map((y) => [y.year, y.amount]));
    return html`<tr><th scope="row"><a href="${fundHref(it)}">${it.entry.name}</a></th><td>${it.department.name}</td>${r.years.map((y) => html`<td>${byYear.has(y) ? wan(byYear.get(y)!) : '—'}</td>`)}<td>${wan(it.total)}</td><td>${wan(it.allocated)}</td></tr>`;
  })}</tbody>
</table></div>
${pagination('/lists/funds', p, r.page, r.pages)}`
}`,
  });
}

export function renderFund(ctx: AppContext, prefs: Preferences, path: string, it: FundItem): string {
  const e = it.entry;
  const d = it.department;
  const years = [...e.years].sort((a, b) => a.year - b.year);
  const allocations = [...e.allocations].sort((a, b) => a.year - b.year || (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
  const allocatedIn = (y: number) => roundWan(e.allocations.filter((a) => a.year === y).reduce((s, a) => s + a.amount, 0));
  const totals: YearTotal[] = years.map((y) => ({
    year: y.year,
    amount: y.amount,
    allocated: allocatedIn(y.year),
    allocations: e.allocations.filter((a) => a.year === y.year).length,
    funds: 1,
  }));
  return layout(ctx, {
    title: e.name,
    prefs,
    path,
    breadcrumbs: [homeCrumb, listsCrumb, { label: '专项资金清单', href: '/lists/funds' }, { label: e.name }],
    body: html`
<h1>${e.name}</h1>
<p class="lead">${d.name} · 资金编码 ${e.key}</p>
<dl class="key-facts">
  <div><dt>资金规模合计</dt><dd>${wan(it.total)} 万元</dd></div>
  <div><dt>已分配合计</dt><dd>${wan(it.allocated)} 万元</dd></div>
  <div><dt>分配笔数</dt><dd>${e.allocations.length}</dd></div>
  <div><dt>年度</dt><dd>${years.map((y) => y.year).join('、')}</dd></div>
</dl>
<div class="table-scroll"><table class="data-table facts">
  <caption>基本信息</caption>
  <tbody>
    <tr><th scope="row">主管部门</th><td>${d.creditCode ? html`<a href="/departments/${d.creditCode}">${d.name}</a>` : d.name}</td></tr>
    <tr><th scope="row">资金用途</th><td>${e.purpose}</td></tr>
    <tr><th scope="row">管理办法</th><td>${e.rules}</td></tr>
    <tr><th scope="row">申报条件</th><td>${e.conditions}</td></tr>
    ${e.contact ? html`<tr><th scope="row">咨询电话</th><td>${e.contact}</td></tr>` : ''}
    <tr><th scope="row">清单版本</th><td>第 ${it.edition.version} 版，${chinaDate(it.edition.publishedAt)} 发布（<a href="/lists/changes/${it.edition.id}">查看本版变化</a>）</td></tr>
  </tbody>
</table></div>
<h2 id="years">年度资金与分配合计</h2>
${totalsTable(totals, '各年度资金规模与已分配金额（万元）')}
<h2 id="allocations">分配结果</h2>
${
  allocations.length
    ? html`<div class="table-scroll"><table class="data-table">
  <caption>专项资金分配结果（万元）</caption>
  <thead><tr><th scope="col">年度</th><th scope="col">分配对象</th><th scope="col">项目名称</th><th scope="col">金额（万元）</th><th scope="col">公布日期</th></tr></thead>
  <tbody>${allocations.map((a) => html`<tr><td>${a.year}</td><th scope="row">${a.recipient}</th><td>${a.project ?? '—'}</td><td>${wan(a.amount)}</td><td>${a.date}</td></tr>`)}</tbody>
  <tfoot><tr><td>合计</td><th scope="row">${allocations.length} 笔</th><td></td><td>${wan(it.allocated)}</td><td></td></tr></tfoot>
</table></div>`
    : html`<p>尚未公布分配结果。</p>`
}
<p><a href="/lists/funds?department=${d.id}">查看${d.name}的全部专项资金</a></p>`,
  });
}
