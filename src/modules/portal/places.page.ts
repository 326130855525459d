/** Region and department pages. */
import { html } from '../../http/html.ts';
import type { AppContext } from '../../http/context.ts';
import type { DepartmentView } from '../departments/departments.service.ts';
import type { RegionNode } from '../regions/region-directory.ts';
import type { SearchResult } from '../search/search.types.ts';
import { itemCard } from './components.ts';
import { layout } from './layout.ts';
import type { Preferences } from './preferences.ts';

const LEVEL = { province: '省级', city: '市级', county: '县级' } as const;

/** The province's cities, each with its counties, every region a link made by `href`. */
function regionGrid(ctx: AppContext, href: (code: string) => string, current?: string) {
  const province = ctx.regions.all().find((r) => r.level === 'province');
  const cities = province ? province.children.map((c) => ctx.regions.get(c)!) : [];
  return html`<div class="region-grid">
${cities.map(
  (c) => html`<section class="region-block" aria-labelledby="r-${c.code}">
  <h2 id="r-${c.code}"><a href="${href(c.code)}">${c.name}</a></h2>
  <ul class="inline-list">${c.children.map((k) => {
    const r = ctx.regions.get(k)!;
    return html`<li><a href="${href(r.code)}"${r.code === current ? html` aria-current="true"` : ''}>${r.name}</a></li>`;
  })}</ul>
</section>`,
)}
</div>`;
}

export function renderRegions(ctx: AppContext, prefs: Preferences, path: string): string {
  const province = ctx.regions.all().find((r) => r.level === 'province');
  return layout(ctx, {
    title: '地区与部门',
    prefs,
    path,
    breadcrumbs: [{ label: '首页', href: '/' }, { label: '地区与部门' }],
    body: html`<h1>地区与部门</h1>
${province ? html`<p><a href="/regions/${province.code}">${province.name}（省级部门）</a></p>` : ''}
${regionGrid(ctx, (code) => `/regions/${code}`)}`,
  });
}

export function renderRegion(
  ctx: AppContext,
  prefs: Preferences,
  path: string,
  region: RegionNode,
  departments: DepartmentView[],
  popular: SearchResult,
): string {
  const trail = ctx.regions.path(region.code);
  return layout(ctx, {
    title: region.full_name,
    prefs,
    path,
    breadcrumbs: [{ label: '首页', href: '/' }, { label: '地区与部门', href: '/regions' }, ...trail.map((r) => ({ label: r.name, href: `/regions/${r.code}` }))],
    body: html`<h1>${region.full_name}</h1>
<p>${LEVEL[region.level]} · 行政区划代码 <code>${region.code}</code> · <a href="/search?region=${region.code}">查看本地可办理的全部事项（${popular.total}）</a></p>
${region.children.length ? html`<section aria-labelledby="h-children"><h2 id="h-children">下级地区</h2><ul class="inline-list">${region.children.map((c) => {
  const r = ctx.regions.get(c)!;
  return html`<li><a href="/regions/${r.code}">${r.name}</a></li>`;
})}</ul></section>` : ''}
<section aria-labelledby="h-depts">
  <h2 id="h-depts">部门（${departments.length}）</h2>
  <div class="table-scroll" role="region" aria-labelledby="h-depts" tabindex="0">
  <table class="dept-table">
    <caption class="visually-hidden">${region.name}的部门</caption>
    <thead><tr><th scope="col">部门</th><th scope="col">已发布事项</th><th scope="col">咨询电话</th></tr></thead>
    <tbody>${departments.map((d) => html`<tr><td><a href="/departments/${d.code}">${d.name}</a></td><td>${d.publishedItems}</td><td>${d.phone}</td></tr>`)}</tbody>
  </table>
  </div>
</section>
<section aria-labelledby="h-popular">
  <h2 id="h-popular">热门事项</h2>
  <ul class="item-list">${popular.items.map((h) => itemCard(h))}</ul>
</section>`,
  });
}

export function renderDepartment(ctx: AppContext, prefs: Preferences, path: string, d: DepartmentView, items: SearchResult, page: number): string {
  const trail = ctx.regions.path(d.region.code);
  const pages = Math.max(1, Math.ceil(items.total / items.size));
  return layout(ctx, {
    title: d.name,
    prefs,
    path,
    breadcrumbs: [{ label: '首页', href: '/' }, { label: '地区与部门', href: '/regions' }, ...trail.map((r) => ({ label: r.name, href: `/regions/${r.code}` })), { label: d.name }],
    body: html`<h1>${d.name}</h1>
<table class="facts"><caption class="visually-hidden">部门信息</caption><tbody>
  <tr><th scope="row">统一社会信用代码</th><td><code>${d.code}</code></td></tr>
  <tr><th scope="row">机构类型</th><td>${d.orgType}</td></tr>
  <tr><th scope="row">地址</th><td>${d.address}</td></tr>
  <tr><th scope="row">咨询电话</th><td><a href="tel:${d.phone}">${d.phone}</a></td></tr>
  <tr><th scope="row">办公时间</th><td>${d.officeHours}</td></tr>
</tbody></table>
<section aria-labelledby="h-items">
  <h2 id="h-items">实施的事项（${items.total}）</h2>
  <ul class="item-list">${items.items.map((h) => itemCard(h))}</ul>
  ${pages > 1 ? html`<nav class="pagination" aria-label="分页"><ul>
    ${page > 1 ? html`<li><a href="/departments/${d.code}?page=${page - 1}" rel="prev">上一页</a></li>` : ''}
    <li><span aria-current="page">第 ${page} / ${pages} 页</span></li>
    ${page < pages ? html`<li><a href="/departments/${d.code}?page=${page + 1}" rel="next">下一页</a></li>` : ''}
  </ul></nav>` : ''}
</section>`,
  });
}

export function renderErrorPage(ctx: AppContext, prefs: Preferences, path: string, status: number, message: string): string {
  const title = status === 404 ? '页面不存在' : status >= 500 ? '系统繁忙' : '请求有误';
  return layout(ctx, {
    title,
    prefs,
    path,
    body: html`<h1>${title}</h1><p class="error-message" role="alert">${message}</p><p><a href="/">返回首页</a>，或拨打 12345 政务服务便民热线。</p>`,
  });
}

/** Choosing a region without JavaScript: every region is a link back to the page with ?region=. */
export function renderRegionChooser(ctx: AppContext, prefs: Preferences, back: string): string {
  const target = (code: string) => `${back}${back.includes('?') ? '&' : '?'}region=${code}`;
  return layout(ctx, {
    title: '选择所在地区',
    prefs,
    path: back,
    breadcrumbs: [{ label: '首页', href: '/' }, { label: '选择所在地区' }],
    body: html`<h1>选择所在地区</h1>
<p>选择后，搜索和热门事项将显示该地区及其上级可以办理的事项。当前：<strong>${prefs.region ? ctx.regions.get(prefs.region)?.full_name : '浙江省（全省）'}</strong></p>
<p><a href="${target('')}">浙江省（全省）</a></p>
${regionGrid(ctx, target, prefs.region)}`,
  });
}
