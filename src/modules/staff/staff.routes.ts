import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { AppContext } from '../../http/context.ts';

/** 工作人员管理、审计检索、事项草稿（由后续提交实现） */
export const staffRoutes =
  (ctx: AppContext): FastifyPluginAsyncTypebox =>
  async () => {
    void ctx;
  };
