import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { AppContext } from '../../http/context.ts';

/** 统一身份认证登录（由后续提交实现） */
export const oidcRoutes =
  (ctx: AppContext): FastifyPluginAsyncTypebox =>
  async () => {
    void ctx;
  };
