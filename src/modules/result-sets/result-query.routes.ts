/**
 * 结果查询 — the public JSON API: the published queries, one query's description, and the query itself.
 *
 * The query (POST /api/v1/result-sets/:code/query) is release day's hot path: it reads nothing from the
 * database, sends Buffers (the set's answer prefix encoded once, the row's JSON as held in memory) and answers
 * every wrong key combination with ONE fixed body. A machine client calls it anonymously with a JSON body and
 * no cookie (route-access lets such a request through without a CSRF token: it carries no ambient credential,
 * and another site cannot send JSON here without a CORS preflight this server never grants).
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { AppContext } from '../../http/context.ts';
import { queryResult, RESULT_NOT_FOUND_MESSAGE, MAX_KEY_LENGTH } from './query-result.ts';
import { getPublicResultSet, listPublicResultSets } from './list-public-result-sets.ts';

const tags = ['result-queries'];
const JSON_TYPE = 'application/json; charset=utf-8';

export const ResultSetCode = Type.String({ pattern: '^[a-z0-9-]{3,64}$', description: '结果查询代码，如 gaokao-2026' });

const KeyColumnView = Type.Object({ key: Type.String(), label: Type.String(), type: Type.String() });
const ResultSetView = Type.Object({
  code: Type.String(),
  title: Type.String(),
  description: Type.String(),
  department: Type.String({ description: '发布部门' }),
  releaseAt: Type.String({ description: '发布时间（ISO 8601）；此前任何人都不能查询' }),
  releaseAtText: Type.String({ description: '发布时间（北京时间），如 2026年6月25日 12:00' }),
  released: Type.Boolean({ description: '是否已到发布时间' }),
  keyColumns: Type.Array(KeyColumnView, { description: '查询条件（如 考生号、身份证号）' }),
});

const QueryBody = Type.Object(
  {
    values: Type.Record(Type.String(), Type.String({ maxLength: 1000 }), {
      maxProperties: 10,
      description: `查询条件：键为查询字段（keyColumns 的 key），值不超过 ${MAX_KEY_LENGTH} 个字符，如 {"exam_no": "26330106000123", "id_number": "11010519491231002X"}`,
    }),
  },
  { additionalProperties: false },
);

/** The one answer of every wrong combination: the same status, headers and bytes (no request id in it). */
export const NOT_FOUND_BODY = Buffer.from(JSON.stringify({ error: { code: 'NOT_FOUND', message: RESULT_NOT_FOUND_MESSAGE } }));
const CLOSE = Buffer.from('}');

export function resultQueryRoutes(ctx: AppContext): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get(
      '/api/v1/result-sets',
      { config: { access: 'public' }, schema: { tags, summary: '结果查询服务列表（已发布，含尚未到发布时间的）', response: { 200: Type.Object({ total: Type.Integer(), items: Type.Array(ResultSetView) }) } } },
      async () => {
        const items = await listPublicResultSets(ctx);
        return { total: items.length, items };
      },
    );

    app.get(
      '/api/v1/result-sets/:code',
      { config: { access: 'public' }, schema: { tags, summary: '结果查询服务详情（查询条件、发布时间）', params: Type.Object({ code: ResultSetCode }), response: { 200: ResultSetView } } },
      async (req) => (await getPublicResultSet(ctx, req.params.code)).view,
    );

    app.post(
      '/api/v1/result-sets/:code/query',
      {
        config: { access: 'public' },
        schema: {
          tags,
          summary: '查询结果（免登录；发布时间前任何人均不可查询；按 IP 和按第一个查询条件限流）',
          description:
            '查到：200 {"set": {"code", "title"}, "row": {…}}（身份证号已打码）。任何一项不符均返回同一个 404（NOT_FOUND，“未查询到结果，请核对输入的信息”）。' +
            '发布前 403（NOT_RELEASED）；已撤回 404；查询条件缺失或格式不正确 400（field 为 values.<key>）；过于频繁 429（Retry-After）。',
          params: Type.Object({ code: ResultSetCode }),
          body: QueryBody,
        },
      },
      async (req, reply) => {
        reply.header('cache-control', 'no-store');
        const a = await queryResult(ctx, req.params.code, req.body.values, { ip: req.ip, requestId: String(req.id) });
        reply.type(JSON_TYPE);
        if (!a.found) return reply.code(404).send(NOT_FOUND_BODY);
        const prefix = a.set.answerPrefix;
        return reply.send(Buffer.concat([prefix, a.row, CLOSE], prefix.length + a.row.length + 1));
      },
    );
  };
}
