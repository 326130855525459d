import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { AppContext } from '../../http/context.ts';

/** 接入应用与令牌（由后续提交实现） */
export const clientRoutes =
  (ctx: AppContext): FastifyPluginAsyncTypebox =>
  async () => {
    void ctx;
  };
