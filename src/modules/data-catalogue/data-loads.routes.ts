/**
 * 数据装载 (onboarding records), the JSON API under /api/v1/staff/data/resources/:code and the steward's page
 * /admin/data/resources/:code/loads. Upload a file (multipart, 202 — checked and applied in the background),
 * list the loads and data versions, follow one load's progress, download its error report, roll back to an
 * earlier version. Every route needs 'data.resource.manage'; the operations check the provider department.
 */
import multipart from '@fastify/multipart';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { AppContext } from '../../http/context.ts';
import { auditActor, requirePrincipal } from '../../http/route-access.ts';
import { AppError, FieldErrorsError } from '../../shared/errors.ts';
import { csrfInput, type FormErrors } from '../portal/forms.ts';
import { doneMessage, renderAdminPage, requireStaffPage, HTML } from '../staff/admin-page.ts';
import { getDataLoad, LOADS_API, LOADS_PAGES, loadsPageOf, readDataLoadErrorReport, RESOURCE_CODE } from './get-data-load.ts';
import { listDataLoads, type DataLoadList } from './list-data-loads.ts';
import { rollbackDataVersion } from './rollback-data-version.ts';
import { receiveDataUpload } from './upload-data-file.ts';
import { DONE_MESSAGES, renderLoadsPage } from './data-loads.page.ts';

const tags = ['data'];
const hide = true;
const manage = { access: { permission: 'data.resource.manage' as const } };
const CodeParams = Type.Object({ code: Type.String({ pattern: RESOURCE_CODE }) });
const LoadParams = Type.Object({ code: Type.String({ pattern: RESOURCE_CODE }), loadId: Type.Integer({ minimum: 1, maximum: 9_007_199_254_740_991 }) });
const Mode = Type.Optional(Type.Union([Type.Literal('full'), Type.Literal('upsert'), Type.Literal('delete')], { description: 'full 全量替换、upsert 增量更新、delete 按关键项删除（也可用表单字段 mode，须在文件之前）' }));

export function dataLoadRoutes(ctx: AppContext): FastifyPluginAsyncTypebox {
  return async (app) => {
    await app.register(multipart, { limits: { fileSize: ctx.config.dataUploadMaxMb * 1024 * 1024, files: 1, fields: 10, fieldSize: 1024, parts: 12 } });
    const maxMb = ctx.config.dataUploadMaxMb;

    // ---- API ----
    app.get(
      `${LOADS_API}/:code/loads`,
      {
        config: manage,
        schema: {
          tags,
          summary: '数据资源的装载记录与数据版本（进度、行数、错误报告）',
          params: CodeParams,
          querystring: Type.Object({ page: Type.Integer({ minimum: 1, maximum: 10_000, default: 1 }), size: Type.Integer({ minimum: 1, maximum: 200, default: 50 }) }),
        },
      },
      async (req) => listDataLoads(ctx.db, await requirePrincipal(ctx, req), req.params.code, req.query, auditActor(req)),
    );

    app.post(
      `${LOADS_API}/:code/loads`,
      {
        // the CSRF token: the x-csrf-token header, or the form's _csrf field before the file (checked while reading)
        config: { ...manage, csrf: false },
        schema: {
          tags,
          summary: '上传数据文件（multipart/form-data：mode、file；CSV UTF-8、.xlsx 或 JSON；202，后台校验装载）',
          consumes: ['multipart/form-data'],
          params: CodeParams,
          querystring: Type.Object({ mode: Mode }),
        },
      },
      async (req, reply) => {
        const p = await requirePrincipal(ctx, req);
        const load = await receiveDataUpload(ctx, req, p, req.params.code, auditActor(req), { maxMb, mode: req.query.mode });
        return reply.code(202).send(load);
      },
    );

    app.get(`${LOADS_API}/:code/loads/:loadId`, { config: manage, schema: { tags, summary: '一次装载的进度与结果', params: LoadParams } }, async (req) =>
      getDataLoad(ctx.db, await requirePrincipal(ctx, req), req.params.code, req.params.loadId, auditActor(req)),
    );

    app.get(
      `${LOADS_API}/:code/loads/:loadId/errors.csv`,
      { config: manage, exposeHeadRoute: false, schema: { tags, summary: '下载错误报告（CSV：行号、列、值、问题；个人信息已脱敏）', params: LoadParams } },
      async (req, reply) => {
        const report = await readDataLoadErrorReport(ctx, await requirePrincipal(ctx, req), req.params.code, req.params.loadId, auditActor(req));
        return reply
          .header('content-type', 'text/csv; charset=utf-8')
          .header('content-disposition', `attachment; filename="errors.csv"; filename*=UTF-8''${encodeURIComponent(report.fileName)}`)
          .header('cache-control', 'no-store')
          .send(report.bytes);
      },
    );

    app.post(
      `${LOADS_API}/:code/rollback`,
      {
        config: manage,
        schema: {
          tags,
          summary: '回滚到以前的数据版本（恢复该版本的记录，生成新的版本）',
          params: CodeParams,
          body: Type.Object({ to: Type.Integer({ minimum: 1, maximum: 2147483647, description: '要恢复的数据版本号' }) }, { additionalProperties: false }),
        },
      },
      async (req) => rollbackDataVersion(ctx, await requirePrincipal(ctx, req), req.params.code, req.body.to, auditActor(req)),
    );

    // ---- the steward's page ----
    function send(req: FastifyRequest, reply: FastifyReply, o: { list: DataLoadList; errors?: FormErrors; done?: string; status?: number; refreshOff?: boolean }) {
      const refresh = o.list.inProgress && !o.refreshOff && !o.errors;
      const body = renderLoadsPage({ list: o.list, csrf: csrfInput(req, reply), errors: o.errors, done: o.done, maxMb, refresh });
      const page = renderAdminPage(ctx, req, reply, {
        title: `${o.errors ? '（有错误）' : ''}数据装载：${o.list.resource.name}`,
        trail: [{ label: '数据资源管理', href: '/admin/data' }, { label: o.list.resource.name, href: `${LOADS_PAGES}/${encodeURIComponent(o.list.resource.code)}/edit` }, { label: '数据装载与版本' }],
        body,
        refreshSeconds: refresh ? 3 : undefined,
      });
      return reply.code(o.status ?? 200).header('cache-control', 'no-store').type(HTML).send(page);
    }

    app.get(
      `${LOADS_PAGES}/:code/loads`,
      { config: manage, schema: { hide, params: CodeParams, querystring: Type.Object({ done: Type.Optional(Type.String({ maxLength: 20 })), refresh: Type.Optional(Type.String({ maxLength: 2 })), page: Type.Optional(Type.String({ maxLength: 6 })) }) } },
      async (req, reply) => {
        const p = await requireStaffPage(ctx, req);
        const page = /^[1-9][0-9]{0,4}$/.test(req.query.page ?? '') ? Number(req.query.page) : 1;
        const list = await listDataLoads(ctx.db, p, req.params.code, { page }, auditActor(req));
        return send(req, reply, { list, done: doneMessage(req.query.done, DONE_MESSAGES), refreshOff: req.query.refresh === '0' });
      },
    );

    /** Runs a post; a refusal to show (400, 409, 413, 415) is the page again with the error beside its field. */
    async function onPage(req: FastifyRequest, reply: FastifyReply, code: string, run: () => Promise<unknown>, done: string, field: string) {
      const p = await requireStaffPage(ctx, req);
      try {
        await run();
      } catch (err) {
        if (!(err instanceof AppError) || err.status >= 500 || err.status === 403 || err.status === 404 || err.code === 'CSRF_REJECTED') throw err;
        const list = await listDataLoads(ctx.db, p, code, {}, auditActor(req));
        const errors: FormErrors = {};
        for (const e of err instanceof FieldErrorsError ? err.errors : [{ field: err.field ?? '', message: err.message }]) errors[e.field === 'mode' ? 'mode' : field] ??= e.message;
        return send(req, reply, { list, errors, status: err.status });
      }
      return reply.redirect(`${loadsPageOf(code)}?done=${done}`, 303);
    }

    app.post(`${LOADS_PAGES}/:code/loads`, { config: { ...manage, csrf: false }, schema: { hide, params: CodeParams } }, async (req, reply) =>
      onPage(req, reply, req.params.code, async () => receiveDataUpload(ctx, req, await requireStaffPage(ctx, req), req.params.code, auditActor(req), { maxMb }), 'uploaded', 'file'),
    );

    app.post(
      `${LOADS_PAGES}/:code/loads/rollback`,
      { config: manage, schema: { hide, params: CodeParams, body: Type.Object({ to: Type.String({ maxLength: 12 }), _csrf: Type.Optional(Type.String({ maxLength: 200 })) }) } },
      async (req, reply) =>
        onPage(
          req,
          reply,
          req.params.code,
          async () => rollbackDataVersion(ctx, await requireStaffPage(ctx, req), req.params.code, /^[1-9][0-9]{0,9}$/.test(req.body.to) ? Number(req.body.to) : 0, auditActor(req)),
          'rolledback',
          'to',
        ),
    );
  };
}
