/**
 * 数据装载与版本 page (zh-CN, no JavaScript needed): /admin/data/resources/:code/loads — the resource's data
 * version and record count, the upload form (file and mode), and every load newest first: its version (the one
 * in force marked), mode, status, progress, counts, message, error report, and a rollback button for each
 * earlier applied version. While a load is queued or running, the page reloads itself every 3 seconds and says so.
 */
import { html, type Html } from '../../http/html.ts';
import { errorSummary, notice, type FormErrors } from '../portal/forms.ts';
import { formatTime, pager } from '../staff/admin-page.ts';
import { loadsPageOf, type DataLoadView } from './get-data-load.ts';
import type { DataLoadList } from './list-data-loads.ts';

export const DONE_MESSAGES: Record<string, string> = {
  uploaded: '文件已上传，正在排队校验装载。本页会自动刷新显示进度。',
  rolledback: '已回滚，生成了新的数据版本。',
};

const STATUS_CLASS: Record<DataLoadView['status'], string> = { pending: 'draft', loading: 'draft', applied: 'success', failed: 'failure' };
const count = (n: number) => n.toLocaleString('zh-CN');
const timeTag = (iso: string | null) => (iso ? html`<time datetime="${iso}">${formatTime(iso)}</time>` : html`—`);

function progress(l: DataLoadView): Html {
  if (l.status === 'pending') return html`排队等待`;
  if (l.status === 'loading') {
    return html`<progress max="100" value="${String(l.progressPercent)}" aria-label="装载进度">${String(l.progressPercent)}%</progress> ${String(l.progressPercent)}%，已读 ${count(l.rowsRead)} 行${l.rowsBad ? html`，<strong>${count(l.rowsBad)} 行有错误</strong>` : ''}`;
  }
  if (l.mode === 'rollback') return html`恢复 ${count(l.rowsUpserted)}，删除 ${count(l.rowsDeleted)}`;
  return html`读 ${count(l.rowsRead)} 行${l.rowsBad ? html`，错误 ${count(l.rowsBad)} 行` : html`；新增或更新 ${count(l.rowsUpserted)}，删除 ${count(l.rowsDeleted)}`}`;
}

export function renderLoadsPage(o: { list: DataLoadList; csrf: Html; errors?: FormErrors; done?: string; maxMb: number; refresh: boolean }): Html {
  const { list } = o;
  const r = list.resource;
  const base = loadsPageOf(r.code);
  return html`<h1>数据装载与版本：${r.name}</h1>
${o.done ? notice(o.done) : ''}
${errorSummary(o.errors)}
<dl class="summary-list">
<dt>资源代码</dt><dd><code>${r.code}</code></dd>
<dt>提供部门</dt><dd>${r.provider.name}</dd>
<dt>当前数据版本</dt><dd>${r.dataVersion ? `第 ${r.dataVersion} 版` : '尚未装载数据'}</dd>
<dt>记录数</dt><dd>${count(r.recordCount)}</dd>
</dl>
${o.refresh ? html`<p class="notice info" role="status">有装载正在排队或进行，本页每 3 秒自动刷新。<a href="${base}?refresh=0">停止自动刷新</a></p>` : ''}
<h2>上传数据文件</h2>
<p>支持 CSV（UTF-8 编码）、Excel（.xlsx，读取第一个工作表）和 JSON（对象数组或每行一个对象），不超过 ${String(o.maxMb)} MB。第 1 行为表头，每列写信息项名称或代码。文件中只要有一行不合格，整个文件都不会装载，可下载错误报告修改后重新上传。</p>
<form method="post" action="${base}" enctype="multipart/form-data">
${o.csrf}
<fieldset class="field${o.errors?.mode ? ' has-error' : ''}">
<legend>装载方式</legend>
${o.errors?.mode ? html`<p class="field-error" id="f-mode-error"><span class="visually-hidden">错误：</span>${o.errors.mode}</p>` : ''}
<div class="radio"><input type="radio" id="f-mode-upsert" name="mode" value="upsert" checked><label for="f-mode-upsert">增量更新：按关键项新增或替换记录，文件中没有的记录保持不变</label></div>
<div class="radio"><input type="radio" id="f-mode-full" name="mode" value="full"><label for="f-mode-full">全量替换：文件就是全部数据，文件中没有的记录将被删除</label></div>
<div class="radio"><input type="radio" id="f-mode-delete" name="mode" value="delete"><label for="f-mode-delete">按关键项删除：文件只需关键项一列，列出的记录将被删除</label></div>
</fieldset>
<div class="field${o.errors?.file ? ' has-error' : ''}">
<label for="f-file">数据文件</label>
${o.errors?.file ? html`<p class="field-error" id="f-file-error"><span class="visually-hidden">错误：</span>${o.errors.file}</p>` : ''}
<input type="file" id="f-file" name="file" accept=".csv,.xlsx,.json,.ndjson,text/csv,application/json" required${o.errors?.file ? html` aria-describedby="f-file-error"` : ''}>
</div>
<button type="submit">上传并装载</button>
</form>
<h2>装载记录与数据版本</h2>
${
  list.loads.length
    ? html`<div class="table-scroll"><table class="data-table">
<caption class="visually-hidden">装载记录（最新的在前）</caption>
<thead><tr><th scope="col">版本</th><th scope="col">方式</th><th scope="col">文件</th><th scope="col">状态</th><th scope="col">进度与行数</th><th scope="col">说明</th><th scope="col">上传时间</th><th scope="col">操作</th></tr></thead>
<tbody>${list.loads.map(
        (l) => html`<tr>
<th scope="row">${l.version ? html`第 ${String(l.version)} 版${l.current ? html`<br><span class="status-tag success">当前生效</span>` : ''}` : '—'}</th>
<td>${l.modeLabel}${l.rollbackTo ? html`（到第 ${String(l.rollbackTo)} 版）` : ''}</td>
<td>${l.fileName || '—'}</td>
<td><span class="status-tag ${STATUS_CLASS[l.status]}">${l.statusLabel}</span></td>
<td>${progress(l)}</td>
<td>${l.message ?? ''}${l.errorReportUrl ? html`<br><a href="${l.errorReportUrl}">下载错误报告</a>` : ''}</td>
<td>${timeTag(l.createdAt)}</td>
<td>${
          l.status === 'applied' && l.version !== null && !l.current && !list.inProgress
            ? html`<form method="post" action="${base}/rollback">${o.csrf}<input type="hidden" name="to" value="${String(l.version)}"><button type="submit" class="secondary">回滚到此版本</button></form>`
            : ''
        }</td>
</tr>`,
      )}</tbody></table></div>
${pager(base, {}, list.page, list.total, list.size)}`
    : html`<p class="no-hits">还没有装载过数据。</p>`
}`;
}
