/**
 * 好差评: the applicant's rating of a concluded application, the rectification of 差评 (核实 → 整改 → 反馈 →
 * 复核) by staff, and the public statistics. JSON API here (routes validate and delegate); the pages are in
 * evaluation-pages.routes.ts.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { AppContext } from '../../http/context.ts';
import { ItemCode, RegionCode, StringEnum } from '../../http/schemas.ts';
import { auditActor, requirePrincipal } from '../../http/route-access.ts';
import { requirePerson } from '../delegation/delegation.http.ts';
import { INDICATOR_KEYS, INDICATORS, RECTIFICATION_STATE_KEYS, COMMENT_MAX } from './evaluations.types.ts';
import { parseEvaluation } from './evaluations.validation.ts';
import { submitEvaluation } from './submit-evaluation.ts';
import { findOwnApplication } from './find-own-application.ts';
import { listRectifications } from './list-rectifications.ts';
import { getRectification } from './get-rectification.ts';
import { advanceRectification } from './advance-rectification.ts';
import { getEvaluationStats, DEFAULT_TOP, MAX_TOP } from './get-evaluation-stats.ts';
import { NOTE_MAX, RECTIFICATION_ACTION_KEYS } from './rectification-flow.ts';
import { evaluationPageRoutes } from './evaluation-pages.routes.ts';
import { NumberParams, TaskParams } from './evaluations.schemas.ts';
import { NotFoundError } from '../../shared/errors.ts';

const tags = ['evaluations'];

const Score = (description: string) => Type.Integer({ minimum: 1, maximum: 5, description });
const DateParam = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: '日期（北京时间，年-月-日，含当日）' });

const EvaluationBody = Type.Object(
  {
    level: Score('评价等级：5 非常满意，4 满意，3 基本满意，2 不满意，1 非常不满意'),
    indicators: Type.Object(Object.fromEntries(INDICATOR_KEYS.map((k) => [k, Score(`${INDICATORS[k]}（1–5）`)])), {
      additionalProperties: false,
      description: '网上评价指标：整体满意度、办事效率、办事指南精确度、办事便捷度、平台操作性',
    }),
    comment: Type.Optional(Type.String({ maxLength: COMMENT_MAX * 2, description: '评价内容；不满意或非常不满意时必填（至少 5 个字）' })),
  },
  { additionalProperties: false },
);

export const StatsQuery = Type.Object(
  {
    department: Type.Optional(Type.Integer({ minimum: 1, maximum: 2 ** 31 - 1, description: '部门标识' })),
    item: Type.Optional(ItemCode),
    region: Type.Optional(RegionCode),
    from: Type.Optional(DateParam),
    to: Type.Optional(DateParam),
    top: Type.Integer({ minimum: 1, maximum: MAX_TOP, default: DEFAULT_TOP, description: '排行榜条数' }),
  },
  { additionalProperties: false },
);

export function evaluationRoutes(ctx: AppContext): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.post(
      '/api/v1/applications/:number/evaluation',
      {
        config: { access: 'person' },
        schema: { tags, summary: '评价已办结的办件（一次一评；差评自动转部门整改）', params: NumberParams, body: EvaluationBody },
      },
      async (req, reply) => {
        const p = await requirePerson(ctx, req);
        const evaluation = parseEvaluation(req.body);
        const r = await submitEvaluation(ctx.db, p, { number: req.params.number, evaluation }, auditActor(req));
        return reply.code(201).send(r);
      },
    );

    app.get(
      '/api/v1/applications/:number/evaluation',
      { config: { access: 'person' }, schema: { tags, summary: '本人对办件的评价', params: NumberParams } },
      async (req) => {
        const a = await findOwnApplication(ctx.db, await requirePerson(ctx, req), req.params.number);
        if (!a.evaluation) throw new NotFoundError('该办件尚未评价', 'number');
        const e = a.evaluation;
        return {
          id: e.id,
          applicationNumber: a.number,
          level: e.level,
          levelLabel: e.levelLabel,
          gradeLabel: e.gradeLabel,
          indicators: e.indicators,
          comment: e.comment,
          createdAt: new Date(e.createdAt).toISOString(),
        };
      },
    );

    app.get(
      '/api/v1/evaluations/stats',
      { config: { access: 'public' }, schema: { tags, summary: '好差评公示统计：总量、各等级、好评率、指标均分、整改情况、部门与事项排行', querystring: StatsQuery } },
      async (req, reply) => {
        const stats = await getEvaluationStats(ctx.db, req.query);
        return reply.header('cache-control', 'public, max-age=60').send(stats);
      },
    );

    app.get(
      '/api/v1/rectifications',
      {
        config: { access: 'staff' },
        schema: {
          tags,
          summary: '本人范围内的差评整改任务（超期任务标记 overdue）',
          querystring: Type.Object(
            {
              state: Type.Optional(StringEnum(RECTIFICATION_STATE_KEYS, '状态：verifying 核实，rectifying 整改，feedback 反馈，reviewing 复核，closed 已办结，dismissed 不予整改')),
              overdue: Type.Optional(Type.Boolean({ description: '只看超期未办结的任务' })),
              page: Type.Integer({ minimum: 1, maximum: 1000, default: 1 }),
              size: Type.Integer({ minimum: 1, maximum: 100, default: 20 }),
            },
            { additionalProperties: false },
          ),
        },
      },
      async (req) => listRectifications(ctx.db, await requirePrincipal(ctx, req), req.query),
    );

    app.get(
      '/api/v1/rectifications/:id',
      { config: { access: 'staff' }, schema: { tags, summary: '一项差评整改任务（评价人身份保密）', params: TaskParams } },
      async (req) => getRectification(ctx.db, await requirePrincipal(ctx, req), req.params.id),
    );

    app.post(
      '/api/v1/rectifications/:id/actions',
      {
        config: { access: 'staff' },
        schema: {
          tags,
          summary: '办理整改任务的一步：核实、整改、回访、复核（须带上所见版本号）',
          params: TaskParams,
          body: Type.Object(
            {
              action: StringEnum(RECTIFICATION_ACTION_KEYS, '操作：verify 核实属实，verify_unfounded 核实不属实，rectify 整改完成，feedback 回访完成，approve 复核通过，return 退回'),
              note: Type.String({ maxLength: NOTE_MAX * 2, description: '处理说明（核实情况、整改措施、回访情况或复核意见）' }),
              version: Type.Integer({ minimum: 1, maximum: 2 ** 31 - 1, description: '任务的版本号（乐观锁）' }),
            },
            { additionalProperties: false },
          ),
        },
      },
      async (req) => {
        const p = await requirePrincipal(ctx, req);
        await advanceRectification(ctx.db, p, { id: req.params.id, ...req.body }, auditActor(req));
        return getRectification(ctx.db, p, req.params.id);
      },
    );

    await app.register(evaluationPageRoutes(ctx));
  };
}
