/**
 * 数据共享 staff pages (HTML forms, no JavaScript needed): /admin/data/requests (my department's requests and
 * grants), /new?resource=CODE (the request form; a 不予共享 resource says why it cannot be asked for), /:id (the
 * request, its timeline, approve / refuse / withdraw as the caller may), /admin/data/reviews (the provider's
 * inbox), /admin/data/grants (both directions, revoke), /admin/data/overdue (the platform). Every post ends in a
 * redirect (PRG) or the same page again with the errors beside their fields.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { AppContext } from '../../http/context.ts';
import { auditActor } from '../../http/route-access.ts';
import type { DataItem, RowFilter, ShareRequestStatus } from '../../db/schema.ts';
import { can, departmentsInScope } from '../access/authorize.ts';
import type { StaffPrincipal } from '../access/principal.ts';
import { csrfInput, type FormErrors } from '../portal/forms.ts';
import { doneMessage, requireStaffPage, sendAdminPage } from '../staff/admin-page.ts';
import { departmentRefs } from '../staff/department-scope.ts';
import { AppError, FieldErrorsError, ForbiddenError, NotFoundError } from '../../shared/errors.ts';
import { approveShareRequest, refuseShareRequest } from './decide-share-request.ts';
import { getShareRequest } from './get-share-request.ts';
import { listShareGrants } from './list-share-grants.ts';
import { listShareRequests } from './list-share-requests.ts';
import { requestShare } from './request-share.ts';
import { revokeShareGrant } from './revoke-share-grant.ts';
import { withdrawShareRequest } from './withdraw-share-request.ts';
import { GRANTS_PAGE, LIMITS, OVERDUE_PAGE, REQUESTS_PAGE, REVIEWS_PAGE } from './data-sharing.types.ts';
import {
  decisionDefaults,
  DONE_MESSAGES,
  renderChooseResource,
  renderGrants,
  renderMyRequests,
  renderNotRequestable,
  renderOverdue,
  renderRequestDetail,
  renderRequestForm,
  renderReviews,
  requestHref,
  type DecisionValues,
  type RequestFormResource,
  type RequestFormValues,
} from './data-sharing.page.ts';
import { isRowId, MAX_ID } from './share-views.ts';

const hide = true;
const Field = (max: number) => Type.Optional(Type.String({ maxLength: max }));
const FormPost = Type.Record(Type.String({ maxLength: 80 }), Type.Union([Type.String({ maxLength: 5000 }), Type.Array(Type.String({ maxLength: 5000 }), { maxItems: 200 })]), {
  maxProperties: 200,
});
const IdParams = Type.Object({ id: Type.String({ pattern: '^[0-9]{1,12}$' }) });
type Body = Record<string, string | string[] | undefined>;

const one = (v: string | string[] | undefined): string => (Array.isArray(v) ? (v[0] ?? '') : (v ?? ''));
const many = (v: string | string[] | undefined): string[] => (Array.isArray(v) ? v : v ? [v] : []);
/** A page's id: digits within the column's range, else 404. */
function pageId(s: string): number {
  const n = Number(s);
  if (!isRowId(n) || n > MAX_ID) throw new NotFoundError('没有找到该记录');
  return n;
}
/** A number field: an integer, or NaN (reported by the operation beside the field). */
const intOf = (s: string): number => (/^\s*[0-9]{1,9}\s*$/.test(s) ? Number(s) : Number.NaN);
const splitValues = (s: string): string[] =>
  s
    .split(/[,，、;；\s]+/)
    .map((x) => x.trim())
    .filter(Boolean);

function filtersOf(body: Body): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(body)) {
    const m = /^filter_([a-z][a-z0-9_]{0,63})$/.exec(k);
    if (m) out[m[1]!] = one(v);
  }
  return out;
}
function rowFilterOf(filters: Record<string, string>): RowFilter {
  const out: RowFilter = {};
  for (const [k, v] of Object.entries(filters)) {
    const values = splitValues(v);
    if (values.length) out[k] = values;
  }
  return out;
}

/** An operation's error as the form's errors (null: not one to show on the form). */
function formErrors(err: unknown): FormErrors | null {
  if (!(err instanceof AppError) || err.status >= 500 || err.status === 401 || err.status === 403 || err.code === 'CSRF_REJECTED') return null;
  if (err.status === 404 && err.field !== 'resource' && err.field !== 'itemCode') return null;
  const list = err instanceof FieldErrorsError ? err.errors : [{ field: err.field ?? '', message: err.message }];
  const out: FormErrors = {};
  for (const e of list) out[e.field === 'status' ? '' : e.field] ??= e.message;
  return out;
}

export function dataSharingPageRoutes(ctx: AppContext): FastifyPluginAsyncTypebox {
  return async (app) => {
    const request = { access: { permission: 'data.share.request' as const } };
    const review = { access: { permission: 'data.share.review' as const } };
    const oversee = { access: { permission: 'data.share.oversee' as const } };
    const staff = { access: 'staff' as const };
    const trail = (last?: string, middle?: { label: string; href: string }) => [
      { label: '数据共享申请', href: last ? REQUESTS_PAGE : undefined },
      ...(middle ? [middle] : []),
      ...(last ? [{ label: last }] : []),
    ];
    const pageOf = (s: string | undefined) => (/^[1-9][0-9]{0,4}$/.test(s ?? '') ? Number(s) : 1);

    app.get(REQUESTS_PAGE, { config: request, schema: { hide, querystring: Type.Object({ done: Field(20), page: Field(6) }) } }, async (req, reply) => {
      const p = await requireStaffPage(ctx, req);
      const page = pageOf(req.query.page);
      const [requests, grants] = await Promise.all([
        listShareRequests(ctx.db, p, { role: 'consumer', page, size: 20 }),
        listShareGrants(ctx.db, p, { role: 'consumer', state: 'active', size: 50 }),
      ]);
      return sendAdminPage(ctx, req, reply, { title: '数据共享申请', trail: trail(), body: renderMyRequests({ requests, grants, page, done: doneMessage(req.query.done, DONE_MESSAGES) }) });
    });

    // ---- the request form ----
    async function loadFormResource(code: string): Promise<RequestFormResource | undefined> {
      const r = await ctx.db
        .selectFrom('data_resources as d')
        .innerJoin('departments as pd', 'pd.id', 'd.provider_department_id')
        .select(['d.code', 'd.name', 'pd.name as provider_name', 'd.share_type', 'd.share_conditions', 'd.status', 'd.items'])
        .where('d.code', '=', code)
        .executeTakeFirst();
      return r && { code: r.code, name: r.name, providerName: r.provider_name, shareType: r.share_type, shareConditions: r.share_conditions, status: r.status, items: r.items as DataItem[] };
    }

    async function formChoices(p: StaffPrincipal) {
      const ids = await departmentsInScope(ctx.db, p, 'data.share.request');
      const refs = await departmentRefs(ctx.db, ids);
      const departments = ids.map((id) => ({ id, name: refs.get(id)?.name ?? String(id) }));
      const clients = ids.length
        ? await ctx.db.selectFrom('api_clients').select(['client_id', 'name', 'department_id']).where('department_id', 'in', ids).where('disabled_at', 'is', null).orderBy('name').execute()
        : [];
      return { departments, clients };
    }

    async function showForm(req: FastifyRequest, reply: FastifyReply, p: StaffPrincipal, resource: RequestFormResource, values: RequestFormValues, errors?: FormErrors, status?: number) {
      const { departments, clients } = await formChoices(p);
      const departmentId = Number(values.departmentId);
      const body = renderRequestForm({
        resource,
        values,
        errors,
        csrf: csrfInput(req, reply),
        departments,
        clients: clients.filter((c) => c.department_id === departmentId || departments.length === 1).map((c) => ({ clientId: c.client_id, name: c.name })),
        answerDays: ctx.config.shareAnswerDays,
      });
      return sendAdminPage(ctx, req, reply, { title: `${errors ? '（有错误）' : ''}申请共享数据：${resource.name}`, trail: trail('申请共享数据'), body, status });
    }

    app.get(`${REQUESTS_PAGE}/new`, { config: request, schema: { hide, querystring: Type.Object({ resource: Field(200) }) } }, async (req, reply) => {
      const p = await requireStaffPage(ctx, req);
      const code = (req.query.resource ?? '').trim();
      const title = '申请共享数据';
      if (!code) return sendAdminPage(ctx, req, reply, { title, trail: trail(title), body: renderChooseResource({ code }) });
      const resource = await loadFormResource(code);
      if (!resource) {
        return sendAdminPage(ctx, req, reply, { title: `（有错误）${title}`, trail: trail(title), body: renderChooseResource({ code, error: `没有找到资源代码为 ${code} 的数据资源` }), status: 404 });
      }
      if (resource.shareType === 'none' || resource.status !== 'published') {
        return sendAdminPage(ctx, req, reply, { title: `${title}：${resource.name}`, trail: trail(title), body: renderNotRequestable(resource) });
      }
      const values: RequestFormValues = {
        departmentId: String(p.departmentId),
        items: [],
        clearItems: [],
        filters: {},
        purpose: '',
        legalBasis: '',
        scenario: '',
        itemCode: '',
        durationDays: '365',
        ratePerMinute: String(LIMITS.defaultRate),
        clientId: '',
      };
      return showForm(req, reply, p, resource, values);
    });

    app.post(REQUESTS_PAGE, { config: request, schema: { hide, body: FormPost } }, async (req, reply) => {
      const p = await requireStaffPage(ctx, req);
      const b = req.body as Body;
      const code = one(b.resource).trim();
      const values: RequestFormValues = {
        departmentId: one(b.departmentId) || String(p.departmentId),
        items: many(b.items),
        clearItems: many(b.clearItems),
        filters: filtersOf(b),
        purpose: one(b.purpose),
        legalBasis: one(b.legalBasis),
        scenario: one(b.scenario),
        itemCode: one(b.itemCode).trim(),
        durationDays: one(b.durationDays),
        ratePerMinute: one(b.ratePerMinute),
        clientId: one(b.clientId),
      };
      let created;
      try {
        const departmentId = /^[1-9][0-9]{0,9}$/.test(values.departmentId) ? Number(values.departmentId) : undefined;
        created = await requestShare(
          ctx,
          p,
          {
            resource: code,
            departmentId: departmentId !== undefined && isRowId(departmentId) ? departmentId : -1,
            items: values.items,
            clearItems: values.clearItems,
            rowFilter: rowFilterOf(values.filters),
            purpose: values.purpose,
            legalBasis: values.legalBasis,
            scenario: values.scenario,
            itemCode: values.itemCode || null,
            durationDays: intOf(values.durationDays),
            ratePerMinute: values.ratePerMinute.trim() ? intOf(values.ratePerMinute) : undefined,
            clientId: values.clientId || null,
          },
          auditActor(req),
        );
      } catch (err) {
        const errors = formErrors(err);
        if (!errors) throw err;
        const resource = code ? await loadFormResource(code) : undefined;
        if (!resource) {
          return sendAdminPage(ctx, req, reply, { title: '（有错误）申请共享数据', trail: trail('申请共享数据'), body: renderChooseResource({ code, error: errors.resource ?? Object.values(errors)[0] }), status: (err as AppError).status });
        }
        if (resource.shareType === 'none' || resource.status !== 'published') {
          return sendAdminPage(ctx, req, reply, { title: `申请共享数据：${resource.name}`, trail: trail('申请共享数据'), body: renderNotRequestable(resource), status: (err as AppError).status });
        }
        return showForm(req, reply, p, resource, values, errors, (err as AppError).status);
      }
      return reply.redirect(`${requestHref(created.id)}?done=${created.status === 'granted' ? 'granted' : 'requested'}`, 303);
    });

    // ---- one request ----
    async function showRequest(req: FastifyRequest, reply: FastifyReply, p: StaffPrincipal, id: number, o: { errors?: FormErrors; done?: string; values?: DecisionValues; status?: number } = {}) {
      const r = await getShareRequest(ctx.db, p, id, auditActor(req));
      const row = await ctx.db.selectFrom('data_resources').select('items').where('id', '=', r.resource.id).executeTakeFirstOrThrow();
      const body = renderRequestDetail({ r, declared: row.items as DataItem[], csrf: csrfInput(req, reply), errors: o.errors, done: o.done, values: o.values ?? decisionDefaults(r) });
      const middle = r.actions.approve || (!can(p, 'data.share.request') && can(p, 'data.share.review')) ? { label: '待答复的申请', href: REVIEWS_PAGE } : undefined;
      return sendAdminPage(ctx, req, reply, { title: `${o.errors ? '（有错误）' : ''}共享申请第 ${r.id} 号`, trail: trail(`第 ${r.id} 号`, middle), body, status: o.status });
    }

    app.get(`${REQUESTS_PAGE}/:id`, { config: staff, schema: { hide, params: IdParams, querystring: Type.Object({ done: Field(20) }) } }, async (req, reply) => {
      const p = await requireStaffPage(ctx, req);
      return showRequest(req, reply, p, pageId(req.params.id), { done: doneMessage(req.query.done, DONE_MESSAGES) });
    });

    /** Runs a decision; a refusal to show (400, 409) is the request's page again with the error. */
    async function onRequest(req: FastifyRequest, reply: FastifyReply, idText: string, run: (p: StaffPrincipal, id: number) => Promise<unknown>, done: string, values?: (d: DecisionValues) => DecisionValues) {
      const p = await requireStaffPage(ctx, req);
      const id = pageId(idText);
      try {
        await run(p, id);
      } catch (err) {
        const errors = formErrors(err);
        if (!errors) throw err;
        const r = await getShareRequest(ctx.db, p, id, auditActor(req));
        if (errors.reason !== undefined && done === 'withdrawn') {
          errors.withdrawReason = errors.reason;
          delete errors.reason;
        }
        return showRequest(req, reply, p, id, { errors, values: values ? values(decisionDefaults(r)) : undefined, status: (err as AppError).status });
      }
      return reply.redirect(`${requestHref(id)}?done=${done}`, 303);
    }

    app.post(`${REQUESTS_PAGE}/:id/approve`, { config: review, schema: { hide, params: IdParams, body: FormPost } }, async (req, reply) => {
      const b = req.body as Body;
      const filters = filtersOf(b);
      const posted = (d: DecisionValues): DecisionValues => ({
        ...d,
        items: many(b.items),
        clearItems: many(b.clearItems),
        filters,
        durationDays: one(b.durationDays),
        ratePerMinute: one(b.ratePerMinute),
        note: one(b.note),
      });
      return onRequest(
        req,
        reply,
        req.params.id,
        (p, id) =>
          approveShareRequest(
            ctx,
            p,
            id,
            {
              items: many(b.items),
              clearItems: many(b.clearItems),
              rowFilter: rowFilterOf(filters),
              durationDays: one(b.durationDays).trim() ? intOf(one(b.durationDays)) : undefined,
              ratePerMinute: one(b.ratePerMinute).trim() ? intOf(one(b.ratePerMinute)) : undefined,
              note: one(b.note),
            },
            auditActor(req),
          ),
        'approved',
        posted,
      );
    });

    app.post(`${REQUESTS_PAGE}/:id/refuse`, { config: review, schema: { hide, params: IdParams, body: FormPost } }, async (req, reply) => {
      const reason = one((req.body as Body).reason);
      return onRequest(req, reply, req.params.id, (p, id) => refuseShareRequest(ctx, p, id, { reason }, auditActor(req)), 'refused', (d) => ({ ...d, reason }));
    });

    app.post(`${REQUESTS_PAGE}/:id/withdraw`, { config: request, schema: { hide, params: IdParams, body: FormPost } }, async (req, reply) => {
      const reason = one((req.body as Body).withdrawReason);
      return onRequest(req, reply, req.params.id, (p, id) => withdrawShareRequest(ctx, p, id, { reason }, auditActor(req)), 'withdrawn');
    });

    // ---- the provider's inbox ----
    app.get(REVIEWS_PAGE, { config: review, schema: { hide, querystring: Type.Object({ status: Field(20), page: Field(6) }) } }, async (req, reply) => {
      const p = await requireStaffPage(ctx, req);
      const s = req.query.status ?? 'pending';
      const status = (['pending', 'granted', 'refused', 'withdrawn'] as const).find((x) => x === s) as ShareRequestStatus | undefined;
      const list = await listShareRequests(ctx.db, p, { role: 'provider', status, page: pageOf(req.query.page), size: 50 });
      return sendAdminPage(ctx, req, reply, { title: '待答复的共享申请', trail: [{ label: '待答复的共享申请' }], body: renderReviews({ list, status: status ?? '' }) });
    });

    // ---- grants ----
    async function showGrants(req: FastifyRequest, reply: FastifyReply, p: StaffPrincipal, o: { errors?: FormErrors; done?: string; status?: number } = {}) {
      const asConsumer = can(p, 'data.share.request');
      const asProvider = can(p, 'data.share.review');
      if (!asConsumer && !asProvider) throw new ForbiddenError();
      const [consumer, provider] = await Promise.all([
        asConsumer ? listShareGrants(ctx.db, p, { role: 'consumer', size: 200 }) : null,
        asProvider ? listShareGrants(ctx.db, p, { role: 'provider', size: 200 }) : null,
      ]);
      const body = renderGrants({ consumer, provider, csrf: csrfInput(req, reply), errors: o.errors, done: o.done });
      return sendAdminPage(ctx, req, reply, { title: `${o.errors ? '（有错误）' : ''}共享授权`, trail: [{ label: '共享授权' }], body, status: o.status });
    }

    app.get(GRANTS_PAGE, { config: staff, schema: { hide, querystring: Type.Object({ done: Field(20) }) } }, async (req, reply) => {
      const p = await requireStaffPage(ctx, req);
      return showGrants(req, reply, p, { done: doneMessage(req.query.done, DONE_MESSAGES) });
    });

    app.post(`${GRANTS_PAGE}/:id/revoke`, { config: staff, schema: { hide, params: IdParams, body: FormPost } }, async (req, reply) => {
      const p = await requireStaffPage(ctx, req);
      const id = pageId(req.params.id);
      const b = req.body as Body;
      try {
        await revokeShareGrant(ctx, p, id, { reason: one(b[`reason-${id}`] ?? b.reason) }, auditActor(req));
      } catch (err) {
        const errors = formErrors(err);
        if (!errors) throw err;
        const shown = Object.fromEntries(Object.entries(errors).map(([k, m]) => [k === 'reason' ? `reason-${id}` : k, m]));
        return showGrants(req, reply, p, { errors: shown, status: (err as AppError).status });
      }
      return reply.redirect(`${GRANTS_PAGE}?done=revoked`, 303);
    });

    // ---- the platform ----
    app.get(OVERDUE_PAGE, { config: oversee, schema: { hide, querystring: Type.Object({ page: Field(6) }) } }, async (req, reply) => {
      const p = await requireStaffPage(ctx, req);
      const list = await listShareRequests(ctx.db, p, { role: 'overdue', page: pageOf(req.query.page), size: 50 });
      return sendAdminPage(ctx, req, reply, { title: '超期未答复的共享申请', trail: [{ label: '共享申请督办' }], body: renderOverdue({ list }) });
    });
  };
}
