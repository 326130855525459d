/**
 * 我的预约 (/me/appointments) and one booking (/me/appointments/:code) with its code, QR code, confirm and
 * cancel forms, and the cancel confirmation page. Plain forms that post `_csrf` and redirect back (303).
 */
import { html, raw, type Html } from '../../http/html.ts';
import { errorSummary, notice, type FormErrors } from '../portal/forms.ts';
import type { BookingStatus, BookingView } from './appointments.types.ts';
import { SERVICE_LIMITS } from './appointments.types.ts';
import { formatChinaDateTime } from './appointment-time.ts';
import { bookingHref, chinaTime, dayLabel, dayTime, paragraphs, serviceHref, slotLabel } from './appointments.page.ts';

const STATUS_CLASS: Record<BookingStatus, string> = {
  held: 'draft',
  confirmed: 'success',
  cancelled: 'superseded',
  expired: 'superseded',
  checked_in: 'published',
  no_show: 'denied',
};

export function bookingStatusTag(b: Pick<BookingView, 'status' | 'statusLabel'>): Html {
  return html`<span class="status-tag ${STATUS_CLASS[b.status]}">${b.statusLabel}</span>`;
}

const isUpcoming = (b: BookingView, now: Date) => (b.status === 'held' || b.status === 'confirmed') && b.startsAtInstant > now.toISOString();

export const confirmHref = (code: string) => `${bookingHref(code)}/confirm`;
export const cancelHref = (code: string) => `${bookingHref(code)}/cancel`;

function confirmForm(b: BookingView, csrf: Html): Html {
  return html`<form class="inline-form" method="post" action="${confirmHref(b.code)}">${csrf}<button type="submit" class="primary" aria-label="确认预约：${b.service.name} ${dayLabel(b.day)} ${slotLabel(b.startsAt, b.endsAt)}">确认</button></form>`;
}

function actions(b: BookingView, csrf: Html): Html {
  const parts: Html[] = [];
  if (b.awaitingMyConfirmation) {
    parts.push(html`${confirmForm(b, csrf)}<br><span class="muted">请在 ${b.holdUntil ? chinaTime(b.holdUntil) : ''} 前确认</span>`);
  } else if (b.status === 'held') {
    parts.push(html`<span class="muted">等待另一方${b.holdUntil ? html`在 ${chinaTime(b.holdUntil)} 前` : ''}确认</span>`);
  }
  if (b.canCancel) {
    parts.push(html`<a class="button secondary" href="${cancelHref(b.code)}">取消预约<span class="visually-hidden">：${b.service.name} ${dayLabel(b.day)}</span></a><br><span class="muted">可在 ${chinaTime(b.cancelDeadline)} 前取消</span>`);
  } else if (b.status === 'held' || b.status === 'confirmed') {
    parts.push(html`<span class="muted">已过取消截止时间（${chinaTime(b.cancelDeadline)}）</span>`);
  }
  return html`${parts.map((p, i) => html`${i ? html`<br>` : ''}${p}`)}`;
}

function bookingsTable(items: BookingView[], caption: string, csrf: Html | null): Html {
  return html`<div class="table-scroll"><table class="data-table">
<caption class="visually-hidden">${caption}，共 ${items.length} 个</caption>
<thead><tr><th scope="col">服务</th><th scope="col">日期与时段</th><th scope="col">状态</th><th scope="col">预约码</th>${csrf ? html`<th scope="col">操作</th>` : ''}</tr></thead>
<tbody>${items.map(
    (b) => html`<tr>
<th scope="row"><a href="${bookingHref(b.code)}">${b.service.name}</a><br><span class="muted">${b.service.kindLabel} · ${b.service.departmentName}</span></th>
<td>${dayTime(b.day)}<br>${slotLabel(b.startsAt, b.endsAt)}</td>
<td>${bookingStatusTag(b)}${b.awaitingMyConfirmation ? html`<br><strong class="status-tag draft">待您确认</strong>` : ''}${b.cancelReason && b.status === 'cancelled' ? html`<br><span class="muted">${b.cancelReason}</span>` : ''}</td>
<td><code>${b.code}</code></td>
${csrf ? html`<td class="actions">${actions(b, csrf)}</td>` : ''}
</tr>`,
  )}</tbody></table></div>`;
}

const LIST_NOTICES: Record<string, string> = { cancelled: '预约已取消，名额已释放。', confirmed: '您已确认，预约成功。' };

export function renderMyBookings(o: { items: BookingView[]; awaiting: number; csrf: Html; now: Date; done?: string; acting?: string | null }): Html {
  const upcoming = o.items.filter((b) => isUpcoming(b, o.now));
  const rest = o.items.filter((b) => !isUpcoming(b, o.now));
  return html`<h1>我的预约</h1>
${o.done && Object.hasOwn(LIST_NOTICES, o.done) ? notice(LIST_NOTICES[o.done]) : ''}
${o.acting ? html`<p class="acting-banner">您正在代 <strong>${o.acting}</strong> 办理其他事项；这里是您本人的预约。</p>` : ''}
${
  o.awaiting
    ? html`<div class="notice info" role="status"><p><strong>有 ${o.awaiting} 个预约等待您确认。</strong>对方预约时填写了您的身份证号，请核对后点击“确认”；逾期未确认，名额将自动释放。</p></div>`
    : ''
}
<ul class="inline-list"><li><a class="button" href="/appointments">预约服务</a></li></ul>
<section aria-labelledby="h-upcoming">
<h2 id="h-upcoming">待确认和即将到来的预约</h2>
${upcoming.length ? bookingsTable(upcoming, '待确认和即将到来的预约', o.csrf) : html`<p class="muted">没有即将到来的预约。</p>`}
</section>
<section aria-labelledby="h-history">
<h2 id="h-history">历史预约</h2>
${rest.length ? bookingsTable(rest, '历史预约（已签到、已取消、已失效、爽约或已过时段）', null) : html`<p class="muted">没有历史预约。</p>`}
</section>`;
}

// —— one booking ——

export interface BookingDetailInput {
  view: BookingView;
  qrSvg: string | null; // trusted: the qrcode library's output, labelled by bookingQrSvg
  csrf: Html;
  done?: string;
  errors?: FormErrors;
}

function doneMessage(done: string | undefined, v: BookingView): string | undefined {
  switch (done) {
    case 'booked':
      return v.status === 'held'
        ? `已为您保留名额。请通知另一方在 ${v.holdUntil ? formatInstant(v.holdUntil) : '保留时间'} 前用本人账号登录，在“我的预约”中确认；逾期未确认，名额将自动释放。`
        : '预约成功。请按时到场，凭预约码或二维码签到。';
    case 'confirmed':
      return '您已确认，预约成功。请按时到场，凭预约码或二维码签到。';
    case 'cancelled':
      return '预约已取消，名额已释放。';
    default:
      return undefined;
  }
}

const formatInstant = (iso: string): string => formatChinaDateTime(new Date(iso));

/** The QR code at a fixed size (the library's SVG scales to its box; attributes, since CSP allows no inline styles). */
function sizedQr(svg: string): Html {
  return raw(svg.replace('<svg ', '<svg width="220" height="220" focusable="false" '));
}

export function renderBookingDetail(o: BookingDetailInput): Html {
  const v = o.view;
  const active = v.status === 'held' || v.status === 'confirmed';
  const msg = doneMessage(o.done, v);
  return html`<h1>预约详情</h1>
${msg ? notice(msg) : ''}
${errorSummary(o.errors)}
<p class="lead">${v.service.name} ${bookingStatusTag(v)}</p>
${
  v.awaitingMyConfirmation
    ? html`<section class="notice info" aria-labelledby="h-confirm">
<h2 id="h-confirm">等待您确认</h2>
<p>${v.parties.find((p) => p.role === 'booker')?.name ?? '对方'}预约了与您共同办理的“${v.service.name}”：${dayLabel(v.day)} ${slotLabel(v.startsAt, v.endsAt)}。请核对后确认${v.holdUntil ? html`，须在 ${chinaTime(v.holdUntil)} 前确认` : ''}；逾期未确认，名额将自动释放。</p>
<form method="post" action="${confirmHref(v.code)}">${o.csrf}<button type="submit" class="primary">确认预约</button></form>
</section>`
    : v.status === 'held'
      ? notice(`等待另一方确认${v.holdUntil ? `（须在 ${formatInstant(v.holdUntil)} 前）` : ''}。对方确认后预约才生效；逾期未确认，名额将自动释放。`, 'info')
      : ''
}
<section aria-labelledby="h-code">
<h2 id="h-code">预约码 <code class="secret">${v.code}</code></h2>
${
  o.qrSvg && active
    ? html`<figure>${sizedQr(o.qrSvg)}<figcaption>${v.status === 'held' ? '双方确认后，到场出示此二维码或预约码签到。' : '到场后出示此二维码或报预约码签到。'}</figcaption></figure>`
    : ''
}
</section>
<section aria-labelledby="h-facts">
<h2 id="h-facts">预约信息</h2>
<table class="facts"><caption class="visually-hidden">预约信息</caption><tbody>
<tr><th scope="row">状态</th><td>${bookingStatusTag(v)}${v.cancelReason ? html`<br>取消原因：${v.cancelReason}` : ''}</td></tr>
<tr><th scope="row">服务</th><td><a href="${serviceHref(v.service.code)}">${v.service.name}</a>（${v.service.kindLabel}）</td></tr>
<tr><th scope="row">服务部门</th><td>${v.service.departmentName}</td></tr>
<tr><th scope="row">日期</th><td>${dayTime(v.day)}</td></tr>
<tr><th scope="row">时段</th><td>${slotLabel(v.startsAt, v.endsAt)}</td></tr>
${v.service.place ? html`<tr><th scope="row">地点</th><td>${v.service.place}</td></tr>` : ''}
<tr><th scope="row">预约时间</th><td>${chinaTime(v.createdAt)}</td></tr>
${v.confirmedAt ? html`<tr><th scope="row">生效时间</th><td>${chinaTime(v.confirmedAt)}</td></tr>` : ''}
${v.cancelledAt ? html`<tr><th scope="row">取消时间</th><td>${chinaTime(v.cancelledAt)}</td></tr>` : ''}
${v.checkedInAt ? html`<tr><th scope="row">签到时间</th><td>${chinaTime(v.checkedInAt)}</td></tr>` : ''}
${active ? html`<tr><th scope="row">取消截止</th><td>${chinaTime(v.cancelDeadline)}</td></tr>` : ''}
</tbody></table>
${v.service.notes ? html`<h3>须知</h3>${paragraphs(v.service.notes)}` : ''}
</section>
<section aria-labelledby="h-parties">
<h2 id="h-parties">预约当事人</h2>
<table class="data-table"><caption class="visually-hidden">预约当事人，身份证号部分隐藏</caption>
<thead><tr><th scope="col">身份</th><th scope="col">姓名</th><th scope="col">身份证号</th><th scope="col">确认</th></tr></thead>
<tbody>${v.parties.map(
    (p) => html`<tr><th scope="row">${p.roleLabel}${p.role === v.myRole ? html`<span class="muted">（您）</span>` : ''}</th><td>${p.name}</td><td><code>${p.idNumberMasked}</code></td><td>${p.confirmed ? '已确认' : '未确认'}</td></tr>`,
  )}</tbody></table>
</section>
${
  active
    ? html`<section aria-labelledby="h-cancel">
<h2 id="h-cancel">取消预约</h2>
${
  v.canCancel
    ? html`<p>可在 ${chinaTime(v.cancelDeadline)} 前取消，取消后名额释放${v.service.parties === 2 ? '，双方的预约一并取消' : ''}。</p>
<p><a class="button secondary" href="${cancelHref(v.code)}">取消预约</a></p>`
    : html`<p>已过取消截止时间（${chinaTime(v.cancelDeadline)}），不能取消。如不能按时到场，将记爽约一次。</p>`
}
</section>`
    : ''
}
<p><a href="/me/appointments">返回我的预约</a></p>`;
}

export function renderCancelPage(o: { view: BookingView; csrf: Html; reason?: string; errors?: FormErrors }): Html {
  const v = o.view;
  const error = o.errors?.reason;
  return html`<h1>取消预约</h1>
${errorSummary(o.errors)}
<table class="facts"><caption class="visually-hidden">要取消的预约</caption><tbody>
<tr><th scope="row">服务</th><td>${v.service.name}</td></tr>
<tr><th scope="row">日期与时段</th><td>${dayTime(v.day)} ${slotLabel(v.startsAt, v.endsAt)}</td></tr>
<tr><th scope="row">预约码</th><td><code>${v.code}</code></td></tr>
<tr><th scope="row">取消截止</th><td>${chinaTime(v.cancelDeadline)}</td></tr>
</tbody></table>
<p>取消后名额将释放给其他人${v.service.parties === 2 ? '，双方的预约一并取消，另一方会看到取消状态' : ''}。取消后如需办理，请重新预约。</p>
<form class="form-narrow" method="post" action="${cancelHref(v.code)}" novalidate>
${o.csrf}
<div class="field${error ? ' has-error' : ''}">
  <label for="f-reason">取消原因（可不填）</label>
  <p class="hint" id="f-reason-hint">不超过 ${SERVICE_LIMITS.cancelReason} 个字。</p>
  ${error ? html`<p class="field-error" id="f-reason-error"><span class="visually-hidden">错误：</span>${error}</p>` : ''}
  <textarea id="f-reason" name="reason" rows="3" aria-describedby="f-reason-hint${error ? ' f-reason-error' : ''}"${raw(error ? ' aria-invalid="true"' : '')}>${o.reason ?? ''}</textarea>
</div>
<button type="submit" class="primary">确认取消预约</button>
<a href="${bookingHref(v.code)}">不取消，返回</a>
</form>`;
}
