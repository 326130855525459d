/**
 * 预约 pages for citizens (zh-CN, no JavaScript needed): the services (/appointments), one service with its
 * rules and the next days (/appointments/:code), a day's slots with the booking form (/appointments/:code/:day),
 * 我的预约 (/me/appointments) and one booking with its code and QR code (/me/appointments/:code), confirm and
 * cancel. Every change is a POST carrying `_csrf` that redirects (303) when it succeeds and shows the page again
 * with the message when it does not (约满, window, limit, bar …). The operations are the JSON API's.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { AppContext } from '../../http/context.ts';
import type { Html } from '../../http/html.ts';
import { CsrfField } from '../../http/schemas.ts';
import { resolvePrincipal } from '../../http/route-access.ts';
import { AppError, FieldErrorsError } from '../../shared/errors.ts';
import type { PersonPrincipal } from '../access/principal.ts';
import { requirePerson, selfActor } from '../delegation/delegation.http.ts';
import { layout } from '../portal/layout.ts';
import { csrfInput, type FormErrors } from '../portal/forms.ts';
import { cookiePreferences } from '../portal/preferences.ts';
import { pageAccount, sendPage } from '../portal/account/account-kit.ts';
import { APPOINTMENT_KINDS, SERVICE_CODE_PATTERN, SERVICE_LIMITS, type AppointmentKind, type BookingView } from './appointments.types.ts';
import { BOOKING_CODE_PATTERN, bookingQrSvg } from './booking-codes.ts';
import { listServices } from './list-services.ts';
import { getService } from './get-service.ts';
import { getAvailability } from './get-availability.ts';
import { getDaySlots } from './get-day-slots.ts';
import { bookAppointment } from './book-appointment.ts';
import { confirmBooking } from './confirm-booking.ts';
import { cancelBooking } from './cancel-booking.ts';
import { getBooking } from './get-booking.ts';
import { listMyBookings } from './list-my-bookings.ts';
import { bookingHref, dayHref, dayLabel, renderDayPage, renderServiceList, renderServicePage, serviceHref, type DayPageValues, type RegionOption } from './appointments.page.ts';
import { renderBookingDetail, renderCancelPage, renderMyBookings } from './my-appointments.page.ts';

const hide = true;
const Field = (max: number) => Type.Optional(Type.String({ maxLength: max }));
const ServiceCode = Type.String({ pattern: SERVICE_CODE_PATTERN });
const Day = Type.String({ pattern: '^[0-9]{4}-[0-9]{2}-[0-9]{2}$' });
const ServiceParams = Type.Object({ code: ServiceCode });
const DayParams = Type.Object({ code: ServiceCode, day: Day });
const BookingParams = Type.Object({ code: Type.String({ pattern: BOOKING_CODE_PATTERN }) });
const DoneQuery = Type.Object({ done: Field(20) });

/** The booking form's names for the operation's fields. */
const FORM_FIELDS: Record<string, string> = { startsAt: 'startsAt', partner: 'partnerName', 'partner.name': 'partnerName', 'partner.idNumber': 'partnerIdNumber' };

/** A typed error (4xx) as the form's errors: by field where the form has one, else for the whole form. */
function formErrors(err: AppError, names: Record<string, string>): FormErrors {
  const list = err instanceof FieldErrorsError ? err.errors : [{ field: err.field ?? '', message: err.message }];
  const out: FormErrors = {};
  for (const e of list) out[names[e.field] ?? ''] ??= e.message;
  return out;
}

const isPageError = (err: unknown): err is AppError => err instanceof AppError && err.status < 500 && err.status !== 401;

export function appointmentPageRoutes(ctx: AppContext): FastifyPluginAsyncTypebox {
  return async (app) => {
    const person = { access: 'person' as const };
    const regionName = (code: string) => ctx.regions.get(code)?.name ?? code;

    /**
     * A page: the site's region and elder mode from the cookies (the `region` query here filters services and
     * does not change the site's region), the account box only on pages rendered for a signed-in visitor.
     * Never cached: free places change by the minute, and the pages may carry a CSRF token.
     */
    function page(
      req: FastifyRequest,
      reply: FastifyReply,
      o: { title: string; trail: { label: string; href?: string }[]; body: Html; status?: number; account?: PersonPrincipal | null; path?: string },
    ) {
      const html = layout(ctx, {
        title: o.title,
        prefs: cookiePreferences(ctx, req),
        // a form shown again after a POST: the header's forms come back to the page, not to the POST's address
        path: o.path ?? (req.method === 'GET' ? req.url : req.url.split('?')[0]!),
        breadcrumbs: [{ label: '首页', href: '/' }, ...o.trail],
        body: o.body,
        account: o.account ? pageAccount(o.account) : undefined,
      });
      return sendPage(reply, html, o.status ?? 200);
    }

    const listTrail = { label: '预约服务', href: '/appointments' };
    const myTrail = [{ label: '个人中心', href: '/me' }, { label: '我的预约', href: '/me/appointments' }];

    // —— the services, a service, a day ——

    app.get('/appointments', { config: { access: 'public' }, schema: { hide, querystring: Type.Object({ kind: Field(40), region: Field(40) }) } }, async (req, reply) => {
      const kind = (req.query.kind ?? '').trim();
      const region = (req.query.region ?? '').trim();
      const errors: FormErrors = {};
      if (kind && !Object.hasOwn(APPOINTMENT_KINDS, kind)) errors.kind = '请选择列表中的服务类型';
      if (region && !ctx.regions.get(region)) errors.region = '请选择列表中的地区';
      const services = await listServices(ctx.db, {
        kind: kind && !errors.kind ? (kind as AppointmentKind) : undefined,
        region: region && !errors.region ? region : undefined,
      });
      const regions: RegionOption[] = ctx.regions.all().map((r) => ({ code: r.code, name: r.name, level: r.level }));
      const body = renderServiceList({ services, kind, region, regions, regionName, errors });
      return page(req, reply, { title: '预约服务', trail: [{ label: '预约服务' }], body, status: Object.keys(errors).length ? 400 : 200 });
    });

    app.get('/appointments/:code', { config: { access: 'public' }, schema: { hide, params: ServiceParams } }, async (req, reply) => {
      const availability = await getAvailability(ctx.db, req.params.code);
      const s = availability.service;
      return page(req, reply, { title: s.name, trail: [listTrail, { label: s.name }], body: renderServicePage({ availability, regionName }) });
    });

    /** The day's page; the visitor is looked up (the page is public) to offer the form or the way to sign in. */
    async function showDay(req: FastifyRequest, reply: FastifyReply, code: string, day: string, o: { values?: DayPageValues; errors?: FormErrors; status?: number } = {}) {
      const slots = await getDaySlots(ctx.db, code, day);
      const p = await resolvePrincipal(ctx, req);
      const viewer = p?.kind === 'person' ? 'person' : p?.kind === 'staff' ? 'staff' : 'anonymous';
      const signedIn = p?.kind === 'person' ? p : null;
      const body = renderDayPage({
        slots,
        regionName,
        viewer,
        acting: signedIn?.acting?.principalName ?? null,
        csrf: signedIn ? csrfInput(req, reply) : undefined,
        values: o.values,
        errors: o.errors,
        loginHref: `/login?back=${encodeURIComponent(dayHref(code, day))}`,
      });
      const s = slots.service;
      return page(req, reply, {
        title: `${o.errors && Object.keys(o.errors).length ? '（有错误）' : ''}${dayLabel(day)} - ${s.name}`,
        trail: [listTrail, { label: s.name, href: serviceHref(s.code) }, { label: dayLabel(day) }],
        body,
        status: o.status,
        account: signedIn,
        path: dayHref(s.code, slots.day.day),
      });
    }

    app.get('/appointments/:code/:day', { config: { access: 'public' }, schema: { hide, params: DayParams } }, async (req, reply) => showDay(req, reply, req.params.code, req.params.day));

    app.post(
      '/appointments/:code/:day',
      { config: person, schema: { hide, params: DayParams, body: Type.Object({ _csrf: CsrfField, startsAt: Field(10), partnerName: Field(100), partnerIdNumber: Field(40) }) } },
      async (req, reply) => {
        const p = await requirePerson(ctx, req);
        const { code, day } = req.params;
        const values: DayPageValues = { startsAt: (req.body.startsAt ?? '').trim(), partnerName: req.body.partnerName ?? '', partnerIdNumber: req.body.partnerIdNumber ?? '' };
        if (!values.startsAt) return showDay(req, reply, code, day, { values, errors: { startsAt: '请选择预约时段' }, status: 400 });
        try {
          const service = await getService(ctx.db, code);
          const partner = service.parties === 2 ? { name: values.partnerName, idNumber: values.partnerIdNumber } : undefined;
          const booking = await bookAppointment(ctx.db, p, { serviceCode: code, day, startsAt: values.startsAt, partner }, selfActor(req, p));
          return reply.redirect(`${bookingHref(booking.code)}?done=booked`, 303);
        } catch (err) {
          if (!isPageError(err) || err.status === 404) throw err;
          return showDay(req, reply, code, day, { values, errors: formErrors(err, FORM_FIELDS), status: err.status });
        }
      },
    );

    // —— 我的预约 ——

    app.get('/me/appointments', { config: person, schema: { hide, querystring: DoneQuery } }, async (req, reply) => {
      const p = await requirePerson(ctx, req);
      const now = new Date();
      const { items, awaitingMyConfirmation } = await listMyBookings(ctx.db, p, now);
      const body = renderMyBookings({ items, awaiting: awaitingMyConfirmation, csrf: csrfInput(req, reply), now, done: req.query.done, acting: p.acting?.principalName ?? null });
      return page(req, reply, { title: awaitingMyConfirmation ? `我的预约（${awaitingMyConfirmation} 个待确认）` : '我的预约', trail: [myTrail[0]!, { label: '我的预约' }], body, account: p });
    });

    async function showBooking(req: FastifyRequest, reply: FastifyReply, p: PersonPrincipal, view: BookingView, o: { done?: string; errors?: FormErrors; status?: number } = {}) {
      const active = view.status === 'held' || view.status === 'confirmed';
      const qrSvg = active ? await bookingQrSvg(view.code) : null;
      const body = renderBookingDetail({ view, qrSvg, csrf: csrfInput(req, reply), done: o.done, errors: o.errors });
      return page(req, reply, {
        title: `${o.errors ? '（有错误）' : ''}预约 ${view.code} - ${view.service.name}`,
        trail: [...myTrail, { label: view.code }],
        body,
        status: o.status,
        account: p,
        path: req.method === 'GET' ? undefined : bookingHref(view.code),
      });
    }

    app.get('/me/appointments/:code', { config: person, schema: { hide, params: BookingParams, querystring: DoneQuery } }, async (req, reply) => {
      const p = await requirePerson(ctx, req);
      return showBooking(req, reply, p, await getBooking(ctx.db, p, req.params.code), { done: req.query.done });
    });

    app.post('/me/appointments/:code/confirm', { config: person, schema: { hide, params: BookingParams, body: Type.Object({ _csrf: CsrfField }) } }, async (req, reply) => {
      const p = await requirePerson(ctx, req);
      try {
        const view = await confirmBooking(ctx.db, p, req.params.code, selfActor(req, p));
        return reply.redirect(`${bookingHref(view.code)}?done=confirmed`, 303);
      } catch (err) {
        if (!isPageError(err) || err.status === 404) throw err;
        return showBooking(req, reply, p, await getBooking(ctx.db, p, req.params.code), { errors: { '': err.message }, status: err.status });
      }
    });

    function cancelPage(req: FastifyRequest, reply: FastifyReply, p: PersonPrincipal, view: BookingView, o: { reason?: string; errors?: FormErrors; status?: number } = {}) {
      return page(req, reply, {
        title: `${o.errors ? '（有错误）' : ''}取消预约 ${view.code}`,
        trail: [...myTrail, { label: view.code, href: bookingHref(view.code) }, { label: '取消预约' }],
        body: renderCancelPage({ view, csrf: csrfInput(req, reply), reason: o.reason, errors: o.errors }),
        status: o.status,
        account: p,
      });
    }

    app.get('/me/appointments/:code/cancel', { config: person, schema: { hide, params: BookingParams } }, async (req, reply) => {
      const p = await requirePerson(ctx, req);
      const view = await getBooking(ctx.db, p, req.params.code);
      if (!view.canCancel) return reply.redirect(bookingHref(view.code), 303);
      return cancelPage(req, reply, p, view);
    });

    app.post(
      '/me/appointments/:code/cancel',
      { config: person, schema: { hide, params: BookingParams, body: Type.Object({ _csrf: CsrfField, reason: Field(2000) }) } },
      async (req, reply) => {
        const p = await requirePerson(ctx, req);
        const reason = (req.body.reason ?? '').trim();
        const view = await getBooking(ctx.db, p, req.params.code);
        if ([...reason].length > SERVICE_LIMITS.cancelReason) {
          return cancelPage(req, reply, p, view, { reason, errors: { reason: `取消原因不能超过 ${SERVICE_LIMITS.cancelReason} 个字` }, status: 400 });
        }
        try {
          await cancelBooking(ctx.db, p, view.code, selfActor(req, p), { reason });
        } catch (err) {
          if (!isPageError(err) || err.status === 404) throw err;
          const errors = formErrors(err, { reason: 'reason' });
          // a refusal (deadline passed, already cancelled) is shown on the booking, which says what it is now
          if (errors.reason) return cancelPage(req, reply, p, view, { reason, errors, status: err.status });
          return showBooking(req, reply, p, await getBooking(ctx.db, p, view.code), { errors, status: err.status });
        }
        return reply.redirect(`${bookingHref(view.code)}?done=cancelled`, 303);
      },
    );
  };
}
