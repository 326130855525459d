/**
 * 免提交 (once-only): the applicant's consent to obtain an application's declared fields and materials by data
 * sharing, and its withdrawal — a page action on the apply pages (POST with `_csrf`, then back to the page) and
 * the same for API clients under /api/v1/drafts/:itemCode/shared-data. Routes validate and delegate.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { AppContext } from '../../http/context.ts';
import { CsrfField, ItemCode } from '../../http/schemas.ts';
import { auditActor } from '../../http/route-access.ts';
import { AppError } from '../../shared/errors.ts';
import { requirePerson } from '../delegation/delegation.http.ts';
import { loadApplicableItem } from '../applications/load-applicable-item.ts';
import { resolveApplicant } from '../applications/resolve-applicant.ts';
import { getDraft } from '../applications/save-draft.ts';
import { applyBase, materialsHref, reviewHref, stepHref } from '../applications/apply.page.ts';
import { prefillFromExchange } from './prefill-from-exchange.ts';
import { withdrawSharedData } from './withdraw-shared-data.ts';
import { loadOnceOnlyState } from './once-only-state.ts';
import { BACK_PATTERN } from './once-only.page.ts';

const tags = ['applications'];
const ItemParams = Type.Object({ itemCode: ItemCode });

function backHref(code: string, back: string | undefined): string {
  if (!back || !new RegExp(BACK_PATTERN).test(back)) return applyBase(code);
  if (back === 'materials') return materialsHref(code);
  if (back === 'review') return reviewHref(code);
  return stepHref(code, back.slice('step:'.length));
}

export function onceOnlyRoutes(ctx: AppContext): FastifyPluginAsyncTypebox {
  return async (app) => {
    // —— the apply pages' consent form ——
    app.post(
      '/apply/:itemCode/shared',
      {
        config: { access: 'person' },
        schema: {
          hide: true,
          params: ItemParams,
          body: Type.Object({
            _csrf: CsrfField,
            consent: Type.Optional(Type.String({ maxLength: 10 })),
            withdraw: Type.Optional(Type.String({ maxLength: 10 })),
            back: Type.Optional(Type.String({ maxLength: 80 })),
          }),
        },
      },
      async (req, reply) => {
        const p = await requirePerson(ctx, req);
        const item = await loadApplicableItem(ctx.db, req.params.itemCode);
        const back = backHref(item.code, req.body.back);
        if (req.body.withdraw === 'yes') {
          try {
            await withdrawSharedData(ctx.db, p, { itemCode: item.code });
          } catch (err) {
            if (!(err instanceof AppError) || err.status !== 404) throw err; // no draft: nothing to withdraw
          }
          return reply.redirect(`${back}?done=withdrawn#shared-data`, 303);
        }
        if (req.body.consent !== 'yes') return reply.redirect(`${back}#shared-data`, 303);
        await prefillFromExchange(ctx, p, { itemCode: item.code }, auditActor(req));
        return reply.redirect(`${back}?done=shared#shared-data`, 303);
      },
    );

    // —— the same for API clients ——
    async function stateOf(req: FastifyRequest, code: string) {
      const p = await requirePerson(ctx, req);
      const item = await loadApplicableItem(ctx.db, code);
      const applicant = await resolveApplicant(ctx.db, p, item.basicCode);
      const draft = await getDraft(ctx.db, p, item.code);
      const state = await loadOnceOnlyState(ctx.db, { itemCode: item.code, subjectType: applicant.subjectType, draftId: draft?.id ?? null });
      return {
        draftId: draft?.id ?? null,
        handlingDepartment: item.department.name,
        sources: state.sources.map((s) => ({ target: s.target, key: s.targetKey, label: s.label, resource: s.resource.name, provider: s.resource.providerName })),
        entries: state.entries.map((e) => ({
          target: e.target,
          key: e.targetKey,
          status: e.status,
          resource: e.resourceName,
          provider: e.providerName,
          version: e.dataVersion,
          value: e.target === 'field' ? e.value : null,
          requestId: e.requestId,
          reason: e.reason,
        })),
      };
    }

    app.get(
      '/api/v1/drafts/:itemCode/shared-data',
      { config: { access: 'person' }, schema: { tags, summary: '免提交：本事项可通过政务数据共享获取的信息，及草稿已获取的内容', params: ItemParams } },
      async (req) => stateOf(req, req.params.itemCode),
    );

    app.post(
      '/api/v1/drafts/:itemCode/shared-data',
      {
        config: { access: 'person' },
        schema: {
          tags,
          summary: '免提交：同意并通过政务数据共享获取（填写表单、免交材料）',
          params: ItemParams,
          body: Type.Object({ consent: Type.Literal(true, { description: '申请人同意由办理部门依据共享授权获取' }) }, { additionalProperties: false }),
        },
      },
      async (req) => {
        const p = await requirePerson(ctx, req);
        const outcome = await prefillFromExchange(ctx, p, { itemCode: req.params.itemCode }, auditActor(req));
        return { ...outcome, ...(await stateOf(req, req.params.itemCode)) };
      },
    );

    app.delete(
      '/api/v1/drafts/:itemCode/shared-data',
      { config: { access: 'person' }, schema: { tags, summary: '免提交：撤回同意，清除通过共享获取的内容', params: ItemParams } },
      async (req, reply) => {
        await withdrawSharedData(ctx.db, await requirePerson(ctx, req), { itemCode: req.params.itemCode });
        return reply.code(204).send();
      },
    );
  };
}
