/** Staff pages: inbox per role with counts, filters, detail with materials preview, actions with reasons. */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { AppContext } from '../../http/context.ts';

export function staffApplicationPageRoutes(ctx: AppContext): FastifyPluginAsyncTypebox {
  return async (app) => {
    void ctx;
    void app;
  };
}
