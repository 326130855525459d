import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Static } from 'typebox';
import type { AppContext } from '../../http/context.ts';
import { SearchQuery } from '../../http/schemas.ts';
import { InvalidParameterError } from '../../shared/errors.ts';
import type { SearchParams } from './search.types.ts';

/** Validated query → search parameters; a well-formed but unknown region is an error too. */
export function toSearchParams(ctx: AppContext, q: Static<typeof SearchQuery>): SearchParams {
  if (q.region && !ctx.regions.get(q.region)) throw new InvalidParameterError('region', `未知的行政区划代码 ${q.region}`);
  return {
    q: q.q?.trim() || undefined,
    region: q.region,
    type: q.type,
    object: q.object,
    theme: q.theme,
    dept: q.dept,
    online: q.online === undefined ? undefined : q.online === '1' || q.online === 'true',
    page: q.page,
    size: q.size,
  };
}

export const searchRoutes =
  (ctx: AppContext): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.get(
      '/api/v1/items',
      {
        schema: {
          tags: ['catalogue'],
          summary: '检索事项（中文分词、同义词、拼音；按地区范围；分面统计）',
          querystring: SearchQuery,
        },
      },
      async (req, reply) =>
        reply.type('application/json; charset=utf-8').send(ctx.catalogue.searchJson(toSearchParams(ctx, req.query))),
    );
  };
