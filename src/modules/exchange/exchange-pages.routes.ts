/** 共享交换 staff pages: /admin/data/usage, the provider's view of who uses its data (no JavaScript needed). */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { AppContext } from '../../http/context.ts';
import { requireStaffPage } from '../staff/admin-page.ts';
import { listDataUsage } from './list-data-usage.ts';
import { sendUsagePage, USAGE_PAGE, USAGE_PAGE_SIZE } from './data-usage.page.ts';

export function exchangePageRoutes(ctx: AppContext): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get(
      USAGE_PAGE,
      {
        config: { access: { permission: 'data.share.review' } },
        schema: {
          hide: true,
          querystring: Type.Object({
            resource: Type.Optional(Type.String({ maxLength: 64 })),
            consumer: Type.Optional(Type.String({ maxLength: 18 })),
            page: Type.Integer({ minimum: 1, maximum: 1000, default: 1 }),
          }),
        },
      },
      async (req, reply) => {
        const p = await requireStaffPage(ctx, req);
        const chosen = { resource: req.query.resource ?? '', consumer: req.query.consumer ?? '' };
        const u = await listDataUsage(ctx.db, p, { resourceCode: chosen.resource || undefined, consumer: chosen.consumer || undefined, page: req.query.page, size: USAGE_PAGE_SIZE });
        return sendUsagePage(ctx, req, reply, u, chosen);
      },
    );
  };
}
