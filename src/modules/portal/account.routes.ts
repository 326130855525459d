import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { AppContext } from '../../http/context.ts';

/** 登录、注册、个人中心页面（由后续提交实现） */
export const accountPageRoutes =
  (ctx: AppContext): FastifyPluginAsyncTypebox =>
  async () => {
    void ctx;
  };
