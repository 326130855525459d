/** Pages of the working-day calendar: the public year view (/calendar) and the administrators' page (/admin/calendar). */
import { html, raw, type Html } from '../../http/html.ts';
import { errorSummary, notice, textField, type FormErrors } from '../portal/forms.ts';
import { formatTime } from '../staff/admin-page.ts';
import { CALENDAR_LIMITS, SOURCE_LABELS, type CalendarDayView, type CalendarYearSummary, type CalendarYearView } from './calendar.types.ts';
import { dayNumber } from './working-calendar.ts';

/** '2025-01-28' → '1月28日' */
const monthDay = (day: string) => `${Number(day.slice(5, 7))}月${Number(day.slice(8, 10))}日`;

/** Consecutive holidays as one period (春节 1月28日至2月4日, 国庆节、中秋 10月1日至8日). */
export function holidayPeriods(days: readonly CalendarDayView[]): { names: string; first: string; last: string; count: number }[] {
  const periods: { names: string[]; first: string; last: string; lastN: number; count: number }[] = [];
  for (const d of days) {
    if (d.kind !== 'holiday') continue;
    const n = dayNumber(d.day);
    const cur = periods.at(-1);
    if (cur && cur.lastN === n - 1) {
      if (!cur.names.includes(d.name)) cur.names.push(d.name);
      cur.last = d.day;
      cur.lastN = n;
      cur.count++;
    } else {
      periods.push({ names: [d.name], first: d.day, last: d.day, lastN: n, count: 1 });
    }
  }
  return periods.map((p) => ({ names: p.names.join('、'), first: p.first, last: p.last, count: p.count }));
}

function statusNote(v: CalendarYearView): Html {
  if (!v.known) {
    return html`<div class="notice info" role="status"><p>${v.year} 年的节假日安排尚未公布或尚未录入。在此之前，办件时限暂按周一至周五为工作日计算，公布后以正式安排为准。</p></div>`;
  }
  return html`<p>依据：${v.notice || '国务院办公厅部分节假日安排的通知'}<span class="muted">（${v.source ? SOURCE_LABELS[v.source] : ''}）</span></p>`;
}

/** The public page: a year's holiday periods and makeup working days. */
export function renderPublicCalendar(v: CalendarYearView, o: { minYear: number; maxYear: number }): Html {
  const periods = holidayPeriods(v.days);
  const workdays = v.days.filter((d) => d.kind === 'workday');
  return html`<h1>${v.year} 年工作日历</h1>
<p class="lead">办件的法定时限和承诺时限按工作日计算：周一至周五为工作日，法定节假日不计，调休上班的周六、周日计为工作日。</p>
${statusNote(v)}
${
  v.known
    ? html`<section aria-labelledby="h-holidays">
  <h2 id="h-holidays">放假安排</h2>
  ${
    periods.length
      ? html`<div class="table-scroll"><table class="data-table">
    <caption class="visually-hidden">${v.year} 年放假安排</caption>
    <thead><tr><th scope="col">节日</th><th scope="col">放假日期</th><th scope="col">天数</th></tr></thead>
    <tbody>${periods.map(
      (p) => html`<tr><th scope="row">${p.names}</th><td><time datetime="${p.first}">${monthDay(p.first)}</time>${
        p.count > 1 ? html`至<time datetime="${p.last}">${monthDay(p.last)}</time>` : ''
      }</td><td>${p.count} 天</td></tr>`,
    )}</tbody>
  </table></div>`
      : html`<p>本年没有录入放假安排。</p>`
  }
</section>
<section aria-labelledby="h-workdays">
  <h2 id="h-workdays">调休上班</h2>
  ${
    workdays.length
      ? html`<div class="table-scroll"><table class="data-table">
    <caption class="visually-hidden">${v.year} 年调休上班日</caption>
    <thead><tr><th scope="col">日期</th><th scope="col">星期</th><th scope="col">因何调休</th></tr></thead>
    <tbody>${workdays.map((d) => html`<tr><th scope="row"><time datetime="${d.day}">${monthDay(d.day)}</time></th><td>${d.weekday}</td><td>${d.name}</td></tr>`)}</tbody>
  </table></div>`
      : html`<p>本年没有调休上班日。</p>`
  }
</section>`
    : ''
}
<nav class="pagination" aria-label="其他年份"><ul>
  ${v.year > o.minYear ? html`<li><a href="/calendar?year=${v.year - 1}" rel="prev">${v.year - 1} 年</a></li>` : ''}
  <li><span aria-current="page">${v.year} 年</span></li>
  ${v.year < o.maxYear ? html`<li><a href="/calendar?year=${v.year + 1}" rel="next">${v.year + 1} 年</a></li>` : ''}
</ul></nav>`;
}

export interface CalendarFormValues {
  year: string;
  notice: string;
  days: string; // the lines
}

function textareaField(o: { name: string; label: string; value: string; hint: Html; errors?: FormErrors; rows: number; maxlength: number }): Html {
  const id = `f-${o.name}`;
  const error = o.errors?.[o.name];
  return html`<div class="field${error ? ' has-error' : ''}">
  <label for="${id}">${o.label}<span class="required" aria-hidden="true"> *</span></label>
  <p class="hint" id="${id}-hint">${o.hint}</p>
  ${error ? html`<p class="field-error" id="${id}-error"><span class="visually-hidden">错误：</span>${error}</p>` : ''}
  <textarea id="${id}" name="${o.name}" rows="${o.rows}" maxlength="${o.maxlength}" required spellcheck="false" aria-describedby="${id}-hint${error ? ` ${id}-error` : ''}"${raw(
    error ? ' aria-invalid="true"' : '',
  )}>${o.value}</textarea>
</div>`;
}

/** The administrators' page: the known years, and the form for one year. */
export function renderAdminCalendar(o: {
  years: CalendarYearSummary[];
  values: CalendarFormValues;
  /** The stored year the form shows, if it is stored. */
  current?: CalendarYearSummary;
  csrf: Html;
  done?: string;
  errors?: FormErrors;
}): Html {
  const v = o.values;
  const last = o.years[0]?.year;
  return html`<h1>工作日历维护</h1>
${notice(o.done)}
<p>法定节假日和调休上班日决定办件法定时限、承诺时限和差评整改时限的计算。系统随附国务院办公厅历年公布的安排（来源“${SOURCE_LABELS['chinese-days']}”）；
国务院办公厅公布新一年的安排后，请在下方录入。${last ? html`目前已知到 <strong>${last} 年</strong>；` : ''}未录入的年份暂按周一至周五为工作日计算。</p>
<section aria-labelledby="h-years">
  <h2 id="h-years">已有年度</h2>
  ${
    o.years.length
      ? html`<div class="table-scroll"><table class="data-table">
    <caption class="visually-hidden">已有工作日历的年度</caption>
    <thead><tr><th scope="col">年份</th><th scope="col">来源</th><th scope="col">放假天数</th><th scope="col">调休上班天数</th><th scope="col">更新时间</th><th scope="col">操作</th></tr></thead>
    <tbody>${o.years.map(
      (y) => html`<tr>
      <th scope="row">${y.year}</th>
      <td><span class="tag">${SOURCE_LABELS[y.source]}</span></td>
      <td>${y.holidays}</td>
      <td>${y.workdays}</td>
      <td>${formatTime(y.updatedAt)}</td>
      <td><a href="/admin/calendar?year=${y.year}#h-form">修改<span class="visually-hidden">：${y.year} 年</span></a> · <a href="/calendar?year=${y.year}">查看<span class="visually-hidden">：${y.year} 年</span></a></td>
    </tr>`,
    )}</tbody>
  </table></div>`
      : html`<p>还没有任何年度的工作日历。</p>`
  }
</section>
<section aria-labelledby="h-form">
  <h2 id="h-form">${o.current ? `修改 ${o.current.year} 年工作日历` : '录入年度工作日历'}</h2>
  <div class="form-narrow">
  ${errorSummary(o.errors)}
  ${
    o.current?.source === 'chinese-days'
      ? html`<div class="notice info"><p>该年度目前使用随系统提供的官方安排。保存后以您录入的内容为准，系统升级时不会再覆盖。</p></div>`
      : ''
  }
  <form action="/admin/calendar" method="post" novalidate>
    ${o.csrf}
    ${textField({ name: 'year', label: '年份', value: v.year, required: true, maxlength: 4, inputmode: 'numeric', autocomplete: 'off', hint: `${CALENDAR_LIMITS.minYear}–${CALENDAR_LIMITS.maxYear} 年；保存时整年的安排以本次填写为准`, errors: o.errors })}
    ${textField({ name: 'notice', label: '依据的通知', value: v.notice, required: true, maxlength: CALENDAR_LIMITS.notice, autocomplete: 'off', hint: '如：国务院办公厅关于2027年部分节假日安排的通知', errors: o.errors })}
    ${textareaField({
      name: 'days',
      label: '放假与调休安排',
      value: v.days,
      rows: 16,
      maxlength: 20000,
      errors: o.errors,
      hint: html`每行一天：日期、“休”或“班”、节日名称，用空格隔开。放假期间的每一天（含周末）都写“休”；调休上班的周六、周日写“班”。例如：<br><code>2027-01-01 休 元旦</code><br><code>2027-02-07 班 春节调休</code>`,
    })}
    <button class="primary" type="submit">保存</button>
    <a href="/admin/calendar">取消</a>
  </form>
  </div>
</section>`;
}
