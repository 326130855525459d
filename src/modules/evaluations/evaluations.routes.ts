/** 好差评: rating, rectification of 差评, public statistics. */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { AppContext } from '../../http/context.ts';

export function evaluationRoutes(ctx: AppContext): FastifyPluginAsyncTypebox {
  return async (app) => {
    void ctx;
    void app;
  };
}
