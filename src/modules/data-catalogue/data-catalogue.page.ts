/**
 * 政务信息资源目录 pages (zh-CN, no JavaScript needed). Public: /data (search, filters with facet counts,
 * pages) and /data/resources/:code (the full metadata, its items with types and 个人信息 flags, share and open
 * types, meta versions — never a record). Staff: /admin/data (the steward's resources) and the form that
 * creates or changes an entry, with a table of items (blank rows to fill; a button adds more rows without
 * saving) and each error beside its field.
 */
import { html, raw, type Html } from '../../http/html.ts';
import type { DataItem } from '../../db/schema.ts';
import { errorSummary, notice, type FormErrors } from '../portal/forms.ts';
import { formatTime, pager } from '../staff/admin-page.ts';
import type { DepartmentRef } from '../staff/staff.types.ts';
import type { FacetValue } from '../search/search.types.ts';
import {
  BASE_LIBRARY_LABELS, CATALOGUE_KIND_LABELS, DATA_ITEM_TYPE_LABELS, FORMAT_LABELS, GRADE_LABELS, MASK_LABELS, OPEN_TYPE_LABELS, RESOURCE_STATUS_LABELS,
  SHARE_METHOD_LABELS, SHARE_TYPE_LABELS, UPDATE_CYCLE_LABELS, type DataResourceSummary, type DataResourceVersionView, type DataResourceView,
} from './data-catalogue.types.ts';
import type { DataSearchFilters, DataSearchResult } from './search-data-resources.ts';
import type { StewardResourceList } from './list-steward-resources.ts';

export const resourceHref = (code: string) => `/data/resources/${encodeURIComponent(code)}`;
const adminHref = (code: string) => `/admin/data/resources/${encodeURIComponent(code)}`;
const timeTag = (iso: string | null) => (iso ? html`<time datetime="${iso}">${formatTime(iso)}</time>` : html`—`);
const dateTag = (iso: string | null) => (iso ? html`<time datetime="${iso}">${formatTime(iso).slice(0, 10)}</time>` : html`—`);
const count = (n: number) => n.toLocaleString('zh-CN');
const SHARE_CLASS = { unconditional: 'published', conditional: 'draft', none: 'superseded' } as const;
const STATUS_CLASS = { draft: 'draft', published: 'published', retired: 'superseded' } as const;

const shareTag = (t: keyof typeof SHARE_TYPE_LABELS) => html`<span class="status-tag ${SHARE_CLASS[t]}">${SHARE_TYPE_LABELS[t]}</span>`;

// ————————————————————————————————————————— public: search —————————————————————————————————————————

export interface CatalogueSearchView {
  q: string;
  filters: DataSearchFilters;
  result: DataSearchResult;
  page: number;
  size: number;
}

const FILTER_PARAMS: { key: keyof DataSearchFilters; facet: keyof NonNullable<DataSearchResult['facets']>; label: string }[] = [
  { key: 'shareType', facet: 'shareType', label: '共享类型' },
  { key: 'grade', facet: 'grade', label: '数据分级' },
  { key: 'catalogueKind', facet: 'catalogueKind', label: '目录类别' },
  { key: 'baseLibrary', facet: 'baseLibrary', label: '基础库' },
  { key: 'provider', facet: 'provider', label: '提供部门' },
];

function searchHref(q: string, filters: DataSearchFilters, change: Partial<Record<keyof DataSearchFilters, string | undefined>>): string {
  const params = new URLSearchParams();
  if (q) params.set('q', q);
  const merged = { ...filters, ...change };
  for (const { key } of FILTER_PARAMS) {
    const v = merged[key];
    if (v) params.set(key, v);
  }
  const s = params.toString();
  return s ? `/data?${s}` : '/data';
}

function facetList(v: CatalogueSearchView, f: (typeof FILTER_PARAMS)[number], values: FacetValue[]): Html {
  const current = v.filters[f.key];
  return html`<section class="facet" aria-labelledby="facet-${f.key}">
<h3 id="facet-${f.key}">${f.label}</h3>
<ul>
${current ? html`<li><a href="${searchHref(v.q, v.filters, { [f.key]: undefined })}">全部<span class="visually-hidden">${f.label}</span></a></li>` : ''}
${values.map((x) =>
  x.value === current
    ? html`<li><strong aria-current="true">${x.label}</strong>（${x.count}）</li>`
    : html`<li><a href="${searchHref(v.q, v.filters, { [f.key]: x.value })}">${x.label}</a>（${x.count}）</li>`,
)}
</ul>
</section>`;
}

function summaryRow(r: DataResourceSummary): Html {
  return html`<li class="result">
<h3><a href="${resourceHref(r.code)}">${r.name}</a></h3>
<p class="muted"><code>${r.code}</code> · ${r.providerName} · ${r.classification}</p>
<p>${r.abstract}</p>
<p>${shareTag(r.shareType)} ${GRADE_LABELS[r.grade]} · ${CATALOGUE_KIND_LABELS[r.catalogueKind]}${r.baseLibrary ? html`（${BASE_LIBRARY_LABELS[r.baseLibrary]}）` : ''} · 更新周期：${UPDATE_CYCLE_LABELS[r.updateCycle]} · ${r.itemCount} 个信息项 · 发布日期 ${dateTag(r.publishedAt)}</p>
</li>`;
}

export function renderCatalogueSearch(v: CatalogueSearchView): Html {
  const { result } = v;
  const params: Record<string, string | undefined> = { q: v.q || undefined, ...v.filters };
  return html`<h1>政务信息资源目录</h1>
<p>各部门编制的政务数据资源目录（依据 GB/T 21063）：资源名称、提供部门、信息项、共享和开放类型、更新周期和数据分级。目录只说明有哪些数据，不展示数据本身；部门使用数据须按共享类型申请。</p>
<form class="search-form" action="/data" method="get" role="search" aria-label="检索数据资源">
  <label for="f-q">检索数据资源</label>
  <input id="f-q" name="q" type="search" value="${v.q}" maxlength="100" placeholder="如 户籍人口、营业执照、参保">
  ${FILTER_PARAMS.map(({ key }) => (v.filters[key] ? html`<input type="hidden" name="${key}" value="${v.filters[key]}">` : ''))}
  <button class="primary" type="submit">检索</button>
</form>
<div class="search-layout">
<aside class="facets" aria-label="筛选">
<h2>筛选</h2>
${result.facets ? FILTER_PARAMS.map((f) => facetList(v, f, result.facets![f.facet])) : ''}
</aside>
<section class="results" aria-labelledby="results-heading">
<h2 id="results-heading" class="result-count" role="status">共找到 <strong>${result.total}</strong> 个数据资源</h2>
${result.items.length ? html`<ol class="result-list">${result.items.map(summaryRow)}</ol>` : html`<p class="no-hits">没有找到符合条件的数据资源，请换个检索词或减少筛选条件。</p>`}
${pager('/data', params, v.page, result.total, v.size)}
</section>
</div>`;
}

// ————————————————————————————————————————— public: one resource —————————————————————————————————————————

export function itemsTable(items: DataItem[], keyItem: string, caption: string): Html {
  return html`<div class="table-scroll"><table class="data-table">
<caption>${caption}</caption>
<thead><tr><th scope="col">序号</th><th scope="col">信息项名称</th><th scope="col">标识</th><th scope="col">数据类型</th><th scope="col">必填</th><th scope="col">个人信息</th><th scope="col">脱敏方式</th></tr></thead>
<tbody>${items.map(
    (it, i) => html`<tr>
<td>${i + 1}</td>
<th scope="row">${it.name}${it.key === keyItem ? html` <span class="status-tag published">关键项</span>` : ''}</th>
<td><code>${it.key}</code></td>
<td>${DATA_ITEM_TYPE_LABELS[it.type] ?? it.type}</td>
<td>${it.required ? '是' : '否'}</td>
<td>${it.personal ? html`<strong>是</strong>` : '否'}</td>
<td>${it.personal && it.mask ? MASK_LABELS[it.mask] : '—'}</td>
</tr>`,
  )}</tbody></table></div>`;
}

interface MetaSource {
  code: string;
  name: string;
  providerName: string;
  providerCode?: string;
  classification: string;
  catalogueKind: keyof typeof CATALOGUE_KIND_LABELS;
  baseLibrary: keyof typeof BASE_LIBRARY_LABELS | null;
  abstract: string;
  format: keyof typeof FORMAT_LABELS;
  shareType: keyof typeof SHARE_TYPE_LABELS;
  shareConditions: string;
  shareMethod: keyof typeof SHARE_METHOD_LABELS;
  openType: keyof typeof OPEN_TYPE_LABELS;
  updateCycle: keyof typeof UPDATE_CYCLE_LABELS;
  grade: keyof typeof GRADE_LABELS;
  relatedCodes: string[];
}

function metaFacts(m: MetaSource, extra: Html | ''): Html {
  return html`<table class="facts"><caption class="visually-hidden">资源元数据</caption><tbody>
<tr><th scope="row">资源名称</th><td>${m.name}</td></tr>
<tr><th scope="row">资源代码</th><td><code>${m.code}</code></td></tr>
<tr><th scope="row">资源提供方</th><td>${m.providerName}${m.providerCode ? html`<br><span class="muted">统一社会信用代码 ${m.providerCode}</span>` : ''}</td></tr>
<tr><th scope="row">资源分类</th><td>${m.classification}</td></tr>
<tr><th scope="row">目录类别</th><td>${CATALOGUE_KIND_LABELS[m.catalogueKind]}${m.baseLibrary ? html`（${BASE_LIBRARY_LABELS[m.baseLibrary]}）` : ''}</td></tr>
<tr><th scope="row">资源摘要</th><td>${m.abstract}</td></tr>
<tr><th scope="row">资源格式</th><td>${FORMAT_LABELS[m.format]}</td></tr>
<tr><th scope="row">共享类型</th><td>${shareTag(m.shareType)}</td></tr>
<tr><th scope="row">${m.shareType === 'none' ? '不予共享理由' : '共享条件'}</th><td>${m.shareConditions || '无'}</td></tr>
<tr><th scope="row">共享方式</th><td>${SHARE_METHOD_LABELS[m.shareMethod]}</td></tr>
<tr><th scope="row">开放类型</th><td>${OPEN_TYPE_LABELS[m.openType]}</td></tr>
<tr><th scope="row">更新周期</th><td>${UPDATE_CYCLE_LABELS[m.updateCycle]}</td></tr>
<tr><th scope="row">数据分级</th><td>${GRADE_LABELS[m.grade]}</td></tr>
${extra}
<tr><th scope="row">关联资源</th><td>${m.relatedCodes?.length ? m.relatedCodes.map((c, i) => html`${i ? '、' : ''}<a href="${resourceHref(c)}"><code>${c}</code></a>`) : '无'}</td></tr>
</tbody></table>`;
}

export function renderResourceDetail(o: { view: DataResourceView; versions: DataResourceVersionView[]; canRequest: boolean; relatedNames: Map<string, string> }): Html {
  const v = o.view;
  return html`<h1>${v.name}</h1>
${v.status === 'retired' ? html`<div class="notice info" role="status"><p>该数据资源已停用，不能再申请共享。</p></div>` : ''}
${
  o.canRequest && v.status === 'published'
    ? v.shareType === 'none'
      ? html`<p class="muted">该资源不予共享，不能申请。</p>`
      : html`<p><a class="button" href="/admin/data/requests/new?resource=${encodeURIComponent(v.code)}">申请共享</a></p>`
    : ''
}
${metaFacts(
  { ...v, providerName: `${v.provider.name}`, providerCode: v.provider.code },
  html`<tr><th scope="row">发布日期</th><td>${dateTag(v.publishedAt)}</td></tr>
<tr><th scope="row">目录版本</th><td>第 ${v.metaVersion} 版</td></tr>
<tr><th scope="row">数据版本</th><td>${v.dataVersion ? html`第 ${v.dataVersion} 版，${count(v.recordCount)} 条记录` : '尚未装载数据'}</td></tr>`,
)}
${o.relatedNames.size ? html`<p class="muted">关联资源：${[...o.relatedNames].map(([c, n], i) => html`${i ? '；' : ''}<a href="${resourceHref(c)}">${n}</a>`)}</p>` : ''}
<h2>信息项</h2>
<p>共 ${v.items.length} 个信息项。标为“个人信息”的信息项，除授权明文外一律按脱敏方式返回。</p>
${itemsTable(v.items, v.keyItem, `${v.name}的信息项`)}
<h2>目录版本</h2>
${versionsTable(v.code, o.versions, false)}`;
}

function versionsTable(code: string, versions: DataResourceVersionView[], staff: boolean): Html {
  return html`<table class="data-table">
<caption class="visually-hidden">目录版本（最新的在前）</caption>
<thead><tr><th scope="col">版本</th><th scope="col">时间</th><th scope="col">说明</th>${staff ? html`<th scope="col">修改人</th>` : ''}</tr></thead>
<tbody>${versions.map(
    (x) => html`<tr><th scope="row"><a href="${resourceHref(code)}/versions/${x.version}">第 ${x.version} 版</a></th><td>${timeTag(x.changedAt)}</td><td>${x.note}</td>${staff ? html`<td>${x.changedBy ?? '—'}</td>` : ''}</tr>`,
  )}</tbody></table>`;
}

export function renderResourceVersion(code: string, v: DataResourceVersionView, currentName: string): Html {
  const s = v.snapshot as unknown as MetaSource & { items: DataItem[]; keyItem: string };
  return html`<h1>${currentName}：第 ${v.version} 版目录</h1>
<p>这是该资源目录第 ${v.version} 版的元数据（${timeTag(v.changedAt)}，${v.note}）。<a href="${resourceHref(code)}">查看当前版本</a></p>
${metaFacts(s, '')}
<h2>信息项</h2>
${itemsTable(s.items ?? [], s.keyItem, `第 ${v.version} 版的信息项`)}`;
}

// ————————————————————————————————————————— staff: the steward's list —————————————————————————————————————————

export function renderStewardList(o: { list: StewardResourceList; done?: string; csrf: Html }): Html {
  const items = o.list.items;
  return html`<h1>数据资源管理</h1>
${o.done ? notice(o.done) : ''}
<p>本人管理范围内各部门提供的数据资源目录。编制目录后发布，其他部门才能检索和申请共享；数据通过“数据装载”上传，每次装载为一个数据版本。</p>
<p><a class="button" href="/admin/data/resources/new">新建数据资源</a></p>
${
  items.length
    ? html`<div class="table-scroll"><table class="data-table">
<caption class="visually-hidden">本人管理范围内的数据资源（最近修改的在前）</caption>
<thead><tr><th scope="col">资源名称</th><th scope="col">提供部门</th><th scope="col">共享类型</th><th scope="col">状态</th><th scope="col">目录版本</th><th scope="col">数据</th><th scope="col">操作</th></tr></thead>
<tbody>${items.map(
        (r) => html`<tr>
<th scope="row">${r.status === 'draft' ? r.name : html`<a href="${resourceHref(r.code)}">${r.name}</a>`}<br><code>${r.code}</code></th>
<td>${r.providerName}</td>
<td>${shareTag(r.shareType)}</td>
<td><span class="status-tag ${STATUS_CLASS[r.status]}">${RESOURCE_STATUS_LABELS[r.status]}</span></td>
<td>第 ${r.metaVersion} 版</td>
<td>${r.dataVersion ? html`第 ${r.dataVersion} 版，${count(r.recordCount)} 条` : html`<span class="muted">尚无数据</span>`}</td>
<td>
<a href="${adminHref(r.code)}/edit">修改目录<span class="visually-hidden">：${r.name}</span></a> ·
<a href="${adminHref(r.code)}/loads">数据装载<span class="visually-hidden">：${r.name}</span></a>
${
  r.status === 'published'
    ? html`<form class="inline-form" action="${adminHref(r.code)}/retire" method="post">${o.csrf}<button class="secondary" type="submit">停用<span class="visually-hidden">：${r.name}</span></button></form>`
    : html`<form class="inline-form" action="${adminHref(r.code)}/publish" method="post">${o.csrf}<button class="primary" type="submit">发布<span class="visually-hidden">：${r.name}</span></button></form>`
}
</td>
</tr>`,
      )}</tbody></table></div>
${pager('/admin/data', {}, o.list.page, o.list.total, o.list.size)}`
    : html`<p class="no-hits">还没有数据资源。</p>`
}`;
}

// ————————————————————————————————————————— staff: the form —————————————————————————————————————————

/** The form's values as posted: plain strings; items as rows. */
export interface ResourceFormValues {
  code: string;
  name: string;
  providerDepartmentId: string;
  catalogueKind: string;
  baseLibrary: string;
  classification: string;
  abstract: string;
  format: string;
  keyItem: string;
  shareType: string;
  shareConditions: string;
  shareMethod: string;
  openType: string;
  updateCycle: string;
  grade: string;
  relatedCodes: string;
  note: string;
  metaVersion: string;
  items: { key: string; name: string; type: string; required: boolean; personal: boolean; mask: string }[];
}

export const BLANK_ITEM_ROWS = 3;

function fieldError(errors: FormErrors | undefined, name: string): Html | '' {
  const e = errors?.[name];
  return e ? html`<p class="field-error" id="f-${name}-error"><span class="visually-hidden">错误：</span>${e}</p>` : '';
}

function attrs(errors: FormErrors | undefined, name: string, hint?: boolean): Html {
  const described = [hint ? `f-${name}-hint` : '', errors?.[name] ? `f-${name}-error` : ''].filter(Boolean).join(' ');
  return raw(`${described ? ` aria-describedby="${described}"` : ''}${errors?.[name] ? ' aria-invalid="true"' : ''}`);
}

function input(o: { name: string; label: string; value: string; errors?: FormErrors; hint?: string; required?: boolean; maxlength?: number; readonly?: boolean }): Html {
  return html`<div class="field${o.errors?.[o.name] ? ' has-error' : ''}">
<label for="f-${o.name}">${o.label}${o.required ? html`<span class="required" aria-hidden="true"> *</span>` : ''}</label>
${o.hint ? html`<p class="hint" id="f-${o.name}-hint">${o.hint}</p>` : ''}
${fieldError(o.errors, o.name)}
<input id="f-${o.name}" name="${o.name}" type="text" value="${o.value}"${raw(o.maxlength ? ` maxlength="${o.maxlength}"` : '')}${raw(o.readonly ? ' readonly' : '')}${attrs(o.errors, o.name, !!o.hint)}>
</div>`;
}

function textarea(o: { name: string; label: string; value: string; errors?: FormErrors; hint?: string; required?: boolean }): Html {
  return html`<div class="field${o.errors?.[o.name] ? ' has-error' : ''}">
<label for="f-${o.name}">${o.label}${o.required ? html`<span class="required" aria-hidden="true"> *</span>` : ''}</label>
${o.hint ? html`<p class="hint" id="f-${o.name}-hint">${o.hint}</p>` : ''}
${fieldError(o.errors, o.name)}
<textarea id="f-${o.name}" name="${o.name}" rows="3"${attrs(o.errors, o.name, !!o.hint)}>${o.value}</textarea>
</div>`;
}

function select(o: { name: string; label: string; value: string; options: Record<string, string>; errors?: FormErrors; blank?: string; hint?: string }): Html {
  return html`<div class="field${o.errors?.[o.name] ? ' has-error' : ''}">
<label for="f-${o.name}">${o.label}</label>
${o.hint ? html`<p class="hint" id="f-${o.name}-hint">${o.hint}</p>` : ''}
${fieldError(o.errors, o.name)}
<select id="f-${o.name}" name="${o.name}"${attrs(o.errors, o.name, !!o.hint)}>
${o.blank !== undefined ? html`<option value=""${raw(o.value ? '' : ' selected')}>${o.blank}</option>` : ''}
${Object.entries(o.options).map(([value, label]) => html`<option value="${value}"${raw(value === o.value ? ' selected' : '')}>${label}</option>`)}
</select>
</div>`;
}

function itemRow(it: ResourceFormValues['items'][number], i: number, errors: FormErrors | undefined): Html {
  const cell = (field: string) => `items.${i}.${field}`;
  const err = (field: string) => fieldError(errors, cell(field));
  const label = (field: string, text: string) => html`<label class="visually-hidden" for="f-${cell(field)}">第 ${i + 1} 行${text}</label>`;
  return html`<tr${raw(['key', 'name', 'type', 'mask'].some((f) => errors?.[cell(f)]) ? ' class="has-error"' : '')}>
<th scope="row">${i + 1}</th>
<td>${label('name', '信息项名称')}${err('name')}<input id="f-${cell('name')}" name="${cell('name')}" type="text" maxlength="60" value="${it.name}"${attrs(errors, cell('name'))}></td>
<td>${label('key', '标识')}${err('key')}<input id="f-${cell('key')}" name="${cell('key')}" type="text" maxlength="63" value="${it.key}"${attrs(errors, cell('key'))}></td>
<td>${label('type', '数据类型')}${err('type')}<select id="f-${cell('type')}" name="${cell('type')}"${attrs(errors, cell('type'))}>
${Object.entries(DATA_ITEM_TYPE_LABELS).map(([v, l]) => html`<option value="${v}"${raw(v === (it.type || 'text') ? ' selected' : '')}>${l}</option>`)}
</select></td>
<td><input id="f-${cell('required')}" name="${cell('required')}" type="checkbox" value="1"${raw(it.required ? ' checked' : '')}>${label('required', '必填')}</td>
<td><input id="f-${cell('personal')}" name="${cell('personal')}" type="checkbox" value="1"${raw(it.personal ? ' checked' : '')}>${label('personal', '个人信息')}</td>
<td>${label('mask', '脱敏方式')}${err('mask')}<select id="f-${cell('mask')}" name="${cell('mask')}"${attrs(errors, cell('mask'))}>
<option value=""${raw(it.mask ? '' : ' selected')}>不脱敏</option>
${Object.entries(MASK_LABELS).map(([v, l]) => html`<option value="${v}"${raw(v === it.mask ? ' selected' : '')}>${l}</option>`)}
</select></td>
</tr>`;
}

export function renderResourceForm(o: {
  mode: 'new' | 'edit';
  values: ResourceFormValues;
  errors?: FormErrors;
  departments: DepartmentRef[] | null; // null: too many to list, type the credit code
  csrf: Html;
  blankRows: number;
}): Html {
  const v = o.values;
  const e = o.errors;
  const action = o.mode === 'new' ? '/admin/data/resources/new' : `${adminHref(v.code)}/edit`;
  const rows = [...v.items, ...Array.from({ length: o.blankRows }, () => ({ key: '', name: '', type: 'text', required: false, personal: false, mask: '' }))];
  return html`<h1>${o.mode === 'new' ? '新建数据资源' : `修改数据资源：${v.name}`}</h1>
${errorSummary(e)}
<form class="resource-form" action="${action}" method="post" novalidate>
${o.csrf}
${o.mode === 'edit' ? html`<input type="hidden" name="metaVersion" value="${v.metaVersion}">` : ''}
<input type="hidden" name="rows" value="${String(rows.length)}">
<fieldset><legend>基本信息</legend>
${input({ name: 'code', label: '资源代码', value: v.code, errors: e, required: true, maxlength: 64, readonly: o.mode === 'edit', hint: o.mode === 'new' ? '字母、数字、连字符，3–64 位，创建后不能修改。建议：行政区划代码-部门简称-资源简称-序号，如 330106-SJ-QYDJ-001' : '资源代码不能修改' })}
${input({ name: 'name', label: '资源名称', value: v.name, errors: e, required: true, maxlength: 100 })}
${
  o.departments
    ? select({ name: 'providerDepartmentId', label: '资源提供方', value: v.providerDepartmentId, errors: e, options: Object.fromEntries(o.departments.map((d) => [String(d.id), d.name])) })
    : input({ name: 'providerDepartmentId', label: '资源提供方（部门编号）', value: v.providerDepartmentId, errors: e, required: true })
}
${input({ name: 'classification', label: '资源分类', value: v.classification, errors: e, required: true, maxlength: 100, hint: '如 社会保障/参保登记' })}
${select({ name: 'catalogueKind', label: '目录类别', value: v.catalogueKind, errors: e, options: CATALOGUE_KIND_LABELS })}
${select({ name: 'baseLibrary', label: '所属基础库', value: v.baseLibrary, errors: e, options: BASE_LIBRARY_LABELS, blank: '（不属于基础库）', hint: '基础信息资源须指明' })}
${textarea({ name: 'abstract', label: '资源摘要', value: v.abstract, errors: e, required: true })}
${select({ name: 'format', label: '资源格式', value: v.format, errors: e, options: FORMAT_LABELS })}
</fieldset>
<fieldset><legend>信息项</legend>
<p class="hint">每行一个信息项；空行不保存。标识用于上传文件的表头和接口（小写字母开头，小写字母、数字、下划线）。个人信息默认脱敏返回。</p>
${fieldError(e, 'items')}
<div class="table-scroll"><table class="data-table">
<caption>信息项</caption>
<thead><tr><th scope="col">序号</th><th scope="col">信息项名称</th><th scope="col">标识</th><th scope="col">数据类型</th><th scope="col">必填</th><th scope="col">个人信息</th><th scope="col">脱敏方式</th></tr></thead>
<tbody>${rows.map((it, i) => itemRow(it, i, e))}</tbody>
</table></div>
<p><button class="secondary" type="submit" name="_action" value="more">增加 5 行</button></p>
${input({ name: 'keyItem', label: '关键信息项（标识）', value: v.keyItem, errors: e, required: true, hint: '标识一条记录的信息项的标识，如 id_number（公民身份号码）或 credit_code；须为必填项' })}
</fieldset>
<fieldset><legend>共享与开放</legend>
${select({ name: 'shareType', label: '共享类型', value: v.shareType, errors: e, options: SHARE_TYPE_LABELS })}
${textarea({ name: 'shareConditions', label: '共享条件或不予共享理由', value: v.shareConditions, errors: e, hint: '有条件共享须写明条件；不予共享须写明理由（法律法规或政策依据）' })}
${select({ name: 'shareMethod', label: '共享方式', value: v.shareMethod, errors: e, options: SHARE_METHOD_LABELS })}
${select({ name: 'openType', label: '开放类型', value: v.openType, errors: e, options: OPEN_TYPE_LABELS })}
${select({ name: 'updateCycle', label: '更新周期', value: v.updateCycle, errors: e, options: UPDATE_CYCLE_LABELS })}
${select({ name: 'grade', label: '数据分级', value: v.grade, errors: e, options: GRADE_LABELS, hint: '依据 GB/T 43697-2024：核心、重要、一般' })}
${input({ name: 'relatedCodes', label: '关联资源代码', value: v.relatedCodes, errors: e, hint: '多个用空格或逗号分隔' })}
</fieldset>
${input({ name: 'note', label: '变更说明', value: v.note, errors: e, maxlength: 500 })}
<button class="primary" type="submit" name="_action" value="save">${o.mode === 'new' ? '保存为草稿' : '保存修改'}</button>
</form>`;
}
