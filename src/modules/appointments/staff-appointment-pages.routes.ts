/**
 * 预约管理 pages for staff (zh-CN, no JavaScript needed): their services (/admin/appointments), a service's
 * month with closures (/admin/appointments/:code?month=YYYY-MM), and a day's list with places, bookings and
 * check-in (/admin/appointments/:code/:day). Scope is the engine's: staff of another department get 403 (a
 * booking code outside their scope: 404). Every change is a POST with `_csrf` that redirects (303) on success
 * and shows the page again with the message beside its field when refused.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { AppContext } from '../../http/context.ts';
import { CsrfField } from '../../http/schemas.ts';
import { auditActor } from '../../http/route-access.ts';
import { AppError, FieldErrorsError } from '../../shared/errors.ts';
import type { StaffPrincipal } from '../access/principal.ts';
import { csrfInput, type FormErrors } from '../portal/forms.ts';
import { chinaToday } from '../calendar/working-calendar.ts';
import { requireStaffPage, sendAdminPage } from '../staff/admin-page.ts';
import { SERVICE_CODE_PATTERN, type StaffBookingView } from './appointments.types.ts';
import { BOOKING_CODE_PATTERN } from './booking-codes.ts';
import { listManagedServices } from './list-managed-services.ts';
import { getServiceMonth } from './get-service-month.ts';
import { getDayList } from './get-day-list.ts';
import { changeCapacity } from './change-capacity.ts';
import { setClosure } from './set-closure.ts';
import { removeClosure } from './remove-closure.ts';
import { getStaffBooking } from './get-staff-booking.ts';
import { checkInBooking } from './check-in-booking.ts';
import { dayLabel } from './appointments.page.ts';
import { renderDayList, renderManagedServices, renderServiceMonth, STAFF_PATH, staffDayHref, staffServiceHref } from './staff-appointments.page.ts';

const hide = true;
const Field = (max: number) => Type.Optional(Type.String({ maxLength: max }));
const ServiceCode = Type.String({ pattern: SERVICE_CODE_PATTERN });
const Day = Type.String({ pattern: '^[0-9]{4}-[0-9]{2}-[0-9]{2}$' });
const ServiceParams = Type.Object({ code: ServiceCode });
const DayParams = Type.Object({ code: ServiceCode, day: Day });
const DAY_RE = /^[0-9]{4}-[0-9]{2}-[0-9]{2}$/;

const MONTH_NOTICES: Record<string, string> = {
  closed: '已暂停该日预约。',
  reopened: '已恢复开放。随暂停取消的预约不会自动恢复，群众需要重新预约。',
};
const DAY_NOTICES: Record<string, string> = {
  capacity: '号源已调整。',
  closed: '已暂停该日预约，当日已有的预约已取消并告知原因。',
  reopened: '已恢复该日开放。随暂停取消的预约不会自动恢复。',
};

/** A typed refusal (4xx but not 401/403/404: those are the error page's) as errors by the form's field names. */
function refusal(err: unknown, names: Record<string, string>): { errors: FormErrors; status: number } | null {
  if (!(err instanceof AppError) || err.status >= 500 || err.status === 401 || err.status === 403) return null;
  const list = err instanceof FieldErrorsError ? err.errors : [{ field: err.field ?? '', message: err.message }];
  const errors: FormErrors = {};
  for (const e of list) errors[names[e.field] ?? ''] ??= e.message;
  return { errors, status: err.status };
}

export function staffAppointmentPageRoutes(ctx: AppContext): FastifyPluginAsyncTypebox {
  return async (app) => {
    const checkin = { access: { permission: 'appointment.checkin' as const } };
    const manage = { access: { permission: 'appointment.manage' as const } };
    const regionName = (code: string) => ctx.regions.get(code)?.name ?? code;
    const listTrail = { label: '预约管理', href: STAFF_PATH };

    app.get(STAFF_PATH, { config: { access: 'staff' }, schema: { hide } }, async (req, reply) => {
      const p = await requireStaffPage(ctx, req);
      const services = await listManagedServices(ctx.db, p);
      return sendAdminPage(ctx, req, reply, { title: '预约管理', trail: [{ label: '预约管理' }], body: renderManagedServices({ services, today: chinaToday(), regionName }) });
    });

    // —— month ——

    async function showMonth(req: FastifyRequest, reply: FastifyReply, p: StaffPrincipal, code: string, month: string, o: { done?: string; errors?: FormErrors; values?: { day?: string; reason?: string }; status?: number } = {}) {
      const m = await getServiceMonth(ctx.db, p, code, month);
      const body = renderServiceMonth({ month: m, today: chinaToday(), csrf: csrfInput(req, reply), done: o.done, errors: o.errors, values: o.values });
      return sendAdminPage(ctx, req, reply, {
        title: `${o.errors ? '（有错误）' : ''}${m.service.name} - 预约月历`,
        trail: [listTrail, { label: m.service.name }],
        body,
        status: o.status,
      });
    }

    app.get(
      `${STAFF_PATH}/:code`,
      { config: checkin, schema: { hide, params: ServiceParams, querystring: Type.Object({ month: Type.Optional(Type.String({ pattern: '^[0-9]{4}-[0-9]{2}$' })), done: Field(20), n: Field(6) }) } },
      async (req, reply) => {
        const p = await requireStaffPage(ctx, req);
        const q = req.query;
        let done = q.done && Object.hasOwn(MONTH_NOTICES, q.done) ? MONTH_NOTICES[q.done] : undefined;
        if (q.done === 'closed' && q.n && /^[0-9]{1,6}$/.test(q.n)) done = `已暂停该日预约${Number(q.n) ? `，当日 ${Number(q.n)} 个预约已取消并告知原因` : ''}。`;
        return showMonth(req, reply, p, req.params.code, q.month ?? chinaToday().slice(0, 7), { done });
      },
    );

    /** After a closure change: back to the day's list, or to the month of the day. */
    const backTo = (code: string, day: string, from: string | undefined, done: string, n?: number) =>
      from === 'day' ? `${staffDayHref(code, day)}?done=${done}` : `${staffServiceHref(code, day.slice(0, 7))}&done=${done}${n === undefined ? '' : `&n=${n}`}`;

    app.post(
      `${STAFF_PATH}/:code/close`,
      { config: manage, schema: { hide, params: ServiceParams, body: Type.Object({ _csrf: CsrfField, day: Field(20), reason: Field(1000), from: Field(10) }) } },
      async (req, reply) => {
        const p = await requireStaffPage(ctx, req);
        const code = req.params.code;
        const day = (req.body.day ?? '').trim();
        const reason = (req.body.reason ?? '').trim();
        const from = req.body.from === 'day' && DAY_RE.test(day) ? 'day' : undefined;
        const again = (errors: FormErrors, status: number) =>
          from === 'day'
            ? showDay(req, reply, p, code, day, { errors, values: { reason }, status })
            : showMonth(req, reply, p, code, DAY_RE.test(day) ? day.slice(0, 7) : chinaToday().slice(0, 7), { errors, values: { day, reason }, status });
        if (!day) return again({ day: '请选择日期' }, 400);
        try {
          const r = await setClosure(ctx.db, p, { serviceCode: code, day, reason }, auditActor(req));
          return reply.redirect(backTo(code, r.day, from, 'closed', r.cancelled.length), 303);
        } catch (err) {
          const r = refusal(err, { day: 'day', reason: 'reason' });
          if (!r || (err instanceof AppError && err.status === 404)) throw err;
          return again(r.errors, r.status);
        }
      },
    );

    app.post(
      `${STAFF_PATH}/:code/reopen`,
      { config: manage, schema: { hide, params: ServiceParams, body: Type.Object({ _csrf: CsrfField, day: Type.String({ pattern: '^[0-9]{4}-[0-9]{2}-[0-9]{2}$' }), from: Field(10) }) } },
      async (req, reply) => {
        const p = await requireStaffPage(ctx, req);
        const { code } = req.params;
        const { day } = req.body;
        const from = req.body.from === 'day' ? 'day' : undefined;
        try {
          await removeClosure(ctx.db, p, code, day, auditActor(req));
        } catch (err) {
          const r = refusal(err, {});
          if (!r) throw err;
          // not closed (any more): say so on the page it came from
          return from === 'day' ? showDay(req, reply, p, code, day, r) : showMonth(req, reply, p, code, day.slice(0, 7), r);
        }
        return reply.redirect(backTo(code, day, from, 'reopened'), 303);
      },
    );

    // —— day ——

    async function showDay(
      req: FastifyRequest,
      reply: FastifyReply,
      p: StaffPrincipal,
      code: string,
      day: string,
      o: { done?: string; checked?: StaffBookingView | null; errors?: FormErrors; values?: Record<string, string>; status?: number } = {},
    ) {
      const list = await getDayList(ctx.db, p, code, day);
      const body = renderDayList({ list, today: chinaToday(), csrf: csrfInput(req, reply), done: o.done, checked: o.checked, errors: o.errors, values: o.values });
      return sendAdminPage(ctx, req, reply, {
        title: `${o.errors ? '（有错误）' : ''}${dayLabel(day)} - ${list.service.name} - 当日名单`,
        trail: [listTrail, { label: list.service.name, href: staffServiceHref(code, day.slice(0, 7)) }, { label: dayLabel(day) }],
        body,
        status: o.status,
      });
    }

    app.get(
      `${STAFF_PATH}/:code/:day`,
      { config: checkin, schema: { hide, params: DayParams, querystring: Type.Object({ done: Field(20), checked: Type.Optional(Type.String({ pattern: BOOKING_CODE_PATTERN })) }) } },
      async (req, reply) => {
        const p = await requireStaffPage(ctx, req);
        const q = req.query;
        // the booking just checked in, read again in the clerk's scope (a code from the address is only shown if theirs)
        const checked = q.done === 'checked_in' && q.checked ? await getStaffBooking(ctx.db, p, q.checked).catch(() => null) : null;
        const done = q.done && Object.hasOwn(DAY_NOTICES, q.done) ? DAY_NOTICES[q.done] : undefined;
        return showDay(req, reply, p, req.params.code, req.params.day, { done, checked: checked?.status === 'checked_in' ? checked : null });
      },
    );

    app.post(
      `${STAFF_PATH}/:code/:day/capacity`,
      { config: manage, schema: { hide, params: DayParams, body: Type.Object({ _csrf: CsrfField, capacity: Field(20), startsAt: Field(10) }) } },
      async (req, reply) => {
        const p = await requireStaffPage(ctx, req);
        const { code, day } = req.params;
        const startsAt = (req.body.startsAt ?? '').trim() || undefined;
        const key = startsAt && /^[0-9]{2}:[0-9]{2}$/.test(startsAt) ? `capacity-${startsAt.replace(':', '')}` : 'capacity-day';
        const given = (req.body.capacity ?? '').trim();
        const values = { [key]: given };
        if (!/^[0-9]{1,6}$/.test(given)) return showDay(req, reply, p, code, day, { errors: { [key]: '号源应为 0 或正整数' }, values, status: 400 });
        try {
          await changeCapacity(ctx.db, p, { serviceCode: code, day, startsAt, capacity: Number(given) }, auditActor(req));
        } catch (err) {
          const r = refusal(err, { capacity: key, startsAt: key });
          if (!r || (err instanceof AppError && err.status === 404)) throw err;
          return showDay(req, reply, p, code, day, { ...r, values });
        }
        return reply.redirect(`${staffDayHref(code, day)}?done=capacity`, 303);
      },
    );

    app.post(
      `${STAFF_PATH}/:code/:day/check-in`,
      { config: checkin, schema: { hide, params: DayParams, body: Type.Object({ _csrf: CsrfField, code: Field(40) }) } },
      async (req, reply) => {
        const p = await requireStaffPage(ctx, req);
        const { code: serviceCode, day } = req.params;
        const given = (req.body.code ?? '').trim();
        if (!given) return showDay(req, reply, p, serviceCode, day, { errors: { code: '请输入预约码' }, values: { code: given }, status: 400 });
        try {
          const b = await checkInBooking(ctx.db, p, given, auditActor(req));
          return reply.redirect(`${staffDayHref(serviceCode, day)}?done=checked_in&checked=${b.code}`, 303);
        } catch (err) {
          // a code that is not theirs is "not found" like a mistyped one: shown beside the field
          const r = refusal(err, { code: 'code' });
          if (!r) throw err;
          return showDay(req, reply, p, serviceCode, day, { ...r, values: { code: given } });
        }
      },
    );
  };
}
