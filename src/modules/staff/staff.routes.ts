import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { AppContext } from '../../http/context.ts';
import { staffApiRoutes } from './staff-api.routes.ts';
import { adminPageRoutes } from './admin-pages.routes.ts';

/** 工作人员管理、审计检索、事项草稿: the administration API and the staff workbench pages. */
export const staffRoutes =
  (ctx: AppContext): FastifyPluginAsyncTypebox =>
  async (app) => {
    await app.register(staffApiRoutes(ctx));
    await app.register(adminPageRoutes(ctx));
  };
