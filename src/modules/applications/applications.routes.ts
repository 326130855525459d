/** Applications API: drafts, submission, actions, timeline, inbox, progress lookup. */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { AppContext } from '../../http/context.ts';

export function applicationRoutes(ctx: AppContext): FastifyPluginAsyncTypebox {
  return async (app) => {
    void ctx;
    void app;
  };
}
