import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { AppContext } from '../../http/context.ts';
import { CreditCode, RegionCode } from '../../http/schemas.ts';
import { InvalidParameterError } from '../../shared/errors.ts';
import { getDepartment, listDepartments } from './departments.service.ts';

export const departmentRoutes =
  (ctx: AppContext): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.get(
      '/api/v1/departments',
      {
        schema: {
          tags: ['departments'],
          summary: '某地区的部门',
          querystring: Type.Object({ region: RegionCode }, { additionalProperties: false }),
        },
      },
      async (req) => {
        if (!ctx.regions.get(req.query.region)) throw new InvalidParameterError('region', `未知的行政区划代码 ${req.query.region}`);
        const departments = await listDepartments(ctx.db, req.query.region);
        return { total: departments.length, departments };
      },
    );

    app.get(
      '/api/v1/departments/:code',
      { schema: { tags: ['departments'], summary: '部门详情', params: Type.Object({ code: CreditCode }) } },
      async (req) => getDepartment(ctx.db, req.params.code),
    );
  };
