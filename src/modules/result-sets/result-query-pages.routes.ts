/**
 * 结果查询 pages, public (no sign-in): /results lists the query services, /results/:code shows the form and,
 * posted (with the visitor's `_csrf`), the answer — through the same operation as the API, so the embargo,
 * the limits, the one not-found message and the log are the same. Never cached: the page carries the CSRF
 * token and the answer.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { AppContext } from '../../http/context.ts';
import type { Html } from '../../http/html.ts';
import { AppError, FieldErrorsError, RateLimitedError } from '../../shared/errors.ts';
import { layout } from '../portal/layout.ts';
import { csrfInput, type FormErrors } from '../portal/forms.ts';
import { readPreferences } from '../portal/preferences.ts';
import { sendPage } from '../portal/account/account-kit.ts';
import { getPublicResultSet, listPublicResultSets, type PublicResultSetView } from './list-public-result-sets.ts';
import { queryResult, RESULT_NOT_FOUND_MESSAGE } from './query-result.ts';
import { renderResultQueryPage, renderResultSetList, type QueryPageAnswer } from './result-query.page.ts';
import { ResultSetCode } from './result-query.routes.ts';

const hide = true;
const Params = Type.Object({ code: ResultSetCode });
/** The form as posted: `_csrf` and one value per key column (names are the columns' keys). */
const FormPost = Type.Record(Type.String(), Type.String({ maxLength: 1000 }), { maxProperties: 20 });

export function resultQueryPageRoutes(ctx: AppContext): FastifyPluginAsyncTypebox {
  return async (app) => {
    function page(req: FastifyRequest, reply: FastifyReply, o: { title: string; trail: { label: string; href?: string }[]; body: Html; status?: number }) {
      const html = layout(ctx, {
        title: o.title,
        prefs: readPreferences(ctx, req, reply),
        path: req.url,
        breadcrumbs: [{ label: '首页', href: '/' }, ...o.trail],
        body: o.body,
      });
      return sendPage(reply, html, o.status ?? 200);
    }

    function queryPage(
      req: FastifyRequest,
      reply: FastifyReply,
      view: PublicResultSetView,
      o: { now: Date; values: Record<string, string>; errors?: FormErrors; answer?: QueryPageAnswer; status?: number },
    ) {
      const body = renderResultQueryPage({ view, csrf: csrfInput(req, reply), ...o });
      return page(req, reply, { title: view.title, trail: [{ label: '结果查询', href: '/results' }, { label: view.title }], body, status: o.status });
    }

    app.get('/results', { config: { access: 'public' }, schema: { hide } }, async (req, reply) => {
      const now = new Date();
      const items = await listPublicResultSets(ctx, now);
      return page(req, reply, { title: '结果查询', trail: [{ label: '结果查询' }], body: renderResultSetList(items, now) });
    });

    app.get('/results/:code', { config: { access: 'public' }, schema: { hide, params: Params } }, async (req, reply) => {
      const now = new Date();
      const { view } = await getPublicResultSet(ctx, req.params.code, now);
      return queryPage(req, reply, view, { now, values: {} });
    });

    app.post('/results/:code', { config: { access: 'public' }, schema: { hide, params: Params, body: FormPost } }, async (req, reply) => {
      const now = new Date();
      const { set, view } = await getPublicResultSet(ctx, req.params.code, now);
      const values: Record<string, string> = {};
      for (const c of set.keyColumns) values[c.key] = req.body[c.key] ?? '';
      try {
        const a = await queryResult(ctx, set.code, values, { ip: req.ip, requestId: String(req.id) }, now);
        if (!a.found) return queryPage(req, reply, view, { now, values, answer: { kind: 'not_found', message: RESULT_NOT_FOUND_MESSAGE }, status: 404 });
        const row = JSON.parse(a.row.toString('utf8')) as Record<string, unknown>;
        return queryPage(req, reply, view, { now, values, answer: { kind: 'found', columns: a.set.columns, row } });
      } catch (err) {
        if (err instanceof FieldErrorsError) {
          const errors: FormErrors = {};
          for (const e of err.errors) errors[e.field.replace(/^values\./, '')] ??= e.message;
          return queryPage(req, reply, view, { now, values, errors, status: 400 });
        }
        if (err instanceof RateLimitedError) {
          if (err.retryAfterSeconds) reply.header('retry-after', String(err.retryAfterSeconds));
          return queryPage(req, reply, view, { now, values, answer: { kind: 'limited', message: err.message }, status: 429 });
        }
        // before the release: the form again, disabled, with the release time
        if (err instanceof AppError && err.code === 'NOT_RELEASED') return queryPage(req, reply, view, { now, values, status: 403 });
        throw err; // withdrawn meanwhile, or a failure: the error page
      }
    });
  };
}

