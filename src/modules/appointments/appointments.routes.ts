/**
 * 预约: the JSON API. Anyone may read the services and their free places; a signed-in person books, confirms
 * (as the other party), cancels and lists their bookings; staff manage their departments' services (calendar,
 * places, closures, settings) and check bookings in. Routes validate the shape and delegate to one operation
 * each; the operations check the rest (real dates, windows, limits, scope) with a Chinese message and a field.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { AppContext } from '../../http/context.ts';
import { RegionCode, StringEnum } from '../../http/schemas.ts';
import { auditActor, requirePrincipal } from '../../http/route-access.ts';
import { requirePerson, selfActor } from '../delegation/delegation.http.ts';
import { APPOINTMENT_KINDS, SERVICE_CODE_PATTERN, type AppointmentKind, type ServiceSettingsInput } from './appointments.types.ts';
import { BOOKING_CODE_PATTERN, bookingQrSvg } from './booking-codes.ts';
import { listServices } from './list-services.ts';
import { getService } from './get-service.ts';
import { getAvailability } from './get-availability.ts';
import { getDaySlots } from './get-day-slots.ts';
import { bookAppointment } from './book-appointment.ts';
import { confirmBooking } from './confirm-booking.ts';
import { cancelBooking } from './cancel-booking.ts';
import { listMyBookings } from './list-my-bookings.ts';
import { getBooking } from './get-booking.ts';
import { listManagedServices } from './list-managed-services.ts';
import { saveService } from './save-service.ts';
import { getServiceMonth } from './get-service-month.ts';
import { getDayList } from './get-day-list.ts';
import { changeCapacity } from './change-capacity.ts';
import { setClosure } from './set-closure.ts';
import { removeClosure } from './remove-closure.ts';
import { getStaffBooking } from './get-staff-booking.ts';
import { checkInBooking } from './check-in-booking.ts';

const tags = ['appointments'];
const P = '/api/v1/appointments';

const ServiceCode = Type.String({ pattern: SERVICE_CODE_PATTERN, description: '服务代码（小写字母、数字、短横线）', examples: ['xihu-marriage'] });
const Day = Type.String({ pattern: '^[0-9]{4}-[0-9]{2}-[0-9]{2}$', description: '日期 YYYY-MM-DD', examples: ['2026-12-17'] });
const Time = Type.String({ pattern: '^[0-9]{2}:[0-9]{2}$', description: '时间 HH:MM（北京时间）', examples: ['09:30'] });
const BookingCode = Type.String({ pattern: BOOKING_CODE_PATTERN, description: '预约码（10 位，不含 0、O、1、I）' });
const Month = Type.String({ pattern: '^[0-9]{4}-[0-9]{2}$', description: '月份 YYYY-MM' });
const Kind = StringEnum(Object.keys(APPOINTMENT_KINDS) as AppointmentKind[], '服务类型：marriage 婚姻登记，hospital 医院挂号，window 政务服务窗口，scenic 景区分时预约');

const ServiceParams = Type.Object({ code: ServiceCode });
const BookingParams = Type.Object({ code: BookingCode });
const ServiceDayParams = Type.Object({ code: ServiceCode, day: Day });

const BookBody = Type.Object(
  {
    serviceCode: ServiceCode,
    day: Day,
    startsAt: Time,
    partner: Type.Optional(
      Type.Object(
        {
          name: Type.Optional(Type.String({ maxLength: 100, description: '另一方姓名' })),
          idNumber: Type.Optional(Type.String({ maxLength: 30, description: '另一方公民身份号码（18 位）' })),
        },
        { additionalProperties: false, description: '双方共同预约的服务（如结婚登记）：另一方，须本人登录确认' },
      ),
    ),
  },
  { additionalProperties: false },
);

const SettingsBody = Type.Object(
  {
    kind: Kind,
    name: Type.String({ maxLength: 200, description: '服务名称' }),
    departmentId: Type.Integer({ minimum: 1, maximum: 2147483647, description: '所属部门' }),
    regionCode: Type.Optional(RegionCode),
    itemCode: Type.Optional(Type.Union([Type.String({ maxLength: 36 }), Type.Null()], { description: '对应的实施事项编码（窗口预约）' })),
    place: Type.Optional(Type.String({ maxLength: 400, description: '办理地点' })),
    notes: Type.Optional(Type.String({ maxLength: 4000, description: '预约须知' })),
    openDays: StringEnum(['working', 'every'] as const, 'working：法定工作日（含调休上班日，节假日不开放）；every：每天'),
    sessions: Type.Array(Type.Object({ start: Type.String({ maxLength: 5 }), end: Type.String({ maxLength: 5 }) }, { additionalProperties: false }), {
      maxItems: 24,
      description: '开放时间段，如 [{"start":"09:00","end":"12:00"}]',
    }),
    slotMinutes: Type.Integer({ description: '每个时段的分钟数（5–480）' }),
    capacity: Type.Integer({ description: '每个时段的号源（1–100000）' }),
    windowDays: Type.Integer({ description: '提前预约天数（0–90）' }),
    opensAt: Type.Optional(Type.String({ maxLength: 5, description: '放号时间 HH:MM，默认 08:00' })),
    parties: Type.Optional(Type.Integer({ description: '1：本人；2：双方共同确认（结婚登记）' })),
    holdMinutes: Type.Optional(Type.Integer({ description: '等待另一方确认的分钟数' })),
    cancelHours: Type.Optional(Type.Integer({ description: '时段开始前多少小时截止取消' })),
    noShowLimit: Type.Optional(Type.Integer({ description: '爽约次数上限' })),
    noShowDays: Type.Optional(Type.Integer({ description: '爽约统计天数' })),
    barDays: Type.Optional(Type.Integer({ description: '达到上限后限制预约的天数' })),
    status: Type.Optional(StringEnum(['active', 'suspended'] as const, 'active 开放预约；suspended 暂停')),
  },
  { additionalProperties: false },
);

export function appointmentRoutes(ctx: AppContext): FastifyPluginAsyncTypebox {
  return async (app) => {
    // —— public: services and free places ——

    app.get(
      `${P}/services`,
      { config: { access: 'public' }, schema: { tags, summary: '可预约的服务（婚姻登记、医院挂号、政务窗口、景区分时预约）', querystring: Type.Object({ kind: Type.Optional(Kind), region: Type.Optional(RegionCode) }, { additionalProperties: false }) } },
      async (req) => ({ items: await listServices(ctx.db, req.query) }),
    );

    app.get(
      `${P}/services/:code`,
      { config: { access: 'public' }, schema: { tags, summary: '服务详情：开放日、时段、号源、放号时间、取消与爽约规则', params: ServiceParams } },
      async (req) => getService(ctx.db, req.params.code),
    );

    app.get(
      `${P}/services/:code/availability`,
      {
        config: { access: 'public' },
        schema: {
          tags,
          summary: '一段日期的可预约情况（每天：状态与剩余号源；默认从今天到可预约的最后一天）',
          params: ServiceParams,
          querystring: Type.Object({ from: Type.Optional(Day), to: Type.Optional(Day) }, { additionalProperties: false }),
        },
      },
      async (req, reply) => {
        reply.header('cache-control', 'no-store');
        return getAvailability(ctx.db, req.params.code, req.query);
      },
    );

    app.get(
      `${P}/services/:code/days/:day`,
      { config: { access: 'public' }, schema: { tags, summary: '某日的时段与每个时段的剩余号源', params: ServiceDayParams } },
      async (req, reply) => {
        reply.header('cache-control', 'no-store');
        return getDaySlots(ctx.db, req.params.code, req.params.day);
      },
    );

    // —— a signed-in person: book, confirm, cancel, list ——

    app.post(
      `${P}/bookings`,
      {
        config: { access: 'person' },
        schema: {
          tags,
          summary: '预约一个时段（双方预约的服务：填写另一方，待其登录确认后生效，逾期未确认自动释放）',
          description: '约满、超出可预约时间、闭馆或节假日、已有有效预约、爽约受限时返回 4xx，error.field 指明原因所在的参数。',
          body: BookBody,
        },
      },
      async (req, reply) => {
        const p = await requirePerson(ctx, req);
        return reply.code(201).send(await bookAppointment(ctx.db, p, req.body, selfActor(req, p)));
      },
    );

    app.get(`${P}/bookings`, { config: { access: 'person' }, schema: { tags, summary: '我的预约（含等待我确认的预约）' } }, async (req) => listMyBookings(ctx.db, await requirePerson(ctx, req)));

    app.get(
      `${P}/bookings/:code`,
      { config: { access: 'person' }, schema: { tags, summary: '预约详情（仅预约当事人）', params: BookingParams } },
      async (req) => getBooking(ctx.db, await requirePerson(ctx, req), req.params.code),
    );

    app.get(
      `${P}/bookings/:code/qr.svg`,
      { config: { access: 'person' }, schema: { tags, summary: '预约码二维码（SVG，用于现场签到）', params: BookingParams } },
      async (req, reply) => {
        const view = await getBooking(ctx.db, await requirePerson(ctx, req), req.params.code);
        return reply.type('image/svg+xml; charset=utf-8').header('cache-control', 'private, no-store').send(await bookingQrSvg(view.code));
      },
    );

    app.post(
      `${P}/bookings/:code/confirm`,
      { config: { access: 'person' }, schema: { tags, summary: '另一方确认预约（须本人登录，身份证号与预约人填写的一致）', params: BookingParams } },
      async (req) => {
        const p = await requirePerson(ctx, req);
        return confirmBooking(ctx.db, p, req.params.code, selfActor(req, p));
      },
    );

    app.post(
      `${P}/bookings/:code/cancel`,
      {
        config: { access: 'person' },
        schema: {
          tags,
          summary: '取消预约（任一方；须在取消截止时间前）',
          params: BookingParams,
          body: Type.Object({ reason: Type.Optional(Type.String({ maxLength: 400, description: '取消原因（可不填）' })) }, { additionalProperties: false }),
        },
        // the body may be left out altogether
        preValidation: async (req) => {
          if (req.body === undefined || req.body === null) req.body = {};
        },
      },
      async (req) => {
        const p = await requirePerson(ctx, req);
        return cancelBooking(ctx.db, p, req.params.code, selfActor(req, p), { reason: req.body.reason });
      },
    );

    // —— staff: their departments' services ——

    app.get(`${P}/staff/services`, { config: { access: 'staff' }, schema: { tags, summary: '我可管理或签到的预约服务' } }, async (req) => ({
      items: await listManagedServices(ctx.db, await requirePrincipal(ctx, req)),
    }));

    app.put(
      `${P}/staff/services/:code`,
      {
        config: { access: { permission: 'appointment.manage' } },
        schema: { tags, summary: '新建或修改预约服务的设置（部门管理员）', params: ServiceParams, body: SettingsBody },
      },
      async (req, reply) => {
        const r = await saveService(ctx.db, await requirePrincipal(ctx, req), { ...req.body, code: req.params.code } as ServiceSettingsInput, auditActor(req));
        return reply.code(r.created ? 201 : 200).send(r.service);
      },
    );

    app.get(
      `${P}/staff/services/:code/months/:month`,
      { config: { access: { permission: 'appointment.checkin' } }, schema: { tags, summary: '月历：每天的开放情况、号源与已预约数', params: Type.Object({ code: ServiceCode, month: Month }) } },
      async (req) => getServiceMonth(ctx.db, await requirePrincipal(ctx, req), req.params.code, req.params.month),
    );

    app.get(
      `${P}/staff/services/:code/days/:day`,
      { config: { access: { permission: 'appointment.checkin' } }, schema: { tags, summary: '当日预约名单：各时段的号源与预约（身份证号部分隐藏）', params: ServiceDayParams } },
      async (req) => getDayList(ctx.db, await requirePrincipal(ctx, req), req.params.code, req.params.day),
    );

    app.put(
      `${P}/staff/services/:code/days/:day/capacity`,
      {
        config: { access: { permission: 'appointment.manage' } },
        schema: {
          tags,
          summary: '调整号源：某一时段（startsAt）或当天全部时段；不能少于已预约人数',
          params: ServiceDayParams,
          body: Type.Object({ capacity: Type.Integer({ minimum: 0, maximum: 100000, description: '号源' }), startsAt: Type.Optional(Time) }, { additionalProperties: false }),
        },
      },
      async (req) =>
        changeCapacity(ctx.db, await requirePrincipal(ctx, req), { serviceCode: req.params.code, day: req.params.day, capacity: req.body.capacity, startsAt: req.body.startsAt }, auditActor(req)),
    );

    app.put(
      `${P}/staff/services/:code/closures/:day`,
      {
        config: { access: { permission: 'appointment.manage' } },
        schema: {
          tags,
          summary: '设置临时闭馆（当日已有的预约随之取消并告知原因）',
          params: ServiceDayParams,
          body: Type.Object({ reason: Type.String({ maxLength: 400, description: '闭馆原因' }) }, { additionalProperties: false }),
        },
      },
      async (req) => setClosure(ctx.db, await requirePrincipal(ctx, req), { serviceCode: req.params.code, day: req.params.day, reason: req.body.reason }, auditActor(req)),
    );

    app.delete(
      `${P}/staff/services/:code/closures/:day`,
      { config: { access: { permission: 'appointment.manage' } }, schema: { tags, summary: '取消临时闭馆，恢复开放', params: ServiceDayParams } },
      async (req) => removeClosure(ctx.db, await requirePrincipal(ctx, req), req.params.code, req.params.day, auditActor(req)),
    );

    app.get(
      `${P}/staff/bookings/:code`,
      { config: { access: { permission: 'appointment.checkin' } }, schema: { tags, summary: '按预约码查看预约（签到前核对）', params: BookingParams } },
      async (req) => getStaffBooking(ctx.db, await requirePrincipal(ctx, req), req.params.code),
    );

    app.post(
      `${P}/staff/bookings/:code/check-in`,
      { config: { access: { permission: 'appointment.checkin' } }, schema: { tags, summary: '签到（仅预约当天、已确认的预约）', params: BookingParams } },
      async (req) => checkInBooking(ctx.db, await requirePrincipal(ctx, req), req.params.code, auditActor(req)),
    );
  };
}
