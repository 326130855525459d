/**
 * 清单变更记录: /lists/changes (published editions, newest first: who changed what and when) and
 * /lists/changes/:id (an edition's changes against the previous version, field by field, and a form to compare
 * any two versions of that department's list).
 */
import { html, raw, type Html } from '../../http/html.ts';
import type { AppContext } from '../../http/context.ts';
import type { ListKind } from '../../db/schema.ts';
import { ITEM_TYPES, EXERCISE_LEVELS, POWER_SOURCES } from '../catalogue/catalogue.types.ts';
import { layout } from '../portal/layout.ts';
import type { Preferences } from '../portal/preferences.ts';
import type { EntriesDiff } from '../three-lists/diff-list-editions.ts';
import type { PublishedEditionSummary } from '../three-lists/three-lists.editions.ts';
import { LIST_KINDS, NEGATIVE_CATEGORIES, type FundEntry, type ListEntry, type NegativeCategory } from '../three-lists/three-lists.types.ts';
import { chinaDate, homeCrumb, listsCrumb, listsNav, options, withParams, wan } from './lists-components.ts';
import { industryLabel } from './industry-classification.ts';
import type { ListDepartment } from './lists-index.ts';

export const FIELD_LABELS: Record<string, string> = {
  key: '编码',
  name: '名称',
  type: '权力类型',
  level: '行使层级',
  powerSource: '权力来源',
  legalBasis: '设定依据',
  implementingBody: '实施主体',
  responsibilities: '责任事项',
  accountability: '追责情形',
  itemCodes: '关联事项基本编码',
  notes: '备注',
  category: '类别',
  industryCodes: '行业代码',
  projectType: '项目类型',
  description: '具体内容',
  conditions: '条件',
  authority: '核准机关',
  purpose: '资金用途',
  years: '年度资金规模',
  rules: '管理办法',
  contact: '咨询电话',
  allocations: '分配结果',
};

/** The name an entry is known by. */
export function entryTitle(e: ListEntry): string {
  const o = e as unknown as Record<string, unknown>;
  return String(o.name ?? o.projectType ?? e.key);
}

/** A field's value as text for the diff (lists joined, amounts with their unit). */
export function fieldText(field: string, value: unknown): string {
  if (value === undefined || value === null || value === '') return '（空）';
  if (field === 'type' && typeof value === 'string') return ITEM_TYPES[value as keyof typeof ITEM_TYPES] ?? value;
  if (field === 'level' && typeof value === 'string') return EXERCISE_LEVELS[value as keyof typeof EXERCISE_LEVELS] ?? value;
  if (field === 'powerSource' && typeof value === 'string') return POWER_SOURCES[value as keyof typeof POWER_SOURCES] ?? value;
  if (field === 'category' && typeof value === 'string') return NEGATIVE_CATEGORIES[value as NegativeCategory] ?? value;
  if (field === 'industryCodes' && Array.isArray(value)) return value.map((c) => industryLabel(String(c))).join('；');
  if (field === 'years' && Array.isArray(value)) return (value as FundEntry['years']).map((y) => `${y.year} 年 ${wan(y.amount)} 万元`).join('；');
  if (field === 'allocations' && Array.isArray(value)) {
    return (value as FundEntry['allocations']).map((a) => `${a.year} 年 ${a.recipient}${a.project ? `（${a.project}）` : ''} ${wan(a.amount)} 万元，${a.date}`).join('；');
  }
  if (Array.isArray(value)) return value.map(String).join('；');
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

export const kindLabel = (k: ListKind): string => LIST_KINDS[k].short;

export interface ChangesFilters {
  kind?: ListKind;
  department?: number;
  before?: number;
}

export function renderChanges(
  ctx: AppContext,
  prefs: Preferences,
  path: string,
  f: ChangesFilters,
  rows: PublishedEditionSummary[],
  more: boolean,
  departments: ListDepartment[],
): string {
  const p = { kind: f.kind, department: f.department?.toString() };
  const dept = f.department !== undefined ? departments.find((d) => d.id === f.department) : undefined;
  return layout(ctx, {
    title: '清单变更记录',
    prefs,
    path,
    breadcrumbs: [homeCrumb, listsCrumb, { label: '变更记录' }],
    body: html`
${listsNav('changes')}
<h1>清单变更记录${dept ? html`：${dept.name}` : ''}</h1>
<p class="lead">各部门每次发布清单都保留为一个版本。下表按发布时间从新到旧列出每一版：由哪个部门发布、改了什么。<a href="/lists/feed.atom" type="application/atom+xml">订阅变更（<span lang="en">Atom</span>）</a></p>
<form class="filter-form" action="/lists/changes" method="get">
  <div class="field"><label for="f-kind">清单</label><select id="f-kind" name="kind">${options(
    (Object.keys(LIST_KINDS) as ListKind[]).map((k) => ({ value: k, label: LIST_KINDS[k].label })),
    f.kind,
    '全部清单',
  )}</select></div>
  ${f.department !== undefined ? html`<input type="hidden" name="department" value="${f.department}">` : ''}
  <button class="primary" type="submit">查询</button>
  ${f.department !== undefined ? html`<p><a href="${withParams('/lists/changes', { kind: f.kind })}">查看全部部门</a></p>` : ''}
</form>
${
  rows.length === 0
    ? html`<p class="no-hits">暂无已发布的清单版本。</p>`
    : html`<div class="table-scroll"><table class="data-table">
  <caption>已发布的清单版本（新的在前）</caption>
  <thead><tr><th scope="col">发布时间</th><th scope="col">部门</th><th scope="col">清单</th><th scope="col">版本</th><th scope="col">修订说明</th><th scope="col">变化</th></tr></thead>
  <tbody>${rows.map(
    (r) => html`<tr>
    <td>${chinaDate(r.publishedAt, true)}</td>
    <td><a href="${withParams('/lists/changes', { kind: f.kind, department: String(r.departmentId) })}">${r.departmentName}</a></td>
    <td>${kindLabel(r.kind)}</td>
    <th scope="row"><a href="/lists/changes/${r.id}">第 ${r.version} 版</a>${r.status === 'superseded' ? html` <span class="status-tag superseded">已被替代</span>` : html` <span class="status-tag published">现行</span>`}</th>
    <td>${r.note || '—'}</td>
    <td><span aria-label="新增 ${r.added} 条，删除 ${r.removed} 条，修改 ${r.changed} 条">+${r.added} −${r.removed} ~${r.changed}</span></td>
  </tr>`,
  )}</tbody>
</table></div>
${more ? html`<p><a href="${withParams('/lists/changes', { ...p, before: String(rows[rows.length - 1]!.id) })}" rel="next">更早的记录</a></p>` : ''}`
}`,
  });
}

function entryList(entries: ListEntry[]): Html {
  return html`<ul class="plain-list">${entries.map((e) => html`<li><strong>${e.key}</strong> ${entryTitle(e)}</li>`)}</ul>`;
}

export interface ChangeView {
  edition: PublishedEditionSummary;
  versions: PublishedEditionSummary[]; // all versions of the same list, newest first
  from: PublishedEditionSummary | undefined; // undefined: the first version, all entries new
  to: PublishedEditionSummary;
  diff: EntriesDiff;
}

export function renderChange(ctx: AppContext, prefs: Preferences, path: string, v: ChangeView): string {
  const e = v.edition;
  const title = `${e.departmentName}${kindLabel(e.kind)}第 ${e.version} 版`;
  const versionOptions = (selected: number | undefined) =>
    v.versions.map((x) => html`<option value="${x.id}"${raw(x.id === selected ? ' selected' : '')}>第 ${x.version} 版（${chinaDate(x.publishedAt)}）</option>`);
  const d = v.diff;
  const heading = v.from ? `第 ${v.from.version} 版 → 第 ${v.to.version} 版的变化` : `第 ${v.to.version} 版（首次发布）的全部条目`;
  return layout(ctx, {
    title,
    prefs,
    path,
    breadcrumbs: [homeCrumb, listsCrumb, { label: '变更记录', href: '/lists/changes' }, { label: title }],
    body: html`
<h1>${title}</h1>
<dl class="key-facts">
  <div><dt>发布部门</dt><dd>${e.departmentName}</dd></div>
  <div><dt>清单</dt><dd>${LIST_KINDS[e.kind].label}</dd></div>
  <div><dt>发布时间</dt><dd>${chinaDate(e.publishedAt, true)}</dd></div>
  <div><dt>条目数</dt><dd>${e.entryCount}</dd></div>
</dl>
<p><strong>修订说明：</strong>${e.note || '—'}</p>

<form class="filter-form" action="/lists/changes/${e.id}" method="get">
  <div class="field"><label for="c-from">比较：旧版本</label><select id="c-from" name="from">${versionOptions(v.from?.id)}</select></div>
  <div class="field"><label for="c-to">新版本</label><select id="c-to" name="to">${versionOptions(v.to.id)}</select></div>
  <button class="primary" type="submit">比较</button>
</form>

<h2 id="diff">${heading}</h2>
<p role="status">新增 ${d.added.length} 条，删除 ${d.removed.length} 条，修改 ${d.changed.length} 条。</p>
${d.added.length ? html`<h3>新增</h3>${entryList(d.added)}` : ''}
${d.removed.length ? html`<h3>删除</h3>${entryList(d.removed)}` : ''}
${
  d.changed.length
    ? html`<h3>修改</h3>${d.changed.map(
        (c) => html`<div class="table-scroll"><table class="data-table">
  <caption>${c.key} ${entryTitle(c.after)}</caption>
  <thead><tr><th scope="col">字段</th><th scope="col">修改前</th><th scope="col">修改后</th></tr></thead>
  <tbody>${c.fields.map((fld) => {
    const b = (c.before as unknown as Record<string, unknown>)[fld];
    const a = (c.after as unknown as Record<string, unknown>)[fld];
    return html`<tr><th scope="row">${FIELD_LABELS[fld] ?? fld}</th><td><del>${fieldText(fld, b)}</del></td><td><ins>${fieldText(fld, a)}</ins></td></tr>`;
  })}</tbody>
</table></div>`,
      )}`
    : ''
}
<p><a href="${withParams('/lists/changes', { kind: e.kind, department: String(e.departmentId) })}">本部门${kindLabel(e.kind)}的全部版本</a></p>`,
  });
}

const xml = (s: string): string => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c]!);

/** An Atom 1.0 feed of published editions (newest first), each linking to its changes. */
export function atomFeed(baseUrl: string, rows: PublishedEditionSummary[]): string {
  const updated = rows[0]?.publishedAt ?? new Date(0).toISOString();
  const entries = rows.map((r) => {
    const link = `${baseUrl}/lists/changes/${r.id}`;
    const title = `${r.departmentName}发布${LIST_KINDS[r.kind].label}第 ${r.version} 版`;
    const summary = `新增 ${r.added} 条，删除 ${r.removed} 条，修改 ${r.changed} 条；共 ${r.entryCount} 条。${r.note ? `修订说明：${r.note}` : ''}`;
    return `  <entry>
    <id>${xml(link)}</id>
    <title>${xml(title)}</title>
    <updated>${r.publishedAt}</updated>
    <published>${r.publishedAt}</published>
    <author><name>${xml(r.departmentName)}</name></author>
    <category term="${r.kind}" label="${xml(LIST_KINDS[r.kind].label)}"/>
    <link rel="alternate" type="text/html" href="${xml(link)}"/>
    <summary type="text">${xml(summary)}</summary>
  </entry>`;
  });
  return `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="zh-CN">
  <id>${xml(`${baseUrl}/lists/feed.atom`)}</id>
  <title>三张清单变更记录 - 一网 · 浙江政务服务</title>
  <subtitle>权力清单、企业投资项目负面清单、专项资金管理清单的每次发布</subtitle>
  <updated>${updated}</updated>
  <author><name>一网 · 浙江政务服务</name></author>
  <link rel="self" type="application/atom+xml" href="${xml(`${baseUrl}/lists/feed.atom`)}"/>
  <link rel="alternate" type="text/html" href="${xml(`${baseUrl}/lists/changes`)}"/>
${entries.join('\n')}
</feed>
`;
}
