/**
 * Sign-in through the province's identity provider (统一身份认证, OpenID Connect, authorization code + PKCE):
 *   GET  /auth/oidc/start     → the provider (state, nonce and PKCE verifier kept in the database)
 *   GET  /auth/oidc/callback  ← the provider; signs in the linked account, or goes on to the first-sign-in page
 *   GET  /auth/oidc/link      首次登录: link an existing account, or create one from the verified identity
 *   POST /auth/oidc/link      link with the existing account's password (throttled like a sign-in)
 *   POST /auth/oidc/register  create a person account from the verified name and ID number
 * All answer 404 when OIDC_ISSUER is not configured.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { OidcConfig } from '../../config.ts';
import { identityDeps, type AppContext } from '../../http/context.ts';
import { resolvePrincipal, setSessionCookie } from '../../http/route-access.ts';
import { AppError, InvalidParameterError, NotFoundError } from '../../shared/errors.ts';
import { csrfInput, handleFormPost, type FormErrors } from '../portal/forms.ts';
import { readPreferences, safeBack } from '../portal/preferences.ts';
import { requestFacts } from './identity.routes.ts';
import type { StartedSession } from './identity.types.ts';
import { OidcUnavailableError } from './oidc/oidc-client.ts';
import { LINK_TTL_SECONDS, peekPending, STATE_TTL_SECONDS, type PendingLink } from './oidc/oidc-pending.ts';
import { OidcLinkExpiredError } from './oidc/oidc.errors.ts';
import { LINK_PATH, REGISTER_PATH, renderLinkPage, renderOidcProblemPage } from './oidc/oidc.pages.ts';
import { startOidcSignIn } from './oidc/start-oidc-sign-in.ts';
import { finishOidcSignIn } from './oidc/finish-oidc-sign-in.ts';
import { linkOidcAccount } from './oidc/link-oidc-account.ts';
import { registerOidcPerson } from './oidc/register-oidc-person.ts';

const HTML = 'text/html; charset=utf-8';
/** The state this browser started with (binds the callback to it). */
export const OIDC_STATE_COOKIE = 'yw_oidc_state';
/** The key of the verified identity waiting for a link (首次登录). */
export const OIDC_LINK_COOKIE = 'yw_oidc_link';
const COOKIE = { path: '/auth/oidc', httpOnly: true, sameSite: 'lax', secure: 'auto' } as const;

export const oidcRoutes =
  (ctx: AppContext): FastifyPluginAsyncTypebox =>
  async (app) => {
    const deps = identityDeps(ctx);
    const schema = { hide: true } as const;

    /** The configuration, read per request; without one the routes do not exist. */
    const enabled = (): OidcConfig => {
      if (!ctx.config.oidc) throw new NotFoundError('本站未启用统一身份认证登录，请使用账号密码登录');
      return ctx.config.oidc;
    };

    const problem = (req: FastifyRequest, reply: FastifyReply, oidc: OidcConfig, status: number, message: string) =>
      reply
        .code(status)
        .type(HTML)
        .header('cache-control', 'no-store')
        .send(renderOidcProblemPage(ctx, readPreferences(ctx, req, reply), { displayName: oidc.displayName, status, message }));

    /** A sign-in that cannot finish gets a page that says why and how to go on (never a 500 for the provider's faults). */
    const orProblem = async (req: FastifyRequest, reply: FastifyReply, oidc: OidcConfig, step: () => Promise<FastifyReply>) => {
      try {
        return await step();
      } catch (err) {
        if (err instanceof OidcUnavailableError) {
          req.log.warn({ err }, 'OpenID Connect provider unavailable');
          return problem(req, reply, oidc, 502, `${oidc.displayName}暂时无法访问，请稍后再试，或使用账号密码登录`);
        }
        if (err instanceof AppError && err.status < 500) {
          if (err.cause) req.log.info({ err: err.cause }, 'OpenID Connect sign-in refused');
          return problem(req, reply, oidc, err.status, err.message);
        }
        throw err;
      }
    };

    const signedIn = (reply: FastifyReply, r: { session: StartedSession; back: string }) => {
      setSessionCookie(reply, r.session.token);
      reply.clearCookie(OIDC_LINK_COOKIE, { path: COOKIE.path });
      return reply.redirect(r.back, 303);
    };

    app.get(
      '/auth/oidc/start',
      { config: { access: 'public' }, schema: { ...schema, querystring: Type.Object({ back: Type.Optional(Type.String({ maxLength: 2000 })) }) } },
      async (req, reply) => {
        const oidc = enabled();
        return orProblem(req, reply, oidc, async () => {
          const { url, state } = await startOidcSignIn(ctx.db, oidc, req.query.back ? safeBack(req.query.back) : '/me');
          reply.setCookie(OIDC_STATE_COOKIE, state, { ...COOKIE, maxAge: STATE_TTL_SECONDS });
          return reply.header('cache-control', 'no-store').redirect(url, 302);
        });
      },
    );

    app.get('/auth/oidc/callback', { config: { access: 'public' }, schema }, async (req, reply) => {
      const oidc = enabled();
      return orProblem(req, reply, oidc, async () => {
        const q = req.url.indexOf('?');
        const stateCookie = req.cookies[OIDC_STATE_COOKIE];
        reply.clearCookie(OIDC_STATE_COOKIE, { path: COOKIE.path });
        const r = await finishOidcSignIn(deps, oidc, { query: q < 0 ? '' : req.url.slice(q + 1), stateCookie }, requestFacts(req));
        if (r.kind === 'signed-in') return signedIn(reply, r);
        reply.setCookie(OIDC_LINK_COOKIE, r.linkToken, { ...COOKIE, maxAge: LINK_TTL_SECONDS });
        return reply.redirect(LINK_PATH, 303);
      });
    });

    /** The identity waiting for this browser's first-sign-in choice, or the page that says it expired. */
    const waiting = async (req: FastifyRequest, reply: FastifyReply, oidc: OidcConfig): Promise<PendingLink | undefined> => {
      const token = req.cookies[OIDC_LINK_COOKIE];
      const identity = token ? await peekPending<PendingLink>(ctx.db, 'oidc_link', token) : undefined;
      if (!identity) await problem(req, reply, oidc, 400, new OidcLinkExpiredError(oidc.displayName).message);
      return identity;
    };

    const page = (req: FastifyRequest, reply: FastifyReply, oidc: OidcConfig, identity: PendingLink, errors?: FormErrors, identifier?: string) =>
      renderLinkPage(ctx, readPreferences(ctx, req, reply), { displayName: oidc.displayName, identity, csrf: csrfInput(req, reply), errors, identifier });

    app.get(LINK_PATH, { config: { access: 'public' }, schema }, async (req, reply) => {
      const oidc = enabled();
      const identity = await waiting(req, reply, oidc);
      if (!identity) return reply;
      await resolvePrincipal(ctx, req); // a signed-in visitor's form carries their session's CSRF token
      return reply.type(HTML).header('cache-control', 'no-store').send(page(req, reply, oidc, identity));
    });

    app.post(
      LINK_PATH,
      {
        config: { access: 'public' },
        schema: {
          ...schema,
          body: Type.Object({ identifier: Type.Optional(Type.String({ maxLength: 64 })), password: Type.Optional(Type.String({ maxLength: 200 })) }),
        },
      },
      async (req, reply) => {
        const oidc = enabled();
        const identity = await waiting(req, reply, oidc);
        if (!identity) return reply;
        const identifier = req.body.identifier?.trim() ?? '';
        const password = req.body.password ?? '';
        let done: { session: StartedSession; back: string } | undefined;
        const failed = await handleFormPost(
          reply,
          async () => {
            if (!identifier) throw new InvalidParameterError('identifier', '请输入手机号码或身份证号码');
            if (!password) throw new InvalidParameterError('password', '请输入密码');
            done = await linkOidcAccount(deps, oidc, { linkToken: req.cookies[OIDC_LINK_COOKIE]!, identifier, password }, requestFacts(req));
          },
          (errors) => page(req, reply, oidc, identity, errors, identifier),
        );
        return failed ?? signedIn(reply, done!);
      },
    );

    app.post(REGISTER_PATH, { config: { access: 'public' }, schema }, async (req, reply) => {
      const oidc = enabled();
      const identity = await waiting(req, reply, oidc);
      if (!identity) return reply;
      let done: { session: StartedSession; back: string } | undefined;
      const failed = await handleFormPost(
        reply,
        async () => {
          done = await registerOidcPerson(deps, oidc, { linkToken: req.cookies[OIDC_LINK_COOKIE]! }, requestFacts(req));
        },
        (errors) => page(req, reply, oidc, identity, errors),
      );
      return failed ?? signedIn(reply, done!);
    });
  };
