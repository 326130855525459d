/**
 * 预约 pages for citizens (zh-CN, no JavaScript needed): the services by kind with filters (/appointments), one
 * service with its rules and the next days' free places (/appointments/:code), and a day's slots with the
 * booking form (/appointments/:code/:day). Rendering only: the data comes from the engine's operations. Also
 * the small formatting helpers the other appointment pages share (days with weekdays, slots, China times).
 */
import { html, raw, type Html } from '../../http/html.ts';
import { errorSummary, notice, textField, type FormErrors } from '../portal/forms.ts';
import {
  APPOINTMENT_KINDS, type AppointmentKind, type AvailabilityDay, type DaySlots, type DayStatus, type ServiceView, type Availability,
} from './appointments.types.ts';
import { formatChinaDate, formatChinaDateTime, weekdayOfDay } from './appointment-time.ts';

// —— shared formatting ——

const WEEKDAYS = '日一二三四五六';

export const serviceHref = (code: string) => `/appointments/${encodeURIComponent(code)}`;
export const dayHref = (code: string, day: string) => `${serviceHref(code)}/${day}`;
export const bookingHref = (code: string) => `/me/appointments/${encodeURIComponent(code)}`;

/** 2026年12月10日（星期四）. */
export function dayLabel(day: string): string {
  return `${formatChinaDate(day)}（星期${WEEKDAYS[weekdayOfDay(day)]}）`;
}

/** 09:00–09:30. */
export const slotLabel = (startsAt: string, endsAt: string) => `${startsAt}–${endsAt}`;

/** An instant as China time (2026年12月10日 08:00) inside a machine-readable <time>. */
export function chinaTime(iso: string): Html {
  return html`<time datetime="${new Date(iso).toISOString()}">${formatChinaDateTime(new Date(iso))}</time>`;
}

/** A day inside a machine-readable <time>. */
export function dayTime(day: string): Html {
  return html`<time datetime="${day}">${dayLabel(day)}</time>`;
}

/** Free text with line breaks as paragraphs. */
export function paragraphs(text: string): Html {
  const parts = text.split(/\r?\n/).map((s) => s.trim()).filter(Boolean);
  return html`${parts.map((p) => html`<p>${p}</p>`)}`;
}

const DAY_CLASS: Record<DayStatus, string> = {
  open: 'success',
  full: 'denied',
  not_yet_open: 'draft',
  past: 'superseded',
  closed: 'denied',
  holiday: 'superseded',
  rest: 'superseded',
  suspended: 'denied',
};

/** A day's status in words (the colour only repeats it). */
export function dayStatusTag(d: Pick<AvailabilityDay, 'status' | 'statusLabel'>): Html {
  return html`<span class="status-tag ${DAY_CLASS[d.status]}">${d.statusLabel}</span>`;
}

export const openDaysLabel = (s: Pick<ServiceView, 'openDays'>) => (s.openDays === 'working' ? '法定工作日（法定节假日、休息日不开放，调休上班日开放）' : '每天（含周末和节假日）');

export const sessionsLabel = (s: Pick<ServiceView, 'sessions'>) => s.sessions.map((x) => slotLabel(x.start, x.end)).join('、');

/** The booking window in words: when a day opens for booking. */
export function windowLabel(s: Pick<ServiceView, 'windowDays' | 'opensAt'>): string {
  if (s.windowDays === 0) return `只能预约当天，当天 ${s.opensAt} 起开放`;
  return `可提前 ${s.windowDays} 天预约：每天 ${s.opensAt} 放出 ${s.windowDays} 天后那一天的号`;
}

export const cancelLabel = (s: Pick<ServiceView, 'cancelHours'>) =>
  s.cancelHours === 0 ? '预约时段开始前均可取消' : `最迟在预约时段开始前 ${s.cancelHours} 小时取消，之后不能取消`;

export const noShowLabel = (s: Pick<ServiceView, 'noShowLimit' | 'noShowDays' | 'barDays'>) =>
  `${s.noShowDays} 天内爽约（预约后未取消也未到场签到）累计 ${s.noShowLimit} 次的，${s.barDays} 天内不能再预约该服务`;

export const partiesLabel = (s: Pick<ServiceView, 'parties' | 'holdMinutes'>) =>
  s.parties === 2
    ? `须双方共同预约：一方预约时填写另一方的姓名和身份证号，另一方须在 ${s.holdMinutes} 分钟内用本人账号登录确认，逾期未确认名额自动释放`
    : '本人实名预约';

// —— /appointments ——

export interface RegionOption {
  code: string;
  name: string;
  level: 'province' | 'city' | 'county';
}

export interface ServiceListInput {
  services: ServiceView[];
  kind: string;
  region: string;
  regions: RegionOption[];
  regionName: (code: string) => string;
  errors?: FormErrors;
}

export function renderServiceList(o: ServiceListInput): Html {
  const byKind = (Object.keys(APPOINTMENT_KINDS) as AppointmentKind[]).map((k) => ({ kind: k, items: o.services.filter((s) => s.kind === k) })).filter((g) => g.items.length);
  const kindOptions = [{ value: '', label: '全部类型' }, ...Object.entries(APPOINTMENT_KINDS).map(([value, label]) => ({ value, label }))];
  const kindError = o.errors?.kind;
  const regionError = o.errors?.region;
  return html`<h1>预约服务</h1>
<p class="lead">婚姻登记、医院挂号、政务服务窗口和景区分时预约：查看可预约的日期和剩余号源，在线选择时段。预约须登录并实名认证。</p>
<ul class="inline-list"><li><a href="/me/appointments">我的预约</a></li></ul>
${errorSummary(o.errors)}
<form class="filter-form" method="get" action="/appointments" role="search" aria-label="筛选预约服务">
  <div class="field${kindError ? ' has-error' : ''}">
    <label for="f-kind">服务类型</label>
    ${kindError ? html`<p class="field-error" id="f-kind-error"><span class="visually-hidden">错误：</span>${kindError}</p>` : ''}
    <select id="f-kind" name="kind"${raw(kindError ? ' aria-describedby="f-kind-error" aria-invalid="true"' : '')}>
      ${kindOptions.map((k) => html`<option value="${k.value}"${raw(k.value === o.kind ? ' selected' : '')}>${k.label}</option>`)}
    </select>
  </div>
  <div class="field${regionError ? ' has-error' : ''}">
    <label for="f-region">地区（含下辖地区）</label>
    ${regionError ? html`<p class="field-error" id="f-region-error"><span class="visually-hidden">错误：</span>${regionError}</p>` : ''}
    <select id="f-region" name="region"${raw(regionError ? ' aria-describedby="f-region-error" aria-invalid="true"' : '')}>
      <option value=""${raw(o.region ? '' : ' selected')}>全部地区</option>
      ${o.regions.map((r) => html`<option value="${r.code}"${raw(r.code === o.region ? ' selected' : '')}>${r.level === 'county' ? '\u3000' : ''}${r.name}</option>`)}
    </select>
  </div>
  <button type="submit" class="primary">筛选</button>
</form>
<p class="result-count" role="status">共 ${o.services.length} 项可预约的服务${o.kind && !kindError && o.kind in APPOINTMENT_KINDS ? `（${APPOINTMENT_KINDS[o.kind as AppointmentKind]}）` : ''}${o.region && !regionError ? `，地区：${o.regionName(o.region)}` : ''}</p>
${
  byKind.length
    ? byKind.map(
        (g) => html`<section aria-labelledby="h-kind-${g.kind}">
<h2 id="h-kind-${g.kind}">${APPOINTMENT_KINDS[g.kind]} <span class="count">${g.items.length} 项</span></h2>
<ul class="item-list">${g.items.map(
          (s) => html`<li class="item-card">
  <h3 class="item-title"><a href="${serviceHref(s.code)}">${s.name}</a></h3>
  <p class="item-meta"><span>${s.departmentName}</span><span>${o.regionName(s.regionCode)}</span>${s.place ? html`<span>${s.place}</span>` : ''}</p>
  <p class="badges">
    <span class="badge">${s.openDays === 'working' ? '工作日开放' : '每天开放'}</span>
    <span class="badge">${s.windowDays === 0 ? '仅可预约当天' : `可提前 ${s.windowDays} 天预约`}</span>
    ${s.parties === 2 ? html`<span class="badge">双方共同确认</span>` : ''}
  </p>
</li>`,
        )}</ul>
</section>`,
      )
    : html`<p class="no-hits">没有符合条件的预约服务。<a href="/appointments">查看全部</a></p>`
}`;
}

// —— /appointments/:code ——

export function serviceFacts(s: ServiceView, regionName: (code: string) => string): Html {
  return html`<table class="facts"><caption class="visually-hidden">服务信息与预约规则</caption><tbody>
<tr><th scope="row">服务类型</th><td>${s.kindLabel}</td></tr>
<tr><th scope="row">服务部门</th><td>${s.departmentName}<span class="muted">（${regionName(s.regionCode)}）</span></td></tr>
${s.place ? html`<tr><th scope="row">办理地点</th><td>${s.place}</td></tr>` : ''}
${s.itemCode ? html`<tr><th scope="row">对应事项</th><td><a href="/items/${s.itemCode}">查看办事指南</a> <code class="muted">${s.itemCode}</code></td></tr>` : ''}
<tr><th scope="row">开放日</th><td>${openDaysLabel(s)}</td></tr>
<tr><th scope="row">开放时间</th><td>${sessionsLabel(s)}；每 ${s.slotMinutes} 分钟一个时段，每个时段 ${s.capacity} 个号</td></tr>
<tr><th scope="row">放号规则</th><td>${windowLabel(s)}</td></tr>
<tr><th scope="row">每人限约</th><td>同一服务每人同时只能有 1 个有效预约（签到、取消或失效后可再次预约）</td></tr>
<tr><th scope="row">预约方式</th><td>${partiesLabel(s)}</td></tr>
<tr><th scope="row">取消规则</th><td>${cancelLabel(s)}</td></tr>
<tr><th scope="row">爽约规则</th><td>${noShowLabel(s)}</td></tr>
</tbody></table>`;
}

function availabilityNote(d: AvailabilityDay): Html | string {
  if (d.status === 'not_yet_open' && d.opensAt) return html`将于 ${chinaTime(d.opensAt)} 开放预约`;
  if (d.status === 'closed') return d.note ? `暂停原因：${d.note}` : '';
  return d.note ?? '';
}

export function renderServicePage(o: { availability: Availability; regionName: (code: string) => string }): Html {
  const s = o.availability.service;
  const open = o.availability.days.filter((d) => d.status === 'open').length;
  return html`<h1>${s.name}</h1>
${s.status !== 'active' ? html`<div class="notice info" role="status"><p><strong>该服务暂停预约。</strong>已有的预约不受影响，请留意部门通知。</p></div>` : ''}
<section aria-labelledby="h-rules">
<h2 id="h-rules">服务信息与预约规则</h2>
${serviceFacts(s, o.regionName)}
${s.notes ? html`<h3>预约须知</h3>${paragraphs(s.notes)}` : ''}
</section>
<section aria-labelledby="h-days">
<h2 id="h-days">选择日期</h2>
<p>${open ? `以下 ${o.availability.days.length} 天中有 ${open} 天可预约，请点击日期选择时段。` : '以下日期暂无可预约的号源。'}剩余号源随时变化，以提交时为准。</p>
<div class="table-scroll"><table class="data-table">
<caption class="visually-hidden">${formatChinaDate(o.availability.from)}至${formatChinaDate(o.availability.to)}的可预约情况</caption>
<thead><tr><th scope="col">日期</th><th scope="col">状态</th><th scope="col">剩余号源</th><th scope="col">说明</th></tr></thead>
<tbody>${o.availability.days.map(
    (d) => html`<tr>
<th scope="row">${d.status === 'open' ? html`<a href="${dayHref(s.code, d.day)}">${dayLabel(d.day)}<span class="visually-hidden">：选择时段</span></a>` : dayLabel(d.day)}</th>
<td>${dayStatusTag(d)}</td>
<td>${d.status === 'open' || d.status === 'full' || d.status === 'not_yet_open' ? html`${d.free} / ${d.capacity}` : html`<span class="muted">—</span>`}</td>
<td>${availabilityNote(d)}</td>
</tr>`,
  )}</tbody></table></div>
</section>`;
}

// —— /appointments/:code/:day ——

export interface DayPageValues {
  startsAt?: string;
  partnerName?: string;
  partnerIdNumber?: string;
}

export interface DayPageInput {
  slots: DaySlots;
  regionName: (code: string) => string;
  /** who looks: a signed-in person may book; anyone else sees how to */
  viewer: 'person' | 'staff' | 'anonymous';
  acting?: string | null; // the name of whom a person acts for (代办): booking is always for themself
  csrf?: Html;
  values?: DayPageValues;
  errors?: FormErrors;
  loginHref: string;
}

const slotId = (startsAt: string) => `f-startsAt-${startsAt.replace(':', '')}`;

export function renderDayPage(o: DayPageInput): Html {
  const s = o.slots.service;
  const d = o.slots.day;
  const bookable = o.slots.slots.filter((x) => x.bookable);
  const v = o.values ?? {};
  const slotError = o.errors?.startsAt;
  const twoParty = s.parties === 2;
  const form =
    o.viewer === 'person' && bookable.length
      ? html`<form method="post" action="${dayHref(s.code, d.day)}" novalidate>
${o.csrf ?? ''}
<fieldset class="checkbox-group field${slotError ? ' has-error' : ''}" id="f-startsAt" tabindex="-1"${raw(slotError ? ' aria-describedby="f-startsAt-error"' : '')}>
<legend>选择时段：${dayLabel(d.day)}<span class="required" aria-hidden="true"> *</span></legend>
${slotError ? html`<p class="field-error" id="f-startsAt-error"><span class="visually-hidden">错误：</span>${slotError}</p>` : ''}
${o.slots.slots.map((x) =>
  x.bookable
    ? html`<div class="checkbox"><input type="radio" id="${slotId(x.startsAt)}" name="startsAt" value="${x.startsAt}"${raw(v.startsAt === x.startsAt ? ' checked' : '')}${raw(slotError ? ' aria-invalid="true"' : '')}>
<label for="${slotId(x.startsAt)}">${slotLabel(x.startsAt, x.endsAt)}　剩余 ${x.free} 个号</label></div>`
    : html`<p class="checkbox muted">${slotLabel(x.startsAt, x.endsAt)}　${x.free === 0 ? '已约满' : '不可预约（已开始或未开放）'}</p>`,
)}
</fieldset>
${
  twoParty
    ? html`<fieldset class="checkbox-group">
<legend>另一方信息</legend>
<div class="notice info"><p>该服务须双方共同预约。提交后名额为您保留 <strong>${s.holdMinutes} 分钟</strong>：另一方须在此时间内用<strong>本人账号</strong>登录，在“我的预约”中确认，逾期未确认名额自动释放。</p></div>
${textField({ name: 'partnerName', label: '另一方姓名', value: v.partnerName, required: true, maxlength: 50, autocomplete: 'off', errors: o.errors })}
${textField({ name: 'partnerIdNumber', label: '另一方身份证号', value: v.partnerIdNumber, required: true, maxlength: 18, autocomplete: 'off', hint: '18 位公民身份号码，最后一位可以是 X。另一方须用该身份证号实名登录后确认。', errors: o.errors })}
</fieldset>`
    : ''
}
<button type="submit" class="primary">提交预约</button>
</form>`
      : '';
  let who: Html | string = '';
  if (bookable.length && o.viewer === 'anonymous') {
    who = html`<div class="notice info"><p>预约须实名登录。<a href="${o.loginHref}">登录后预约</a>（登录后回到本页）；还没有账号？<a href="/register">注册</a></p></div>`;
  } else if (bookable.length && o.viewer === 'staff') {
    who = html`<div class="notice info"><p>工作人员账号不能预约。请退出后以个人身份登录预约。</p></div>`;
  }
  return html`<h1>${s.name}：选择时段</h1>
<p class="lead">${dayTime(d.day)} ${dayStatusTag(d)}${d.status === 'open' ? html` 剩余 ${d.free} 个号` : ''}</p>
${d.status === 'not_yet_open' && d.opensAt ? notice(`该日期将于 ${formatChinaDateTime(new Date(d.opensAt))} 开放预约。`, 'info') : ''}
${d.status === 'closed' ? notice(`该日暂停预约${d.note ? `：${d.note}` : ''}。`, 'info') : ''}
${d.status === 'holiday' ? notice(`该日是法定节假日${d.note ? `（${d.note}）` : ''}，不开放预约。`, 'info') : ''}
${d.status === 'rest' ? notice('该日是休息日，不开放预约。', 'info') : ''}
${d.status === 'suspended' ? notice('该服务暂停预约。', 'info') : ''}
${d.status === 'past' ? notice('该日的时段都已开始或已过去，请选择其他日期。', 'info') : ''}
${d.status === 'full' ? notice('该日已约满，请选择其他日期。取消或逾期未确认的名额会重新开放。', 'info') : ''}
${o.acting ? html`<p class="acting-banner">您正在代 <strong>${o.acting}</strong> 办理其他事项；预约只能以您本人名义提交。</p>` : ''}
${errorSummary(o.errors)}
${who}
${form}
${
  !form && o.slots.slots.length
    ? html`<div class="table-scroll"><table class="data-table">
<caption>${dayLabel(d.day)}的时段</caption>
<thead><tr><th scope="col">时段</th><th scope="col">剩余号源</th></tr></thead>
<tbody>${o.slots.slots.map((x) => html`<tr><th scope="row">${slotLabel(x.startsAt, x.endsAt)}</th><td>${x.free} / ${x.capacity}${x.bookable ? '' : x.free === 0 ? '（已约满）' : '（不可预约）'}</td></tr>`)}</tbody>
</table></div>`
    : ''
}
<p><a href="${serviceHref(s.code)}">返回选择其他日期</a></p>
<details><summary>预约规则</summary>${serviceFacts(s, o.regionName)}</details>`;
}
