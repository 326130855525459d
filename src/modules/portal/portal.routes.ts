import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { FastifyRequest } from 'fastify';
import { cachedGuide, type AppContext } from '../../http/context.ts';
import { CreditCode, ItemCode, RegionChoice, RegionCode, SearchQuery } from '../../http/schemas.ts';
import { NotFoundError } from '../../shared/errors.ts';
import { getItemGuide } from '../catalogue/get-item-guide.ts';
import { getDepartment, listDepartments } from '../departments/departments.service.ts';
import { toSearchParams } from '../search/search.routes.ts';
import { renderGuideBody } from './guide.page.ts';
import { renderHome } from './home.page.ts';
import { renderSearch } from './search.page.ts';
import { layout } from './layout.ts';
import { renderDepartment, renderErrorPage, renderRegion, renderRegionChooser, renderRegions } from './places.page.ts';
import { cookiePreferences, readPreferences, safeBack, setElderMode } from './preferences.ts';
import { raw } from '../../http/html.ts';

const HTML = 'text/html; charset=utf-8';

/** Error pages use the visitor's preferences without setting cookies. */
export function errorPage(ctx: AppContext) {
  return (req: FastifyRequest, status: number, message: string): string => {
    return renderErrorPage(ctx, cookiePreferences(ctx, req), '/', status, message);
  };
}

export const portalRoutes =
  (ctx: AppContext): FastifyPluginAsyncTypebox =>
  async (app) => {
    const opts = { schema: { hide: true } } as const;

    app.get('/', { schema: { hide: true, querystring: Type.Object({ region: RegionChoice }) } }, async (req, reply) => {
      const prefs = readPreferences(ctx, req, reply);
      return reply.type(HTML).send(renderHome(ctx, prefs, req.url));
    });

    app.get('/search', { schema: { hide: true, querystring: Type.Object({ ...SearchQuery.properties, region: RegionChoice }) } }, async (req, reply) => {
      const prefs = readPreferences(ctx, req, reply);
      const params = toSearchParams(ctx, { ...req.query, region: prefs.region });
      return reply.type(HTML).send(renderSearch(ctx, prefs, req.url, params, ctx.catalogue.search(params)));
    });

    app.get('/items/:code', { schema: { hide: true, params: Type.Object({ code: ItemCode }) } }, async (req, reply) => {
      const prefs = readPreferences(ctx, req, reply);
      const revision = ctx.catalogue.currentRevision;
      const pageKey = `${req.params.code}|${prefs.region ?? ''}|${prefs.elder ? 1 : 0}`;
      let finished = ctx.pageCache?.get(pageKey);
      if (finished === undefined) {
        const g = await cachedGuide(ctx, req.params.code, 'page', async () => {
          const guide = await getItemGuide(ctx.db, req.params.code);
          return {
            name: guide.name,
            regionCode: guide.region.code,
            departmentCode: guide.department.code,
            departmentName: guide.department.name,
            main: renderGuideBody(guide),
          };
        });
        const trail = ctx.regions.path(g.regionCode);
        finished = Buffer.from(
          layout(ctx, {
            title: g.name,
            prefs,
            path: `/items/${req.params.code}`,
            breadcrumbs: [
              { label: '首页', href: '/' },
              ...trail.map((r) => ({ label: r.name, href: `/regions/${r.code}` })),
              { label: g.departmentName, href: `/departments/${g.departmentCode}` },
              { label: g.name },
            ],
            body: raw(g.main),
          }),
        );
        if (ctx.catalogue.currentRevision === revision) ctx.pageCache?.set(pageKey, finished);
      }
      return reply.type(HTML).send(finished);
    });

    app.get('/regions', opts, async (req, reply) => reply.type(HTML).send(renderRegions(ctx, readPreferences(ctx, req, reply), req.url)));

    app.get('/regions/:code', { schema: { hide: true, params: Type.Object({ code: RegionCode }) } }, async (req, reply) => {
      const region = ctx.regions.get(req.params.code);
      if (!region) throw new NotFoundError(`未找到行政区划 ${req.params.code}`, 'code');
      const prefs = readPreferences(ctx, req, reply);
      const departments = await listDepartments(ctx.db, region.code);
      const popular = ctx.catalogue.search({ region: region.code, page: 1, size: 10 });
      return reply.type(HTML).send(renderRegion(ctx, prefs, req.url, region, departments, popular));
    });

    app.get(
      '/departments/:code',
      { schema: { hide: true, params: Type.Object({ code: CreditCode }), querystring: Type.Object({ page: Type.Integer({ minimum: 1, maximum: 1000, default: 1 }) }) } },
      async (req, reply) => {
        const prefs = readPreferences(ctx, req, reply);
        const d = await getDepartment(ctx.db, req.params.code);
        const items = ctx.catalogue.search({ dept: d.code, page: req.query.page, size: 20 });
        return reply.type(HTML).send(renderDepartment(ctx, prefs, req.url, d, items, req.query.page));
      },
    );

    app.get(
      '/settings/region',
      { schema: { hide: true, querystring: Type.Object({ back: Type.Optional(Type.String({ maxLength: 2000 })) }) } },
      async (req, reply) => {
        const prefs = readPreferences(ctx, req, reply);
        const back = safeBack(req.query.back).replace(/([?&])region=[^&]*&?/, '$1').replace(/[?&]$/, '');
        return reply.type(HTML).send(renderRegionChooser(ctx, prefs, back));
      },
    );

    app.post(
      '/settings/elder',
      // a display preference, not account state: the same-site check guards it, no token (the page stays cacheable)
      { config: { csrf: false }, schema: { hide: true, body: Type.Object({ on: Type.Union([Type.Literal('1'), Type.Literal('0')]), back: Type.Optional(Type.String({ maxLength: 2000 })) }) } },
      async (req, reply) => {
        setElderMode(reply, req.body.on === '1');
        return reply.code(303).redirect(safeBack(req.body.back));
      },
    );
  };
