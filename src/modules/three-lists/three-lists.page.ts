/**
 * HTML of the staff pages for the three lists (no JavaScript; every form posts and redirects): my lists, one
 * department's list (entries, add / edit / remove, import with the template, submit), the entry form with each
 * error beside its field, the review queue and one edition in review (its diff, publish or return), an edition
 * of the history.
 */
import { html, raw, type Html } from '../../http/html.ts';
import { errorSummary, notice, type FormErrors } from '../portal/forms.ts';
import { formatTime } from '../staff/admin-page.ts';
import { EXERCISE_LEVELS, POWER_SOURCES } from '../catalogue/catalogue.types.ts';
import type { ListKind } from '../../db/schema.ts';
import type { EntriesDiff } from './diff-list-editions.ts';
import type { RowProblem } from './import-list-entries.ts';
import { cellsOfEntry, LIST_COLUMNS } from './list-columns.ts';
import type { MyListRow, ReviewRow, StaffListView } from './list-staff-lists.ts';
import type { EditionWithEntries } from './three-lists.editions.ts';
import { LIST_KINDS, NEGATIVE_CATEGORIES, type FundEntry, type ListEntry, type NegativeEntry, type PowerEntry } from './three-lists.types.ts';
import { POWER_TYPES } from './validate-list-entry.ts';

export const PAGES = '/admin/lists';
export const listHref = (kind: ListKind, departmentId: number) => `${PAGES}/${kind}/${departmentId}`;
export const STATUS_LABELS = { draft: '草稿', in_review: '待审核', published: '已发布', superseded: '历史版本' } as const;

export const DONE_MESSAGES: Record<string, string> = {
  saved: '条目已保存到草稿。',
  removed: '条目已从草稿中删除。',
  imported: '文件已导入草稿。',
  submitted: '已提交审核。审核通过后将公开发布。',
  published: '已发布，公众现在看到的是新版本。',
  returned: '已退回部门修改。',
  opened: '已打开草稿。',
};

const time = (s: string | null) => (s ? formatTime(s) : '—');

function fieldError(errors: FormErrors | undefined, name: string): Html | '' {
  const e = errors?.[name];
  return e ? html`<p class="field-error" id="f-${name}-error"><span class="visually-hidden">错误：</span>${e}</p>` : '';
}
function describedBy(errors: FormErrors | undefined, name: string, hint: boolean): Html {
  const ids = [hint ? `f-${name}-hint` : '', errors?.[name] ? `f-${name}-error` : ''].filter(Boolean).join(' ');
  return raw(`${ids ? ` aria-describedby="${ids}"` : ''}${errors?.[name] ? ' aria-invalid="true"' : ''}`);
}

function input(o: { name: string; label: string; value: string; errors?: FormErrors; hint?: string; required?: boolean; maxlength?: number }): Html {
  return html`<div class="field${o.errors?.[o.name] ? ' has-error' : ''}">
<label for="f-${o.name}">${o.label}${o.required ? html`<span class="required" aria-hidden="true"> *</span>` : ''}</label>
${o.hint ? html`<p class="hint" id="f-${o.name}-hint">${o.hint}</p>` : ''}
${fieldError(o.errors, o.name)}
<input id="f-${o.name}" name="${o.name}" type="text" value="${o.value}"${raw(o.maxlength ? ` maxlength="${o.maxlength}"` : '')}${describedBy(o.errors, o.name, !!o.hint)}>
</div>`;
}

function textarea(o: { name: string; label: string; value: string; errors?: FormErrors; hint?: string; required?: boolean; rows?: number }): Html {
  return html`<div class="field${o.errors?.[o.name] ? ' has-error' : ''}">
<label for="f-${o.name}">${o.label}${o.required ? html`<span class="required" aria-hidden="true"> *</span>` : ''}</label>
${o.hint ? html`<p class="hint" id="f-${o.name}-hint">${o.hint}</p>` : ''}
${fieldError(o.errors, o.name)}
<textarea id="f-${o.name}" name="${o.name}" rows="${o.rows ?? 3}"${describedBy(o.errors, o.name, !!o.hint)}>${o.value}</textarea>
</div>`;
}

function select(o: { name: string; label: string; value: string; options: Record<string, string>; errors?: FormErrors; blank?: string; hint?: string; required?: boolean }): Html {
  return html`<div class="field${o.errors?.[o.name] ? ' has-error' : ''}">
<label for="f-${o.name}">${o.label}${o.required ? html`<span class="required" aria-hidden="true"> *</span>` : ''}</label>
${o.hint ? html`<p class="hint" id="f-${o.name}-hint">${o.hint}</p>` : ''}
${fieldError(o.errors, o.name)}
<select id="f-${o.name}" name="${o.name}"${describedBy(o.errors, o.name, !!o.hint)}>
${o.blank !== undefined ? html`<option value=""${raw(o.value ? '' : ' selected')}>${o.blank}</option>` : ''}
${Object.entries(o.options).map(([value, label]) => html`<option value="${value}"${raw(value === o.value ? ' selected' : '')}>${label}</option>`)}
</select>
</div>`;
}

// ---- my lists ----

export function renderMyLists(o: { rows: MyListRow[]; mayReview: boolean; reviewCount: number; done?: string }): Html {
  return html`<h1>三张清单编制</h1>
${notice(o.done)}
<p>编制本部门的权力清单（含责任清单）、专项资金管理清单；企业投资项目负面清单由省发展和改革委员会编制。修改在草稿中进行，提交审核、发布后对公众公开，每个发布版本都会保留。</p>
${o.mayReview ? html`<p><a class="button" href="${PAGES}/review">审核清单（待审核 ${o.reviewCount} 个）</a></p>` : ''}
${
  o.rows.length
    ? html`<div class="table-scroll"><table class="data-table">
<caption>本人可编制的清单</caption>
<thead><tr><th scope="col">部门</th><th scope="col">清单</th><th scope="col">当前发布版本</th><th scope="col">草稿</th><th scope="col">操作</th></tr></thead>
<tbody>${o.rows.map(
        (r) => html`<tr>
<th scope="row">${r.departmentName}</th>
<td>${LIST_KINDS[r.kind].short}</td>
<td>${r.published ? html`第 ${r.published.version} 版（${r.published.entryCount} 条，${time(r.published.publishedAt)}）` : '尚未发布'}</td>
<td>${r.open ? html`${STATUS_LABELS[r.open.status]}（${r.open.entryCount} 条，${time(r.open.updatedAt)}）${r.open.reviewComment && r.open.status === 'draft' ? html`<br><span class="hint">退回意见：${r.open.reviewComment}</span>` : ''}` : '无'}</td>
<td><a href="${listHref(r.kind, r.departmentId)}">${r.open?.status === 'draft' ? '继续编辑' : r.open ? '查看' : '查看与编辑'}<span class="visually-hidden">${r.departmentName}${LIST_KINDS[r.kind].short}</span></a></td>
</tr>`,
      )}</tbody></table></div>`
    : html`<p>您没有可编制的清单（需要部门管理员角色）。</p>`
}`;
}

// ---- entries ----

function summaryCells(kind: ListKind, e: ListEntry): Html {
  if (kind === 'power') {
    const p = e as PowerEntry;
    return html`<td>${p.name}</td><td>${POWER_TYPES[p.type] ?? p.type}</td><td>${p.legalBasis.length} 项依据；${p.responsibilities.length} 项责任；${p.itemCodes.length} 个关联事项</td>`;
  }
  if (kind === 'negative') {
    const n = e as NegativeEntry;
    return html`<td>${n.projectType}</td><td>${NEGATIVE_CATEGORIES[n.category] ?? n.category}</td><td>行业 ${n.industryCodes.join('、')}</td>`;
  }
  const f = e as FundEntry;
  return html`<td>${f.name}</td><td>${f.years.map((y) => `${y.year}年 ${y.amount} 万元`).join('；')}</td><td>${f.allocations.length} 条分配结果</td>`;
}
const summaryHeads: Record<ListKind, [string, string, string]> = {
  power: ['名称', '权力类型', '内容'],
  negative: ['项目类型', '类别', '行业'],
  fund: ['名称', '年度资金规模', '分配结果'],
};

function entriesTable(o: { kind: ListKind; entries: ListEntry[]; caption: string; editable?: { base: string; csrf: Html } }): Html {
  if (!o.entries.length) return html`<p>（没有条目）</p>`;
  const [a, b, c] = summaryHeads[o.kind];
  return html`<div class="table-scroll"><table class="data-table">
<caption>${o.caption}</caption>
<thead><tr><th scope="col">编号</th><th scope="col">${a}</th><th scope="col">${b}</th><th scope="col">${c}</th>${o.editable ? html`<th scope="col">操作</th>` : ''}</tr></thead>
<tbody>${o.entries.map(
    (e) => html`<tr><th scope="row">${e.key}</th>${summaryCells(o.kind, e)}${
      o.editable
        ? html`<td><a href="${o.editable.base}/entries/${encodeURIComponent(e.key)}/edit">修改<span class="visually-hidden"> ${e.key}</span></a>
<form method="post" action="${o.editable.base}/entries/${encodeURIComponent(e.key)}/remove" class="inline-form">${o.editable.csrf}<button type="submit" class="link-button">删除<span class="visually-hidden"> ${e.key}</span></button></form></td>`
        : ''
    }</tr>`,
  )}</tbody></table></div>`;
}

export function renderImportErrors(rows: RowProblem[]): Html {
  return html`<div class="error-summary" role="alert" tabindex="-1">
<h2>导入失败：${rows.length} 处错误，未写入任何条目</h2>
<p>请按下表修改文件后重新上传。</p>
<div class="table-scroll"><table class="data-table"><caption>逐行错误报告</caption>
<thead><tr><th scope="col">行</th><th scope="col">列</th><th scope="col">问题</th></tr></thead>
<tbody>${rows.slice(0, 500).map((r) => html`<tr><td>${r.row}</td><td>${r.column}</td><td>${r.message}</td></tr>`)}</tbody></table></div>
${rows.length > 500 ? html`<p>仅显示前 500 处。</p>` : ''}
</div>`;
}

export function renderListPage(o: { view: StaffListView; csrf: Html; done?: string; errors?: FormErrors; importErrors?: RowProblem[] }): Html {
  const v = o.view;
  const base = listHref(v.kind, v.department.id);
  const open = v.open;
  const editable = v.mayEdit && (!open || open.status === 'draft');
  const shown = open ?? v.published;
  return html`<h1>${v.department.name}：${LIST_KINDS[v.kind].label}</h1>
${notice(o.done)}
${o.importErrors ? renderImportErrors(o.importErrors) : errorSummary(o.errors)}
<dl class="facts">
<dt>当前发布版本</dt><dd>${v.published ? html`第 ${v.published.version} 版，${time(v.published.publishedAt)} 发布，${v.published.entryCount} 条` : '尚未发布'}</dd>
<dt>草稿</dt><dd>${open ? html`${STATUS_LABELS[open.status]}（基于${open.baseVersion ? `第 ${open.baseVersion} 版` : '空白清单'}，${open.entryCount} 条，最后修改 ${time(open.updatedAt)}）` : '无（第一次修改时以当前发布版本为底稿自动创建）'}</dd>
${open?.reviewComment && open.status === 'draft' ? html`<dt>审核意见</dt><dd>${open.reviewComment}</dd>` : ''}
${open?.status === 'in_review' ? html`<dt>修订说明</dt><dd>${open.note}</dd>` : ''}
</dl>
${open?.status === 'in_review' ? html`<p class="notice info" role="status">该清单已提交审核，审核结束（发布或退回）前不能修改。${v.mayReview ? html` <a href="${PAGES}/review/${open.id}">去审核</a>` : ''}</p>` : ''}
${editable ? html`<p><a class="button" href="${base}/entries/new">新增条目</a></p>` : ''}
<h2>${open ? `${STATUS_LABELS[open.status]}中的条目` : v.published ? `第 ${v.published.version} 版的条目` : '条目'}（${shown?.entries.length ?? 0} 条）</h2>
${entriesTable({ kind: v.kind, entries: shown?.entries ?? [], caption: `${LIST_KINDS[v.kind].short}条目`, editable: editable ? { base, csrf: o.csrf } : undefined })}
${
  editable
    ? html`<h2 id="import">导入文件</h2>
<p>上传 CSV（UTF-8）、XLSX 或 JSON 文件。所有行都通过校验才会写入草稿；任何一行有误，不写入任何条目并列出逐行错误。
多项内容（如设定依据）在一个单元格中用“；”或换行分隔。下载模板：<a href="${PAGES}/${v.kind}/template.csv">CSV 模板</a>、<a href="${PAGES}/${v.kind}/template.xlsx">XLSX 模板（含填写说明）</a>。</p>
<details><summary>各列说明</summary><div class="table-scroll"><table class="data-table"><caption>导入文件的列</caption>
<thead><tr><th scope="col">表头</th><th scope="col">必填</th><th scope="col">填写说明</th></tr></thead>
<tbody>${LIST_COLUMNS[v.kind].map((c) => html`<tr><th scope="row">${c.header}</th><td>${c.required ? '是' : '否'}</td><td>${c.hint}${c.multi ? '（多项用“；”或换行分隔）' : ''}</td></tr>`)}</tbody></table></div></details>
<form method="post" action="${base}/import" enctype="multipart/form-data">
${o.csrf}
<div class="field${o.errors?.file ? ' has-error' : ''}"><label for="f-file">文件</label>${fieldError(o.errors, 'file')}<input id="f-file" name="file" type="file" accept=".csv,.xlsx,.json,text/csv,application/json,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"${describedBy(o.errors, 'file', false)}></div>
<fieldset class="field"><legend>导入方式</legend>
<div><input id="f-mode-merge" type="radio" name="mode" value="merge" checked><label for="f-mode-merge">新增和修改：文件中的条目新增或替换同编号条目，其他条目保留</label></div>
<div><input id="f-mode-replace" type="radio" name="mode" value="replace"><label for="f-mode-replace">整体替换：草稿的条目替换为文件中的全部条目</label></div>
</fieldset>
<button type="submit">导入</button>
</form>
<h2 id="submit">提交审核</h2>
${open ? html`<p><a href="${PAGES}/editions/${open.id}/diff">查看草稿与当前发布版本的差异</a></p>` : ''}
<form method="post" action="${base}/submit">
${o.csrf}
${textarea({ name: 'note', label: '修订说明', value: '', errors: o.errors, hint: '本次修改了什么、依据什么（将随版本公开）', required: true })}
<button type="submit">提交审核</button>
</form>`
    : ''
}
<h2>历史版本</h2>
${
  v.history.length
    ? html`<div class="table-scroll"><table class="data-table"><caption>已发布的版本</caption>
<thead><tr><th scope="col">版本</th><th scope="col">发布时间</th><th scope="col">修订说明</th><th scope="col">变化</th><th scope="col">查看</th></tr></thead>
<tbody>${v.history.map(
        (h) => html`<tr><th scope="row">第 ${h.version} 版${h.status === 'published' ? '（当前）' : ''}</th><td>${time(h.publishedAt)}</td><td>${h.note}</td>
<td>新增 ${h.added}，修改 ${h.changed}，删除 ${h.removed}</td><td><a href="${PAGES}/editions/${h.id}">条目</a> · <a href="${PAGES}/editions/${h.id}/diff">与上一版比较</a></td></tr>`,
      )}</tbody></table></div>`
    : html`<p>还没有发布过。</p>`
}`;
}

// ---- entry form ----

/** An entry as the form's text values (multi-value fields one per line). */
export function formValuesOf(kind: ListKind, e: ListEntry | undefined): Record<string, string> {
  if (!e) return {};
  const cells = cellsOfEntry(kind, e);
  const out: Record<string, string> = {};
  LIST_COLUMNS[kind].forEach((c, i) => (out[c.field] = c.multi ? cells[i]!.split(/[；\n]/).join('\n') : cells[i]!));
  if (kind === 'power') out.type = (e as PowerEntry).type;
  if (kind === 'power') out.level = (e as PowerEntry).level;
  if (kind === 'power') out.powerSource = (e as PowerEntry).powerSource;
  if (kind === 'negative') out.category = (e as NegativeEntry).category;
  return out;
}

export function renderEntryForm(o: { kind: ListKind; departmentName: string; action: string; cancel: string; csrf: Html; values: Record<string, string>; originalKey?: string; errors?: FormErrors }): Html {
  const v = (k: string) => o.values[k] ?? '';
  const e = o.errors;
  const fields: Html[] = [];
  if (o.kind === 'power') {
    fields.push(
      input({ name: 'key', label: '权力编码', value: v('key'), errors: e, required: true, maxlength: 64, hint: '本部门清单内唯一，如 XK-330106-004-0001' }),
      input({ name: 'name', label: '权力事项名称', value: v('name'), errors: e, required: true, maxlength: 200 }),
      select({ name: 'type', label: '权力类型', value: v('type'), options: POWER_TYPES, errors: e, blank: '请选择', required: true }),
      select({ name: 'level', label: '行使层级', value: v('level'), options: EXERCISE_LEVELS, errors: e, blank: '本部门层级' }),
      select({ name: 'powerSource', label: '权力来源', value: v('powerSource'), options: POWER_SOURCES, errors: e, blank: '法定本级行使' }),
      textarea({ name: 'legalBasis', label: '设定依据', value: v('legalBasis'), errors: e, required: true, hint: '每行一项：法律法规名称及条款' }),
      input({ name: 'implementingBody', label: '实施主体', value: v('implementingBody'), errors: e, maxlength: 100, hint: `不填为${o.departmentName}` }),
      textarea({ name: 'responsibilities', label: '责任事项', value: v('responsibilities'), errors: e, required: true, rows: 5, hint: '每行一项：受理、审查、决定、送达、事后监管等' }),
      textarea({ name: 'accountability', label: '追责情形', value: v('accountability'), errors: e, required: true, rows: 4, hint: '每行一项' }),
      textarea({ name: 'itemCodes', label: '关联事项基本编码', value: v('itemCodes'), errors: e, hint: '每行一个 12 位基本编码（须为本部门实施的事项）' }),
      textarea({ name: 'notes', label: '备注', value: v('notes'), errors: e }),
    );
  } else if (o.kind === 'negative') {
    fields.push(
      input({ name: 'key', label: '条目编号', value: v('key'), errors: e, required: true, maxlength: 64, hint: '如 N-2026-017' }),
      select({ name: 'category', label: '类别', value: v('category'), options: NEGATIVE_CATEGORIES, errors: e, blank: '请选择', required: true }),
      textarea({ name: 'industryCodes', label: '国民经济行业代码（GB/T 4754）', value: v('industryCodes'), errors: e, required: true, hint: '每行一个：门类字母，或字母加 2–4 位数字，如 C25、C2511' }),
      input({ name: 'projectType', label: '项目类型', value: v('projectType'), errors: e, required: true, maxlength: 200 }),
      textarea({ name: 'description', label: '具体内容', value: v('description'), errors: e, required: true }),
      textarea({ name: 'conditions', label: '准入条件', value: v('conditions'), errors: e, hint: '限制类必填' }),
      input({ name: 'authority', label: '核准机关', value: v('authority'), errors: e, maxlength: 200, hint: '核准类必填' }),
      textarea({ name: 'legalBasis', label: '设定依据', value: v('legalBasis'), errors: e, required: true, hint: '每行一项' }),
    );
  } else {
    fields.push(
      input({ name: 'key', label: '资金编码', value: v('key'), errors: e, required: true, maxlength: 64, hint: '如 F-330000-024-003' }),
      input({ name: 'name', label: '专项资金名称', value: v('name'), errors: e, required: true, maxlength: 200 }),
      textarea({ name: 'purpose', label: '资金用途', value: v('purpose'), errors: e, required: true }),
      textarea({ name: 'years', label: '年度资金规模（万元）', value: v('years'), errors: e, required: true, hint: '每行一年：“年度：金额”，如 2025：1500.5（最多两位小数）' }),
      input({ name: 'rules', label: '管理办法', value: v('rules'), errors: e, required: true, maxlength: 500 }),
      textarea({ name: 'conditions', label: '申报条件', value: v('conditions'), errors: e, required: true }),
      input({ name: 'contact', label: '咨询电话', value: v('contact'), errors: e, maxlength: 50 }),
      textarea({ name: 'allocations', label: '分配结果', value: v('allocations'), errors: e, rows: 6, hint: '每行一条：“年度｜分配对象｜金额｜公布日期｜项目名称”，如 2024｜某某公司｜120｜2024-06-30｜技术改造；同一年合计不能超过当年资金规模' }),
    );
  }
  return html`<h1>${o.originalKey ? `修改条目 ${o.originalKey}` : '新增条目'}</h1>
<p>${o.departmentName}：${LIST_KINDS[o.kind].label}（保存到草稿，提交审核并发布后才公开）</p>
${errorSummary(o.errors)}
<form method="post" action="${o.action}">
${o.csrf}
${o.originalKey ? html`<input type="hidden" name="originalKey" value="${o.originalKey}">` : ''}
${fields}
<button type="submit">保存</button> <a href="${o.cancel}">取消</a>
</form>`;
}

// ---- review ----

export function renderReviewQueue(o: { rows: ReviewRow[]; done?: string }): Html {
  return html`<h1>清单审核</h1>
${notice(o.done)}
${
  o.rows.length
    ? html`<div class="table-scroll"><table class="data-table"><caption>待审核的清单</caption>
<thead><tr><th scope="col">部门</th><th scope="col">清单</th><th scope="col">基于</th><th scope="col">条目</th><th scope="col">修订说明</th><th scope="col">提交</th><th scope="col">操作</th></tr></thead>
<tbody>${o.rows.map(
        (r) => html`<tr><th scope="row">${r.departmentName}</th><td>${LIST_KINDS[r.kind].short}</td><td>${r.baseVersion ? `第 ${r.baseVersion} 版` : '首次发布'}</td><td>${r.entryCount}</td><td>${r.note}</td>
<td>${r.submittedBy ?? ''} ${time(r.submittedAt)}</td><td><a href="${PAGES}/review/${r.editionId}">审核<span class="visually-hidden"> ${r.departmentName}${LIST_KINDS[r.kind].short}</span></a></td></tr>`,
      )}</tbody></table></div>`
    : html`<p>没有待审核的清单。</p>`
}`;
}

function valueText(v: unknown): string {
  if (v === undefined || v === null || v === '') return '（空）';
  if (Array.isArray(v)) return v.map((x) => (typeof x === 'object' ? Object.values(x as object).join('｜') : String(x))).join('；');
  return String(v);
}

export function renderDiff(kind: ListKind, d: EntriesDiff): Html {
  const name = (e: ListEntry) => (e as { name?: string; projectType?: string }).name ?? (e as NegativeEntry).projectType ?? '';
  return html`<p>新增 ${d.added.length} 条，修改 ${d.changed.length} 条，删除 ${d.removed.length} 条。</p>
${d.added.length ? html`<h3>新增</h3><ul>${d.added.map((e) => html`<li><strong>${e.key}</strong> ${name(e)}</li>`)}</ul>` : ''}
${d.removed.length ? html`<h3>删除</h3><ul>${d.removed.map((e) => html`<li><strong>${e.key}</strong> ${name(e)}</li>`)}</ul>` : ''}
${
  d.changed.length
    ? html`<h3>修改</h3>${d.changed.map(
        (c) => html`<div class="table-scroll"><table class="data-table"><caption>${c.key} ${name(c.after)}</caption>
<thead><tr><th scope="col">字段</th><th scope="col">修改前</th><th scope="col">修改后</th></tr></thead>
<tbody>${c.fields.map((f) => {
          const col = LIST_COLUMNS[kind].find((x) => x.field === f);
          return html`<tr><th scope="row">${col?.header ?? f}</th><td><del>${valueText((c.before as unknown as Record<string, unknown>)[f])}</del></td><td><ins>${valueText((c.after as unknown as Record<string, unknown>)[f])}</ins></td></tr>`;
        })}</tbody></table></div>`,
      )}`
    : ''
}`;
}

export function renderReviewPage(o: { edition: EditionWithEntries; diff: EntriesDiff; baseVersion: number | null; csrf: Html; errors?: FormErrors; mayReview: boolean }): Html {
  const ed = o.edition;
  return html`<h1>审核：${ed.departmentName}${LIST_KINDS[ed.kind].short}</h1>
${errorSummary(o.errors)}
<dl class="facts"><dt>状态</dt><dd>${STATUS_LABELS[ed.status]}</dd><dt>修订说明</dt><dd>${ed.note || '—'}</dd><dt>提交时间</dt><dd>${time(ed.submittedAt)}</dd><dt>条目</dt><dd>${ed.entryCount}</dd></dl>
<h2>与${o.baseVersion ? `第 ${o.baseVersion} 版（当前发布版本）` : '空白清单（首次发布）'}的差异</h2>
${renderDiff(ed.kind, o.diff)}
${
  ed.status === 'in_review' && o.mayReview
    ? html`<h2>审核意见</h2>
<form method="post" action="${PAGES}/review/${ed.id}/publish">${o.csrf}
${textarea({ name: 'publishComment', label: '发布意见（可不填）', value: '', errors: o.errors })}
<button type="submit">发布</button></form>
<form method="post" action="${PAGES}/review/${ed.id}/return">${o.csrf}
${textarea({ name: 'comment', label: '退回意见', value: '', errors: o.errors, required: true, hint: '说明需要修改的内容；部门在草稿页看到' })}
<button type="submit">退回修改</button></form>`
    : ''
}
<p><a href="${PAGES}/editions/${ed.id}">查看全部条目</a></p>`;
}

export function renderEditionPage(o: { edition: EditionWithEntries }): Html {
  const ed = o.edition;
  return html`<h1>${ed.departmentName}${LIST_KINDS[ed.kind].short}${ed.version ? ` 第 ${ed.version} 版` : `（${STATUS_LABELS[ed.status]}）`}</h1>
<dl class="facts"><dt>状态</dt><dd>${STATUS_LABELS[ed.status]}</dd><dt>修订说明</dt><dd>${ed.note || '—'}</dd><dt>发布时间</dt><dd>${time(ed.publishedAt)}</dd></dl>
<p><a href="${PAGES}/editions/${ed.id}/diff">与上一版本比较</a> · <a href="${listHref(ed.kind, ed.departmentId)}">返回清单</a></p>
${entriesTable({ kind: ed.kind, entries: ed.entries, caption: '条目' })}`;
}

export function renderDiffPage(o: { from: EditionWithEntries | { version: number | null; status: string }; to: EditionWithEntries; diff: EntriesDiff }): Html {
  const label = (e: { version: number | null; status: string }) => (e.version ? `第 ${e.version} 版` : STATUS_LABELS[e.status as keyof typeof STATUS_LABELS] ?? '');
  return html`<h1>${o.to.departmentName}${LIST_KINDS[o.to.kind].short}：${label(o.from)} → ${label(o.to)}</h1>
${renderDiff(o.to.kind, o.diff)}
<p><a href="${listHref(o.to.kind, o.to.departmentId)}">返回清单</a></p>`;
}
