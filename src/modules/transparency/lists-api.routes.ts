/**
 * The three lists' open API (no sign-in, tag 'lists'): search and filter powers, negative-list entries and
 * funds; one power (with the service items exercising it) and one fund; the negative-list check; the history
 * of published editions and one edition's changes.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { AppContext } from '../../http/context.ts';
import { NotFoundError } from '../../shared/errors.ts';
import { ITEM_TYPES } from '../catalogue/catalogue.types.ts';
import { listPublishedEditions } from '../three-lists/list-published-editions.ts';
import { NEGATIVE_CATEGORIES } from '../three-lists/three-lists.types.ts';
import { VERDICT_LABELS, type CheckedEntry } from './check-negative-list.ts';
import { findPowerServices } from './find-power-services.ts';
import { industryLabel } from './industry-classification.ts';
import { listsIndex } from './lists-index-holder.ts';
import type { FundItem, Listed, NegativeItem, PowerItem } from './lists-index.ts';
import { changeView } from './lists-pages.routes.ts';
import { editionId, FundQuery, fundFilters, industryCode, listKind, NegativeQuery, negativeFilters, Paging, PowerQuery, powerFilters } from './lists-params.ts';

const tags = ['lists'];
const { page: _p1, ...PowerApiQuery } = PowerQuery.properties;
const { page: _p2, ...NegativeApiQuery } = NegativeQuery.properties;
const { page: _p3, table: _t, ...FundApiQuery } = FundQuery.properties;
const DeptKey = Type.Object({
  department: Type.Integer({ minimum: 1, maximum: 2_147_483_647, description: '部门 ID' }),
  key: Type.String({ minLength: 1, maxLength: 60, description: '权力编码 / 资金编码' }),
});

function dept(it: Listed<unknown>) {
  const d = it.department;
  return { id: d.id, name: d.name, creditCode: d.creditCode, regionCode: d.regionCode, regionName: d.regionFullName, regionLevel: d.regionLevel };
}

export const powerJson = (it: PowerItem) => ({
  ...it.entry,
  typeLabel: ITEM_TYPES[it.entry.type],
  department: dept(it),
  edition: it.edition,
  url: `/lists/powers/${it.department.id}/${encodeURIComponent(it.entry.key)}`,
});
const negativeJson = (it: NegativeItem) => ({
  ...it.entry,
  categoryLabel: NEGATIVE_CATEGORIES[it.entry.category],
  industries: it.entry.industryCodes.map((code) => ({ code, label: industryLabel(code) })),
  department: dept(it),
  edition: it.edition,
});
const fundJson = (it: FundItem) => ({ ...it.entry, total: it.total, allocated: it.allocated, department: dept(it), edition: it.edition, url: `/lists/funds/${it.department.id}/${encodeURIComponent(it.entry.key)}` });
const checkedJson = (c: CheckedEntry<NegativeItem>) => ({ ...negativeJson(c.entry), matchedCodes: c.codes, relatedToDescription: c.related });

export const listsApiRoutes =
  (ctx: AppContext): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.get(
      '/api/v1/lists/powers',
      { schema: { tags, summary: '权力清单：检索与筛选（部门、层级、地区、权力类型）', querystring: Type.Object({ ...PowerApiQuery, ...Paging }) } },
      async (req) => {
        const ix = await listsIndex(ctx);
        const { items, facets } = ix.matchPowers(powerFilters(req.query));
        const start = req.query.start ?? 0;
        const rows = req.query.rows ?? 20;
        return { total: items.length, start, rows, items: items.slice(start, start + rows).map(powerJson), facets };
      },
    );

    app.get('/api/v1/lists/powers/:department/:key', { schema: { tags, summary: '一项权力（含责任清单和行使该权力的服务事项）', params: DeptKey } }, async (req) => {
      const ix = await listsIndex(ctx);
      const it = ix.power(req.params.department, req.params.key);
      if (!it) throw new NotFoundError('该权力事项不存在或已不在现行清单中', 'key');
      const services = await findPowerServices(ctx.db, it.department.id, it.entry.itemCodes);
      return { ...powerJson(it), services: services.map((s) => ({ ...s, items: s.items.map((i) => ({ ...i, url: `/items/${i.code}` })) })) };
    });

    app.get(
      '/api/v1/lists/negative-list',
      { schema: { tags, summary: '企业投资项目负面清单：检索与筛选（类别、行业代码）', querystring: Type.Object({ ...NegativeApiQuery, ...Paging }) } },
      async (req) => {
        const ix = await listsIndex(ctx);
        const { items, facets } = ix.matchNegatives(negativeFilters(req.query));
        const start = req.query.start ?? 0;
        const rows = req.query.rows ?? 20;
        return { total: items.length, start, rows, items: items.slice(start, start + rows).map(negativeJson), facets };
      },
    );

    app.get(
      '/api/v1/lists/negative-list/check',
      {
        schema: {
          tags,
          summary: '我的项目需要核准吗？按行业代码（GB/T 4754）对照负面清单',
          querystring: Type.Object({
            industry: Type.String({ minLength: 1, maxLength: 20, description: '行业代码，如 C2511（也可只写数字 2511）' }),
            description: Type.Optional(Type.String({ maxLength: 500, description: '项目简述（选填）：在匹配的条目中找出相关的' })),
          }),
        },
      },
      async (req) => {
        const ix = await listsIndex(ctx);
        const c = ix.checkNegative(industryCode(req.query.industry), req.query.description?.trim() || undefined);
        return {
          industry: c.industry,
          industryLabel: c.industryLabel,
          verdict: c.verdict,
          verdictLabel: VERDICT_LABELS[c.verdict],
          needsApproval: c.verdict === 'approval',
          prohibited: c.verdict === 'prohibited',
          matched: c.matched.map(checkedJson),
          narrower: c.narrower.map(checkedJson),
        };
      },
    );

    app.get(
      '/api/v1/lists/funds',
      { schema: { tags, summary: '专项资金管理清单：检索与筛选（年度、主管部门），含年度合计', querystring: Type.Object({ ...FundApiQuery, ...Paging }) } },
      async (req) => {
        const ix = await listsIndex(ctx);
        const r = ix.matchFunds(fundFilters(req.query));
        const start = req.query.start ?? 0;
        const rows = req.query.rows ?? 20;
        return { total: r.items.length, start, rows, items: r.items.slice(start, start + rows).map(fundJson), totals: r.totals, facets: r.facets };
      },
    );

    app.get('/api/v1/lists/funds/:department/:key', { schema: { tags, summary: '一项专项资金（含分配结果）', params: DeptKey } }, async (req) => {
      const ix = await listsIndex(ctx);
      const it = ix.fund(req.params.department, req.params.key);
      if (!it) throw new NotFoundError('该专项资金不存在或已不在现行清单中', 'key');
      return fundJson(it);
    });

    app.get(
      '/api/v1/lists/changes',
      {
        schema: {
          tags,
          summary: '清单变更记录：已发布的版本（新的在前），含新增、删除、修改条数',
          querystring: Type.Object({
            kind: Type.Optional(Type.String({ maxLength: 10, description: 'power / negative / fund' })),
            department: Type.Optional(Type.String({ maxLength: 10, description: '部门 ID' })),
            before: Type.Optional(Type.String({ maxLength: 10, description: '只列出该版本之前发布的（翻页）' })),
            limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
          }),
        },
      },
      async (req) => {
        const items = await listPublishedEditions(ctx.db, {
          kind: listKind(req.query.kind),
          departmentId: editionId(req.query.department, 'department'),
          before: editionId(req.query.before, 'before'),
          limit: req.query.limit ?? 50,
        });
        return { items };
      },
    );

    app.get(
      '/api/v1/lists/changes/:id',
      {
        schema: {
          tags,
          summary: '一个版本的变化（默认与上一版本比较；from、to 可比较同一清单的任意两个版本）',
          params: Type.Object({ id: Type.Integer({ minimum: 1, maximum: 2_147_483_647 }) }),
          querystring: Type.Object({ from: Type.Optional(Type.String({ maxLength: 10 })), to: Type.Optional(Type.String({ maxLength: 10 })) }),
        },
      },
      async (req) => {
        const v = await changeView(ctx, req.params.id, req.query);
        return { edition: v.edition, from: v.from ?? null, to: v.to, added: v.diff.added, removed: v.diff.removed, changed: v.diff.changed };
      },
    );
  };
