/**
 * 预约管理 pages for staff (zh-CN, no JavaScript needed): the services their roles reach (/admin/appointments),
 * a service's month (/admin/appointments/:code?month=YYYY-MM) with closures, and a day's list with places,
 * bookings and check-in (/admin/appointments/:code/:day). Rendering only; forms post `_csrf` and redirect.
 */
import { html, raw, type Html } from '../../http/html.ts';
import { errorSummary, notice, textField, type FormErrors } from '../portal/forms.ts';
import type { DayOpening, ManagedService, MonthDay, ServiceMonth, StaffBookingView, StaffDayList, StaffSlot } from './appointments.types.ts';
import { SERVICE_LIMITS } from './appointments.types.ts';
import { formatChinaDate } from './appointment-time.ts';
import { chinaTime, dayLabel, serviceHref, sessionsLabel, slotLabel, windowLabel, openDaysLabel } from './appointments.page.ts';
import { bookingStatusTag } from './my-appointments.page.ts';

export const STAFF_PATH = '/admin/appointments';
export const staffServiceHref = (code: string, month?: string) => `${STAFF_PATH}/${encodeURIComponent(code)}${month ? `?month=${month}` : ''}`;
export const staffDayHref = (code: string, day: string) => `${STAFF_PATH}/${encodeURIComponent(code)}/${day}`;

/** 'YYYY-MM' n months away. */
export function shiftMonth(month: string, n: number): string {
  const i = Number(month.slice(0, 4)) * 12 + Number(month.slice(5, 7)) - 1 + n;
  return `${Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, '0')}`;
}

const monthLabel = (month: string) => `${Number(month.slice(0, 4))}年${Number(month.slice(5, 7))}月`;

// —— /admin/appointments ——

export function renderManagedServices(o: { services: ManagedService[]; today: string; regionName: (code: string) => string }): Html {
  return html`<h1>预约管理</h1>
<p>您所在部门（按您的角色范围）的预约服务：查看月历与当日名单，办理签到${o.services.some((s) => s.canManage) ? '，调整号源、设置临时闭馆' : ''}。</p>
${
  o.services.length
    ? html`<div class="table-scroll"><table class="data-table">
<caption class="visually-hidden">我可管理或签到的预约服务，共 ${o.services.length} 项</caption>
<thead><tr><th scope="col">服务</th><th scope="col">类型</th><th scope="col">部门</th><th scope="col">状态</th><th scope="col">我的权限</th><th scope="col">操作</th></tr></thead>
<tbody>${o.services.map(
        (s) => html`<tr>
<th scope="row"><a href="${staffServiceHref(s.code)}">${s.name}</a><br><code class="muted">${s.code}</code></th>
<td>${s.kindLabel}</td>
<td>${s.departmentName}<br><span class="muted">${o.regionName(s.regionCode)}</span></td>
<td>${s.status === 'active' ? html`<span class="status-tag success">开放预约</span>` : html`<span class="status-tag denied">暂停</span>`}</td>
<td>${[s.canManage ? '管理' : '', s.canCheckIn ? '签到' : ''].filter(Boolean).join('、')}</td>
<td><ul class="action-list">
  <li><a href="${staffServiceHref(s.code)}">月历<span class="visually-hidden">：${s.name}</span></a></li>
  <li><a href="${staffDayHref(s.code, o.today)}">今日名单<span class="visually-hidden">：${s.name}</span></a></li>
  <li><a href="${serviceHref(s.code)}">公众页面<span class="visually-hidden">：${s.name}</span></a></li>
</ul></td>
</tr>`,
      )}</tbody></table></div>`
    : html`<p>您的角色范围内没有预约服务。预约服务由部门管理员设置；如需签到权限，请联系本部门管理员授予“窗口受理人员”角色。</p>`
}`;
}

// —— month ——

function openingText(opening: DayOpening): string {
  switch (opening.status) {
    case 'open':
      return '开放';
    case 'closed':
      return `暂停预约：${opening.reason}`;
    case 'holiday':
      return `法定节假日（${opening.holidayName}）`;
    case 'rest':
      return '休息日';
  }
}

function openingTag(opening: DayOpening): Html {
  const cls = opening.status === 'open' ? 'success' : opening.status === 'closed' ? 'denied' : 'superseded';
  return html`<span class="status-tag ${cls}">${opening.status === 'closed' ? '暂停预约' : openingText(opening)}</span>`;
}

function monthCell(m: ServiceMonth, d: MonthDay, o: { today: string; csrf: Html }): Html {
  const code = m.service.code;
  const reopen =
    m.canManage && d.opening.status === 'closed' && d.day >= o.today
      ? html`<form class="inline-form" method="post" action="${staffServiceHref(code)}/reopen">${o.csrf}<input type="hidden" name="day" value="${d.day}"><button type="submit" class="secondary" aria-label="恢复开放：${dayLabel(d.day)}">恢复开放</button></form>`
      : '';
  return html`<td${raw(d.day === o.today ? ' aria-current="date"' : '')}>
<a href="${staffDayHref(code, d.day)}"><strong>${Number(d.day.slice(8, 10))}日</strong><span class="visually-hidden">（星期${'日一二三四五六'[d.weekday]}）当日名单</span></a>${d.day === o.today ? html` <span class="status-tag published">今天</span>` : ''}<br>
${openingTag(d.opening)}${d.opening.status === 'closed' ? html`<br><span class="muted">${d.opening.reason}</span>` : ''}${d.opening.status === 'holiday' ? html`<br><span class="muted">${d.opening.holidayName}</span>` : ''}
${d.capacity || d.taken ? html`<br>号源 ${d.capacity} · 已约 ${d.taken}` : ''}
${reopen ? html`<br>${reopen}` : ''}
</td>`;
}

export interface MonthPageInput {
  month: ServiceMonth;
  today: string;
  csrf: Html;
  done?: string;
  errors?: FormErrors;
  values?: { day?: string; reason?: string };
}

const WEEK_HEADERS = ['星期一', '星期二', '星期三', '星期四', '星期五', '星期六', '星期日'];

export function renderServiceMonth(o: MonthPageInput): Html {
  const m = o.month;
  const s = m.service;
  // weeks from Monday: blank cells before the 1st and after the last day
  const lead = (m.days[0]!.weekday + 6) % 7;
  const cells: (MonthDay | null)[] = [...Array<null>(lead).fill(null), ...m.days];
  while (cells.length % 7) cells.push(null);
  const weeks: (MonthDay | null)[][] = [];
  for (let i = 0; i < cells.length; i += 7) weeks.push(cells.slice(i, i + 7));
  const closures = m.days.filter((d) => d.opening.status === 'closed');
  const totals = m.days.reduce((a, d) => ({ capacity: a.capacity + d.capacity, taken: a.taken + d.taken }), { capacity: 0, taken: 0 });
  return html`<h1>${s.name}：${monthLabel(m.month)}</h1>
${o.done ? notice(o.done) : ''}
${errorSummary(o.errors)}
<p>${s.departmentName} · ${openDaysLabel(s)} · ${sessionsLabel(s)} · 每 ${s.slotMinutes} 分钟一个时段，默认每个时段 ${s.capacity} 个号 · ${windowLabel(s)}${s.status === 'active' ? '' : html` · <span class="status-tag denied">服务暂停</span>`}</p>
<nav class="pagination" aria-label="切换月份"><ul>
  <li><a href="${staffServiceHref(s.code, shiftMonth(m.month, -1))}" rel="prev">上个月（${monthLabel(shiftMonth(m.month, -1))}）</a></li>
  <li><span aria-current="page">${monthLabel(m.month)}</span></li>
  <li><a href="${staffServiceHref(s.code, shiftMonth(m.month, 1))}" rel="next">下个月（${monthLabel(shiftMonth(m.month, 1))}）</a></li>
</ul></nav>
<p>本月号源 ${totals.capacity} 个，已预约 ${totals.taken} 个${closures.length ? `，暂停预约 ${closures.length} 天` : ''}。点击日期查看当日名单${m.canManage ? '、调整号源' : '、办理签到'}。</p>
<div class="table-scroll"><table class="data-table month-calendar">
<caption>${monthLabel(m.month)}预约月历</caption>
<thead><tr>${WEEK_HEADERS.map((w) => html`<th scope="col">${w}</th>`)}</tr></thead>
<tbody>${weeks.map((w) => html`<tr>${w.map((d) => (d ? monthCell(m, d, o) : html`<td></td>`))}</tr>`)}</tbody>
</table></div>
${
  closures.length
    ? html`<section aria-labelledby="h-closures"><h2 id="h-closures">本月暂停预约的日期</h2>
<ul class="plain-list">${closures.map((d) => html`<li>${dayLabel(d.day)}：${d.opening.status === 'closed' ? d.opening.reason : ''}</li>`)}</ul></section>`
    : ''
}
${
  m.canManage
    ? html`<section aria-labelledby="h-close">
<h2 id="h-close">设置临时闭馆（暂停预约）</h2>
<p>该日已有的预约将全部取消，并向预约人说明原因；恢复开放后这些预约不会自动恢复。</p>
<form class="form-narrow" method="post" action="${staffServiceHref(s.code)}/close" novalidate>
${o.csrf}
${textField({ name: 'day', label: '日期', type: 'date', value: o.values?.day, required: true, hint: '格式 YYYY-MM-DD，不能早于今天。', errors: o.errors })}
${textField({ name: 'reason', label: '闭馆原因', value: o.values?.reason, required: true, maxlength: SERVICE_LIMITS.closureReason, hint: '将告知已预约的群众，如：系统升级、场馆维修。', errors: o.errors })}
<button type="submit" class="primary">暂停该日预约</button>
</form>
</section>`
    : ''
}
<p><a href="${STAFF_PATH}">返回预约管理</a></p>`;
}

// —— day ——

const slotKey = (startsAt: string) => `capacity-${startsAt.replace(':', '')}`;

function partiesCell(b: StaffBookingView): Html {
  return html`<ul class="plain-list">${b.parties.map(
    (p) => html`<li>${p.roleLabel}：${p.name} <code>${p.idNumberMasked}</code>${b.parties.length > 1 ? (p.confirmed ? '（已确认）' : '（未确认）') : ''}</li>`,
  )}</ul>`;
}

function bookingNote(b: StaffBookingView): Html | string {
  if (b.status === 'checked_in' && b.checkedInAt) return html`<br><span class="muted">${chinaTime(b.checkedInAt)}${b.checkedInBy ? ` · ${b.checkedInBy}` : ''}</span>`;
  if (b.status === 'held' && b.holdUntil) return html`<br><span class="muted">保留至 ${chinaTime(b.holdUntil)}</span>`;
  if (b.status === 'cancelled' && b.cancelReason) return html`<br><span class="muted">${b.cancelReason}</span>`;
  return '';
}

function capacityForm(list: StaffDayList, slot: StaffSlot | null, o: { csrf: Html; errors?: FormErrors; values?: Record<string, string> }): Html {
  const key = slot ? slotKey(slot.startsAt) : 'capacity-day';
  const id = `f-${key}`;
  const error = o.errors?.[key];
  const label = slot ? `${slotLabel(slot.startsAt, slot.endsAt)} 的号源` : '当天每个时段的号源';
  const value = o.values?.[key] ?? (slot ? String(slot.capacity) : String(list.service.capacity));
  return html`<form class="inline-form" method="post" action="${staffDayHref(list.service.code, list.day)}/capacity" novalidate>
${o.csrf}
${slot ? html`<input type="hidden" name="startsAt" value="${slot.startsAt}">` : ''}
<label for="${id}"${raw(slot ? ' class="visually-hidden"' : '')}>${label}</label>
${error ? html`<span class="field-error" id="${id}-error"><span class="visually-hidden">错误：</span>${error}</span>` : ''}
<input id="${id}" name="capacity" type="number" inputmode="numeric" min="0" max="${SERVICE_LIMITS.capacity[1]}" value="${value}" size="5"${raw(error ? ` aria-invalid="true" aria-describedby="${id}-error"` : '')}>
<button type="submit" class="secondary">调整<span class="visually-hidden">${label}</span></button>
</form>`;
}

export interface DayListPageInput {
  list: StaffDayList;
  today: string;
  csrf: Html;
  done?: string;
  /** the booking just checked in (shown at the top) */
  checked?: StaffBookingView | null;
  errors?: FormErrors;
  values?: Record<string, string>;
}

export function renderDayList(o: DayListPageInput): Html {
  const l = o.list;
  const s = l.service;
  const bookings = l.slots.flatMap((x) => x.bookings);
  const active = bookings.filter((b) => b.status === 'confirmed' || b.status === 'held' || b.status === 'checked_in');
  const isToday = l.day === o.today;
  const editable = l.canManage && l.opening.status === 'open' && l.day >= o.today;
  const codeError = o.errors?.code;
  const c = o.checked;
  return html`<h1>${s.name}：${formatChinaDate(l.day)}当日名单</h1>
<p class="lead">${dayLabel(l.day)} ${openingTag(l.opening)}${l.opening.status === 'closed' ? `：${l.opening.reason}` : ''}${isToday ? html` <span class="status-tag published">今天</span>` : ''}</p>
${o.done ? notice(o.done) : ''}
${
  c
    ? html`<div class="notice" role="status"><p><strong>签到成功：</strong>预约码 <code>${c.code}</code>，${c.serviceName}，${dayLabel(c.day)} ${slotLabel(c.startsAt, c.endsAt)}，${c.parties.map((p) => `${p.roleLabel} ${p.name}（${p.idNumberMasked}）`).join('；')}。</p></div>`
    : ''
}
${errorSummary(o.errors)}
${
  l.canCheckIn
    ? html`<section aria-labelledby="h-checkin">
<h2 id="h-checkin">签到</h2>
<form class="form-narrow" method="post" action="${staffDayHref(s.code, l.day)}/check-in" novalidate>
${o.csrf}
${textField({ name: 'code', label: '预约码', value: o.values?.code, required: true, maxlength: 10, autocomplete: 'off', hint: '输入或扫描群众出示的 10 位预约码（只能在预约当天签到，须已确认）。', errors: o.errors })}
<button type="submit" class="primary">签到</button>
</form>
</section>`
    : ''
}
<section aria-labelledby="h-slots">
<h2 id="h-slots">时段与号源</h2>
${
  l.slots.length
    ? html`<div class="table-scroll"><table class="data-table">
<caption class="visually-hidden">${dayLabel(l.day)}各时段的号源与预约人数</caption>
<thead><tr><th scope="col">时段</th><th scope="col">号源</th><th scope="col">已约</th><th scope="col">剩余</th>${editable ? html`<th scope="col">调整号源</th>` : ''}</tr></thead>
<tbody>${l.slots.map(
        (x) => html`<tr>
<th scope="row">${slotLabel(x.startsAt, x.endsAt)}${x.outsideHours ? html`<br><span class="muted">不在当前开放时间内</span>` : ''}</th>
<td>${x.capacity}${x.changed ? html` <span class="muted">（已调整）</span>` : ''}</td>
<td>${x.taken}</td>
<td>${x.free}</td>
${editable ? html`<td>${x.outsideHours ? '' : capacityForm(l, x, o)}</td>` : ''}
</tr>`,
      )}</tbody></table></div>`
    : html`<p>${l.opening.status === 'open' ? '该日没有时段。' : '该日不开放，没有时段。'}</p>`
}
${editable && l.slots.some((x) => !x.outsideHours) ? html`<p>${capacityForm(l, null, o)} <span class="muted">号源不能少于各时段已预约人数。</span></p>` : ''}
</section>
<section aria-labelledby="h-bookings">
<h2 id="h-bookings">预约名单（有效 ${active.length} 个）</h2>
${
  bookings.length
    ? html`<div class="table-scroll"><table class="data-table">
<caption class="visually-hidden">${dayLabel(l.day)}的预约，身份证号部分隐藏</caption>
<thead><tr><th scope="col">时段</th><th scope="col">预约码</th><th scope="col">状态</th><th scope="col">当事人</th>${l.canCheckIn ? html`<th scope="col">操作</th>` : ''}</tr></thead>
<tbody>${bookings.map(
        (b) => html`<tr>
<td>${slotLabel(b.startsAt, b.endsAt)}</td>
<th scope="row"><code>${b.code}</code></th>
<td>${bookingStatusTag(b)}${bookingNote(b)}</td>
<td>${partiesCell(b)}</td>
${
  l.canCheckIn
    ? html`<td class="actions">${
        b.status === 'confirmed' && isToday
          ? html`<form class="inline-form" method="post" action="${staffDayHref(s.code, l.day)}/check-in">${o.csrf}<input type="hidden" name="code" value="${b.code}"><button type="submit" class="secondary" aria-label="签到：预约码 ${b.code}">签到</button></form>`
          : ''
      }</td>`
    : ''
}
</tr>`,
      )}</tbody></table></div>`
    : html`<p>该日还没有预约。</p>`
}
</section>
${
  l.canManage && l.day >= o.today && l.opening.status === 'open'
    ? html`<section aria-labelledby="h-close">
<h2 id="h-close">暂停该日预约（临时闭馆）</h2>
<p>该日已有的 ${active.filter((b) => b.status !== 'checked_in').length} 个有效预约将全部取消，并向预约人说明原因。</p>
<form class="form-narrow" method="post" action="${staffServiceHref(s.code)}/close" novalidate>
${o.csrf}
<input type="hidden" name="day" value="${l.day}">
<input type="hidden" name="from" value="day">
${textField({ name: 'reason', label: '闭馆原因', value: o.values?.reason, required: true, maxlength: SERVICE_LIMITS.closureReason, hint: '将告知已预约的群众。', errors: o.errors })}
<button type="submit" class="primary">暂停该日预约</button>
</form>
</section>`
    : ''
}
${
  l.canManage && l.day >= o.today && l.opening.status === 'closed'
    ? html`<form method="post" action="${staffServiceHref(s.code)}/reopen">${o.csrf}<input type="hidden" name="day" value="${l.day}"><input type="hidden" name="from" value="day"><button type="submit" class="secondary">恢复该日开放</button></form>`
    : ''
}
<p><a href="${staffServiceHref(s.code, l.day.slice(0, 7))}">返回${monthLabel(l.day.slice(0, 7))}月历</a></p>`;
}
