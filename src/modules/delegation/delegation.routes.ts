/**
 * 代办授权、法人与未成年子女、个人档案访问: the JSON API (routes validate and delegate) and, through
 * delegation-pages.routes.ts, the /me/delegations pages.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { AppContext } from '../../http/context.ts';
import { IdNumberInput, StringEnum, Uuid } from '../../http/schemas.ts';
import { auditActor, requirePrincipal } from '../../http/route-access.ts';
import { requirePerson, selfActor } from './delegation.http.ts';
import { registerEnterprise } from './register-enterprise.ts';
import { addMinor } from './add-minor.ts';
import { grantDelegation } from './grant-delegation.ts';
import { revokeDelegation } from './revoke-delegation.ts';
import { listDelegations } from './list-delegations.ts';
import { startActing } from './start-acting.ts';
import { stopActing } from './stop-acting.ts';
import { readPersonRecord } from './read-person-record.ts';
import { readEnterpriseRecord } from './read-enterprise-record.ts';
import { delegationPageRoutes } from './delegation-pages.routes.ts';

const tags = ['delegation'];

export const GrantBody = {
  agentName: Type.String({ minLength: 1, maxLength: 60, description: '代办人姓名（与身份证件一致）' }),
  agentIdNumber: IdNumberInput,
  itemCodes: Type.Optional(Type.Array(Type.String({ maxLength: 40 }), { maxItems: 100, description: '基本编码；不填或空数组表示全部事项' })),
  validUntil: Type.String({ minLength: 1, maxLength: 40, description: '有效期至：年-月-日（当日 24 时止，北京时间）或带时区的 ISO 时间；最长 5 年' }),
  note: Type.Optional(Type.String({ maxLength: 400, description: '备注' })),
};

export const delegationRoutes =
  (ctx: AppContext): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.post(
      '/api/v1/me/enterprises',
      {
        config: { access: 'person' },
        schema: {
          tags,
          summary: '登记本人担任法定代表人的企业（法人）',
          body: Type.Object(
            { creditCode: Type.String({ minLength: 1, maxLength: 40, description: '统一社会信用代码' }), name: Type.String({ minLength: 1, maxLength: 200, description: '企业名称' }) },
            { additionalProperties: false },
          ),
        },
      },
      async (req, reply) => {
        const p = await requirePerson(ctx, req);
        return reply.code(201).send(await registerEnterprise(ctx.db, p.accountId, req.body, selfActor(req, p)));
      },
    );

    app.post(
      '/api/v1/me/minors',
      {
        config: { access: 'person' },
        schema: {
          tags,
          summary: '添加未成年子女（建立父母代办授权，至子女年满 18 周岁）',
          body: Type.Object({ name: Type.String({ minLength: 1, maxLength: 60 }), idNumber: IdNumberInput }, { additionalProperties: false }),
        },
      },
      async (req, reply) => {
        const p = await requirePerson(ctx, req);
        return reply.code(201).send(await addMinor(ctx.db, p.accountId, req.body, selfActor(req, p)));
      },
    );

    app.get('/api/v1/me/delegations', { config: { access: 'person' }, schema: { tags, summary: '我的代办：我授予的、我的企业授予的、授予我的' } }, async (req) => {
      const p = await requirePerson(ctx, req);
      return listDelegations(ctx.db, p);
    });

    app.post(
      '/api/v1/me/delegations',
      {
        config: { access: 'person' },
        schema: {
          tags,
          summary: '授权他人代办（代办人须已实名注册）',
          body: Type.Object({ ...GrantBody, relation: Type.Optional(StringEnum(['agent', 'guardian'] as const, '代办关系')) }, { additionalProperties: false }),
        },
      },
      async (req, reply) => {
        const p = await requirePerson(ctx, req);
        return reply.code(201).send(await grantDelegation(ctx.db, { accountId: p.accountId }, req.body, selfActor(req, p)));
      },
    );

    app.delete(
      '/api/v1/me/delegations/:id',
      { config: { access: 'person' }, schema: { tags, summary: '撤销授权（委托人或法定代表人），或放弃授权（代办人）', params: Type.Object({ id: Uuid }) } },
      async (req, reply) => {
        const p = await requirePerson(ctx, req);
        await revokeDelegation(ctx.db, p.accountId, req.params.id, selfActor(req, p));
        return reply.code(204).send();
      },
    );

    app.post(
      '/api/v1/me/acting',
      {
        config: { access: 'person' },
        schema: { tags, summary: '当前会话开始代办', body: Type.Object({ delegationId: Uuid }, { additionalProperties: false }) },
      },
      async (req) => {
        const p = await requirePerson(ctx, req);
        return { acting: await startActing(ctx.db, p, req.body.delegationId, selfActor(req, p)) };
      },
    );

    app.delete('/api/v1/me/acting', { config: { access: 'person' }, schema: { tags, summary: '当前会话结束代办' } }, async (req, reply) => {
      const p = await requirePerson(ctx, req);
      await stopActing(ctx.db, p, auditActor(req));
      return reply.code(204).send();
    });

    app.post(
      '/api/v1/enterprises/:id/delegations',
      {
        config: { access: 'person' },
        schema: {
          tags,
          summary: '法定代表人授权企业经办人',
          params: Type.Object({ id: Uuid }),
          body: Type.Object({ ...GrantBody, relation: Type.Optional(StringEnum(['enterprise_agent'] as const, '代办关系')) }, { additionalProperties: false }),
        },
      },
      async (req, reply) => {
        const p = await requirePerson(ctx, req);
        return reply.code(201).send(await grantDelegation(ctx.db, { accountId: p.accountId, enterpriseId: req.params.id }, req.body, selfActor(req, p)));
      },
    );

    app.get(
      '/api/v1/persons/:id',
      {
        config: { access: 'signed-in' },
        schema: {
          tags,
          summary: '查阅自然人档案（本人；代办中的代办人；持 person.read 权限并说明用途的工作人员；均留痕）',
          params: Type.Object({ id: Uuid }),
          querystring: Type.Object({ purpose: Type.Optional(Type.String({ maxLength: 1000, description: '用途（工作人员必填，2–200 字）' })) }),
        },
      },
      async (req) => {
        const p = await requirePrincipal(ctx, req);
        return readPersonRecord(ctx.db, p, { personId: req.params.id, purpose: req.query.purpose }, auditActor(req));
      },
    );

    app.get(
      '/api/v1/enterprises/:id',
      {
        config: { access: 'signed-in' },
        schema: { tags, summary: '查阅法人档案（法定代表人；代办中的企业经办人）', params: Type.Object({ id: Uuid }) },
      },
      async (req) => {
        const p = await requirePrincipal(ctx, req);
        return readEnterpriseRecord(ctx.db, p, req.params.id, auditActor(req));
      },
    );

    await app.register(delegationPageRoutes(ctx));
  };
