/** Application forms: the definition of an item's form and the browser copy of the shared validator. */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { AppContext } from '../../http/context.ts';

export function formRoutes(ctx: AppContext): FastifyPluginAsyncTypebox {
  return async (app) => {
    void ctx;
    void app;
  };
}
