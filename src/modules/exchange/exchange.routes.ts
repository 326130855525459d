/**
 * 共享交换接口 (the exchange API) for machine clients with the `data.exchange.read` scope: look up a record by
 * key, query with filters and pagination, subscribe to changes; and the provider's usage view as JSON.
 * Every call gets a request id (X-Request-Id) and the hash of its request (X-Request-Hash). Routes validate and
 * delegate to the operations of this module.
 */
import { randomUUID } from 'node:crypto';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { AppContext } from '../../http/context.ts';
import { auditActor, presetPrincipal, requirePrincipal } from '../../http/route-access.ts';
import type { ClientPrincipal } from '../access/principal.ts';
import { ForbiddenError, InvalidParameterError } from '../../shared/errors.ts';
import { lookupRecord } from './lookup-record.ts';
import { checkKey, checkResourceCode } from './exchange-call.ts';
import { queryRecords } from './query-records.ts';
import { createSubscription } from './create-subscription.ts';
import { listSubscriptions } from './list-subscriptions.ts';
import { cancelSubscription } from './cancel-subscription.ts';
import { listDataUsage } from './list-data-usage.ts';
import type { ExchangeCaller } from './exchange.types.ts';
import { bearerTokenHash } from '../clients/load-client-principal.ts';
import type { LookupAccessRow } from './read-lookup-access.ts';

const tags = ['exchange'];
const exchangeRead = { permission: 'data.exchange.read' } as const;

const ResourceCode = Type.String({ minLength: 1, maxLength: 64, description: '资源代码' });
const Purpose = Type.Optional(Type.String({ maxLength: 400, description: '用途（必填，2–200 个字）' }));
const Case = Type.Optional(Type.String({ maxLength: 200, description: '所服务的办件编号或案件编号（必填，1–64 个字符）' }));
const Items = Type.Optional(Type.String({ maxLength: 2000, description: '所需信息项，逗号分隔；省略则为授权的全部信息项' }));
const OnBehalfOf = Type.Optional(Type.String({ maxLength: 200, description: '代表的用户（调用方系统中的操作人标识）' }));

/** The calling machine client (only clients hold the scope; a person or staff member is refused). */
async function callerOf(ctx: AppContext, req: FastifyRequest, onBehalfOf: string | undefined): Promise<{ p: ClientPrincipal; caller: ExchangeCaller }> {
  const p = await requirePrincipal(ctx, req);
  if (p.kind !== 'client') throw new ForbiddenError('共享交换接口仅供接入应用以访问令牌调用');
  return { p, caller: { departmentId: p.departmentId, clientId: p.clientId, actor: auditActor(req, p), onBehalfOf: onBehalfOf ?? null } };
}

/** A fresh request id for this exchange call: also the id of the response and of any error it ends in. */
function newCall(req: FastifyRequest, reply: FastifyReply): string {
  const id = randomUUID();
  (req as { id: string }).id = id;
  reply.header('x-request-id', id);
  return id;
}

const splitItems = (s: string | undefined): string[] | undefined => (s === undefined ? undefined : s.split(',').map((x) => x.trim()).filter(Boolean));

/** A lookup's rows read with its bearer token's client, before the access check (see prefetchLookup). */
const prefetched = new WeakMap<FastifyRequest, { code: string; key: string; read: { departmentId: number; clientId: string; rows: LookupAccessRow[] } }>();

/**
 * onRequest of the lookup route: reads the bearer token's client and the lookup (resource, the client's grants,
 * the record under a grant in force) with one statement, shared with the lookups arriving at the same time. The
 * client read becomes the request's principal, which the access check then applies as it would any other
 * (401 without a client, 403 without the scope) — the rows are used only once it has passed and the handler's
 * input checks hold, and only for the same resource and key. Nothing is cached.
 */
function prefetchLookup(ctx: AppContext) {
  return async (req: FastifyRequest): Promise<void> => {
    const auth = req.headers.authorization;
    const { code, key } = req.params as { code?: unknown; key?: unknown };
    if (typeof auth !== 'string' || !auth.startsWith('Bearer ') || typeof code !== 'string' || typeof key !== 'string') return;
    const tokenHash = bearerTokenHash(auth.slice(7).trim());
    if (!tokenHash) return; // not a token: the access check reads it as usual (401)
    let c: string, k: string;
    try {
      [c, k] = [checkResourceCode(code), checkKey(key)];
    } catch {
      return; // the handler answers bad input with its 400, after the access check
    }
    const read = await ctx.exchangeLookups.load({ tokenHash, code: c, key: k });
    const p = read.principal ?? null;
    presetPrincipal(req, p);
    if (p) prefetched.set(req, { code: c, key: k, read: { departmentId: p.departmentId, clientId: p.clientId, rows: read.rows } });
  };
}

export function exchangeRoutes(ctx: AppContext): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get(
      '/api/v1/exchange/resources/:code/records/:key',
      {
        config: { access: exchangeRead },
        onRequest: prefetchLookup(ctx),
        schema: {
          tags,
          summary: '按标识查询一条记录（仅返回授权信息项，个人信息按授权脱敏；每次调用须注明用途和办件编号）',
          params: Type.Object({ code: ResourceCode, key: Type.String({ minLength: 1, maxLength: 100, description: '记录标识（如身份证号、统一社会信用代码）' }) }),
          querystring: Type.Object({ purpose: Purpose, case: Case, items: Items, onBehalfOf: OnBehalfOf }, { additionalProperties: false }),
        },
      },
      async (req, reply) => {
        const requestId = newCall(req, reply);
        const { caller } = await callerOf(ctx, req, req.query.onBehalfOf);
        const pre = prefetched.get(req);
        const r = await lookupRecord(
          ctx,
          caller,
          {
            resourceCode: req.params.code,
            key: req.params.key,
            purpose: req.query.purpose ?? '',
            caseRef: req.query.case ?? '',
            items: splitItems(req.query.items),
            requestId,
          },
          pre && pre.code === req.params.code.trim() && pre.key === req.params.key.trim() ? pre.read : undefined,
        );
        reply.header('x-request-hash', r.requestHash).header('cache-control', 'no-store');
        if (!r.record) {
          // not found within the grant: the call is evidence all the same
          return reply.code(404).send({
            error: { code: 'NOT_FOUND', message: '在共享授权范围内未找到该记录', field: 'key', requestId: r.requestId },
            requestId: r.requestId,
            requestHash: r.requestHash,
            request: r.request,
          });
        }
        return { requestId: r.requestId, requestHash: r.requestHash, request: r.request, resource: r.resourceCode, version: r.version, grantId: r.grantId, items: r.items, record: r.record };
      },
    );

    app.get(
      '/api/v1/exchange/resources/:code/records',
      {
        config: { access: exchangeRead },
        schema: {
          tags,
          summary: '按条件查询记录（filter.<信息项>=值，仅限授权信息项；分页 rows ≤ 100）',
          params: Type.Object({ code: ResourceCode }),
          querystring: Type.Object(
            {
              purpose: Purpose,
              case: Case,
              items: Items,
              onBehalfOf: OnBehalfOf,
              rows: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, description: '每页条数（1–100，默认 20）' })),
              start: Type.Optional(Type.Integer({ minimum: 0, maximum: 100_000, description: '起始位置（从 0 起）' })),
            },
            { additionalProperties: Type.String({ maxLength: 200 }) },
          ),
        },
      },
      async (req, reply) => {
        const requestId = newCall(req, reply);
        const filters: Record<string, string> = {};
        const known = new Set(['purpose', 'case', 'items', 'onBehalfOf', 'rows', 'start']);
        for (const [k, v] of Object.entries(req.query as Record<string, unknown>)) {
          if (known.has(k)) continue;
          if (!k.startsWith('filter.')) throw new InvalidParameterError(k.slice(0, 40), '不支持的参数');
          if (typeof v !== 'string') throw new InvalidParameterError(k.slice(0, 40), '每个查询条件只能出现一次');
          filters[k.slice(7)] = v;
        }
        const { caller } = await callerOf(ctx, req, req.query.onBehalfOf);
        const r = await queryRecords(ctx, caller, {
          resourceCode: req.params.code,
          purpose: req.query.purpose ?? '',
          caseRef: req.query.case ?? '',
          items: splitItems(req.query.items),
          filters,
          rows: req.query.rows,
          start: req.query.start,
          requestId,
        });
        reply.header('x-request-hash', r.requestHash).header('cache-control', 'no-store');
        return {
          requestId: r.requestId,
          requestHash: r.requestHash,
          request: r.request,
          resource: r.resourceCode,
          version: r.version,
          grantId: r.grantId,
          items: r.items,
          total: r.total,
          rows: r.rows,
          start: r.start,
          records: r.records,
        };
      },
    );

    // ---- change subscriptions (变更订阅) ---------------------------------------------------------------------
    const SubscriptionJson = (s: Awaited<ReturnType<typeof listSubscriptions>>[number]) => ({
      id: s.id,
      resource: s.resourceCode,
      url: s.url,
      status: s.status,
      grantId: s.grantId,
      cursorEvent: s.cursorEvent,
      attempts: s.attempts,
      nextAttemptAt: s.nextAttemptAt.toISOString(),
      lastError: s.lastError,
      createdAt: s.createdAt.toISOString(),
    });

    app.post(
      '/api/v1/exchange/subscriptions',
      {
        config: { access: exchangeRead },
        schema: {
          tags,
          summary: '订阅数据资源的变更（签名 webhook；签名密钥只在此响应中出现一次）',
          description:
            '推送请求体为 JSON {subscription, resource, events:[{id, version, ref, key?, op, record}]}，按事件编号顺序、至少一次送达；ref 为记录的不透明引用（同一授权下同一记录不变，可用于排序和去重）；key 仅在授权包含关键信息项时提供，并按授权脱敏。推送地址须为公网 https 地址（不能指向本机或内部网络）。请求头 X-Yiwang-Signature: t=<unix 秒>,v1=<HMAC-SHA256(密钥, t + "." + 请求体) 的十六进制>，X-Yiwang-Delivery: <投递标识>。2xx 视为送达，否则按退避重试。',
          body: Type.Object(
            {
              resource: ResourceCode,
              url: Type.String({ minLength: 1, maxLength: 2000, description: '接收推送的地址（公网 https 地址）' }),
            },
            { additionalProperties: false },
          ),
        },
      },
      async (req, reply) => {
        const { caller } = await callerOf(ctx, req, undefined);
        const s = await createSubscription(ctx, caller, { resourceCode: req.body.resource, url: req.body.url });
        return reply
          .code(201)
          .header('cache-control', 'no-store')
          .send({ subscription: SubscriptionJson(s), secret: s.secret });
      },
    );

    app.get('/api/v1/exchange/subscriptions', { config: { access: exchangeRead }, schema: { tags, summary: '本应用的变更订阅' } }, async (req) => {
      const { caller } = await callerOf(ctx, req, undefined);
      return { subscriptions: (await listSubscriptions(ctx.db, caller)).map(SubscriptionJson) };
    });

    app.delete(
      '/api/v1/exchange/subscriptions/:id',
      { config: { access: exchangeRead }, schema: { tags, summary: '取消变更订阅', params: Type.Object({ id: Type.Integer({ minimum: 1, maximum: 2_147_483_647 }) }) } },
      async (req) => {
        const { caller } = await callerOf(ctx, req, undefined);
        return { subscription: SubscriptionJson(await cancelSubscription(ctx.db, caller, req.params.id)) };
      },
    );

    // ---- the provider's view: who uses our data (数据使用情况) ---------------------------------------------
    app.get(
      '/api/v1/staff/data/usage',
      {
        config: { access: { permission: 'data.share.review' } },
        schema: {
          tags,
          summary: '本部门数据资源的使用情况（谁、何时、用途、办件、条数）',
          querystring: Type.Object(
            {
              resource: Type.Optional(Type.String({ maxLength: 64, description: '资源代码' })),
              consumer: Type.Optional(Type.String({ maxLength: 18, description: '使用部门的统一社会信用代码' })),
              page: Type.Integer({ minimum: 1, maximum: 1000, default: 1 }),
              size: Type.Integer({ minimum: 1, maximum: 100, default: 20 }),
            },
            { additionalProperties: false },
          ),
        },
      },
      async (req) => {
        const p = await requirePrincipal(ctx, req);
        const u = await listDataUsage(ctx.db, p, { resourceCode: req.query.resource || undefined, consumer: req.query.consumer || undefined, page: req.query.page, size: req.query.size });
        return {
          total: u.total,
          page: u.page,
          size: u.size,
          entries: u.entries.map((e) => ({ ...e, at: e.at.toISOString() })),
        };
      },
    );
  };
}
