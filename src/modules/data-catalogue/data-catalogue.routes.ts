/**
 * 政务信息资源目录, the JSON API. Public (no sign-in): the published catalogue under /api/v1/data/resources —
 * search with q / fq / rows / start / facets (envelope {total, start, rows, items, facets?}), one entry's
 * metadata, its meta versions and one version's snapshot; never any records. Staff (data.resource.manage over
 * the provider department, checked by the operations): the steward's list, create, change, publish, retire.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { AppContext } from '../../http/context.ts';
import { CreditCode, Int4Id } from '../../http/schemas.ts';
import { auditActor, requirePrincipal } from '../../http/route-access.ts';
import { DATA_ITEM_TYPES, DATA_ITEM_MASKS } from './data-catalogue.types.ts';
import { searchDataResources } from './search-data-resources.ts';
import { getDataResourceForStaff, getPublicDataResource } from './get-data-resource.ts';
import { listResourceVersions } from './list-resource-versions.ts';
import { getResourceVersion } from './get-resource-version.ts';
import { createDataResource, updateDataResource } from './save-data-resource.ts';
import { publishDataResource, retireDataResource } from './publish-data-resource.ts';
import { listStewardResources } from './list-steward-resources.ts';

const tags = ['data'];
const PUBLIC_API = '/api/v1/data/resources';
const STAFF_API = '/api/v1/staff/data/resources';
const manage = { access: { permission: 'data.resource.manage' as const } };

export const ResourceCode = Type.String({ pattern: '^[A-Za-z0-9][A-Za-z0-9/-]{2,63}$', description: '资源代码', examples: ['330000-GA-RK-001'] });
const CodeParams = Type.Object({ code: ResourceCode });
const VersionParams = Type.Object({ code: ResourceCode, n: Type.Integer({ minimum: 1, maximum: 1_000_000 }) });

const Item = Type.Object(
  {
    key: Type.String({ maxLength: 63, description: '信息项标识：小写字母开头，小写字母、数字、下划线（如 id_number）' }),
    name: Type.String({ maxLength: 60, description: '信息项名称（如 公民身份号码）' }),
    type: Type.String({ maxLength: 20, description: `数据类型：${DATA_ITEM_TYPES.join(' / ')}` }),
    required: Type.Optional(Type.Boolean({ description: '必填' })),
    personal: Type.Optional(Type.Boolean({ description: '个人信息（未经授权明文时脱敏）' })),
    mask: Type.Optional(Type.Union([Type.String({ maxLength: 20, description: `脱敏方式：${DATA_ITEM_MASKS.join(' / ')}` }), Type.Null()])),
  },
  { additionalProperties: false },
);

const Fields = {
  name: Type.String({ maxLength: 200, description: '资源名称' }),
  providerDepartmentId: Type.Optional(Type.Integer({ minimum: 1, maximum: 2147483647, description: '资源提供部门（编号）；默认本人所在部门' })),
  providerDepartmentCode: Type.Optional(CreditCode),
  catalogueKind: Type.String({ maxLength: 20, description: '目录类别：base 基础 / theme 主题 / department 部门' }),
  baseLibrary: Type.Optional(Type.Union([Type.String({ maxLength: 20, description: 'population / legal_person / geospatial / credit / licence' }), Type.Null()])),
  classification: Type.String({ maxLength: 200, description: '资源分类，如 社会保障/参保登记' }),
  abstract: Type.String({ maxLength: 4000, description: '资源摘要' }),
  format: Type.Optional(Type.String({ maxLength: 20, description: '资源格式：table 数据库表 / file 电子文件 / api 接口' })),
  items: Type.Array(Item, { maxItems: 200, description: '信息项' }),
  keyItem: Type.String({ maxLength: 63, description: '标识记录的关键信息项（如 id_number）' }),
  shareType: Type.String({ maxLength: 20, description: 'unconditional 无条件共享 / conditional 有条件共享 / none 不予共享' }),
  shareConditions: Type.Optional(Type.String({ maxLength: 2000, description: '共享条件（有条件共享必填）；不予共享时为理由（必填）' })),
  shareMethod: Type.Optional(Type.String({ maxLength: 20, description: 'api 接口 / batch 批量 / both' })),
  openType: Type.String({ maxLength: 20, description: 'open 无条件开放 / conditional 有条件开放 / closed 不予开放' }),
  updateCycle: Type.String({ maxLength: 20, description: 'realtime / daily / weekly / monthly / quarterly / yearly / irregular' }),
  grade: Type.String({ maxLength: 20, description: 'core 核心 / important 重要 / general 一般' }),
  relatedCodes: Type.Optional(Type.Array(Type.String({ maxLength: 64 }), { maxItems: 50, description: '关联资源代码' })),
  note: Type.Optional(Type.String({ maxLength: 500, description: '变更说明' })),
};
const CreateBody = Type.Object({ code: Type.String({ maxLength: 64, description: '资源代码（创建后不能修改）' }), ...Fields }, { additionalProperties: false });
const UpdateBody = Type.Object(
  { ...Fields, code: Type.Optional(Type.String({ maxLength: 64 })), metaVersion: Type.Optional(Int4Id({ description: '读取时的目录版本；已变化则 409' })) },
  { additionalProperties: false },
);

export const DataSearchQuery = Type.Object({
  q: Type.Optional(Type.String({ maxLength: 100, description: '检索词（中文分词、拼音）' })),
  fq: Type.Optional(Type.String({ maxLength: 300, description: '筛选：字段:值，空格分隔；字段 provider（部门信用代码）、share_type、grade、base_library、catalogue_kind' })),
  provider: Type.Optional(Type.String({ maxLength: 18 })),
  shareType: Type.Optional(Type.String({ maxLength: 20 })),
  grade: Type.Optional(Type.String({ maxLength: 20 })),
  baseLibrary: Type.Optional(Type.String({ maxLength: 20 })),
  catalogueKind: Type.Optional(Type.String({ maxLength: 20 })),
  rows: Type.Integer({ minimum: 1, maximum: 100, default: 20, description: '每页条数' }),
  start: Type.Integer({ minimum: 0, maximum: 100_000, default: 0, description: '从第几条开始（0 起）' }),
  facets: Type.Optional(Type.Boolean({ default: true, description: '返回分面统计' })),
});

export function dataCatalogueRoutes(ctx: AppContext): FastifyPluginAsyncTypebox {
  return async (app) => {
    // —— public: the published catalogue ——
    app.get(PUBLIC_API, { config: { access: 'public' }, schema: { tags, summary: '检索已发布的数据资源目录（中文分词、筛选、分面）', querystring: DataSearchQuery } }, async (req) =>
      searchDataResources(ctx.db, req.query),
    );

    app.get(`${PUBLIC_API}/:code`, { config: { access: 'public' }, schema: { tags, summary: '数据资源目录详情（元数据，不含数据）', params: CodeParams } }, async (req) =>
      getPublicDataResource(ctx.db, req.params.code),
    );

    app.get(`${PUBLIC_API}/:code/versions`, { config: { access: 'public' }, schema: { tags, summary: '数据资源目录的版本', params: CodeParams } }, async (req) => ({
      items: await listResourceVersions(ctx.db, req.params.code, 'public'),
    }));

    app.get(`${PUBLIC_API}/:code/versions/:n`, { config: { access: 'public' }, schema: { tags, summary: '数据资源目录的某一版本（当时的元数据）', params: VersionParams } }, async (req) =>
      getResourceVersion(ctx.db, req.params.code, req.params.n, 'public'),
    );

    // —— staff: the steward's catalogue ——
    app.get(
      STAFF_API,
      {
        config: manage,
        schema: {
          tags,
          summary: '本人管理范围内各部门提供的数据资源（含草稿）',
          querystring: Type.Object({
            page: Type.Integer({ minimum: 1, maximum: 10_000, default: 1 }),
            size: Type.Integer({ minimum: 1, maximum: 200, default: 50 }),
            status: Type.Optional(Type.Union([Type.Literal('draft'), Type.Literal('published'), Type.Literal('retired')])),
          }),
        },
      },
      async (req) => listStewardResources(ctx.db, await requirePrincipal(ctx, req), req.query),
    );

    app.get(`${STAFF_API}/:code`, { config: manage, schema: { tags, summary: '数据资源目录（含草稿）', params: CodeParams } }, async (req) =>
      getDataResourceForStaff(ctx.db, await requirePrincipal(ctx, req), req.params.code, auditActor(req)),
    );

    app.get(`${STAFF_API}/:code/versions`, { config: manage, schema: { tags, summary: '数据资源目录的版本（含修改人）', params: CodeParams } }, async (req) => ({
      items: await listResourceVersions(ctx.db, req.params.code, { p: await requirePrincipal(ctx, req), actor: auditActor(req) }),
    }));

    app.post(STAFF_API, { config: manage, schema: { tags, summary: '新建数据资源目录（草稿，第 1 版）', body: CreateBody } }, async (req, reply) => {
      const view = await createDataResource(ctx.db, await requirePrincipal(ctx, req), req.body, auditActor(req));
      return reply.code(201).send(view);
    });

    app.put(`${STAFF_API}/:code`, { config: manage, schema: { tags, summary: '修改数据资源目录（每次修改为新的目录版本）', params: CodeParams, body: UpdateBody } }, async (req) =>
      updateDataResource(ctx.db, await requirePrincipal(ctx, req), req.params.code, req.body, auditActor(req)),
    );

    app.post(`${STAFF_API}/:code/publish`, { config: manage, schema: { tags, summary: '发布数据资源目录', params: CodeParams } }, async (req) =>
      publishDataResource(ctx.db, await requirePrincipal(ctx, req), req.params.code, auditActor(req)),
    );

    app.post(
      `${STAFF_API}/:code/retire`,
      {
        config: manage,
        schema: { tags, summary: '停用数据资源目录', params: CodeParams, body: Type.Optional(Type.Object({ reason: Type.Optional(Type.String({ maxLength: 1000 })) }, { additionalProperties: false })) },
      },
      async (req) => retireDataResource(ctx.db, await requirePrincipal(ctx, req), req.params.code, req.body ?? {}, auditActor(req)),
    );
  };
}
