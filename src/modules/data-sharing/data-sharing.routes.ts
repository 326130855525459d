/**
 * 数据共享, the JSON API for staff: requests under /api/v1/staff/data/requests (ask, list from the consumer's,
 * the provider's or the platform's side, read, approve, refuse, withdraw) and grants under
 * /api/v1/staff/data/grants (list, read, revoke). Routes validate and delegate; the operations check the
 * departments (consumer or provider) of each record.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { AppContext } from '../../http/context.ts';
import { StringEnum } from '../../http/schemas.ts';
import { auditActor, requirePrincipal } from '../../http/route-access.ts';
import { approveShareRequest, refuseShareRequest } from './decide-share-request.ts';
import { getShareRequest } from './get-share-request.ts';
import { getShareGrant, listShareGrants } from './list-share-grants.ts';
import { listShareRequests } from './list-share-requests.ts';
import { requestShare } from './request-share.ts';
import { revokeShareGrant } from './revoke-share-grant.ts';
import { withdrawShareRequest } from './withdraw-share-request.ts';
import { GRANTS_API, LIMITS, REQUESTS_API } from './data-sharing.types.ts';
import { MAX_ID } from './share-views.ts';

const tags = ['data'];
const IdParams = Type.Object({ id: Type.Integer({ minimum: 1, maximum: MAX_ID, description: '编号' }) });
const ItemKeys = (description: string) => Type.Array(Type.String({ maxLength: 64 }), { maxItems: 200, description });
const RowFilterSchema = Type.Record(Type.String({ maxLength: 64 }), Type.Array(Type.String({ maxLength: LIMITS.maxFilterValueLength }), { maxItems: LIMITS.maxFilterValues }), {
  maxProperties: 50,
  description: '行过滤条件 {信息项: [取值…]}：只共享该信息项取这些值的记录，如 {"region_code":["330106"]}',
});
const Text = (description: string) => Type.String({ maxLength: 2000, description });
const Reason = Type.Object({ reason: Type.Optional(Type.String({ maxLength: 2000, description: '理由（2–500 字）' })) }, { additionalProperties: false });

const CreateBody = Type.Object(
  {
    resource: Type.String({ maxLength: 64, description: '资源代码' }),
    departmentId: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_ID, description: '申请（使用）部门，默认本人所在部门' })),
    items: ItemKeys('申请的信息项（信息项代码，至少一个）'),
    clearItems: Type.Optional(ItemKeys('需要明文的个人信息项（须在 items 中，且为个人信息）；其余个人信息脱敏返回')),
    rowFilter: Type.Optional(RowFilterSchema),
    purpose: Text('用途'),
    legalBasis: Text('依据（法律法规、政策文件）'),
    scenario: Text('应用场景'),
    itemCode: Type.Optional(Type.Union([Type.String({ maxLength: 36, description: '所服务的政务服务事项实施编码' }), Type.Null()])),
    durationDays: Type.Integer({ description: `使用期限（天，${LIMITS.minDays}–${LIMITS.maxDays}）` }),
    clientId: Type.Optional(Type.Union([Type.String({ maxLength: 100, description: '使用数据的接入应用（须属于申请部门）' }), Type.Null()])),
    ratePerMinute: Type.Optional(Type.Integer({ description: `调用频率上限（次/分钟，1–${LIMITS.maxRate}，默认 ${LIMITS.defaultRate}）` })),
  },
  { additionalProperties: false },
);

const ApproveBody = Type.Object(
  {
    items: Type.Optional(ItemKeys('同意的信息项（可少于申请，不能多）')),
    clearItems: Type.Optional(ItemKeys('同意明文的信息项（可少于申请，不能多）')),
    rowFilter: Type.Optional(RowFilterSchema),
    durationDays: Type.Optional(Type.Integer({ description: '同意的期限（天，不超过申请）' })),
    ratePerMinute: Type.Optional(Type.Integer({ description: '同意的调用频率（不超过申请）' })),
    note: Type.Optional(Type.String({ maxLength: 2000, description: '说明' })),
  },
  { additionalProperties: false },
);

const Page = { page: Type.Integer({ minimum: 1, maximum: 10_000, default: 1 }), size: Type.Integer({ minimum: 1, maximum: 200, default: 50 }) };

export function dataSharingRoutes(ctx: AppContext): FastifyPluginAsyncTypebox {
  return async (app) => {
    const request = { access: { permission: 'data.share.request' as const } };
    const review = { access: { permission: 'data.share.review' as const } };
    const staff = { access: 'staff' as const };

    app.post(REQUESTS_API, { config: request, schema: { tags, summary: '申请共享数据（无条件共享立即授权；有条件共享待提供部门答复）', body: CreateBody } }, async (req, reply) => {
      const view = await requestShare(ctx, await requirePrincipal(ctx, req), req.body, auditActor(req));
      return reply.code(201).send(view);
    });

    app.get(
      REQUESTS_API,
      {
        config: staff,
        schema: {
          tags,
          summary: '共享申请：本部门提出的（consumer）、待本部门答复的（provider）、超期未答复的（overdue，平台督办）',
          querystring: Type.Object(
            { role: StringEnum(['consumer', 'provider', 'overdue'] as const, '视角', ), status: Type.Optional(StringEnum(['pending', 'granted', 'refused', 'withdrawn'] as const, '状态')), ...Page },
            { additionalProperties: false },
          ),
        },
      },
      async (req) => listShareRequests(ctx.db, await requirePrincipal(ctx, req), req.query),
    );

    app.get(`${REQUESTS_API}/:id`, { config: staff, schema: { tags, summary: '共享申请详情（含授权与办理经过）', params: IdParams } }, async (req) =>
      getShareRequest(ctx.db, await requirePrincipal(ctx, req), req.params.id, auditActor(req)),
    );

    app.post(`${REQUESTS_API}/:id/approve`, { config: review, schema: { tags, summary: '同意共享（可缩小信息项、明文项、行范围、期限、频率，不能扩大）', params: IdParams, body: Type.Optional(ApproveBody) } }, async (req) =>
      approveShareRequest(ctx, await requirePrincipal(ctx, req), req.params.id, req.body ?? {}, auditActor(req)),
    );

    app.post(`${REQUESTS_API}/:id/refuse`, { config: review, schema: { tags, summary: '不予同意（须说明理由）', params: IdParams, body: Type.Optional(Reason) } }, async (req) =>
      refuseShareRequest(ctx, await requirePrincipal(ctx, req), req.params.id, req.body ?? {}, auditActor(req)),
    );

    app.post(`${REQUESTS_API}/:id/withdraw`, { config: request, schema: { tags, summary: '撤回待答复的申请', params: IdParams, body: Type.Optional(Reason) } }, async (req) =>
      withdrawShareRequest(ctx, await requirePrincipal(ctx, req), req.params.id, req.body ?? {}, auditActor(req)),
    );

    app.get(
      GRANTS_API,
      {
        config: staff,
        schema: {
          tags,
          summary: '共享授权：本部门获得的（consumer）或本部门资源授出的（provider）',
          querystring: Type.Object({ role: StringEnum(['consumer', 'provider'] as const, '视角'), state: Type.Optional(StringEnum(['active', 'expired', 'revoked'] as const, '状态')), ...Page }, { additionalProperties: false }),
        },
      },
      async (req) => listShareGrants(ctx.db, await requirePrincipal(ctx, req), req.query),
    );

    app.get(`${GRANTS_API}/:id`, { config: staff, schema: { tags, summary: '共享授权详情', params: IdParams } }, async (req) =>
      getShareGrant(ctx.db, await requirePrincipal(ctx, req), req.params.id, auditActor(req)),
    );

    app.post(`${GRANTS_API}/:id/revoke`, { config: staff, schema: { tags, summary: '撤销共享授权（提供部门或使用部门，须说明理由；立即生效）', params: IdParams, body: Type.Optional(Reason) } }, async (req) =>
      revokeShareGrant(ctx, await requirePrincipal(ctx, req), req.params.id, req.body ?? {}, auditActor(req)),
    );
  };
}
