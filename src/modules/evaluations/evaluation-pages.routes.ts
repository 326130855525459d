/**
 * 好差评 pages (zh-CN, no JavaScript): the applicant's evaluation form, the public 好差评公示 with charts, and the
 * staff's 差评整改 list and task pages. Forms carry the CSRF field, show errors beside their fields and redirect
 * (303) when they succeed. The operations are the API's.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { AppContext } from '../../http/context.ts';
import { CsrfField } from '../../http/schemas.ts';
import { auditActor } from '../../http/route-access.ts';
import { AppError, InvalidParameterError } from '../../shared/errors.ts';
import { csrfInput, handleFormPost, type FormErrors } from '../portal/forms.ts';
import { layout } from '../portal/layout.ts';
import { cookiePreferences, readPreferences } from '../portal/preferences.ts';
import { pageAccount, sendPage } from '../portal/account/account-kit.ts';
import { requirePerson } from '../delegation/delegation.http.ts';
import type { PersonPrincipal } from '../access/principal.ts';
import { doneMessage, renderAdminPage, requireStaffPage, sendAdminPage } from '../staff/admin-page.ts';
import { INDICATOR_KEYS, RECTIFICATION_STATE_KEYS } from './evaluations.types.ts';
import { checkEvaluation } from './evaluations.validation.ts';
import { findOwnApplication } from './find-own-application.ts';
import { submitEvaluation } from './submit-evaluation.ts';
import { getEvaluationStats, type EvaluationStats } from './get-evaluation-stats.ts';
import { listRectifications } from './list-rectifications.ts';
import { getRectification } from './get-rectification.ts';
import { advanceRectification } from './advance-rectification.ts';
import { formErrors, renderEvaluate, type EvaluateValues } from './evaluate.page.ts';
import { renderStatsPage, type StatsPageFilters } from './stats.page.ts';
import { renderRectificationDetail, renderRectificationList, type ActionFormValues } from './rectifications.page.ts';
import { RECTIFICATION_ACTION_KEYS, RECTIFICATION_ACTIONS, type RectificationAction } from './rectification-flow.ts';
import { NumberParams, TaskParams } from './evaluations.schemas.ts';

const hide = true;
const HTML = 'text/html; charset=utf-8';
/** A form field or filter: any text up to a bound; the operation checks it and answers beside the field. */
const Field = (max: number) => Type.Optional(Type.String({ maxLength: max }));

const EvaluateBody = Type.Object({
  _csrf: CsrfField,
  level: Field(5),
  comment: Field(2000),
  ...Object.fromEntries(INDICATOR_KEYS.map((k) => [k, Field(5)])),
});

const ACTION_DONE = Object.fromEntries(RECTIFICATION_ACTION_KEYS.map((a) => [a, `已办理：${RECTIFICATION_ACTIONS[a].label}。`]));

export function evaluationPageRoutes(ctx: AppContext): FastifyPluginAsyncTypebox {
  return async (app) => {
    // —— 评价办件 (the applicant) ——

    const evaluatePage = (req: FastifyRequest, reply: FastifyReply, p: PersonPrincipal, body: ReturnType<typeof renderEvaluate>, number: string) =>
      layout(ctx, {
        title: `评价办件 ${number}`,
        prefs: readPreferences(ctx, req, reply),
        path: req.url,
        breadcrumbs: [
          { label: '首页', href: '/' },
          { label: '个人中心', href: '/me' },
          { label: '我的办件', href: '/my/applications' },
          { label: number, href: `/my/applications/${number}` },
          { label: '评价' },
        ],
        body,
        account: pageAccount(p),
      });

    app.get(
      '/my/applications/:number/evaluate',
      { config: { access: 'person' }, schema: { hide, params: NumberParams, querystring: Type.Object({ done: Field(5) }) } },
      async (req, reply) => {
        const p = await requirePerson(ctx, req);
        const application = await findOwnApplication(ctx.db, p, req.params.number);
        const body = renderEvaluate({ application, values: {}, csrf: csrfInput(req, reply), done: req.query.done === '1' });
        return sendPage(reply, evaluatePage(req, reply, p, body, application.number));
      },
    );

    app.post(
      '/my/applications/:number/evaluate',
      { config: { access: 'person' }, schema: { hide, params: NumberParams, body: EvaluateBody } },
      async (req, reply) => {
        const p = await requirePerson(ctx, req);
        const application = await findOwnApplication(ctx.db, p, req.params.number);
        const b = req.body as Record<string, string | undefined>;
        const values: EvaluateValues = { level: b.level, comment: b.comment, ...Object.fromEntries(INDICATOR_KEYS.map((k) => [k, b[k]])) };
        const show = (errors: FormErrors) =>
          evaluatePage(req, reply, p, renderEvaluate({ application, values, errors, csrf: csrfInput(req, reply) }), application.number);
        const checked = checkEvaluation({ level: b.level, comment: b.comment, indicators: Object.fromEntries(INDICATOR_KEYS.map((k) => [k, b[k]])) });
        reply.header('cache-control', 'no-store');
        if (checked.errors) return reply.code(400).type(HTML).send(show(formErrors(checked.errors)));
        const failed = await handleFormPost(
          reply,
          async () => {
            await submitEvaluation(ctx.db, p, { number: application.number, evaluation: checked.value }, auditActor(req));
          },
          (errors) => show(formErrors(errors)),
        );
        return failed ?? reply.code(303).redirect(`/my/applications/${encodeURIComponent(application.number)}/evaluate?done=1`);
      },
    );

    // —— 好差评公示 (public) ——

    app.get(
      '/evaluations',
      {
        config: { access: 'public' },
        schema: { hide, querystring: Type.Object({ region: Field(10), department: Field(12), item: Field(40), from: Field(12), to: Field(12) }) },
      },
      async (req, reply) => {
        const q = req.query;
        const filters: StatsPageFilters = {
          region: (q.region ?? '').trim(),
          department: (q.department ?? '').trim(),
          item: (q.item ?? '').trim().toUpperCase(),
          from: (q.from ?? '').trim(),
          to: (q.to ?? '').trim(),
        };
        const errors: FormErrors = {};
        if (filters.region && !ctx.regions.get(filters.region)) errors.region = '请选择列表中的地区';
        if (filters.department && !(/^[1-9][0-9]{0,9}$/.test(filters.department) && Number(filters.department) <= 2 ** 31 - 1)) errors.department = '请选择列表中的部门';
        if (filters.item && !/^[0-9A-Z]{1,36}$/.test(filters.item)) errors.item = '事项实施编码由数字和大写字母组成，最长 36 位';
        let stats: EvaluationStats | null = null;
        if (!Object.keys(errors).length) {
          try {
            stats = await getEvaluationStats(ctx.db, {
              region: filters.region || undefined,
              department: filters.department ? Number(filters.department) : undefined,
              item: filters.item || undefined,
              from: filters.from || undefined,
              to: filters.to || undefined,
            });
          } catch (err) {
            if (!(err instanceof AppError) || err.status >= 500) throw err;
            errors[err.field ?? ''] = err.message;
          }
        }
        let departments: { id: number; name: string }[] = [];
        if (filters.region && !errors.region) {
          departments = await ctx.db.selectFrom('departments').select(['id', 'name']).where('region_code', '=', filters.region).orderBy('kind').orderBy('id').execute();
        }
        if (filters.department && !errors.department && !departments.some((d) => String(d.id) === filters.department)) {
          const d = await ctx.db.selectFrom('departments').select(['id', 'name']).where('id', '=', Number(filters.department)).executeTakeFirst();
          if (d) departments = [d, ...departments];
        }
        const body = renderStatsPage({ filters, stats, errors, regions: ctx.regions.all().filter((r) => r.level !== 'province'), departments });
        // a public page: no session, no cookies set (the filter's region is not the visitor's preferred region)
        const page = layout(ctx, {
          title: '好差评公示',
          prefs: cookiePreferences(ctx, req),
          path: '/evaluations',
          breadcrumbs: [{ label: '首页', href: '/' }, { label: '好差评公示' }],
          body,
        });
        return reply
          .code(Object.keys(errors).length ? 400 : 200)
          .header('cache-control', 'public, max-age=60')
          .type(HTML)
          .send(page);
      },
    );

    // —— 差评整改 (staff) ——

    app.get(
      '/staff/rectifications',
      {
        config: { access: 'staff' },
        schema: {
          hide,
          querystring: Type.Object({
            state: Type.Optional(Type.Union([Type.Literal(''), ...RECTIFICATION_STATE_KEYS.map((s) => Type.Literal(s))])),
            overdue: Field(5),
            page: Type.Integer({ minimum: 1, maximum: 1000, default: 1 }),
          }),
        },
      },
      async (req, reply) => {
        const p = await requireStaffPage(ctx, req);
        const state = req.query.state || undefined;
        const overdue = req.query.overdue === '1';
        const list = await listRectifications(ctx.db, p, { state, overdue, page: req.query.page, size: 20 });
        return sendAdminPage(ctx, req, reply, { title: '差评整改', trail: [{ label: '差评整改' }], body: renderRectificationList({ list, state, overdue }) });
      },
    );

    const taskPage = async (req: FastifyRequest, reply: FastifyReply, id: number, o: { values?: ActionFormValues; errors?: FormErrors; done?: string }) => {
      const p = await requireStaffPage(ctx, req);
      const task = await getRectification(ctx.db, p, id);
      return {
        title: `整改任务 ${id}`,
        trail: [{ label: '差评整改', href: '/staff/rectifications' }, { label: `整改任务 ${id}` }],
        body: renderRectificationDetail({ task, csrf: csrfInput(req, reply), values: o.values ?? {}, errors: o.errors, done: o.done }),
      };
    };

    app.get(
      '/staff/rectifications/:id',
      { config: { access: 'staff' }, schema: { hide, params: TaskParams, querystring: Type.Object({ done: Field(20) }) } },
      async (req, reply) => sendAdminPage(ctx, req, reply, await taskPage(req, reply, req.params.id, { done: doneMessage(req.query.done, ACTION_DONE) })),
    );

    app.post(
      '/staff/rectifications/:id',
      { config: { access: 'staff' }, schema: { hide, params: TaskParams, body: Type.Object({ _csrf: CsrfField, action: Field(30), note: Field(4000), version: Field(12) }) } },
      async (req, reply) => {
        const p = await requireStaffPage(ctx, req);
        const values: ActionFormValues = { action: req.body.action, note: req.body.note };
        const action = req.body.action ?? '';
        try {
          if (!(RECTIFICATION_ACTION_KEYS as string[]).includes(action)) throw new InvalidParameterError('action', '请选择要办理的操作');
          const version = Number(req.body.version);
          if (!Number.isInteger(version) || version < 1) throw new InvalidParameterError('version', '页面已过期，请刷新后重新操作');
          await advanceRectification(ctx.db, p, { id: req.params.id, action: action as RectificationAction, note: req.body.note ?? '', version }, auditActor(req));
        } catch (err) {
          if (!(err instanceof AppError) || err.status >= 500 || err.status === 403 || err.status === 404) throw err;
          // the task as it is now (a stale version shows what changed), with what was typed kept
          const page = await taskPage(req, reply, req.params.id, { values, errors: { [err.field ?? '']: err.message } });
          return reply.code(err.status).header('cache-control', 'no-store').type(HTML).send(renderAdminPage(ctx, req, reply, page));
        }
        return reply.code(303).redirect(`/staff/rectifications/${req.params.id}?done=${action}`);
      },
    );
  };
}
