/** Builds the Fastify application: plugins, security headers, error mapping, API and portal routes. */
import Fastify, { type FastifyInstance, type FastifyReply } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import cookie from '@fastify/cookie';
import formbody from '@fastify/formbody';
import fastifyStatic from '@fastify/static';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import type { AppContext } from './context.ts';
import type { TrustProxy } from '../config.ts';
import { registerErrorHandling } from './error-handler.ts';
import { computeSecurityHeaders } from './security-headers.ts';
import { catalogueRoutes } from '../modules/catalogue/catalogue.routes.ts';
import { searchRoutes } from '../modules/search/search.routes.ts';
import { regionRoutes } from '../modules/regions/regions.routes.ts';
import { departmentRoutes } from '../modules/departments/departments.routes.ts';
import { errorPage, portalRoutes } from '../modules/portal/portal.routes.ts';
import { identityRoutes } from '../modules/identity/identity.routes.ts';
import { oidcRoutes } from '../modules/identity/oidc.routes.ts';
import { delegationRoutes } from '../modules/delegation/delegation.routes.ts';
import { staffRoutes } from '../modules/staff/staff.routes.ts';
import { clientRoutes } from '../modules/clients/clients.routes.ts';
import { accountPageRoutes } from '../modules/portal/account.routes.ts';
import { publicRoutes, registerRouteAccess } from './route-access.ts';
import { calendarRoutes } from '../modules/calendar/calendar.routes.ts';
import { formRoutes } from '../modules/forms/forms.routes.ts';
import { attachmentRoutes } from '../modules/attachments/attachments.routes.ts';
import { resultRoutes } from '../modules/results/results.routes.ts';
import { evaluationRoutes } from '../modules/evaluations/evaluations.routes.ts';
import { applicationRoutes } from '../modules/applications/applications.routes.ts';
import { applicationPageRoutes } from '../modules/applications/application-pages.routes.ts';
import { staffApplicationPageRoutes } from '../modules/applications/staff-inbox-pages.routes.ts';
import { appointmentRoutes } from '../modules/appointments/appointments.routes.ts';
import { appointmentPageRoutes } from '../modules/appointments/appointment-pages.routes.ts';
import { staffAppointmentPageRoutes } from '../modules/appointments/staff-appointment-pages.routes.ts';
import { resultSetStaffRoutes } from '../modules/result-sets/result-sets-staff.routes.ts';
import { resultSetStaffPageRoutes } from '../modules/result-sets/result-sets-staff-pages.routes.ts';
import { resultQueryRoutes } from '../modules/result-sets/result-query.routes.ts';
import { resultQueryPageRoutes } from '../modules/result-sets/result-query-pages.routes.ts';
import { dataCatalogueRoutes } from '../modules/data-catalogue/data-catalogue.routes.ts';
import { dataCataloguePageRoutes } from '../modules/data-catalogue/data-catalogue-pages.routes.ts';
import { dataLoadRoutes } from '../modules/data-catalogue/data-loads.routes.ts';
import { dataSharingRoutes } from '../modules/data-sharing/data-sharing.routes.ts';
import { dataSharingPageRoutes } from '../modules/data-sharing/data-sharing-pages.routes.ts';
import { exchangeRoutes } from '../modules/exchange/exchange.routes.ts';
import { exchangePageRoutes } from '../modules/exchange/exchange-pages.routes.ts';
import { onceOnlyRoutes } from '../modules/once-only/once-only.routes.ts';
import { threeListsRoutes } from '../modules/three-lists/three-lists.routes.ts';
import { transparencyRoutes } from '../modules/transparency/transparency.routes.ts';
import { InvalidParameterError } from '../shared/errors.ts';
import { checkStorableInput, nulInUrl, UNSTORABLE_INPUT_MESSAGE } from './unstorable-input.ts';

const PUBLIC_DIR = fileURLToPath(new URL('../../public/', import.meta.url));

/**
 * TRUST_PROXY as Fastify takes it. Never `true` (every hop trusted: the client's own leftmost X-Forwarded-For
 * entry would become req.ip). A hop count becomes a function, because Fastify trusts nothing for a bare number:
 * the socket's peer and the next hops-1 entries from the right are proxies, the entry before them is the client.
 */
export function fastifyTrustProxy(tp: TrustProxy): false | string[] | ((address: string, hop: number) => boolean) {
  if (tp === false || tp === 0) return false;
  if (typeof tp === 'number') return (_address, hop) => hop < tp;
  return [...tp];
}

export async function buildApp(ctx: AppContext, opts: { logger?: boolean } = {}): Promise<FastifyInstance> {
  const trustProxy = fastifyTrustProxy(ctx.config.trustProxy);
  const securityHeaders = computeSecurityHeaders({ hsts: trustProxy !== false });
  const app = Fastify({
    logger: opts.logger === false ? false : { level: ctx.config.logLevel },
    trustProxy,
    genReqId: (req) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && /^[\w.-]{8,64}$/.test(given) ? given : randomUUID();
    },
    requestIdHeader: false,
    bodyLimit: 1024 * 1024,
    routerOptions: { maxParamLength: 200 },
    // errors the router raises before any route or hook runs (a malformed URL, an over-long parameter)
    frameworkErrors: (error, req, res) => {
      const tooLong = error.code === 'FST_ERR_MAX_PARAM_LENGTH';
      const reply = res as unknown as FastifyReply;
      reply
        .code(tooLong ? 414 : 400)
        .headers(securityHeaders)
        .send({ error: { code: 'INVALID_PARAMETER', message: tooLong ? '请求地址过长' : '请求地址格式不正确', field: 'url', requestId: String(req.id) } });
    },
    ajv: { customOptions: { coerceTypes: true, removeAdditional: false, useDefaults: true, allErrors: false } },
  }).withTypeProvider<TypeBoxTypeProvider>();

  // One synchronous hook: the request id and the security headers (computed once by helmet).
  app.addHook('onRequest', (req, reply, done) => {
    reply.headers(securityHeaders);
    reply.header('x-request-id', req.id);
    // NUL cannot be stored or compared by PostgreSQL: refused for every route, naming the field
    const nul = nulInUrl(req.url);
    done(nul === undefined ? undefined : new InvalidParameterError(nul, UNSTORABLE_INPUT_MESSAGE));
  });
  // after parsing and coercion: NUL or a lone surrogate in a body (values and names), a number that is not finite anywhere
  app.addHook('preHandler', (req, _reply, done) => {
    try {
      checkStorableInput(req);
      done();
    } catch (err) {
      done(err as Error);
    }
  });

  // deny by default: every route declares who may call it; installed before any route exists
  registerRouteAccess(app, ctx);

  await app.register(cookie);
  await app.register(formbody, { bodyLimit: 64 * 1024 });
  await app.register(fastifyStatic, { root: PUBLIC_DIR, prefix: '/static/', maxAge: '1h', decorateReply: false });
  await app.register(swagger, {
    openapi: {
      info: {
        title: '一网 Yiwang API',
        version: '1.0.0',
        description: '政务服务事项目录、检索和办事指南的开放接口。错误统一返回 {"error": {"code", "message", "field"}}，message 为中文。',
      },
      tags: [
        { name: 'catalogue', description: '事项与办事指南' },
        { name: 'regions', description: '行政区划' },
        { name: 'departments', description: '部门' },
        { name: 'system', description: '运行状态' },
        { name: 'identity', description: '注册、登录与会话' },
        { name: 'delegation', description: '代办授权、法人与个人档案' },
        { name: 'admin', description: '管理：工作人员、审计检索、事项草稿' },
        { name: 'clients', description: '接入应用与访问令牌（OAuth 2.0 客户端凭证）' },
        { name: 'applications', description: '网上申请与办件：草稿、提交、办理、进度查询、站内消息' },
        { name: 'attachments', description: '申请材料附件' },
        { name: 'results', description: '办理结果与核验' },
        { name: 'evaluations', description: '好差评与差评整改' },
        { name: 'calendar', description: '工作日历（法定节假日与调休）' },
        { name: 'appointments', description: '预约：婚姻登记、医院挂号、政务窗口、景区分时预约' },
        { name: 'result-queries', description: '结果查询（高考成绩等，免登录）' },
        { name: 'data', description: '政务数据资源目录、数据装载与共享申请' },
        { name: 'lists', description: '三张清单：权力清单（含责任清单）、企业投资项目负面清单、专项资金管理清单' },
        { name: 'exchange', description: '共享交换接口（接入应用按授权读取数据）与变更订阅' },
      ],
    },
  });
  await app.register(swaggerUi, { routePrefix: '/api/docs', staticCSP: true, uiConfig: { docExpansion: 'list' } });

  registerErrorHandling(app, errorPage(ctx));

  app.get('/healthz', { config: { access: 'public' }, schema: { tags: ['system'], summary: '健康检查' } }, async () => {
    await sql`SELECT 1`.execute(ctx.db);
    return {
      status: 'ok',
      database: ctx.dbKind,
      catalogueRevision: ctx.catalogue.currentRevision,
      publishedItems: ctx.catalogue.current.size,
    };
  });
  app.get('/api/openapi.json', { config: { access: 'public' }, schema: { hide: true } }, async () => app.swagger());

  // the public catalogue: search, guides, regions, departments and the portal's public pages
  await app.register(publicRoutes(searchRoutes(ctx)));
  await app.register(publicRoutes(catalogueRoutes(ctx)));
  await app.register(publicRoutes(regionRoutes(ctx)));
  await app.register(publicRoutes(departmentRoutes(ctx)));
  await app.register(publicRoutes(portalRoutes(ctx)));
  // each route below declares its own access
  await app.register(identityRoutes(ctx));
  await app.register(oidcRoutes(ctx));
  await app.register(delegationRoutes(ctx));
  await app.register(staffRoutes(ctx));
  await app.register(clientRoutes(ctx));
  await app.register(accountPageRoutes(ctx));
  // applications (办件) and what serves them
  await app.register(calendarRoutes(ctx));
  await app.register(formRoutes(ctx));
  await app.register(attachmentRoutes(ctx));
  await app.register(resultRoutes(ctx));
  await app.register(evaluationRoutes(ctx));
  await app.register(applicationRoutes(ctx));
  await app.register(applicationPageRoutes(ctx));
  await app.register(staffApplicationPageRoutes(ctx));
  // convenience services (便民服务): appointments and result queries
  await app.register(appointmentRoutes(ctx));
  await app.register(appointmentPageRoutes(ctx));
  await app.register(staffAppointmentPageRoutes(ctx));
  await app.register(resultSetStaffRoutes(ctx));
  await app.register(resultSetStaffPageRoutes(ctx));
  await app.register(resultQueryRoutes(ctx));
  await app.register(resultQueryPageRoutes(ctx));
  // data sharing and exchange (数据共享交换): catalogue and loads, requests and grants, the exchange API, 免提交
  await app.register(dataCatalogueRoutes(ctx));
  await app.register(dataCataloguePageRoutes(ctx));
  await app.register(dataLoadRoutes(ctx));
  await app.register(dataSharingRoutes(ctx));
  await app.register(dataSharingPageRoutes(ctx));
  await app.register(exchangeRoutes(ctx));
  await app.register(exchangePageRoutes(ctx));
  await app.register(onceOnlyRoutes(ctx));
  // the three lists (三张清单): editing and publication by departments, the public pages and exports
  await app.register(threeListsRoutes(ctx));
  await app.register(transparencyRoutes(ctx));
  return app;
}
