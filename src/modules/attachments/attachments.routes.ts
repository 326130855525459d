/** Attachments: upload (checked by content) and access-checked download. */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { AppContext } from '../../http/context.ts';

export function attachmentRoutes(ctx: AppContext): FastifyPluginAsyncTypebox {
  return async (app) => {
    void ctx;
    void app;
  };
}
