/**
 * 结果发布 (department side), the JSON API under /api/v1/staff/result-sets: create and change sets, upload files
 * (multipart, 202 — checked and loaded in the background), follow a load's progress, download its error report,
 * publish and withdraw. Every route needs 'results.publish'; the operations check the set's department. There
 * is no route that returns rows: staff query results like anyone else, after the release time.
 */
import multipart from '@fastify/multipart';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { AppContext } from '../../http/context.ts';
import { Int4Id, StringEnum } from '../../http/schemas.ts';
import { auditActor, requirePrincipal } from '../../http/route-access.ts';
import { createResultSet } from './create-result-set.ts';
import { updateResultSet } from './update-result-set.ts';
import { publishResultSet } from './publish-result-set.ts';
import { withdrawResultSet } from './withdraw-result-set.ts';
import { receiveResultUpload } from './upload-result-file.ts';
import { listDepartmentResultSets } from './list-department-result-sets.ts';
import { getResultLoad, getResultSetStatus, readErrorReport, STAFF_API } from './get-result-set-status.ts';
import { CODE_PATTERN, COLUMN_TYPES, MAX_COLUMNS, MAX_KEY_COLUMNS, RESULT_SET_TEMPLATES, type ResultColumnType } from './result-sets.types.ts';

const tags = ['results'];
const publish = { access: { permission: 'results.publish' as const } };

const Column = Type.Object(
  {
    key: Type.String({ maxLength: 40, description: '字段名：小写字母开头，小写字母、数字、下划线（如 exam_no）' }),
    label: Type.String({ maxLength: 40, description: '列名（如 考生号）；上传文件的表头可写列名或字段名' }),
    type: StringEnum(Object.keys(COLUMN_TYPES) as ResultColumnType[], 'text 文本、integer 整数、decimal 数值、id_number 身份证号（校验并打码显示）'),
    required: Type.Boolean({ description: '必填' }),
  },
  { additionalProperties: false },
);
const Columns = Type.Array(Column, { maxItems: MAX_COLUMNS });
const KeyColumns = Type.Array(Type.String({ maxLength: 40 }), { maxItems: MAX_KEY_COLUMNS, description: '查询时要填写的列（字段名，1–3 个，须为必填列），如 ["exam_no","id_number"]' });
const ReleaseAt = Type.String({ maxLength: 40, description: '发布时间（ISO 8601，带时区），如 2026-06-25T12:00:00+08:00；此前任何人（包括工作人员）都不能查询' });
const Confirm = Type.Optional(Type.Boolean({ description: '发布时间已过时须为 true：确认立即开放查询' }));

const CreateBody = Type.Object(
  {
    code: Type.String({ maxLength: 64, description: '代码（3–64 位小写字母、数字、连字符），用于查询地址，创建后不能修改' }),
    title: Type.String({ maxLength: 200 }),
    description: Type.Optional(Type.String({ maxLength: 4000 })),
    departmentId: Type.Optional(Type.Integer({ minimum: 1, maximum: 2147483647, description: '发布部门，默认本人所在部门' })),
    columns: Columns,
    keyColumns: KeyColumns,
    releaseAt: ReleaseAt,
  },
  { additionalProperties: false },
);
const PatchBody = Type.Object(
  {
    title: Type.Optional(Type.String({ maxLength: 200 })),
    description: Type.Optional(Type.String({ maxLength: 4000 })),
    columns: Type.Optional(Columns),
    keyColumns: Type.Optional(KeyColumns),
    releaseAt: Type.Optional(ReleaseAt),
    confirmImmediateRelease: Confirm,
    revision: Type.Optional(Int4Id({ description: '读取时的版本号；已变化则 409' })),
  },
  { additionalProperties: false },
);
const CodeParams = Type.Object({ code: Type.String({ pattern: CODE_PATTERN }) });
const LoadParams = Type.Object({ code: Type.String({ pattern: CODE_PATTERN }), loadId: Type.Integer({ minimum: 1, maximum: 9_007_199_254_740_991 }) });

/** Registers multipart for the upload routes of one plugin (and nowhere else), with the result file's own limit. */
export async function registerResultUploads(app: Parameters<FastifyPluginAsyncTypebox>[0], ctx: AppContext): Promise<void> {
  await app.register(multipart, { limits: { fileSize: ctx.config.resultUploadMaxMb * 1024 * 1024, files: 1, fields: 10, fieldSize: 1024, parts: 12 } });
}

export function resultSetStaffRoutes(ctx: AppContext): FastifyPluginAsyncTypebox {
  return async (app) => {
    await registerResultUploads(app, ctx);

    app.get(
      STAFF_API,
      {
        config: publish,
        schema: {
          tags,
          summary: '本人管理范围内各部门的查询结果集',
          querystring: Type.Object({ page: Type.Integer({ minimum: 1, maximum: 10_000, default: 1 }), size: Type.Integer({ minimum: 1, maximum: 200, default: 50 }) }),
        },
      },
      async (req) => listDepartmentResultSets(ctx.db, await requirePrincipal(ctx, req), req.query),
    );

    app.get(`${STAFF_API}/templates`, { config: publish, schema: { tags, summary: '新建结果集可用的模板（高考成绩等）' } }, async () => ({
      templates: Object.entries(RESULT_SET_TEMPLATES).map(([key, t]) => ({ key, ...t })),
    }));

    app.post(STAFF_API, { config: publish, schema: { tags, summary: '新建结果集（草稿）', body: CreateBody } }, async (req, reply) => {
      const view = await createResultSet(ctx, await requirePrincipal(ctx, req), req.body, auditActor(req));
      return reply.code(201).send(view);
    });

    app.get(`${STAFF_API}/:code`, { config: publish, schema: { tags, summary: '结果集及其上传记录（进度、行数、错误报告）；不含数据行', params: CodeParams } }, async (req) =>
      getResultSetStatus(ctx.db, await requirePrincipal(ctx, req), req.params.code, auditActor(req)),
    );

    app.patch(
      `${STAFF_API}/:code`,
      { config: publish, schema: { tags, summary: '修改结果集（列结构仅草稿可改；发布时间改到已过的时间须确认）', params: CodeParams, body: PatchBody } },
      async (req) => updateResultSet(ctx, await requirePrincipal(ctx, req), req.params.code, req.body, auditActor(req)),
    );

    app.post(
      `${STAFF_API}/:code/loads`,
      {
        // the CSRF token: the x-csrf-token header, or the form's _csrf field before the file (checked while reading)
        config: { ...publish, csrf: false },
        schema: {
          tags,
          summary: '上传结果文件（multipart/form-data：file，CSV UTF-8 或 .xlsx；202，后台逐行校验导入）',
          consumes: ['multipart/form-data'],
          params: CodeParams,
        },
      },
      async (req, reply) => {
        const p = await requirePrincipal(ctx, req);
        const load = await receiveResultUpload(ctx, req, p, req.params.code, auditActor(req), { maxMb: ctx.config.resultUploadMaxMb });
        return reply.code(202).send({ ...load, statusUrl: `${STAFF_API}/${req.params.code}/loads/${load.loadId}` });
      },
    );

    app.get(`${STAFF_API}/:code/loads/:loadId`, { config: publish, schema: { tags, summary: '一次上传的校验导入进度', params: LoadParams } }, async (req) =>
      getResultLoad(ctx.db, await requirePrincipal(ctx, req), req.params.code, req.params.loadId, auditActor(req)),
    );

    app.get(
      `${STAFF_API}/:code/loads/:loadId/errors.csv`,
      { config: publish, exposeHeadRoute: false, schema: { tags, summary: '下载错误报告（CSV：行号、列、值、问题）', params: LoadParams } },
      async (req, reply) => {
        const report = await readErrorReport(ctx, await requirePrincipal(ctx, req), req.params.code, req.params.loadId, auditActor(req));
        return reply
          .header('content-type', 'text/csv; charset=utf-8')
          .header('content-disposition', `attachment; filename="errors.csv"; filename*=UTF-8''${encodeURIComponent(report.fileName)}`)
          .header('cache-control', 'no-store')
          .send(report.bytes);
      },
    );

    app.post(
      `${STAFF_API}/:code/publish`,
      { config: publish, schema: { tags, summary: '发布结果集（到发布时间起可查询）', params: CodeParams, body: Type.Optional(Type.Object({ confirmImmediateRelease: Confirm }, { additionalProperties: false })) } },
      async (req) => publishResultSet(ctx, await requirePrincipal(ctx, req), req.params.code, req.body ?? {}, auditActor(req)),
    );

    app.post(
      `${STAFF_API}/:code/withdraw`,
      {
        config: publish,
        schema: { tags, summary: '撤回结果集（立即停止查询）', params: CodeParams, body: Type.Optional(Type.Object({ reason: Type.Optional(Type.String({ maxLength: 1000 })) }, { additionalProperties: false })) },
      },
      async (req) => withdrawResultSet(ctx, await requirePrincipal(ctx, req), req.params.code, req.body ?? {}, auditActor(req)),
    );
  };
}
