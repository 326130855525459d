/**
 * 办件待办 (/staff/applications): the staff member's inbox — tabs by state with their counts, the counts by
 * deadline (正常 / 即将超期 / 已超期, in words), filters (state, deadline, escalated, item, number or name) and
 * the most urgent applications first, a page at a time.
 */
import { html, raw, type Html } from '../../http/html.ts';
import { errorSummary, notice, selectField, textField, type FormErrors } from '../portal/forms.ts';
import { checkboxField } from '../staff/admin-page.ts';
import type { Inbox } from './list-staff-inbox.ts';
import { DEADLINE_LABELS, deadlineBadge, timeTag } from './application-view.page.ts';

export interface InboxFilters {
  state: string;
  deadline: string;
  escalated: boolean;
  item: string;
  q: string;
  after: string;
}

export const INBOX_PATH = '/staff/applications';
export const staffHref = (number: string) => `${INBOX_PATH}/${encodeURIComponent(number)}`;

export function inboxHref(f: Partial<InboxFilters>): string {
  const q = new URLSearchParams();
  if (f.state) q.set('state', f.state);
  if (f.deadline) q.set('deadline', f.deadline);
  if (f.escalated) q.set('escalated', '1');
  if (f.item) q.set('item', f.item);
  if (f.q) q.set('q', f.q);
  if (f.after) q.set('after', f.after);
  const s = q.toString();
  return s ? `${INBOX_PATH}?${s}` : INBOX_PATH;
}

export function renderInbox(o: { inbox: Inbox; filters: InboxFilters; errors?: FormErrors; done?: string }): Html {
  const { inbox, filters: f } = o;
  const total = inbox.counts.reduce((n, c) => n + c.total, 0);
  const byDeadline = {
    normal: inbox.counts.reduce((n, c) => n + c.normal, 0),
    due_soon: inbox.counts.reduce((n, c) => n + c.dueSoon, 0),
    overdue: inbox.counts.reduce((n, c) => n + c.overdue, 0),
  };
  const keep = { deadline: f.deadline, escalated: f.escalated, item: f.item, q: f.q };
  return html`<h1>办件待办</h1>
${o.done ? notice(o.done) : ''}
${errorSummary(o.errors)}
<nav class="account-tabs inbox-tabs" aria-label="按状态查看">
<ul>
  <li><a href="${inboxHref(keep)}"${raw(!f.state ? ' class="current" aria-current="page"' : '')}>全部<span class="count">（${total}）</span></a></li>
  ${inbox.counts.map(
    (c) => html`<li><a href="${inboxHref({ ...keep, state: c.state })}"${raw(f.state === c.state ? ' class="current" aria-current="page"' : '')}>${c.stateLabel}<span class="count">（${c.total}${
      c.overdue ? `，已超期 ${c.overdue}` : ''
    }${c.dueSoon ? `，即将超期 ${c.dueSoon}` : ''}）</span></a></li>`,
  )}
</ul>
</nav>
<p>按期限：${(['normal', 'due_soon', 'overdue'] as const).map(
    (d, i) => html`${i ? ' · ' : ''}<a href="${inboxHref({ ...keep, state: f.state, deadline: d })}">${deadlineBadge(d)} ${byDeadline[d]} 件</a>`,
  )}</p>
<form class="filter-form" method="get" action="${INBOX_PATH}">
${selectField({ name: 'state', label: '状态', value: f.state, options: [{ value: '', label: '全部状态' }, ...inbox.states.map((s) => ({ value: s.state, label: s.label }))], errors: o.errors })}
${selectField({ name: 'deadline', label: '期限', value: f.deadline, options: [{ value: '', label: '全部' }, ...Object.entries(DEADLINE_LABELS).map(([value, label]) => ({ value, label }))], errors: o.errors })}
${textField({ name: 'item', label: '事项实施编码', value: f.item, maxlength: 36, errors: o.errors })}
${textField({ name: 'q', label: '办件编号或申请人名称', type: 'search', value: f.q, maxlength: 60, hint: '编号可只输入开头部分；名称须完整', errors: o.errors })}
${checkboxField({ name: 'escalated', label: '只看超期督办的办件', checked: f.escalated })}
<button type="submit" class="primary">筛选</button>
${f.state || f.deadline || f.escalated || f.item || f.q ? html`<a href="${INBOX_PATH}">清除筛选</a>` : ''}
</form>
${
  inbox.items.length
    ? html`<div class="table-scroll"><table class="data-table inbox-table">
<caption class="visually-hidden">待办办件（按期限排序，最紧急的在前）</caption>
<thead><tr><th scope="col">办件编号</th><th scope="col">事项</th><th scope="col">申请人</th><th scope="col">状态</th><th scope="col">期限</th><th scope="col">提交时间</th></tr></thead>
<tbody>${inbox.items.map(
        (a) => html`<tr>
<th scope="row"><a href="${staffHref(a.number)}">${a.number}</a></th>
<td>${a.itemName}</td>
<td>${a.subjectName}</td>
<td>${a.stateLabel}${a.escalated ? html`<br><span class="status-tag denied">超期督办</span>` : ''}</td>
<td>${a.dueOn ?? '—'} ${deadlineBadge(a.deadlineStatus)}</td>
<td>${timeTag(a.submittedAt)}</td>
</tr>`,
      )}</tbody></table></div>
${
  inbox.next || f.after
    ? html`<nav class="pagination" aria-label="分页"><ul>${f.after ? html`<li><a href="${inboxHref({ ...f, after: '' })}">回到第一页</a></li>` : ''}${
        inbox.next ? html`<li><a href="${inboxHref({ ...f, after: inbox.next })}" rel="next">下一页</a></li>` : ''
      }</ul></nav>`
    : ''
}`
    : html`<p class="no-hits">${f.state || f.deadline || f.escalated || f.item || f.q ? '没有符合条件的办件。' : '暂无待办办件。'}</p>`
}`;
}
