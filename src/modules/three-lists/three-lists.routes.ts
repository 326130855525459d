/**
 * 三张清单 — the staff JSON API under /api/v1/staff/lists (tag 'lists'): my lists, one department's list (draft or
 * published, history), open a draft, add / replace / remove entries, import a file (multipart; a row-level report
 * and nothing written if any row is bad), the import template, submit for review; the review queue, an edition,
 * its diff, return with a comment, publish. Routes validate and delegate; the operations check the department
 * (lists.draft to edit, lists.publish to review). The staff pages are registered from here too
 * (three-lists-pages.routes.ts).
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { AppContext } from '../../http/context.ts';
import { StringEnum } from '../../http/schemas.ts';
import { auditActor, requirePrincipal } from '../../http/route-access.ts';
import { readUpload } from '../attachments/read-upload.ts';
import { InvalidParameterError, NotFoundError } from '../../shared/errors.ts';
import { diffEditions } from './diff-list-editions.ts';
import { importListEntries, ImportRejectedError, type ImportMode } from './import-list-entries.ts';
import { assertListKind, findListDepartment } from './list-access.ts';
import { getStaffEdition, getStaffList, listEditionsInReview, listMyLists } from './list-staff-lists.ts';
import { listTemplate } from './list-template.ts';
import { openListDraft } from './open-list-draft.ts';
import { publishListEdition } from './publish-list-edition.ts';
import { removeListEntry } from './remove-list-entry.ts';
import { returnListDraft } from './return-list-draft.ts';
import { saveListEntry } from './save-list-entry.ts';
import { submitListDraft } from './submit-list-draft.ts';
import { threeListsPageRoutes } from './three-lists-pages.routes.ts';
import { LIST_UPLOAD_MAX_MB, registerListUploads } from './list-uploads.ts';
import { LIST_KINDS } from './three-lists.types.ts';

export const STAFF_LISTS_API = '/api/v1/staff/lists';

const tags = ['lists'];
const draftAccess = { access: { permission: 'lists.draft' as const } };
const publishAccess = { access: { permission: 'lists.publish' as const } };
const staffAccess = { access: 'staff' as const };

const Kind = StringEnum(Object.keys(LIST_KINDS) as (keyof typeof LIST_KINDS)[], 'power 权力清单（含责任清单）、negative 企业投资项目负面清单、fund 专项资金管理清单');
const Id = Type.Integer({ minimum: 1, maximum: 2_147_483_647 });
const ListParams = Type.Object({ kind: Kind, departmentId: Id });
const EntryParams = Type.Object({ kind: Kind, departmentId: Id, key: Type.String({ minLength: 1, maxLength: 64 }) });
const EditionParams = Type.Object({ id: Id });
const EntryBody = Type.Object(
  { entry: Type.Record(Type.String({ maxLength: 40 }), Type.Unknown(), { description: '条目字段（见 three-lists.types.ts：PowerEntry / NegativeEntry / FundEntry）；多值字段可为数组，或以“；”或换行分隔的文字' }) },
  { additionalProperties: false },
);

export function threeListsRoutes(ctx: AppContext): FastifyPluginAsyncTypebox {
  return async (app) => {
    await app.register(threeListsPageRoutes(ctx));
    await app.register(threeListsApiRoutes(ctx));
  };
}

function threeListsApiRoutes(ctx: AppContext): FastifyPluginAsyncTypebox {
  return async (app) => {
    await registerListUploads(app);

    app.get(STAFF_LISTS_API, { config: staffAccess, schema: { tags, summary: '本人可编制的各部门清单：已发布版本与草稿状态' } }, async (req) => ({
      lists: await listMyLists(ctx.db, await requirePrincipal(ctx, req)),
    }));

    app.get(`${STAFF_LISTS_API}/review`, { config: publishAccess, schema: { tags, summary: '待审核的清单版本（本人审核范围内）' } }, async (req) => ({
      editions: await listEditionsInReview(ctx.db, await requirePrincipal(ctx, req)),
    }));

    app.get(
      `${STAFF_LISTS_API}/:kind/template`,
      {
        config: staffAccess,
        exposeHeadRoute: false,
        schema: { tags, summary: '导入模板（表头与示例行）', params: Type.Object({ kind: Kind }), querystring: Type.Object({ format: Type.Optional(StringEnum(['csv', 'xlsx'] as const)) }) },
      },
      async (req, reply) => {
        const t = await listTemplate(req.params.kind, req.query.format ?? 'csv');
        return reply
          .header('content-type', t.contentType)
          .header('content-disposition', `attachment; filename="template.${req.query.format ?? 'csv'}"; filename*=UTF-8''${encodeURIComponent(t.fileName)}`)
          .send(t.bytes);
      },
    );

    app.get(`${STAFF_LISTS_API}/:kind/:departmentId`, { config: staffAccess, schema: { tags, summary: '一个部门的清单：草稿（或待审核版本）、当前发布版本、历史版本', params: ListParams } }, async (req) =>
      getStaffList(ctx.db, await requirePrincipal(ctx, req), req.params.kind, req.params.departmentId, auditActor(req)),
    );

    app.post(`${STAFF_LISTS_API}/:kind/:departmentId/draft`, { config: draftAccess, schema: { tags, summary: '打开草稿（没有时以当前发布版本为底稿新建）', params: ListParams } }, async (req) =>
      openListDraft(ctx.db, await requirePrincipal(ctx, req), req.params.kind, req.params.departmentId, auditActor(req)),
    );

    app.post(`${STAFF_LISTS_API}/:kind/:departmentId/entries`, { config: draftAccess, schema: { tags, summary: '在草稿中新增条目（编号已存在则 409）', params: ListParams, body: EntryBody } }, async (req, reply) => {
      const r = await saveListEntry(ctx.db, await requirePrincipal(ctx, req), req.params.kind, req.params.departmentId, { entry: req.body.entry }, auditActor(req));
      return reply.code(201).send(r);
    });

    app.put(
      `${STAFF_LISTS_API}/:kind/:departmentId/entries/:key`,
      { config: draftAccess, schema: { tags, summary: '修改草稿中的条目（可改编号）', params: EntryParams, body: EntryBody } },
      async (req) => saveListEntry(ctx.db, await requirePrincipal(ctx, req), req.params.kind, req.params.departmentId, { entry: req.body.entry, originalKey: req.params.key }, auditActor(req)),
    );

    app.delete(`${STAFF_LISTS_API}/:kind/:departmentId/entries/:key`, { config: draftAccess, schema: { tags, summary: '从草稿中删除条目', params: EntryParams } }, async (req) =>
      removeListEntry(ctx.db, await requirePrincipal(ctx, req), req.params.kind, req.params.departmentId, req.params.key, auditActor(req)),
    );

    app.post(
      `${STAFF_LISTS_API}/:kind/:departmentId/import`,
      {
        config: { ...draftAccess, csrf: false }, // the token: x-csrf-token header, or the form's _csrf field (checked while reading)
        schema: {
          tags,
          summary: '导入清单文件（multipart/form-data：file 为 CSV（UTF-8）、XLSX 或 JSON；mode 为 replace 整体替换或 merge 新增和修改）；任何一行有误则不写入，返回逐行错误（row、column、message）',
          consumes: ['multipart/form-data'],
          params: ListParams,
        },
      },
      async (req, reply) => {
        const p = await requirePrincipal(ctx, req);
        // a client token needs no CSRF token; a session does
        const up = await readUpload(req, { maxMb: LIST_UPLOAD_MAX_MB, fileField: 'file', csrfToken: p.kind === 'client' ? undefined : p.csrfToken });
        if (!up.file) throw new InvalidParameterError('file', '请选择要导入的文件');
        const mode = (up.fields.mode || 'merge') as ImportMode;
        try {
          return await importListEntries(ctx.db, p, req.params.kind, req.params.departmentId, { bytes: up.file.bytes, fileName: up.file.fileName, format: up.fields.format }, mode, auditActor(req));
        } catch (err) {
          if (!(err instanceof ImportRejectedError)) throw err;
          return reply.code(400).send({ error: { code: err.code, message: err.message, field: 'file', requestId: String(req.id), rows: err.rows } });
        }
      },
    );

    app.post(
      `${STAFF_LISTS_API}/:kind/:departmentId/submit`,
      { config: draftAccess, schema: { tags, summary: '提交审核（须填写修订说明）', params: ListParams, body: Type.Object({ note: Type.String({ maxLength: 1000 }) }, { additionalProperties: false }) } },
      async (req) => submitListDraft(ctx.db, await requirePrincipal(ctx, req), req.params.kind, req.params.departmentId, req.body, auditActor(req)),
    );

    app.get(`${STAFF_LISTS_API}/editions/:id`, { config: staffAccess, schema: { tags, summary: '一个清单版本及其全部条目', params: EditionParams } }, async (req) =>
      getStaffEdition(ctx.db, await requirePrincipal(ctx, req), req.params.id, auditActor(req)),
    );

    app.get(
      `${STAFF_LISTS_API}/editions/:id/diff`,
      {
        config: staffAccess,
        schema: { tags, summary: '版本比对：与另一版本（against，默认当前发布版本）相比新增、删除、修改（逐字段）的条目', params: EditionParams, querystring: Type.Object({ against: Type.Optional(Id) }) },
      },
      async (req) => {
        const p = await requirePrincipal(ctx, req);
        const ed = await getStaffEdition(ctx.db, p, req.params.id, auditActor(req));
        let against = req.query.against;
        if (against === undefined) {
          const pub = await ctx.db.selectFrom('list_editions').select('id').where('list_kind', '=', ed.kind).where('department_id', '=', ed.departmentId).where('status', '=', 'published').executeTakeFirst();
          const prev = ed.version
            ? await ctx.db.selectFrom('list_editions').select('id').where('list_kind', '=', ed.kind).where('department_id', '=', ed.departmentId).where('version', '=', ed.version - 1).executeTakeFirst()
            : pub && pub.id !== ed.id ? pub : undefined;
          if (!prev) throw new NotFoundError('没有可比较的上一版本', 'against');
          against = prev.id;
        } else {
          await getStaffEdition(ctx.db, p, against, auditActor(req));
        }
        return diffEditions(ctx.db, against, ed.id, { includeDrafts: true });
      },
    );

    app.post(
      `${STAFF_LISTS_API}/editions/:id/return`,
      { config: publishAccess, schema: { tags, summary: '退回修改（须填写审核意见）', params: EditionParams, body: Type.Object({ comment: Type.String({ maxLength: 1000 }) }, { additionalProperties: false }) } },
      async (req) => returnListDraft(ctx.db, await requirePrincipal(ctx, req), req.params.id, req.body, auditActor(req)),
    );

    app.post(
      `${STAFF_LISTS_API}/editions/:id/publish`,
      {
        config: publishAccess,
        schema: { tags, summary: '发布：成为新版本，上一版本转为历史版本（保留）', params: EditionParams, body: Type.Optional(Type.Object({ comment: Type.Optional(Type.String({ maxLength: 1000 })) }, { additionalProperties: false })) },
      },
      async (req) => publishListEdition(ctx.db, await requirePrincipal(ctx, req), req.params.id, req.body ?? {}, auditActor(req)),
    );
  };
}

