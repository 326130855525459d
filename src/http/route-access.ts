/**
 * Access control for every route, API and pages alike (deny by default):
 * - each route declares `config.access`; a route that declares none makes the server refuse to start;
 * - `public` routes run without looking up a session; every other route needs a live session or a client
 *   token, and the kind or permission it names (record-level scope is checked by the services, with `assertCan`);
 * - every unsafe request (POST, PUT, PATCH, DELETE) must come from this site (Origin / Sec-Fetch-Site), and,
 *   unless the route opts out with `csrf: false`, carry the CSRF token: the session's, when signed in, or the
 *   `yw_csrf` cookie's, before sign-in (double submit). Requests with a bearer token carry no ambient
 *   credentials and skip the token check.
 */
import type { FastifyInstance, FastifyRequest, FastifyReply, FastifySchema } from 'fastify';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { AppContext } from './context.ts';
import type { Permission } from '../modules/access/permissions.ts';
import type { Principal } from '../modules/access/principal.ts';
import type { AuditActor } from '../modules/audit/audit.types.ts';
import { can } from '../modules/access/authorize.ts';
import { loadSessionPrincipal, SESSION_COOKIE } from '../modules/sessions/session-store.ts';
import { AppError, ForbiddenError, UnauthenticatedError } from '../shared/errors.ts';
import { randomToken, safeEqual } from '../shared/tokens.ts';

/** Who may call a route. */
export type Access =
  | 'public' // anyone; no session lookup
  | 'signed-in' // any signed-in person or staff member (not a machine client)
  | 'person' // a signed-in natural person (自然人), possibly acting for someone (代办)
  | 'staff' // a signed-in staff member, any role
  | { permission: Permission }; // staff or a client holding the permission somewhere; the record's scope is checked by the service

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: Access;
    /** false: this unsafe route needs no CSRF token (it changes no account state); the same-site check still applies */
    csrf?: boolean;
  }
  interface FastifyInstance {
    /** Every route with its declared access (tests walk them). */
    /** every route as declared: its access and its validation schema (for the route walks of the tests) */
    declaredRoutes(): { method: string; url: string; access: Access | undefined; schema: FastifySchema | undefined }[];
  }
  interface FastifyRequest {
    /** The principal, once resolved (always on non-public routes). */
    principal: Principal | null;
    principalResolved: boolean;
  }
}

export const CSRF_COOKIE = 'yw_csrf';

/** The session cookie: httpOnly, SameSite=Lax, Secure over HTTPS; a browser-session cookie (the server enforces the timeouts). */
export function setSessionCookie(reply: FastifyReply, token: string): void {
  reply.setCookie(SESSION_COOKIE, token, cookieOptions);
}

export function clearSessionCookie(reply: FastifyReply): void {
  reply.clearCookie(SESSION_COOKIE, { path: '/' });
}
const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const cookieOptions = { path: '/', httpOnly: true, sameSite: 'lax', secure: 'auto' } as const;

/** Resolves (once per request) the principal from the session cookie or the bearer token. */
export async function resolvePrincipal(ctx: AppContext, req: FastifyRequest): Promise<Principal | null> {
  if (req.principalResolved) return req.principal;
  const auth = req.headers.authorization;
  let p: Principal | null = null;
  if (typeof auth === 'string' && auth.startsWith('Bearer ')) {
    p = await ctx.clientPrincipals.load(auth.slice(7).trim());
  } else {
    const token = req.cookies[SESSION_COOKIE];
    if (token) p = await loadSessionPrincipal(ctx.db, token, { idleMinutes: ctx.config.sessionIdleMinutes, absoluteHours: ctx.config.sessionAbsoluteHours });
  }
  req.principal = p;
  req.principalResolved = true;
  return p;
}

/**
 * For a route that reads the bearer token's client together with its own data (one statement): the principal it
 * read, which the access check then uses instead of reading the token again.
 */
export function presetPrincipal(req: FastifyRequest, p: Principal | null): void {
  req.principal = p;
  req.principalResolved = true;
}

/** The request's signed-in principal, or 401. */
export async function requirePrincipal(ctx: AppContext, req: FastifyRequest): Promise<Principal> {
  const p = await resolvePrincipal(ctx, req);
  if (!p) throw new UnauthenticatedError();
  return p;
}

/** The token a form must carry: the session's when signed in, otherwise the visitor's `yw_csrf` cookie (set here if absent). */
export function csrfTokenFor(req: FastifyRequest, reply: FastifyReply): string {
  const p = req.principal;
  if (p && p.kind !== 'client') return p.csrfToken;
  let t = req.cookies[CSRF_COOKIE];
  if (!t || !/^[A-Za-z0-9_-]{43}$/.test(t)) {
    t = randomToken();
    reply.setCookie(CSRF_COOKIE, t, cookieOptions);
    req.cookies[CSRF_COOKIE] = t;
  }
  return t;
}

/** A cross-site request is refused whatever it carries (Fetch Metadata and Origin, where the browser sends them). */
function isCrossSite(req: FastifyRequest): boolean {
  const site = req.headers['sec-fetch-site'];
  if (site === 'cross-site') return true;
  const origin = req.headers.origin;
  if (typeof origin === 'string' && origin !== 'null') {
    try {
      return new URL(origin).host !== req.host;
    } catch {
      return true;
    }
  }
  return origin === 'null';
}

function checkCsrf(req: FastifyRequest): void {
  if (isCrossSite(req)) throw new AppError('CSRF_REJECTED', '请求来源不被信任，请从本站页面重新提交');
  if (req.routeOptions.config.csrf === false) return;
  if (typeof req.headers.authorization === 'string' && req.headers.authorization.startsWith('Bearer ')) return;
  // JSON without a session cookie carries no ambient credential, and another site cannot send JSON here
  // without a CORS preflight this server never grants
  if (!req.principal && !req.cookies[SESSION_COOKIE] && req.headers['content-type']?.startsWith('application/json')) return;
  const body = req.body as Record<string, unknown> | undefined;
  const given = (typeof req.headers['x-csrf-token'] === 'string' ? req.headers['x-csrf-token'] : undefined) ?? (typeof body?._csrf === 'string' ? body._csrf : undefined);
  const p = req.principal;
  const sessionToken = p && p.kind !== 'client' ? p.csrfToken : undefined;
  // a public form (sign-in, registration) may have been rendered without a session lookup: there the
  // visitor's double-submit cookie also counts; a signed-in route accepts only the session's token
  const cookieToken = req.routeOptions.config.access === 'public' || !p ? req.cookies[CSRF_COOKIE] : undefined;
  const ok = given !== undefined && ((sessionToken !== undefined && safeEqual(given, sessionToken)) || (cookieToken !== undefined && safeEqual(given, cookieToken)));
  if (!ok) {
    throw new AppError('CSRF_REJECTED', '页面已过期或请求无效，请刷新页面后重新提交');
  }
}

function allowed(p: Principal, access: Exclude<Access, 'public'>): boolean {
  if (access === 'signed-in') return p.kind !== 'client';
  if (access === 'person') return p.kind === 'person';
  if (access === 'staff') return p.kind === 'staff';
  return can(p, access.permission);
}

/** Builds the audit actor of a request (who, on whose behalf, from where). */
export function auditActor(req: FastifyRequest, p: Principal | null = req.principal): AuditActor {
  const from = { ip: req.ip, userAgent: req.headers['user-agent'] ?? null, requestId: String(req.id) };
  if (!p) return { type: 'anonymous', ...from };
  if (p.kind === 'client') return { type: 'client', id: p.clientId, departmentId: p.departmentId, regionCode: p.regionCode, ...from };
  if (p.kind === 'staff') return { type: 'staff', id: p.accountId, departmentId: p.departmentId, regionCode: p.regionCode, ...from };
  const acting = p.acting;
  return {
    type: acting?.principalType === 'enterprise' ? 'enterprise_agent' : 'citizen',
    id: p.accountId,
    onBehalfOf: acting ? `${acting.principalType}:${acting.principalId}` : null,
    ...from,
  };
}

/** Installs the route check. Call before any route is registered. */
export function registerRouteAccess(app: FastifyInstance, ctx: AppContext): void {
  app.decorateRequest('principal', null);
  app.decorateRequest('principalResolved', false);

  // a plugin's own onRoute hook (publicRoutes) runs after this one: check the declarations once all are in
  const declared: { method: string; url: string; config: () => { access?: Access } | undefined; schema: FastifySchema | undefined }[] = [];
  app.addHook('onRoute', (route) => {
    // assets and the API documentation, registered by plugins
    if (route.url.startsWith('/static/') || route.url.startsWith('/api/docs')) {
      route.config = { access: 'public', ...((route.config ?? {}) as object) };
    }
    declared.push({ method: String(route.method), url: route.url, config: () => route.config as { access?: Access } | undefined, schema: route.schema });
  });
  app.decorate('declaredRoutes', () => declared.map((r) => ({ method: r.method, url: r.url, access: r.config()?.access, schema: r.schema })));
  app.addHook('onReady', async () => {
    const missing = declared.filter((r) => !r.config()?.access).map((r) => `${r.method} ${r.url}`);
    if (missing.length) throw new Error(`以下路由未声明访问权限（config.access）：${missing.join('，')}`);
  });

  app.addHook('preHandler', async (req) => {
    const access = req.routeOptions.config.access;
    if (access === undefined) throw new ForbiddenError(); // not reachable: every route declares one
    const unsafe = UNSAFE.has(req.method);
    if (access === 'public') {
      if (unsafe) {
        await resolvePrincipal(ctx, req);
        checkCsrf(req);
      }
      return;
    }
    const p = await requirePrincipal(ctx, req);
    if (!allowed(p, access)) throw new ForbiddenError();
    if (unsafe) checkCsrf(req);
  });
}

/** Wraps a plugin whose routes all serve public data: they default to `access: 'public'`. */
export function publicRoutes(plugin: FastifyPluginAsyncTypebox): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.addHook('onRoute', (route) => {
      route.config = { access: 'public', ...((route.config ?? {}) as object) };
    });
    await app.register(plugin);
  };
}
