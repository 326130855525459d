/**
 * The three lists' public pages and downloads (no sign-in): /lists, /lists/powers (+ one power),
 * /lists/negative-list (+ the check), /lists/funds (+ one fund), /lists/changes (+ one edition's changes),
 * /lists/feed.atom, and /lists/{powers,negative-list,funds}.{csv,xlsx,json} with the pages' filters.
 * Pages and downloads come from the in-memory index and are kept with it (a publication drops them); only the
 * change history reads the database (once per distinct page and index).
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { AppContext } from '../../http/context.ts';
import { NotFoundError, InvalidParameterError, AppError } from '../../shared/errors.ts';
import { cookiePreferences, type Preferences } from '../portal/preferences.ts';
import { diffEditions } from '../three-lists/diff-list-editions.ts';
import { getEdition } from '../three-lists/get-list-edition.ts';
import { listPublishedEditions } from '../three-lists/list-published-editions.ts';
import { atomFeed, renderChange, renderChanges, type ChangeView } from './changes.page.ts';
import { findPowerServices } from './find-power-services.ts';
import { renderFund, renderFunds } from './funds.page.ts';
import { listsIndex } from './lists-index-holder.ts';
import type { ListsIndex } from './lists-index.ts';
import {
  allocationTable, attachment, CONTENT_TYPES, fundTable, negativeTable, powerTable, toCsv, toJson, toXlsx, type ExportFormat, type Table,
} from './lists-export.ts';
import { renderOverview } from './lists-overview.page.ts';
import {
  editionId, FundQuery, fundFilters, industryCode, listKind, NegativeQuery, negativeFilters, pageOf, PowerQuery, powerFilters, type Query,
} from './lists-params.ts';
import { renderNegativeCheck, renderNegativeList, type CheckAnswer, type CheckForm } from './negative-list.page.ts';
import { renderPower, renderPowers } from './powers.page.ts';

const HTML = 'text/html; charset=utf-8';
const hide = true;
const CHANGES_PAGE = 30;
const FEED_SIZE = 50;
const DeptKey = Type.Object({ department: Type.Integer({ minimum: 1, maximum: 2_147_483_647 }), key: Type.String({ minLength: 1, maxLength: 60 }) });

/** A finished page (or download) from the index's cache, or made and kept there. */
async function cached(ix: ListsIndex, key: string, make: () => string | Buffer | Promise<string | Buffer>): Promise<Buffer | string> {
  let out = ix.cache.get(key);
  if (out === undefined) {
    out = await make();
    ix.cache.set(key, out);
  }
  return out;
}

const pageKey = (req: FastifyRequest, prefs: Preferences) => `page|${req.url}|${prefs.region ?? ''}|${prefs.elder ? 1 : 0}`;

const EXPORT_NAMES = { powers: '权力清单', 'negative-list': '企业投资项目负面清单', funds: '专项资金管理清单' } as const;

async function sendExport(reply: FastifyReply, ix: ListsIndex, url: string, list: keyof typeof EXPORT_NAMES, format: ExportFormat, make: () => Promise<Buffer> | Buffer): Promise<FastifyReply> {
  const body = await cached(ix, `export|${url}`, make);
  return reply
    .type(CONTENT_TYPES[format])
    .header('content-disposition', attachment(`${list}.${format}`, `${EXPORT_NAMES[list]}.${format}`))
    .header('cache-control', 'no-cache')
    .send(body);
}

async function tablesAs(format: ExportFormat, tables: Table[]): Promise<Buffer> {
  return format === 'xlsx' ? toXlsx(tables) : toCsv(tables[0]!);
}

export const listsPageRoutes =
  (ctx: AppContext): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.get('/lists', { schema: { hide } }, async (req, reply) => {
      const ix = await listsIndex(ctx);
      const prefs = cookiePreferences(ctx, req);
      return reply.type(HTML).send(await cached(ix, pageKey(req, prefs), () => renderOverview(ctx, ix, prefs, req.url)));
    });

    // ── 权力清单 ─────────────────────────────────────────────────────────────────────────────────────────────
    app.get('/lists/powers', { schema: { hide, querystring: PowerQuery } }, async (req, reply) => {
      const ix = await listsIndex(ctx);
      const prefs = cookiePreferences(ctx, req);
      const page = await cached(ix, pageKey(req, prefs), () => {
        const f = powerFilters(req.query);
        return renderPowers(ctx, ix, prefs, req.url, f, ix.searchPowers(f, pageOf(req.query.page)));
      });
      return reply.type(HTML).send(page);
    });

    for (const format of ['csv', 'xlsx', 'json'] as const) {
      app.get(`/lists/powers.${format}`, { schema: { hide, querystring: PowerQuery } }, async (req, reply) => {
        const ix = await listsIndex(ctx);
        const f = powerFilters(req.query as Query);
        return sendExport(reply, ix, req.url, 'powers', format, () => {
          const items = ix.matchPowers(f).items;
          return format === 'json' ? toJson('power', ix.revision, { ...f }, items) : tablesAs(format, [powerTable(items)]);
        });
      });
    }

    app.get('/lists/powers/:department/:key', { schema: { hide, params: DeptKey } }, async (req, reply) => {
      const ix = await listsIndex(ctx);
      const it = ix.power(req.params.department, req.params.key);
      if (!it) throw new NotFoundError('该权力事项不存在或已不在现行清单中', 'key');
      const prefs = cookiePreferences(ctx, req);
      const page = await cached(ix, `${pageKey(req, prefs)}|${ctx.catalogue.currentRevision}`, async () =>
        renderPower(ctx, prefs, req.url, it, await findPowerServices(ctx.db, it.department.id, it.entry.itemCodes)),
      );
      return reply.type(HTML).send(page);
    });

    // ── 负面清单 ─────────────────────────────────────────────────────────────────────────────────────────────
    app.get('/lists/negative-list', { schema: { hide, querystring: NegativeQuery } }, async (req, reply) => {
      const ix = await listsIndex(ctx);
      const prefs = cookiePreferences(ctx, req);
      const page = await cached(ix, pageKey(req, prefs), () => {
        const f = negativeFilters(req.query);
        return renderNegativeList(ctx, ix, prefs, req.url, f, ix.searchNegatives(f, pageOf(req.query.page)));
      });
      return reply.type(HTML).send(page);
    });

    for (const format of ['csv', 'xlsx', 'json'] as const) {
      app.get(`/lists/negative-list.${format}`, { schema: { hide, querystring: NegativeQuery } }, async (req, reply) => {
        const ix = await listsIndex(ctx);
        const f = negativeFilters(req.query as Query);
        return sendExport(reply, ix, req.url, 'negative-list', format, () => {
          const items = ix.matchNegatives(f).items;
          return format === 'json' ? toJson('negative', ix.revision, { ...f }, items) : tablesAs(format, [negativeTable(items)]);
        });
      });
    }

    app.get(
      '/lists/negative-list/check',
      {
        schema: {
          hide,
          querystring: Type.Object({
            industry: Type.Optional(Type.String({ maxLength: 20 })),
            pick: Type.Optional(Type.String({ maxLength: 20 })),
            description: Type.Optional(Type.String({ maxLength: 500 })),
          }),
        },
      },
      async (req, reply) => {
        const ix = await listsIndex(ctx);
        const prefs = cookiePreferences(ctx, req);
        const form: CheckForm = { industry: req.query.industry?.trim() ?? '', pick: req.query.pick?.trim() ?? '', description: req.query.description?.trim() ?? '' };
        const answer: CheckAnswer = {};
        const given = form.industry || form.pick;
        if (given) {
          try {
            answer.check = ix.checkNegative(industryCode(given), form.description || undefined);
          } catch (err) {
            if (!(err instanceof AppError)) throw err;
            form.error = err.message;
            reply.code(400);
          }
        } else if (form.description) {
          answer.related = ix.negativesRelatedTo(form.description);
        }
        return reply.type(HTML).send(renderNegativeCheck(ctx, ix, prefs, req.url, form, answer));
      },
    );

    // ── 专项资金 ─────────────────────────────────────────────────────────────────────────────────────────────
    app.get('/lists/funds', { schema: { hide, querystring: FundQuery } }, async (req, reply) => {
      const ix = await listsIndex(ctx);
      const prefs = cookiePreferences(ctx, req);
      const page = await cached(ix, pageKey(req, prefs), () => {
        const f = fundFilters(req.query);
        return renderFunds(ctx, ix, prefs, req.url, f, ix.searchFunds(f, pageOf(req.query.page)));
      });
      return reply.type(HTML).send(page);
    });

    for (const format of ['csv', 'xlsx', 'json'] as const) {
      app.get(`/lists/funds.${format}`, { schema: { hide, querystring: FundQuery } }, async (req, reply) => {
        const ix = await listsIndex(ctx);
        const q = req.query as Query;
        const f = fundFilters(q);
        const table = (typeof q.table === 'string' && q.table.trim()) || 'funds';
        if (table !== 'funds' && table !== 'allocations') throw new InvalidParameterError('table', 'table 应为 funds 或 allocations');
        return sendExport(reply, ix, req.url, 'funds', format, () => {
          const items = ix.matchFunds(f).items;
          if (format === 'json') return toJson('fund', ix.revision, { ...f }, items, (it: { total: number; allocated: number }) => ({ total: it.total, allocated: it.allocated }));
          if (format === 'xlsx') return toXlsx([fundTable(items, f.year), allocationTable(items, f.year)]);
          return toCsv(table === 'allocations' ? allocationTable(items, f.year) : fundTable(items, f.year));
        });
      });
    }

    app.get('/lists/funds/:department/:key', { schema: { hide, params: DeptKey } }, async (req, reply) => {
      const ix = await listsIndex(ctx);
      const it = ix.fund(req.params.department, req.params.key);
      if (!it) throw new NotFoundError('该专项资金不存在或已不在现行清单中', 'key');
      const prefs = cookiePreferences(ctx, req);
      return reply.type(HTML).send(await cached(ix, pageKey(req, prefs), () => renderFund(ctx, prefs, req.url, it)));
    });

    // ── 变更记录 ─────────────────────────────────────────────────────────────────────────────────────────────
    app.get(
      '/lists/changes',
      { schema: { hide, querystring: Type.Object({ kind: Type.Optional(Type.String({ maxLength: 10 })), department: Type.Optional(Type.String({ maxLength: 10 })), before: Type.Optional(Type.String({ maxLength: 10 })) }) } },
      async (req, reply) => {
        const ix = await listsIndex(ctx);
        const prefs = cookiePreferences(ctx, req);
        const page = await cached(ix, pageKey(req, prefs), async () => {
          const f = { kind: listKind(req.query.kind), department: editionId(req.query.department, 'department'), before: editionId(req.query.before, 'before') };
          const rows = await listPublishedEditions(ctx.db, { kind: f.kind, departmentId: f.department, before: f.before, limit: CHANGES_PAGE + 1 });
          return renderChanges(ctx, prefs, req.url, f, rows.slice(0, CHANGES_PAGE), rows.length > CHANGES_PAGE, [...ix.departments.values()]);
        });
        return reply.type(HTML).send(page);
      },
    );

    app.get(
      '/lists/changes/:id',
      {
        schema: {
          hide,
          params: Type.Object({ id: Type.Integer({ minimum: 1, maximum: 2_147_483_647 }) }),
          querystring: Type.Object({ from: Type.Optional(Type.String({ maxLength: 10 })), to: Type.Optional(Type.String({ maxLength: 10 })) }),
        },
      },
      async (req, reply) => {
        const ix = await listsIndex(ctx);
        const prefs = cookiePreferences(ctx, req);
        const page = await cached(ix, pageKey(req, prefs), async () => renderChange(ctx, prefs, req.url, await changeView(ctx, req.params.id, req.query)));
        return reply.type(HTML).send(page);
      },
    );

    app.get('/lists/feed.atom', { schema: { hide } }, async (_req, reply) => {
      const ix = await listsIndex(ctx);
      const feed = await cached(ix, 'feed', async () => atomFeed(ctx.config.publicUrl, await listPublishedEditions(ctx.db, { limit: FEED_SIZE })));
      return reply.type('application/atom+xml; charset=utf-8').send(feed);
    });
  };

/** An edition, the versions of its list, and the changes to show: `from` → `to` when given, else against the previous version. */
export async function changeView(ctx: AppContext, id: number, q: { from?: string; to?: string }): Promise<ChangeView> {
  const head = await getEdition(ctx.db, id);
  if (!head) throw new NotFoundError('该清单版本不存在或尚未发布', 'id');
  const versions = await listPublishedEditions(ctx.db, { kind: head.kind, departmentId: head.departmentId, limit: 500 });
  const edition = versions.find((v) => v.id === id)!;
  const fromId = editionId(q.from, 'from') ?? versions.find((v) => v.version === edition.version - 1)?.id;
  const toId = editionId(q.to, 'to') ?? id;
  if (fromId === undefined) {
    if (toId !== id) throw new InvalidParameterError('from', '请选择要比较的旧版本');
    return { edition, versions, from: undefined, to: edition, diff: { added: head.entries, removed: [], changed: [] } };
  }
  const d = await diffEditions(ctx.db, fromId, toId);
  const from = versions.find((v) => v.id === d.from.id);
  const to = versions.find((v) => v.id === d.to.id);
  if (!from || !to) throw new InvalidParameterError('from', '只能比较同一部门同一清单的两个版本');
  return { edition, versions, from, to, diff: d };
}
