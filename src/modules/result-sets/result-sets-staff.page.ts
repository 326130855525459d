/**
 * 结果发布 staff pages (zh-CN, no JavaScript needed): the department's sets (/staff/result-sets), the form to
 * create or change one (columns as a table of inputs, templates such as 高考成绩), and a set's page — its
 * definition, the upload form, the uploads with their progress (the page refreshes itself every 3 seconds only
 * while an upload is being checked, and says so, with a link to stop), error reports, publish and withdraw.
 * Rows are never shown: staff see results only by querying them after the release time, like everyone else.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../../http/context.ts';
import { html, raw, type Html } from '../../http/html.ts';
import { errorSummary, notice, selectField, textField, type FormErrors } from '../portal/forms.ts';
import { formatTime, HTML, pager, renderAdminPage, type AdminPage } from '../staff/admin-page.ts';
import type { DepartmentResultSets } from './list-department-result-sets.ts';
import {
  COLUMN_TYPES,
  RESULT_SET_TEMPLATES,
  type ResultColumnType,
  type ResultLoadView,
  type ResultSetStatus,
  type ResultSetSummary,
  type ResultSetView,
} from './result-sets.types.ts';

export const PAGES = '/staff/result-sets';
export const setHref = (code: string) => `${PAGES}/${encodeURIComponent(code)}`;

/** An administration page; with `refresh`, the browser reloads it every 3 seconds (an upload is being checked). */
export function sendResultSetPage(ctx: AppContext, req: FastifyRequest, reply: FastifyReply, o: AdminPage & { refresh?: boolean }): FastifyReply {
  const page = renderAdminPage(ctx, req, reply, { ...o, refreshSeconds: o.refresh ? 3 : undefined });
  return reply.code(o.status ?? 200).header('cache-control', 'no-store').type(HTML).send(page);
}

const STATUS_CLASS: Record<ResultSetStatus, string> = { draft: 'draft', published: 'published', withdrawn: 'superseded' };
const LOAD_CLASS: Record<ResultLoadView['status'], string> = { pending: 'draft', loading: 'draft', ready: 'success', failed: 'failure', superseded: 'superseded' };

const statusTag = (s: { status: ResultSetStatus; statusLabel: string }) => html`<span class="status-tag ${STATUS_CLASS[s.status]}">${s.statusLabel}</span>`;
const timeTag = (iso: string | null) => (iso ? html`<time datetime="${iso}">${formatTime(iso)}</time>` : html`—`);
const count = (n: number) => n.toLocaleString('zh-CN');

function fileSize(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
  if (bytes >= 1024) return `${Math.ceil(bytes / 1024)} KB`;
  return `${bytes} 字节`;
}

function releaseText(s: { status: ResultSetStatus; released: boolean; releaseAt: string }): Html {
  const when = timeTag(s.releaseAt);
  if (s.status === 'withdrawn') return html`${when}（已撤回，不能查询）`;
  if (!s.released) return html`${when}（北京时间；此前任何人，包括工作人员，都不能查询）`;
  return s.status === 'published' ? html`${when}（已到发布时间，正在开放查询）` : html`${when}（已过；发布后立即可以查询）`;
}

// ---------------------------------------------------------------------------------------------------------
// 结果集列表
// ---------------------------------------------------------------------------------------------------------

export function renderSetList(o: { list: DepartmentResultSets; done?: string }): Html {
  const sets = o.list.sets;
  return html`<h1>查询结果发布</h1>
${o.done ? notice(o.done) : ''}
<p>部门在这里发布可供公众凭关键信息（如考生号和身份证号）查询的结果，如高考成绩。上传的数据逐行校验，全部通过后才会启用；到发布时间前，任何人（包括工作人员）都不能查询。</p>
<p><a class="button" href="${PAGES}/new">新建结果集</a></p>
${
  sets.length
    ? html`<div class="table-scroll"><table class="data-table">
<caption class="visually-hidden">本人管理范围内的结果集（最近修改的在前）</caption>
<thead><tr><th scope="col">名称</th><th scope="col">发布部门</th><th scope="col">状态</th><th scope="col">发布时间</th><th scope="col">数据行数</th><th scope="col">最近修改</th></tr></thead>
<tbody>${sets.map(
        (s: ResultSetSummary) => html`<tr>
<th scope="row"><a href="${setHref(s.code)}">${s.title}</a><br><code>${s.code}</code></th>
<td>${s.department.name}</td>
<td>${statusTag(s)}${s.loadInProgress ? html`<br><span class="status-tag draft">文件校验中</span>` : ''}</td>
<td>${timeTag(s.releaseAt)}${s.released ? '' : html`<br><span class="muted">未到发布时间</span>`}</td>
<td>${s.rows === null ? html`<span class="muted">尚无数据</span>` : count(s.rows)}</td>
<td>${timeTag(s.updatedAt)}</td>
</tr>`,
      )}</tbody></table></div>
${pager(PAGES, {}, o.list.page, o.list.total, o.list.size)}`
    : html`<p class="no-hits">还没有结果集。</p>`
}`;
}

// ---------------------------------------------------------------------------------------------------------
// 新建 / 修改
// ---------------------------------------------------------------------------------------------------------

export interface ColumnFormRow {
  key: string;
  label: string;
  type: string;
  required: boolean;
  isKey: boolean;
}

export interface SetFormValues {
  code: string;
  title: string;
  description: string;
  departmentId: string;
  releaseAt: string; // datetime-local, Beijing time: 2026-06-25T12:00
  columns: ColumnFormRow[];
  confirmImmediateRelease: boolean;
  revision: string;
}

/** A time as a datetime-local value in Beijing time. */
export function toLocalInput(iso: string): string {
  return new Date(new Date(iso).getTime() + 8 * 3600_000).toISOString().slice(0, 16);
}

/** The form's field name of an operation's error field (columns[2].key → col-key-2). */
export function formField(field: string): string {
  const m = /^columns\[(\d+)\]\.(key|label|type)$/.exec(field);
  if (m) return `col-${m[2]}-${m[1]}`;
  if (field === 'keyColumns' || field === 'columns') return 'col-key-0';
  return field;
}

function columnRow(c: ColumnFormRow, i: number, errors: FormErrors, structure: boolean): Html {
  const cell = (name: 'key' | 'label', label: string, value: string, max: number, readOnly: boolean) => {
    const id = `f-col-${name}-${i}`;
    const error = errors[`col-${name}-${i}`];
    return html`<td${raw(error ? ' class="has-error"' : '')}><label class="visually-hidden" for="${id}">第 ${i + 1} 列${label}</label>${
      error ? html`<p class="field-error" id="${id}-error"><span class="visually-hidden">错误：</span>${error}</p>` : ''
    }<input id="${id}" name="col_${name}_${i}" value="${value}" maxlength="${max}"${raw(readOnly ? ' readonly' : '')}${raw(error ? ` aria-invalid="true" aria-describedby="${id}-error"` : '')}></td>`;
  };
  return html`<tr>
${cell('label', '列名', c.label, 40, false)}
${cell('key', '字段名', c.key, 40, !structure)}
<td><label class="visually-hidden" for="f-col-type-${i}">第 ${i + 1} 列类型</label>${
    structure
      ? html`<select id="f-col-type-${i}" name="col_type_${i}">${(Object.keys(COLUMN_TYPES) as ResultColumnType[]).map(
          (t) => html`<option value="${t}"${raw(t === c.type ? ' selected' : '')}>${COLUMN_TYPES[t]}</option>`,
        )}</select>`
      : html`<input id="f-col-type-${i}" value="${COLUMN_TYPES[c.type as ResultColumnType] ?? c.type}" readonly>`
  }</td>
<td><input type="checkbox" id="f-col-required-${i}" name="col_required_${i}" value="1"${raw(c.required ? ' checked' : '')}${raw(structure ? '' : ' disabled')}><label for="f-col-required-${i}"><span class="visually-hidden">第 ${i + 1} 列</span>必填</label></td>
<td><input type="checkbox" id="f-col-iskey-${i}" name="col_iskey_${i}" value="1"${raw(c.isKey ? ' checked' : '')}${raw(structure ? '' : ' disabled')}><label for="f-col-iskey-${i}"><span class="visually-hidden">第 ${i + 1} 列作为</span>查询关键字段</label></td>
</tr>`;
}

export function renderSetForm(o: {
  mode: 'create' | 'edit';
  values: SetFormValues;
  errors?: FormErrors;
  csrf: Html;
  departments: { id: number; name: string }[];
  template?: string;
  /** edit: the set's status; the structure can change only in a draft */
  status?: ResultSetStatus;
  code?: string;
}): Html {
  const errors = o.errors ?? {};
  const structure = o.mode === 'create' || o.status === 'draft';
  const v = o.values;
  const action = o.mode === 'create' ? PAGES : `${setHref(o.code!)}/edit`;
  const releaseId = 'f-releaseAt';
  const releaseError = errors.releaseAt;
  return html`<h1>${o.mode === 'create' ? '新建结果集' : `修改结果集：${v.title}`}</h1>
${errorSummary(errors)}
${
  o.mode === 'create'
    ? html`<form class="filter-form" method="get" action="${PAGES}/new">
${selectField({ name: 'template', label: '从模板开始', value: o.template ?? '', options: [{ value: '', label: '空白（自行定义各列）' }, ...Object.entries(RESULT_SET_TEMPLATES).map(([value, t]) => ({ value, label: t.label }))] })}
<button type="submit" class="secondary">使用此模板</button>
</form>`
    : ''
}
<form method="post" action="${action}" novalidate>
${o.csrf}
<input type="hidden" name="revision" value="${v.revision}">
${
  o.mode === 'create'
    ? textField({ name: 'code', label: '代码', value: v.code, required: true, maxlength: 64, hint: '3–64 位小写字母、数字和连字符，用于查询地址（如 gaokao-2026），创建后不能修改', errors })
    : html`<p>代码：<code>${o.code}</code></p>`
}
${textField({ name: 'title', label: '名称', value: v.title, required: true, maxlength: 100, hint: '公众查询页面上显示的名称，如“2026年普通高考成绩”', errors })}
<div class="field${errors.description ? ' has-error' : ''}">
  <label for="f-description">说明</label>
  <p class="hint" id="f-description-hint">查询页面上的说明，如查询须知、复核申请方式（选填，最多 2000 字）</p>
  ${errors.description ? html`<p class="field-error" id="f-description-error"><span class="visually-hidden">错误：</span>${errors.description}</p>` : ''}
  <textarea id="f-description" name="description" rows="3" maxlength="2000" aria-describedby="f-description-hint${errors.description ? ' f-description-error' : ''}">${v.description}</textarea>
</div>
${
  o.mode === 'create'
    ? o.departments.length > 1
      ? selectField({ name: 'departmentId', label: '发布部门', value: v.departmentId, options: o.departments.map((d) => ({ value: String(d.id), label: d.name })), errors })
      : html`<p>发布部门：${o.departments[0]?.name ?? '—'}</p><input type="hidden" name="departmentId" value="${v.departmentId}">`
    : ''
}
<div class="field${releaseError ? ' has-error' : ''}">
  <label for="${releaseId}">发布时间<span class="required" aria-hidden="true"> *</span><span class="visually-hidden">（必填）</span></label>
  <p class="hint" id="${releaseId}-hint">北京时间。结果集发布后，到这个时间才开放查询；此前任何人（包括工作人员）都不能查询</p>
  ${releaseError ? html`<p class="field-error" id="${releaseId}-error"><span class="visually-hidden">错误：</span>${releaseError}</p>` : ''}
  <input id="${releaseId}" name="releaseAt" type="datetime-local" value="${v.releaseAt}" required aria-describedby="${releaseId}-hint${releaseError ? ` ${releaseId}-error` : ''}"${raw(releaseError ? ' aria-invalid="true"' : '')}>
</div>
${
  o.mode === 'edit' && o.status === 'published'
    ? html`<div class="field checkbox-field">
  <input id="f-confirmImmediateRelease" name="confirmImmediateRelease" type="checkbox" value="1"${raw(v.confirmImmediateRelease ? ' checked' : '')} aria-describedby="f-confirmImmediateRelease-hint">
  <label for="f-confirmImmediateRelease">确认立即开放查询</label>
  <p class="hint" id="f-confirmImmediateRelease-hint">只有把未到发布时间的已发布结果集改到已过的时间（提前发布）时才需要勾选</p>
</div>`
    : ''
}
<fieldset class="table-field">
<legend>列定义</legend>
<p class="hint">上传文件的第 1 行（表头）每列写“列名”或“字段名”；列的顺序不限。勾选的“查询关键字段”（1–3 列，须为必填）是公众查询时要填写的内容，如考生号和身份证号。${
    structure ? '空行会被忽略。' : '已发布或撤回的结果集只能修改列名。'
  }</p>
<div class="table-scroll"><table class="data-table form-table">
<caption class="visually-hidden">各列的列名、字段名、类型、是否必填、是否查询关键字段</caption>
<thead><tr><th scope="col">列名（如 考生号）</th><th scope="col">字段名（如 exam_no）</th><th scope="col">类型</th><th scope="col">必填</th><th scope="col">查询关键字段</th></tr></thead>
<tbody>${v.columns.map((c, i) => columnRow(c, i, errors, structure))}</tbody>
</table></div>
${structure ? html`<p><button type="submit" name="_more" value="1" class="secondary">再增加 5 行</button></p>` : ''}
</fieldset>
<div class="form-actions"><button type="submit" class="primary">${o.mode === 'create' ? '创建结果集' : '保存修改'}</button> <a href="${o.mode === 'create' ? PAGES : setHref(o.code!)}">取消</a></div>
</form>`;
}

// ---------------------------------------------------------------------------------------------------------
// 结果集页面
// ---------------------------------------------------------------------------------------------------------

function progressCell(l: ResultLoadView): Html {
  if (l.status === 'pending') return html`等待校验`;
  if (l.status === 'loading') {
    return html`<progress max="100" value="${l.progressPercent}" aria-label="第 ${l.id} 号上传的校验进度">${l.progressPercent}%</progress> ${l.progressPercent}%<br><span class="muted">已读 ${count(l.rowsRead)} 行${l.rowsBad ? `，${count(l.rowsBad)} 行有错误` : ''}</span>`;
  }
  return html`${count(l.rowsRead)} 行${l.rowsBad ? html`，<strong>${count(l.rowsBad)} 行有错误</strong>` : ''}`;
}

function loadsTable(v: ResultSetView): Html {
  if (!v.loads.length) return html`<p class="no-hits">还没有上传过文件。</p>`;
  return html`<div class="table-scroll"><table class="data-table">
<caption class="visually-hidden">上传记录（最新的在前）</caption>
<thead><tr><th scope="col">编号</th><th scope="col">文件</th><th scope="col">上传时间</th><th scope="col">状态</th><th scope="col">进度与行数</th><th scope="col">说明</th></tr></thead>
<tbody>${v.loads.map(
    (l) => html`<tr>
<th scope="row">${l.id}</th>
<td>${l.fileName}<br><span class="muted">${l.format === 'xlsx' ? 'Excel' : 'CSV'}，${fileSize(l.fileBytes)}</span></td>
<td>${timeTag(l.createdAt)}</td>
<td><span class="status-tag ${LOAD_CLASS[l.status]}">${l.statusLabel}</span>${l.active ? html`<br><strong>当前启用</strong>` : ''}</td>
<td>${progressCell(l)}</td>
<td>${l.message ?? ''}${l.errorReportUrl ? html`<br><a href="${l.errorReportUrl}" download>下载错误报告<span class="visually-hidden">（第 ${l.id} 号上传，CSV）</span></a>` : ''}</td>
</tr>`,
  )}</tbody></table></div>`;
}

export const DONE_MESSAGES: Record<string, string> = {
  created: '结果集已创建。请上传结果文件；校验全部通过后数据才会启用。',
  saved: '修改已保存。',
  uploaded: '文件已上传，正在后台逐行校验导入。本页会自动刷新显示进度。',
  published: '结果集已发布：到发布时间起开放查询。',
  withdrawn: '结果集已撤回，查询已停止。',
};

export function renderSetPage(o: { view: ResultSetView; csrf: Html; errors?: FormErrors; done?: string; maxMb: number; refresh: boolean; refreshOff: boolean }): Html {
  const v = o.view;
  const errors = o.errors ?? {};
  const active = v.loads.find((l) => l.active);
  const keyLabels = v.keyColumns.map((k) => v.columns.find((c) => c.key === k)?.label ?? k);
  const canPublish = v.status !== 'published' && v.activeLoadId !== null;
  const header = v.columns.map((c) => c.label).join(',');
  return html`<h1>${v.title} ${statusTag(v)}</h1>
${o.done ? notice(o.done) : ''}
${errorSummary(errors)}
${
  o.refresh
    ? html`<p class="notice info" role="status">有文件正在校验导入，本页每 3 秒自动刷新一次。<a href="${setHref(v.code)}?refresh=0">停止自动刷新</a></p>`
    : v.loadInProgress && o.refreshOff
      ? html`<p class="notice info" role="status">有文件正在校验导入。<a href="${setHref(v.code)}">刷新查看进度</a></p>`
      : ''
}
<table class="facts">
<tr><th scope="row">代码</th><td><code>${v.code}</code></td></tr>
<tr><th scope="row">发布部门</th><td>${v.department.name}</td></tr>
<tr><th scope="row">状态</th><td>${v.statusLabel}</td></tr>
<tr><th scope="row">发布时间</th><td>${releaseText(v)}</td></tr>
<tr><th scope="row">当前数据</th><td>${active ? html`${count(active.rowsRead)} 行（第 ${active.id} 号上传，${timeTag(active.finishedAt)} 导入）` : html`<span class="muted">尚无校验通过的数据</span>`}</td></tr>
<tr><th scope="row">查询关键字段</th><td>${keyLabels.join(' + ')}</td></tr>
${v.description ? html`<tr><th scope="row">说明</th><td>${v.description}</td></tr>` : ''}
</table>
<p><a href="${setHref(v.code)}/edit">修改结果集</a></p>

<h2>发布与撤回</h2>
${
  v.status === 'published'
    ? html`<form method="post" action="${setHref(v.code)}/withdraw">
${o.csrf}
<div class="field${errors.reason ? ' has-error' : ''}">
  <label for="f-reason">撤回原因</label>
  <p class="hint" id="f-reason-hint">撤回后立即停止查询；可重新上传更正后的数据再发布（选填，记入审计日志）</p>
  <textarea id="f-reason" name="reason" rows="2" maxlength="500" aria-describedby="f-reason-hint"></textarea>
</div>
<button type="submit" class="secondary">撤回结果集</button>
</form>`
    : canPublish
      ? html`<form method="post" action="${setHref(v.code)}/publish">
${o.csrf}
${
  v.released
    ? html`<div class="field checkbox-field${errors.releaseAt ? ' has-error' : ''}">
  ${errors.releaseAt ? html`<p class="field-error" id="f-releaseAt-error"><span class="visually-hidden">错误：</span>${errors.releaseAt}</p>` : ''}
  <input id="f-releaseAt" name="confirmImmediateRelease" type="checkbox" value="1" aria-describedby="f-releaseAt-hint">
  <label for="f-releaseAt">确认立即开放查询</label>
  <p class="hint" id="f-releaseAt-hint">发布时间（${formatTime(v.releaseAt)}）已过，发布后立即可以查询。如不应立即开放，请先修改发布时间。</p>
</div>`
    : html`<p>发布后，到 ${formatTime(v.releaseAt)}（北京时间）开放查询。</p>`
}
<button type="submit" class="primary">发布结果集</button>
</form>`
      : html`<p>上传的文件校验通过、数据导入后才能发布。</p>`
}

<h2>上传结果文件</h2>
${
  v.loadInProgress
    ? html`<p>有文件正在校验导入，完成后才能再次上传。</p>`
    : html`<form class="upload-form form-narrow" method="post" action="${setHref(v.code)}/loads" enctype="multipart/form-data">
${o.csrf}
<div class="field${errors.file ? ' has-error' : ''}">
  <label for="f-file">结果文件（CSV 或 Excel .xlsx）</label>
  <p class="hint" id="f-file-hint">第 1 行为表头（如：${header}），从第 2 行起每行一条。CSV 须为 UTF-8 编码（Excel 中另存为“CSV UTF-8（逗号分隔）”）；Excel 只读第一个工作表。单个文件不超过 ${o.maxMb} MB。逐行校验全部通过后才替换现有数据，有错误时不导入任何数据，可下载错误报告。<a href="${setHref(v.code)}/template.csv">下载表头模板</a></p>
  ${errors.file ? html`<p class="field-error" id="f-file-error"><span class="visually-hidden">错误：</span>${errors.file}</p>` : ''}
  <input id="f-file" name="file" type="file" accept=".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" aria-describedby="f-file-hint${errors.file ? ' f-file-error' : ''}"${raw(errors.file ? ' aria-invalid="true"' : '')}>
</div>
<button type="submit" class="primary">上传并校验</button>
</form>`
}

<h2>列定义</h2>
<div class="table-scroll"><table class="data-table">
<caption class="visually-hidden">各列的定义</caption>
<thead><tr><th scope="col">列名</th><th scope="col">字段名</th><th scope="col">类型</th><th scope="col">必填</th><th scope="col">查询关键字段</th></tr></thead>
<tbody>${v.columns.map(
    (c) => html`<tr><th scope="row">${c.label}</th><td><code>${c.key}</code></td><td>${COLUMN_TYPES[c.type]}</td><td>${c.required ? '是' : '否'}</td><td>${v.keyColumns.includes(c.key) ? '是' : '否'}</td></tr>`,
  )}</tbody></table></div>

<h2>上传记录</h2>
${loadsTable(v)}`;
}
