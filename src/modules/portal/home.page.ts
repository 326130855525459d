import { html } from '../../http/html.ts';
import type { AppContext } from '../../http/context.ts';
import { THEMES, type Theme } from '../catalogue/catalogue.types.ts';
import { itemCard, searchBox } from './components.ts';
import { layout } from './layout.ts';
import type { Preferences } from './preferences.ts';

const CONVENIENCE = [
  { q: '婚姻登记预约', label: '婚姻登记预约', note: '选择登记机关和时段' },
  { q: '医院预约挂号', label: '医院预约挂号', note: '省市医院号源' },
  { q: '普通高考成绩查询', label: '高考成绩查询', note: '发布当日即可查询' },
];

export function renderHome(ctx: AppContext, prefs: Preferences, path: string): string {
  const themes = (object: 'natural' | 'legal') =>
    (Object.entries(THEMES) as [Theme, (typeof THEMES)[Theme]][]).filter(([k, t]) => t.object === object && k !== 'convenience');
  const regionQ = prefs.region ? `&region=${prefs.region}` : '';
  const popular = ctx.catalogue.search({ region: prefs.region, page: 1, size: 12 }).items; // cached like any search
  const regionName = prefs.region ? ctx.regions.get(prefs.region)?.full_name : '浙江省';
  return layout(ctx, {
    title: '首页',
    prefs,
    path,
    regionSwitcher: 'select',
    body: html`
<section class="hero" aria-labelledby="hero-title">
  <h1 id="hero-title">${regionName}政务服务，一网通办</h1>
  <p>省、市、县三级事项，一个入口查询和办理。可以用平常说的话搜索，也可以输入拼音首字母。</p>
  ${searchBox('', prefs.region, true)}
</section>
<section aria-labelledby="convenience-title">
  <h2 id="convenience-title">便民服务</h2>
  <ul class="tiles">
    ${CONVENIENCE.map((c) => html`<li><a class="tile" href="/search?q=${encodeURIComponent(c.q)}${regionQ}"><strong>${c.label}</strong><span>${c.note}</span></a></li>`)}
  </ul>
</section>
<div class="two-col">
  <section aria-labelledby="people-title">
    <h2 id="people-title">个人办事 · 按人生事件</h2>
    <ul class="theme-list">
      ${themes('natural').map(([k, t]) => html`<li><a href="/search?theme=${k}${regionQ}">${t.label}</a></li>`)}
    </ul>
  </section>
  <section aria-labelledby="enterprise-title">
    <h2 id="enterprise-title">法人办事 · 按企业阶段</h2>
    <ul class="theme-list">
      ${themes('legal').map(([k, t]) => html`<li><a href="/search?theme=${k}${regionQ}">${t.label}</a></li>`)}
    </ul>
  </section>
</div>
<section aria-labelledby="popular-title">
  <h2 id="popular-title">热门事项</h2>
  ${popular.length ? html`<ul class="item-list">${popular.map((h) => itemCard(h))}</ul>` : html`<p>暂无已发布的事项。</p>`}
</section>`,
  });
}
