import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { cachedGuide, type AppContext } from '../../http/context.ts';
import { ItemCode } from '../../http/schemas.ts';
import { getItemGuide } from './get-item-guide.ts';
import { listItemVersions } from './list-item-versions.ts';

export const catalogueRoutes =
  (ctx: AppContext): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.get(
      '/api/v1/items/:code',
      {
        schema: {
          tags: ['catalogue'],
          summary: '事项的完整办事指南（已发布版本；可用 version 查看历史发布版本）',
          params: Type.Object({ code: ItemCode }),
          querystring: Type.Object({ version: Type.Optional(Type.Integer({ minimum: 1, maximum: 100000 })) }, { additionalProperties: false }),
        },
      },
      async (req, reply) => {
        const { code } = req.params;
        const { version } = req.query;
        const body =
          version === undefined
            ? await cachedGuide(ctx, code, 'json', async () => Buffer.from(JSON.stringify(await getItemGuide(ctx.db, code))))
            : JSON.stringify(await getItemGuide(ctx.db, code, version));
        return reply.type('application/json; charset=utf-8').send(body);
      },
    );

    app.get(
      '/api/v1/items/:code/versions',
      {
        schema: {
          tags: ['catalogue'],
          summary: '事项的发布历史',
          params: Type.Object({ code: ItemCode }),
        },
      },
      async (req) => ({ versions: await listItemVersions(ctx.db, req.params.code) }),
    );
  };
