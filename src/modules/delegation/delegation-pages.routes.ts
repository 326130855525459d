/** The /me/delegations pages: one page, and a POST endpoint per form, each redirecting back (303) on success. */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { AppContext } from '../../http/context.ts';
import { CsrfField, Uuid } from '../../http/schemas.ts';
import { auditActor } from '../../http/route-access.ts';
import type { PersonPrincipal } from '../access/principal.ts';
import { csrfInput, handleFormPost } from '../portal/forms.ts';
import { readPreferences } from '../portal/preferences.ts';
import { requirePerson, selfActor } from './delegation.http.ts';
import { listDelegations } from './list-delegations.ts';
import { grantDelegation } from './grant-delegation.ts';
import { revokeDelegation } from './revoke-delegation.ts';
import { addMinor } from './add-minor.ts';
import { registerEnterprise } from './register-enterprise.ts';
import { startActing } from './start-acting.ts';
import { stopActing } from './stop-acting.ts';
import { splitCodes } from './delegation.validation.ts';
import { formErrors, NOTICES, renderDelegationsPage, type DelegationForm } from './delegations.page.ts';

const HTML = 'text/html; charset=utf-8';
const PAGE = '/me/delegations';
const text = (max: number) => Type.Optional(Type.String({ maxLength: max }));

export const delegationPageRoutes =
  (ctx: AppContext): FastifyPluginAsyncTypebox =>
  async (app) => {
    const person = { config: { access: 'person' as const } };

    /** Runs a form's action: 303 back to the page with a notice, or the page again with the error beside its field. */
    async function post(
      req: FastifyRequest,
      reply: FastifyReply,
      form: DelegationForm,
      values: Record<string, string>,
      action: (p: PersonPrincipal) => Promise<keyof typeof NOTICES>,
    ): Promise<FastifyReply> {
      const p = await requirePerson(ctx, req);
      const lists = await listDelegations(ctx.db, p); // for showing the form again; a failed action changed nothing
      const prefs = readPreferences(ctx, req, reply);
      const csrf = csrfInput(req, reply);
      let done: string = '';
      const failed = await handleFormPost(
        reply,
        async () => {
          done = await action(p);
        },
        (errors) =>
          renderDelegationsPage(ctx, prefs, {
            lists,
            acting: p.acting,
            csrf,
            account: { name: p.name, csrfToken: p.csrfToken },
            form,
            errors: formErrors(form, errors),
            values,
          }),
      );
      return failed ?? reply.redirect(`${PAGE}?done=${done}`, 303);
    }

    app.get(
      PAGE,
      { ...person, schema: { hide: true, querystring: Type.Object({ done: Type.Optional(Type.String({ maxLength: 40 })) }) } },
      async (req, reply) => {
        const p = await requirePerson(ctx, req);
        const lists = await listDelegations(ctx.db, p);
        const prefs = readPreferences(ctx, req, reply);
        reply.header('cache-control', 'no-store');
        return reply.type(HTML).send(
          renderDelegationsPage(ctx, prefs, {
            lists,
            acting: p.acting,
            csrf: csrfInput(req, reply),
            account: { name: p.name, csrfToken: p.csrfToken },
            notice: req.query.done && Object.hasOwn(NOTICES, req.query.done) ? NOTICES[req.query.done] : undefined,
          }),
        );
      },
    );

    app.post(
      `${PAGE}/grant`,
      {
        ...person,
        schema: {
          hide: true,
          body: Type.Object({ _csrf: CsrfField, agentName: text(100), agentIdNumber: text(40), relation: text(40), itemCodes: text(1000), validUntil: text(40), note: text(400) }),
        },
      },
      async (req, reply) => {
        const b = req.body;
        const values = { agentName: b.agentName ?? '', agentIdNumber: b.agentIdNumber ?? '', relation: b.relation ?? 'agent', itemCodes: b.itemCodes ?? '', validUntil: b.validUntil ?? '', note: b.note ?? '' };
        return post(req, reply, 'grant', values, async (p) => {
          await grantDelegation(ctx.db, { accountId: p.accountId }, { ...values, itemCodes: splitCodes(values.itemCodes) }, selfActor(req, p));
          return 'granted';
        });
      },
    );

    app.post(
      `${PAGE}/enterprise-grants`,
      {
        ...person,
        schema: {
          hide: true,
          body: Type.Object({
            _csrf: CsrfField,
            enterpriseId: Type.Optional(Uuid),
            eAgentName: text(100),
            eAgentIdNumber: text(40),
            eItemCodes: text(1000),
            eValidUntil: text(40),
            eNote: text(400),
          }),
        },
      },
      async (req, reply) => {
        const b = req.body;
        const values = {
          enterpriseId: b.enterpriseId ?? '',
          eAgentName: b.eAgentName ?? '',
          eAgentIdNumber: b.eAgentIdNumber ?? '',
          eItemCodes: b.eItemCodes ?? '',
          eValidUntil: b.eValidUntil ?? '',
          eNote: b.eNote ?? '',
        };
        return post(req, reply, 'enterpriseGrant', values, async (p) => {
          await grantDelegation(
            ctx.db,
            { accountId: p.accountId, enterpriseId: values.enterpriseId },
            { agentName: values.eAgentName, agentIdNumber: values.eAgentIdNumber, itemCodes: splitCodes(values.eItemCodes), validUntil: values.eValidUntil, note: values.eNote },
            selfActor(req, p),
          );
          return 'enterprise_granted';
        });
      },
    );

    app.post(
      `${PAGE}/:id/revoke`,
      { ...person, schema: { hide: true, params: Type.Object({ id: Uuid }), body: Type.Object({ _csrf: CsrfField }) } },
      async (req, reply) =>
        post(req, reply, 'revoke', {}, async (p) => {
          await revokeDelegation(ctx.db, p.accountId, req.params.id, selfActor(req, p));
          const renounced = await ctx.db.selectFrom('delegations').select('agent_account_id').where('id', '=', req.params.id).executeTakeFirst();
          return renounced?.agent_account_id === p.accountId ? 'renounced' : 'revoked';
        }),
    );

    app.post(
      `${PAGE}/minors`,
      { ...person, schema: { hide: true, body: Type.Object({ _csrf: CsrfField, minorName: text(100), minorIdNumber: text(40) }) } },
      async (req, reply) => {
        const values = { minorName: req.body.minorName ?? '', minorIdNumber: req.body.minorIdNumber ?? '' };
        return post(req, reply, 'minor', values, async (p) => {
          await addMinor(ctx.db, p.accountId, { name: values.minorName, idNumber: values.minorIdNumber }, selfActor(req, p));
          return 'minor';
        });
      },
    );

    app.post(
      `${PAGE}/enterprises`,
      { ...person, schema: { hide: true, body: Type.Object({ _csrf: CsrfField, creditCode: text(40), enterpriseName: text(200) }) } },
      async (req, reply) => {
        const values = { creditCode: req.body.creditCode ?? '', enterpriseName: req.body.enterpriseName ?? '' };
        return post(req, reply, 'enterprise', values, async (p) => {
          await registerEnterprise(ctx.db, p.accountId, { creditCode: values.creditCode, name: values.enterpriseName }, selfActor(req, p));
          return 'enterprise';
        });
      },
    );

    app.post(
      `${PAGE}/acting`,
      { ...person, schema: { hide: true, body: Type.Object({ _csrf: CsrfField, delegationId: Uuid }) } },
      async (req, reply) =>
        post(req, reply, 'acting', {}, async (p) => {
          await startActing(ctx.db, p, req.body.delegationId, selfActor(req, p));
          return 'acting';
        }),
    );

    app.post(`${PAGE}/acting/stop`, { ...person, schema: { hide: true, body: Type.Object({ _csrf: CsrfField }) } }, async (req, reply) =>
      post(req, reply, 'acting', {}, async (p) => {
        await stopActing(ctx.db, p, auditActor(req));
        return 'stopped';
      }),
    );
  };
