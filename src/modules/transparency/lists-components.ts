/** Pieces the three lists' public pages share: links with filters, facets, pagination, amounts, export links. */
import { html, raw, type Html } from '../../http/html.ts';
import type { FacetValue, ListDepartment } from './lists-index.ts';

export type Params = Record<string, string | undefined>;

/** `path` with the non-empty parameters of `p` changed by `change` (the page reset unless changed). */
export function withParams(path: string, p: Params, change: Params = {}): string {
  const next: Params = { ...p, page: undefined, ...change };
  const qs = new URLSearchParams();
  for (const [k, v] of Object.entries(next)) if (v) qs.set(k, v);
  const s = qs.toString();
  return s ? `${path}?${s}` : path;
}

export function facetGroup(title: string, key: string, values: FacetValue[], selected: string | undefined, path: string, p: Params): Html {
  if (!values.length && !selected) return html``;
  return html`<section class="facet">
  <h3>${title}</h3>
  <ul>
    ${selected ? html`<li><a href="${withParams(path, p, { [key]: undefined })}">不限</a></li>` : ''}
    ${values.map((v) =>
      v.value === selected
        ? html`<li><a href="${withParams(path, p, { [key]: undefined })}" aria-current="true" class="selected">${v.label}<span class="count">（${v.count}）</span><span class="visually-hidden">，已选，点击取消</span></a></li>`
        : html`<li><a href="${withParams(path, p, { [key]: v.value })}">${v.label}<span class="count">（${v.count}）</span></a></li>`,
    )}
  </ul>
</section>`;
}

export function pagination(path: string, p: Params, page: number, pages: number): Html {
  if (pages <= 1) return html``;
  const links: Html[] = [];
  const first = Math.max(1, page - 3);
  const last = Math.min(pages, first + 6);
  for (let i = first; i <= last; i++) {
    links.push(i === page ? html`<li><span aria-current="page">${i}</span></li>` : html`<li><a href="${withParams(path, p, { page: String(i) })}">${i}</a></li>`);
  }
  return html`<nav class="pagination" aria-label="分页"><ul>
  ${page > 1 ? html`<li><a href="${withParams(path, p, { page: String(page - 1) })}" rel="prev">上一页</a></li>` : ''}
  ${links}
  ${page < pages ? html`<li><a href="${withParams(path, p, { page: String(page + 1) })}" rel="next">下一页</a></li>` : ''}
</ul><p>第 ${page} / ${pages} 页</p></nav>`;
}

/** An amount in 万元 with thousands separators and at most two decimals: 12,345.6 */
export function wan(n: number): string {
  const [int, dec] = (Math.round(n * 100) / 100).toFixed(2).split('.') as [string, string];
  const grouped = int.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  const d = dec.replace(/0+$/, '');
  return d ? `${grouped}.${d}` : grouped;
}

/** A date in China time: 2026-03-15 (or with the time: 2026-03-15 09:30). */
export function chinaDate(iso: string, withTime = false): string {
  const d = new Date(new Date(iso).getTime() + 8 * 3600_000).toISOString();
  return withTime ? `${d.slice(0, 10)} ${d.slice(11, 16)}` : d.slice(0, 10);
}

/** The download links of a list with the current filters. */
export function exportLinks(base: string, p: Params, what: string): Html {
  const q = withParams('', p).replace(/^\?/, '');
  const suffix = q ? `?${q}` : '';
  return html`<p class="export-links">下载${what}：<a href="${base}.xlsx${suffix}" download>Excel（XLSX）</a> · <a href="${base}.csv${suffix}" download>CSV</a> · <a href="${base}.json${suffix}">JSON</a></p>`;
}

/** The department options of a select, grouped by region, the chosen one selected. */
export function departmentOptions(departments: ListDepartment[], selected: number | undefined): Html {
  // one rendering per list of departments (the index's arrays are built once), the choice marked in it
  let all = optionsCache.get(departments);
  if (all === undefined) optionsCache.set(departments, (all = renderDepartmentOptions(departments).value));
  return raw(selected === undefined ? all : all.replace(`<option value="${selected}">`, `<option value="${selected}" selected>`));
}

const optionsCache = new WeakMap<ListDepartment[], string>();

function renderDepartmentOptions(departments: ListDepartment[]): Html {
  const groups = new Map<string, ListDepartment[]>();
  for (const d of departments) {
    const g = groups.get(d.regionFullName);
    if (g) g.push(d);
    else groups.set(d.regionFullName, [d]);
  }
  return html`<option value="">全部部门</option>${[...groups].map(
    ([region, ds]) =>
      html`<optgroup label="${region}">${ds.map((d) => html`<option value="${d.id}">${d.name}</option>`)}</optgroup>`,
  )}`;
}

export function options(values: { value: string; label: string }[], selected: string | undefined, all: string): Html {
  return html`<option value="">${all}</option>${values.map((v) => html`<option value="${v.value}"${raw(v.value === selected ? ' selected' : '')}>${v.label}</option>`)}`;
}

/** Links between the lists' pages. */
export function listsNav(current: 'overview' | 'powers' | 'negative' | 'funds' | 'changes' | 'check'): Html {
  const links: [typeof current, string, string][] = [
    ['overview', '/lists', '总览'],
    ['powers', '/lists/powers', '权力清单'],
    ['negative', '/lists/negative-list', '负面清单'],
    ['check', '/lists/negative-list/check', '项目核准自查'],
    ['funds', '/lists/funds', '专项资金清单'],
    ['changes', '/lists/changes', '变更记录'],
  ];
  return html`<nav class="account-tabs" aria-label="三张清单"><ul>${links.map(([k, href, label]) =>
    k === current ? html`<li><a class="current" href="${href}" aria-current="page">${label}</a></li>` : html`<li><a href="${href}">${label}</a></li>`,
  )}</ul></nav>`;
}

export const listsCrumb = { label: '三张清单', href: '/lists' };
export const homeCrumb = { label: '首页', href: '/' };
