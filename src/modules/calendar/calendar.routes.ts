/**
 * Working-day calendar (工作日历): the public year view (API and page) and the administrators' API and page to
 * enter a new year's arrangement. Routes validate and delegate; `setCalendarYear` checks and writes.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { AppContext } from '../../http/context.ts';
import { CsrfField, StringEnum } from '../../http/schemas.ts';
import { auditActor, requirePrincipal } from '../../http/route-access.ts';
import { InvalidParameterError } from '../../shared/errors.ts';
import { csrfInput, handleFormPost, type FormErrors } from '../portal/forms.ts';
import { layout } from '../portal/layout.ts';
import { readPreferences } from '../portal/preferences.ts';
import { doneMessage, HTML, renderAdminPage, requireStaffPage, sendAdminPage, type AdminPage } from '../staff/admin-page.ts';
import { errorAtLine, formatCalendarLines, parseCalendarLines } from './calendar-lines.ts';
import { renderAdminCalendar, renderPublicCalendar, type CalendarFormValues } from './calendar.page.ts';
import { CALENDAR_LIMITS } from './calendar.types.ts';
import { getCalendarYear } from './get-calendar-year.ts';
import { listCalendarYears } from './list-calendar-years.ts';
import { setCalendarYear } from './set-calendar-year.ts';
import { chinaToday } from './working-calendar.ts';

const tags = ['calendar'];
const hide = true;
const Year = Type.Integer({ minimum: CALENDAR_LIMITS.minYear, maximum: CALENDAR_LIMITS.maxYear, description: '年份' });
const YearParams = Type.Object({ year: Year });
const DayInput = Type.String({ pattern: '^[0-9]{4}-[0-9]{2}-[0-9]{2}$', description: '日期 YYYY-MM-DD' });

const SetYearBody = Type.Object(
  {
    notice: Type.String({ maxLength: CALENDAR_LIMITS.notice, description: '所依据的通知，如：国务院办公厅关于2027年部分节假日安排的通知' }),
    days: Type.Array(
      Type.Object(
        {
          day: DayInput,
          kind: StringEnum(['holiday', 'workday'] as const, 'holiday：放假；workday：调休上班（周六或周日）'),
          name: Type.String({ maxLength: CALENDAR_LIMITS.name, description: '节日名称，如 春节' }),
        },
        { additionalProperties: false },
      ),
      { maxItems: CALENDAR_LIMITS.days, description: '该年全部放假日（含放假期间的周末）和调休上班日' },
    ),
  },
  { additionalProperties: false },
);

const DONE = { saved: '已保存。新的安排已用于计算办件时限（其他服务器在几秒内同步）。' };

export function calendarRoutes(ctx: AppContext): FastifyPluginAsyncTypebox {
  return async (app) => {
    // —— public ——

    app.get('/api/v1/calendar', { config: { access: 'public' }, schema: { tags, summary: '已公布工作日历的年度' } }, async () => ({
      years: await listCalendarYears(ctx.db),
    }));

    app.get(
      '/api/v1/calendar/:year',
      { config: { access: 'public' }, schema: { tags, summary: '一年的法定节假日与调休上班日（未公布的年份：known=false，暂按周一至周五）', params: YearParams } },
      async (req) => getCalendarYear(ctx.db, req.params.year),
    );

    app.get(
      '/calendar',
      { config: { access: 'public' }, schema: { hide, querystring: Type.Object({ year: Type.Optional(Year) }) } },
      async (req, reply) => {
        const year = req.query.year ?? Number(chinaToday().slice(0, 4));
        const view = await getCalendarYear(ctx.db, year);
        const prefs = readPreferences(ctx, req, reply);
        return reply.type(HTML).send(
          layout(ctx, {
            title: `${year} 年工作日历`,
            prefs,
            path: req.url,
            breadcrumbs: [{ label: '首页', href: '/' }, { label: `${year} 年工作日历` }],
            body: renderPublicCalendar(view, { minYear: CALENDAR_LIMITS.minYear, maxYear: CALENDAR_LIMITS.maxYear }),
          }),
        );
      },
    );

    // —— administrators (平台管理员) ——

    app.put(
      '/api/v1/admin/calendar/:year',
      {
        config: { access: { permission: 'calendar.manage' } },
        schema: { tags, summary: '设定一年的法定节假日与调休上班日（整年替换；系统升级不再覆盖）', params: YearParams, body: SetYearBody },
      },
      async (req) => setCalendarYear(ctx.db, await requirePrincipal(ctx, req), { year: req.params.year, ...req.body }, auditActor(req)),
    );

    /** The page for these form values; the years are read now, the errors or the confirmation come later. */
    const adminPage = async (req: FastifyRequest, reply: FastifyReply, values: CalendarFormValues) => {
      const years = await listCalendarYears(ctx.db);
      const current = years.find((y) => String(y.year) === values.year);
      return (o: { done?: string; errors?: FormErrors } = {}): AdminPage => ({
        title: '工作日历维护',
        trail: [{ label: '工作日历维护' }],
        body: renderAdminCalendar({ years, values, current, csrf: csrfInput(req, reply), ...o }),
      });
    };

    app.get(
      '/admin/calendar',
      {
        config: { access: { permission: 'calendar.manage' } },
        schema: { hide, querystring: Type.Object({ year: Type.Optional(Year), done: Type.Optional(Type.String({ maxLength: 20 })) }) },
      },
      async (req, reply) => {
        await requireStaffPage(ctx, req);
        let year = req.query.year;
        if (year === undefined) {
          const known = await listCalendarYears(ctx.db);
          year = Math.min(CALENDAR_LIMITS.maxYear, (known[0]?.year ?? Number(chinaToday().slice(0, 4)) - 1) + 1); // the next year to enter
        }
        const view = await getCalendarYear(ctx.db, year);
        const values = { year: String(year), notice: view.notice, days: formatCalendarLines(view.days) };
        const page = await adminPage(req, reply, values);
        return sendAdminPage(ctx, req, reply, page({ done: doneMessage(req.query.done, DONE) }));
      },
    );

    app.post(
      '/admin/calendar',
      {
        config: { access: { permission: 'calendar.manage' } },
        schema: {
          hide,
          body: Type.Object({
            _csrf: CsrfField,
            year: Type.String({ maxLength: 10, default: '' }),
            notice: Type.String({ maxLength: 1000, default: '' }),
            days: Type.String({ maxLength: 20000, default: '' }),
          }),
        },
      },
      async (req, reply) => {
        const p = await requireStaffPage(ctx, req);
        const values = { year: req.body.year.trim(), notice: req.body.notice, days: req.body.days };
        const page = await adminPage(req, reply, values);
        reply.header('cache-control', 'no-store');
        const failed = await handleFormPost(
          reply,
          async () => {
            if (!/^\d{4}$/.test(values.year)) throw new InvalidParameterError('year', `年份应为 ${CALENDAR_LIMITS.minYear}–${CALENDAR_LIMITS.maxYear} 之间的四位数字`);
            const parsed = parseCalendarLines(values.days);
            try {
              await setCalendarYear(ctx.db, p, { year: Number(values.year), notice: values.notice, days: parsed.days }, auditActor(req));
            } catch (err) {
              throw errorAtLine(err, parsed);
            }
          },
          (errors) => renderAdminPage(ctx, req, reply, page({ errors })),
        );
        return failed ?? reply.code(303).redirect(`/admin/calendar?year=${values.year}&done=saved`);
      },
    );
  };
}
