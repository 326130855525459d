import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { AppContext } from '../../http/context.ts';
import { RegionCode } from '../../http/schemas.ts';
import { NotFoundError } from '../../shared/errors.ts';
import type { RegionNode } from './region-directory.ts';

const view = (r: RegionNode) => ({ code: r.code, name: r.name, fullName: r.full_name, level: r.level, parent: r.parent_code });

export const regionRoutes =
  (ctx: AppContext): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.get(
      '/api/v1/regions',
      {
        schema: {
          tags: ['regions'],
          summary: '行政区划列表（省、市、县三级）',
          querystring: Type.Object({ parent: Type.Optional(RegionCode) }, { additionalProperties: false }),
        },
      },
      async (req) => {
        const all = ctx.regions.all();
        const list = req.query.parent ? all.filter((r) => r.parent_code === req.query.parent) : all;
        return { total: list.length, regions: list.map(view) };
      },
    );

    app.get(
      '/api/v1/regions/:code',
      { schema: { tags: ['regions'], summary: '行政区划详情，含上级和下级', params: Type.Object({ code: RegionCode }) } },
      async (req) => {
        const r = ctx.regions.get(req.params.code);
        if (!r) throw new NotFoundError(`未找到行政区划 ${req.params.code}`, 'code');
        return {
          ...view(r),
          path: ctx.regions.path(r.code).map(view),
          children: r.children.map((c) => view(ctx.regions.get(c)!)),
        };
      },
    );
  };
