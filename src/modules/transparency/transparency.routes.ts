/**
 * The public side of the three lists (三张清单): pages, downloads and the feed (lists-pages.routes.ts) and the
 * open API (lists-api.routes.ts). Every route is public: the lists are published for anyone to read.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { AppContext } from '../../http/context.ts';
import { publicRoutes } from '../../http/route-access.ts';
import { listsApiRoutes } from './lists-api.routes.ts';
import { listsPageRoutes } from './lists-pages.routes.ts';

export function transparencyRoutes(ctx: AppContext): FastifyPluginAsyncTypebox {
  return async (app) => {
    await app.register(publicRoutes(listsPageRoutes(ctx)));
    await app.register(publicRoutes(listsApiRoutes(ctx)));
  };
}
