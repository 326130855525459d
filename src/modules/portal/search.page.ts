import { html, type Html } from '../../http/html.ts';
import type { AppContext } from '../../http/context.ts';
import { THEMES, ITEM_TYPES, SERVICE_OBJECTS } from '../catalogue/catalogue.types.ts';
import type { FacetValue, SearchParams, SearchResult } from '../search/search.types.ts';
import { itemCard, searchBox } from './components.ts';
import { layout } from './layout.ts';
import type { Preferences } from './preferences.ts';

type Key = 'q' | 'region' | 'type' | 'object' | 'theme' | 'dept' | 'online' | 'page';

function searchUrl(p: SearchParams, change: Partial<Record<Key, string | undefined>>): string {
  const cur: Record<Key, string | undefined> = {
    q: p.q,
    region: p.region,
    type: p.type,
    object: p.object,
    theme: p.theme,
    dept: p.dept,
    online: p.online === undefined ? undefined : p.online ? '1' : '0',
    page: undefined,
  };
  const next = { ...cur, ...change };
  const qs = new URLSearchParams();
  for (const [k, v] of Object.entries(next)) if (v) qs.set(k, v);
  const s = qs.toString();
  return s ? `/search?${s}` : '/search';
}

function facetGroup(title: string, key: Key, values: FacetValue[], selected: string | undefined, p: SearchParams): Html {
  if (!values.length && !selected) return html``;
  return html`<section class="facet">
  <h3>${title}</h3>
  <ul>
    ${selected ? html`<li><a href="${searchUrl(p, { [key]: undefined })}">不限</a></li>` : ''}
    ${values.map((v) =>
      v.value === selected
        ? html`<li><a href="${searchUrl(p, { [key]: undefined })}" aria-current="true" class="selected">${v.label}<span class="count">（${v.count}）</span><span class="visually-hidden">，已选，点击取消</span></a></li>`
        : html`<li><a href="${searchUrl(p, { [key]: v.value })}">${v.label}<span class="count">（${v.count}）</span></a></li>`,
    )}
  </ul>
</section>`;
}

export function renderSearch(ctx: AppContext, prefs: Preferences, path: string, p: SearchParams, r: SearchResult): string {
  const pages = Math.max(1, Math.ceil(r.total / p.size));
  const onlineSel = p.online === undefined ? undefined : p.online ? '1' : '0';
  const filters: string[] = [];
  if (p.theme) filters.push(THEMES[p.theme].label);
  if (p.type) filters.push(ITEM_TYPES[p.type]);
  if (p.object) filters.push(SERVICE_OBJECTS[p.object]);
  const heading = p.q ? `“${p.q}”的搜索结果` : filters.length ? `${filters.join(' · ')}事项` : '全部事项';
  const pageLinks: Html[] = [];
  const first = Math.max(1, p.page - 3);
  const last = Math.min(pages, first + 6);
  for (let i = first; i <= last; i++) {
    pageLinks.push(i === p.page ? html`<li><span aria-current="page">${i}</span></li>` : html`<li><a href="${searchUrl(p, { page: String(i) })}">${i}</a></li>`);
  }
  return layout(ctx, {
    title: heading,
    prefs,
    path,
    regionSwitcher: 'select',
    keep: { q: p.q, type: p.type, object: p.object, theme: p.theme, online: onlineSel },
    breadcrumbs: [{ label: '首页', href: '/' }, { label: '搜索' }],
    body: html`
${searchBox(p.q ?? '', p.region)}
<div class="results-layout">
  <nav class="facets" aria-label="筛选条件">
    <h2 class="visually-hidden">筛选</h2>
    ${facetGroup('服务对象', 'object', r.facets.object, p.object, p)}
    ${facetGroup('主题', 'theme', r.facets.theme, p.theme, p)}
    ${facetGroup('事项类型', 'type', r.facets.type, p.type, p)}
    ${facetGroup('办理方式', 'online', r.facets.online, onlineSel, p)}
    ${facetGroup('实施部门', 'dept', r.facets.department.slice(0, 15), p.dept, p)}
  </nav>
  <section class="results" aria-labelledby="results-title">
    <h1 id="results-title">${heading}</h1>
    <p class="result-count" role="status">共找到 <strong>${r.total}</strong> 个事项${p.region ? html`（${ctx.regions.get(p.region)?.full_name}可办理）` : ''}</p>
    ${
      r.total === 0
        ? html`<div class="no-hits">
      <p>没有找到相关事项。请检查输入，或换一种说法试试。</p>
      ${r.suggestions.length ? html`<h2>您是不是要找：</h2><ul class="suggestions">${r.suggestions.map((s) => html`<li><a href="${searchUrl({ page: 1, size: p.size, region: p.region }, { q: s })}">${s}</a></li>`)}</ul>` : ''}
      <p>也可以按<a href="/">人生事件或企业阶段</a>浏览，或拨打 12345 咨询。</p>
    </div>`
        : html`<ol class="item-list" start="${(p.page - 1) * p.size + 1}">${r.items.map((h) => itemCard(h, 2))}</ol>
    ${pages > 1 ? html`<nav class="pagination" aria-label="分页"><ul>
      ${p.page > 1 ? html`<li><a href="${searchUrl(p, { page: String(p.page - 1) })}" rel="prev">上一页</a></li>` : ''}
      ${pageLinks}
      ${p.page < pages ? html`<li><a href="${searchUrl(p, { page: String(p.page + 1) })}" rel="next">下一页</a></li>` : ''}
    </ul><p>第 ${p.page} / ${pages} 页</p></nav>` : ''}`
    }
  </section>
</div>`,
  });
}
