/**
 * 办件进度查询 (/progress), without signing in: the application number and the applicant's ID number (resident ID
 * or unified social credit code). A wrong pair — whichever part is wrong — gets the same message. The answer
 * holds no personal data (lookupProgress decides what it shows).
 */
import { html, type Html } from '../../http/html.ts';
import { errorSummary, textField, type FormErrors } from '../portal/forms.ts';
import type { ProgressView } from './lookup-progress.ts';
import { dayWithWeekday, deadlineBadge, timeTag } from './application-view.page.ts';

export function renderProgressPage(o: { csrf: Html; values: { number?: string; idNumber?: string }; errors?: FormErrors; result?: ProgressView }): Html {
  const r = o.result;
  return html`<h1>办件进度查询</h1>
<p>无需登录：输入办件编号和申请人的证件号码（个人为身份证号码，企业为统一社会信用代码）即可查询办理进度。登录后可在<a href="/my/applications">我的办件</a>中查看详情。</p>
${errorSummary(o.errors)}
<form class="form-narrow" method="post" action="/progress" novalidate>
${o.csrf}
${textField({ name: 'number', label: '办件编号', value: o.values.number, required: true, maxlength: 30, autocomplete: 'off', hint: '如 330106-20261207-000123，见提交成功的通知短信。', errors: o.errors })}
${textField({ name: 'idNumber', label: '申请人证件号码', value: o.values.idNumber, required: true, maxlength: 30, autocomplete: 'off', errors: o.errors })}
<button type="submit" class="primary">查询</button>
</form>
${
  r
    ? html`<section aria-labelledby="h-progress" class="progress-result">
<h2 id="h-progress">查询结果</h2>
<table class="facts"><caption class="visually-hidden">办件进度</caption><tbody>
<tr><th scope="row">办件编号</th><td>${r.number}</td></tr>
<tr><th scope="row">办理事项</th><td>${r.itemName}</td></tr>
<tr><th scope="row">办理部门</th><td>${r.departmentName}</td></tr>
<tr><th scope="row">当前状态</th><td><strong>${r.stateLabel}</strong></td></tr>
<tr><th scope="row">提交时间</th><td>${timeTag(r.submittedAt)}</td></tr>
<tr><th scope="row">办理期限</th><td>${r.closed ? '已办结' : r.dueOn ? html`${dayWithWeekday(r.dueOn)} ${deadlineBadge(r.deadlineStatus)}` : '—'}</td></tr>
</tbody></table>
<h3>办理过程</h3>
<ol class="steps">${r.steps.map((s) => html`<li><strong>${s.label}</strong> → ${s.stateLabel}<span>${timeTag(s.at)}</span></li>`)}</ol>
</section>`
    : ''
}`;
}
