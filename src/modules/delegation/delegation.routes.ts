import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { AppContext } from '../../http/context.ts';

/** 代办授权、法人与未成年子女、个人档案访问（由后续提交实现） */
export const delegationRoutes =
  (ctx: AppContext): FastifyPluginAsyncTypebox =>
  async () => {
    void ctx;
  };
