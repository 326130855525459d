/** /lists: the three lists at a glance — counts, charts (inline SVG) with the same figures as tables. */
import { html } from '../../http/html.ts';
import type { AppContext } from '../../http/context.ts';
import { barChart, BRAND_COLOUR } from '../evaluations/bar-chart.ts';
import { layout } from '../portal/layout.ts';
import type { Preferences } from '../portal/preferences.ts';
import { LIST_KINDS } from '../three-lists/three-lists.types.ts';
import { fundsByYearChart, totalsTable } from './funds.page.ts';
import { chinaDate, homeCrumb, listsNav } from './lists-components.ts';
import type { FacetValue, ListsIndex } from './lists-index.ts';

function countTable(caption: string, head: string, values: FacetValue[], link?: (v: FacetValue) => string): ReturnType<typeof html> {
  return html`<div class="table-scroll"><table class="data-table">
  <caption>${caption}</caption>
  <thead><tr><th scope="col">${head}</th><th scope="col">权力事项（项）</th></tr></thead>
  <tbody>${values.map((v) => html`<tr><th scope="row">${link ? html`<a href="${link(v)}">${v.label}</a>` : v.label}</th><td>${v.count}</td></tr>`)}</tbody>
</table></div>`;
}

export function renderOverview(ctx: AppContext, ix: ListsIndex, prefs: Preferences, path: string): string {
  const o = ix.overview();
  const updated = (k: 'power' | 'negative' | 'fund') => (ix.updated[k] ? `最近更新 ${chinaDate(ix.updated[k])}` : '尚未发布');
  return layout(ctx, {
    title: '三张清单',
    prefs,
    path,
    breadcrumbs: [homeCrumb, { label: '三张清单' }],
    body: html`
${listsNav('overview')}
<h1>三张清单</h1>
<p class="lead">政府权力清单（含责任清单）、企业投资项目负面清单、政府部门专项资金管理清单向社会公开：政府做什么、企业投资哪些需要核准、专项资金怎么管怎么分，都可查询、检索和下载。</p>
<ul class="tiles">
  <li><a class="tile" href="/lists/powers"><strong>${LIST_KINDS.power.label}</strong><span>${o.departments.power} 个部门 · ${ix.powers.length} 项权力 · ${updated('power')}</span></a></li>
  <li><a class="tile" href="/lists/negative-list"><strong>${LIST_KINDS.negative.label}</strong><span>${ix.negatives.length} 条 · ${updated('negative')}</span></a></li>
  <li><a class="tile" href="/lists/funds"><strong>${LIST_KINDS.fund.label}</strong><span>${o.departments.fund} 个部门 · ${ix.funds.length} 项资金 · ${updated('fund')}</span></a></li>
  <li><a class="tile" href="/lists/negative-list/check"><strong>我的项目需要核准吗？</strong><span>按行业代码对照负面清单自查</span></a></li>
  <li><a class="tile" href="/lists/changes"><strong>变更记录</strong><span>各部门清单的每一版及其变化 · <span lang="en">Atom</span> 订阅</span></a></li>
</ul>

<h2 id="by-type">权力事项按类型</h2>
<div class="two-col">
  <figure>
    ${barChart({ id: 'chart-power-types', title: '各类型权力事项数量', labelWidth: 120, bars: o.powersByType.map((v) => ({ label: v.label, value: v.count, display: `${v.count} 项`, colour: BRAND_COLOUR })) })}
    <figcaption class="muted">图：各类型权力事项数量（数据见表）</figcaption>
  </figure>
  ${countTable('各类型权力事项数量', '权力类型', o.powersByType, (v) => `/lists/powers?type=${v.value}`)}
</div>

<h2 id="by-department">权力事项最多的部门</h2>
<div class="two-col">
  <figure>
    ${barChart({ id: 'chart-power-departments', title: '权力事项最多的 10 个部门', labelWidth: 220, labelChars: 15, bars: o.powersByDepartment.map((v) => ({ label: v.label, value: v.count, display: `${v.count} 项`, colour: BRAND_COLOUR })) })}
    <figcaption class="muted">图：权力事项最多的 10 个部门（数据见表）</figcaption>
  </figure>
  ${countTable('权力事项最多的 10 个部门', '部门', o.powersByDepartment, (v) => `/lists/powers?department=${v.value}`)}
</div>
${o.powersByLevel.length ? countTable('各层级权力事项数量', '层级', o.powersByLevel, (v) => `/lists/powers?level=${v.value}`) : ''}

<h2 id="funds-by-year">专项资金按年度</h2>
${o.fundTotals.length ? html`<div class="two-col">${fundsByYearChart('chart-fund-years', o.fundTotals)}${totalsTable(o.fundTotals, '各年度专项资金规模与分配合计')}</div>` : html`<p>暂无专项资金数据。</p>`}

<h2 id="negative">负面清单条目</h2>
<ul class="plain-list">${o.negativesByCategory.map((v) => html`<li><a href="/lists/negative-list?category=${v.value}">${v.label}</a>：${v.count} 条</li>`)}</ul>
${o.negativesByCategory.length ? '' : html`<p>负面清单尚未发布。</p>`}`,
  });
}
