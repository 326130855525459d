// placeholder: replaced by the module's routes
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { AppContext } from '../../http/context.ts';

export function transparencyRoutes(_ctx: AppContext): FastifyPluginAsyncTypebox {
  return async () => {};
}
