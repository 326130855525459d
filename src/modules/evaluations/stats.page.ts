/** 好差评公示 (/evaluations): filters, the figures, SVG charts and the same figures as tables. */
import { html, type Html } from '../../http/html.ts';
import type { RegionNode } from '../regions/region-directory.ts';
import { errorSummary, selectField, textField, type FormErrors } from '../portal/forms.ts';
import { barChart, BRAND_COLOUR, GRADE_COLOURS } from './bar-chart.ts';
import type { EvaluationStats, Rate } from './get-evaluation-stats.ts';
import { gradeOf } from './evaluations.types.ts';

export interface StatsPageFilters {
  region: string;
  department: string;
  item: string;
  from: string;
  to: string;
}

export function percent(r: Rate): string {
  return r === null ? '—' : `${r.toFixed(1)}%`;
}

const score = (v: number | null) => (v === null ? '—' : v.toFixed(2));

export function renderStatsPage(o: {
  filters: StatsPageFilters;
  stats: EvaluationStats | null;
  errors?: FormErrors;
  regions: RegionNode[];
  /** The departments to choose from (of the chosen region), and the chosen one if it lies elsewhere. */
  departments: { id: number; name: string }[];
}): Html {
  const f = o.filters;
  const s = o.stats;
  return html`<h1>好差评公示</h1>
<p class="lead">申请人在办件办结后对服务作出评价（非常满意、满意、基本满意、不满意、非常不满意），其中非常满意和满意为好评，基本满意为中评，不满意和非常不满意为差评。每一条差评都由办理部门在 15 个工作日内核实、整改、回访，并经复核。评价人信息依法保密。</p>
${errorSummary(o.errors)}
<form class="filter-form" action="/evaluations" method="get" aria-label="筛选评价统计" novalidate>
  ${selectField({
    name: 'region',
    label: '地区',
    value: f.region,
    errors: o.errors,
    options: [{ value: '', label: '浙江省（全省）' }, ...o.regions.map((r) => ({ value: r.code, label: `${r.level === 'county' ? '\u3000' : ''}${r.name}` }))],
  })}
  ${selectField({
    name: 'department',
    label: '部门',
    value: f.department,
    hint: o.departments.length ? undefined : '先选择地区并筛选，即可按部门查看',
    errors: o.errors,
    options: [{ value: '', label: '全部部门' }, ...o.departments.map((d) => ({ value: String(d.id), label: d.name }))],
  })}
  ${textField({ name: 'item', label: '事项实施编码', value: f.item, maxlength: 36, errors: o.errors })}
  ${textField({ name: 'from', label: '开始日期', type: 'date', value: f.from, hint: '年-月-日', errors: o.errors })}
  ${textField({ name: 'to', label: '结束日期', type: 'date', value: f.to, hint: '年-月-日（含当日）', errors: o.errors })}
  <button class="primary" type="submit">筛选</button>
</form>
${s ? renderFigures(s) : ''}`;
}

function renderFigures(s: EvaluationStats): Html {
  const r = s.rectification;
  return html`<h2 id="overview">总体情况</h2>
<dl class="key-facts">
  <div><dt>评价总数</dt><dd>${s.total} 条</dd></div>
  <div><dt>好评率</dt><dd>${percent(s.grades.good.rate)}</dd></div>
  <div><dt>中评率</dt><dd>${percent(s.grades.neutral.rate)}</dd></div>
  <div><dt>差评率</dt><dd>${percent(s.grades.bad.rate)}</dd></div>
  <div><dt>差评整改完成率</dt><dd>${percent(r.completionRate)}</dd></div>
</dl>
${s.total === 0 ? html`<p class="no-hits">所选范围内暂无评价。</p>` : ''}

<h2 id="levels">评价等级分布</h2>
<div class="two-col">
  <figure>
    ${barChart({
      id: 'chart-levels',
      title: '各评价等级的数量',
      labelWidth: 110,
      bars: s.levels.map((l) => ({ label: l.label, value: l.count, display: `${l.count} 条`, colour: GRADE_COLOURS[gradeOf(l.level)] })),
    })}
    <figcaption class="muted">图：各评价等级的数量（数据见右表）</figcaption>
  </figure>
  <div class="table-scroll"><table class="data-table">
    <caption>各评价等级的数量和占比</caption>
    <thead><tr><th scope="col">评价等级</th><th scope="col">分值</th><th scope="col">数量</th><th scope="col">占比</th></tr></thead>
    <tbody>${s.levels.map((l) => html`<tr><th scope="row">${l.label}</th><td>${l.level}</td><td>${l.count}</td><td>${percent(l.rate)}</td></tr>`)}</tbody>
    <tfoot>
      <tr><th scope="row">好评</th><td>4–5</td><td>${s.grades.good.count}</td><td>${percent(s.grades.good.rate)}</td></tr>
      <tr><th scope="row">中评</th><td>3</td><td>${s.grades.neutral.count}</td><td>${percent(s.grades.neutral.rate)}</td></tr>
      <tr><th scope="row">差评</th><td>1–2</td><td>${s.grades.bad.count}</td><td>${percent(s.grades.bad.rate)}</td></tr>
    </tfoot>
  </table></div>
</div>

<h2 id="indicators">评价指标平均分</h2>
<div class="table-scroll"><table class="data-table">
  <caption>各项指标的平均分（满分 5 分）</caption>
  <thead><tr><th scope="col">指标</th><th scope="col">平均分</th></tr></thead>
  <tbody>${s.indicators.map((i) => html`<tr><th scope="row">${i.label}</th><td>${score(i.average)}</td></tr>`)}</tbody>
</table></div>

<h2 id="rectification">差评整改情况</h2>
<div class="table-scroll"><table class="data-table">
  <caption>差评整改任务（核实 → 整改 → 反馈 → 复核）</caption>
  <thead><tr><th scope="col">差评整改任务</th><th scope="col">已整改办结</th><th scope="col">核实不属实</th><th scope="col">办理中</th><th scope="col">超期未办结</th><th scope="col">完成率</th></tr></thead>
  <tbody><tr><td>${r.total}</td><td>${r.closed}</td><td>${r.dismissed}</td><td>${r.inProgress}</td><td>${r.overdue}</td><td>${percent(r.completionRate)}</td></tr></tbody>
</table></div>

<h2 id="departments">部门好评率排行</h2>
${
  s.departments.length
    ? html`<figure>
    ${barChart({
      id: 'chart-departments',
      title: '各部门的好评率',
      labelWidth: 220,
      labelChars: 15,
      max: 100,
      bars: s.departments.map((d) => ({ label: d.name, value: d.goodRate ?? 0, display: percent(d.goodRate), colour: BRAND_COLOUR })),
    })}
    <figcaption class="muted">图：各部门的好评率（数据见下表）</figcaption>
  </figure>
<div class="table-scroll"><table class="data-table">
  <caption>部门好评率排行（按好评率，其次按评价数）</caption>
  <thead><tr><th scope="col">排名</th><th scope="col">部门</th><th scope="col">评价数</th><th scope="col">好评</th><th scope="col">中评</th><th scope="col">差评</th><th scope="col">好评率</th></tr></thead>
  <tbody>${s.departments.map(
    (d, i) => html`<tr><td>${i + 1}</td><th scope="row">${d.name}</th><td>${d.total}</td><td>${d.good}</td><td>${d.neutral}</td><td>${d.bad}</td><td>${percent(d.goodRate)}</td></tr>`,
  )}</tbody>
</table></div>`
    : html`<p>暂无部门数据。</p>`
}

<h2 id="items">事项好评率排行</h2>
${
  s.items.length
    ? html`<div class="table-scroll"><table class="data-table">
  <caption>事项好评率排行（按好评率，其次按评价数）</caption>
  <thead><tr><th scope="col">排名</th><th scope="col">事项</th><th scope="col">实施部门</th><th scope="col">评价数</th><th scope="col">好评</th><th scope="col">中评</th><th scope="col">差评</th><th scope="col">好评率</th></tr></thead>
  <tbody>${s.items.map(
    (it, i) => html`<tr><td>${i + 1}</td><th scope="row"><a href="/items/${it.code}">${it.name}</a></th><td>${it.department}</td><td>${it.total}</td><td>${it.good}</td><td>${it.neutral}</td><td>${it.bad}</td><td>${percent(it.goodRate)}</td></tr>`,
  )}</tbody>
</table></div>`
    : html`<p>暂无事项数据。</p>`
}`;
}
