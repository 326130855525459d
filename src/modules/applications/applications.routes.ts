/**
 * 网上申请与办件: the JSON API. Applicants save drafts, submit (idempotently), follow, supplement, withdraw;
 * staff read their inbox and act; anyone may look up progress by number and ID number. Routes validate and
 * delegate to one operation each.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { AppContext } from '../../http/context.ts';
import { BigintId, Int4Id, ItemCode, StringEnum } from '../../http/schemas.ts';
import { auditActor, requirePrincipal } from '../../http/route-access.ts';
import { requirePerson } from '../delegation/delegation.http.ts';
import { ForbiddenError, InvalidParameterError } from '../../shared/errors.ts';
import { submitApplication } from './submit-application.ts';
import { actOnApplication, PAUSE_KINDS } from './act-on-application.ts';
import { getApplication } from './get-application.ts';
import { listMyApplications } from './list-my-applications.ts';
import { listStaffInbox } from './list-staff-inbox.ts';
import { lookupProgress } from './lookup-progress.ts';
import { deleteDraft, getDraft, listDrafts, saveDraft } from './save-draft.ts';
import { listNotifications, markNotificationsRead } from './list-notifications.ts';
import { APPLICATION_NUMBER_PATTERN } from './application-numbers.ts';
import { prefillValues } from '../forms/prefill-values.ts';
import { loadApplicableItem } from './load-applicable-item.ts';
import { resolveApplicant } from './resolve-applicant.ts';

const tags = ['applications'];
const ApplicationNumber = Type.String({ pattern: APPLICATION_NUMBER_PATTERN, description: '办件编号，如 330106-20261207-000123' });
const FormData = Type.Record(Type.String(), Type.Unknown(), { description: '表单数据（键为表单字段）' });
const IdempotencyKey = Type.String({ pattern: '^[A-Za-z0-9_-]{8,100}$', description: '幂等键：同一次提交重试时保持不变' });

export const applicationRoutes =
  (ctx: AppContext): FastifyPluginAsyncTypebox =>
  async (app) => {
    const deps = { db: ctx.db, storage: ctx.storage, publicUrl: ctx.config.publicUrl };

    app.get(
      '/api/v1/drafts',
      { config: { access: 'person' }, schema: { tags, summary: '我的草稿' } },
      async (req) => ({ items: await listDrafts(ctx.db, await requirePerson(ctx, req)) }),
    );

    app.get(
      '/api/v1/drafts/:itemCode',
      { config: { access: 'person' }, schema: { tags, summary: '某事项的草稿；没有草稿时返回根据申请人信息预填的表单数据', params: Type.Object({ itemCode: ItemCode }) } },
      async (req) => {
        const p = await requirePerson(ctx, req);
        const draft = await getDraft(ctx.db, p, req.params.itemCode);
        if (draft) return { draft, prefill: null };
        const item = await loadApplicableItem(ctx.db, req.params.itemCode);
        const applicant = await resolveApplicant(ctx.db, p, item.basicCode, { withMobile: true });
        return { draft: null, prefill: prefillValues(item.form, { person: applicant.person, enterprise: applicant.enterprise }) };
      },
    );

    app.put(
      '/api/v1/drafts/:itemCode',
      {
        config: { access: 'person' },
        schema: {
          tags,
          summary: '保存草稿（下次可继续填写）',
          params: Type.Object({ itemCode: ItemCode }),
          body: Type.Object({ formData: FormData, step: Type.Optional(Type.Integer({ minimum: 0, maximum: 20 })) }, { additionalProperties: false }),
        },
      },
      async (req) => saveDraft(ctx.db, await requirePerson(ctx, req), { itemCode: req.params.itemCode, ...req.body }),
    );

    app.delete(
      '/api/v1/drafts/:id',
      { config: { access: 'person' }, schema: { tags, summary: '删除草稿及其附件', params: Type.Object({ id: BigintId() }) } },
      async (req, reply) => {
        await deleteDraft(ctx.db, ctx.storage, await requirePerson(ctx, req), req.params.id);
        return reply.code(204).send();
      },
    );

    app.post(
      '/api/v1/applications',
      {
        config: { access: 'person' },
        schema: {
          tags,
          summary: '提交申请（幂等：同一幂等键重复提交只产生一个办件）',
          headers: Type.Object({ 'idempotency-key': Type.Optional(IdempotencyKey) }),
          body: Type.Object(
            { itemCode: ItemCode, formData: FormData, draftId: Type.Optional(BigintId()), idempotencyKey: Type.Optional(IdempotencyKey) },
            { additionalProperties: false },
          ),
        },
      },
      async (req, reply) => {
        const p = await requirePerson(ctx, req);
        const key = req.body.idempotencyKey ?? req.headers['idempotency-key'];
        if (!key) throw new InvalidParameterError('idempotencyKey', '请提供幂等键（Idempotency-Key 请求头或 idempotencyKey 字段）');
        const r = await submitApplication(
          ctx.db,
          p,
          { itemCode: req.body.itemCode, formData: req.body.formData, draftId: req.body.draftId, idempotencyKey: key },
          auditActor(req),
          { catalogueRevision: ctx.catalogue.currentRevision },
        );
        return reply.code(r.replayed ? 200 : 201).send(r);
      },
    );

    app.get(
      '/api/v1/applications',
      {
        config: { access: 'person' },
        schema: { tags, summary: '我的办件', querystring: Type.Object({ limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })), before: Type.Optional(Type.String({ pattern: '^[0-9]{1,18}$' })) }) },
      },
      async (req) => listMyApplications(ctx.db, await requirePerson(ctx, req), req.query),
    );

    app.get(
      '/api/v1/applications/:number',
      { config: { access: 'signed-in' }, schema: { tags, summary: '办件详情（申请人或有权办理的工作人员）', params: Type.Object({ number: ApplicationNumber }) } },
      async (req) => getApplication(ctx.db, await requirePrincipal(ctx, req), req.params.number),
    );

    app.post(
      '/api/v1/applications/:number/actions',
      {
        config: { access: 'signed-in' },
        schema: {
          tags,
          summary: '办理操作：受理、补正告知、提交补正、审查、决定、撤回等（须带上看到的版本号，冲突时返回 409）',
          params: Type.Object({ number: ApplicationNumber }),
          body: Type.Object(
            {
              action: Type.String({ pattern: '^[a-z_]{2,40}$', description: '操作（见办件详情的 actions）' }),
              version: Int4Id({ description: '操作人看到的办件版本' }),
              comment: Type.Optional(Type.String({ maxLength: 2000, description: '意见或理由' })),
              legalBasis: Type.Optional(Type.String({ maxLength: 1000, description: '法律依据' })),
              supplementItems: Type.Optional(
                Type.Array(
                  Type.Object(
                    { slot: Type.Optional(Type.String({ maxLength: 40 })), field: Type.Optional(Type.String({ maxLength: 80 })), label: Type.String({ maxLength: 200 }), reason: Type.String({ maxLength: 500 }) },
                    { additionalProperties: false },
                  ),
                  { maxItems: 50, description: '一次性告知的补正清单' },
                ),
              ),
              formData: Type.Optional(FormData),
              pauseKind: Type.Optional(StringEnum(Object.keys(PAUSE_KINDS) as (keyof typeof PAUSE_KINDS)[], '特别程序类型')),
              expectedDays: Type.Optional(Type.Integer({ minimum: 1, maximum: 365 })),
              extensionDays: Type.Optional(Type.Integer({ minimum: 1, maximum: 10 })),
              targetDepartmentId: Type.Optional(Int4Id()),
            },
            { additionalProperties: false },
          ),
        },
      },
      async (req) => {
        const p = await requirePrincipal(ctx, req);
        if (p.kind === 'client') throw new ForbiddenError();
        return actOnApplication(deps, p, { number: req.params.number, ...req.body }, auditActor(req));
      },
    );

    app.get(
      '/api/v1/progress',
      {
        config: { access: 'public' },
        schema: {
          tags,
          summary: '办件进度查询（免登录：办件编号 + 申请人证件号码）',
          querystring: Type.Object({ number: ApplicationNumber, idNumber: Type.String({ minLength: 1, maxLength: 30, description: '申请人身份证号码或统一社会信用代码' }) }),
        },
      },
      async (req, reply) => {
        reply.header('cache-control', 'no-store');
        return lookupProgress(ctx.db, { ...req.query, ip: req.ip });
      },
    );

    app.get(
      '/api/v1/staff/inbox',
      {
        config: { access: { permission: 'application.handle' } },
        schema: {
          tags,
          summary: '工作人员待办：按角色与部门范围，按期限排序，含按状态和期限颜色的统计',
          querystring: Type.Object({
            state: Type.Optional(Type.String({ pattern: '^[a-z_]{2,40}$' })),
            deadline: Type.Optional(StringEnum(['normal', 'due_soon', 'overdue'] as const)),
            escalated: Type.Optional(Type.Boolean()),
            itemCode: Type.Optional(ItemCode),
            q: Type.Optional(Type.String({ maxLength: 60 })),
            limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })),
            after: Type.Optional(Type.String({ maxLength: 100 })),
          }),
        },
      },
      async (req) => {
        const p = await requirePrincipal(ctx, req);
        if (p.kind !== 'staff') throw new ForbiddenError();
        return listStaffInbox(ctx.db, p, req.query, { dueSoonDays: ctx.config.dueSoonDays });
      },
    );

    app.get('/api/v1/me/notifications', { config: { access: 'signed-in' }, schema: { tags, summary: '站内消息（办件通知）' } }, async (req) => {
      const p = await requirePrincipal(ctx, req);
      if (p.kind === 'client') throw new ForbiddenError();
      return listNotifications(ctx.db, p.accountId);
    });

    app.post(
      '/api/v1/me/notifications/read',
      { config: { access: 'signed-in' }, schema: { tags, summary: '标记消息为已读', body: Type.Object({ ids: Type.Array(BigintId(), { maxItems: 200 }) }, { additionalProperties: false }) } },
      async (req, reply) => {
        const p = await requirePrincipal(ctx, req);
        if (p.kind === 'client') throw new ForbiddenError();
        await markNotificationsRead(ctx.db, p.accountId, req.body.ids);
        return reply.code(204).send();
      },
    );
  };
