/**
 * The citizen-facing account pages: 登录、退出、注册、找回密码、个人中心、修改密码、我的会话、访问记录, and the
 * development inbox. Every page works without JavaScript; every form carries the CSRF field and redirects
 * (303) when it succeeds; a failed form comes back with the error beside its field. The routes validate and
 * delegate to the identity, session and audit operations.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { identityDeps, type AppContext } from '../../http/context.ts';
import { CsrfField, Uuid } from '../../http/schemas.ts';
import { auditActor, clearSessionCookie, resolvePrincipal, setSessionCookie } from '../../http/route-access.ts';
import { InvalidParameterError, NotFoundError, RateLimitedError } from '../../shared/errors.ts';
import { requestFacts } from '../identity/identity.routes.ts';
import { signIn } from '../identity/sign-in.ts';
import { signOut } from '../identity/sign-out.ts';
import { sendRegistrationCode } from '../identity/send-registration-code.ts';
import { registerPerson } from '../identity/register-person.ts';
import { sendResetCode } from '../identity/send-reset-code.ts';
import { resetPassword } from '../identity/reset-password.ts';
import { changePassword } from '../identity/change-password.ts';
import { getProfile } from '../identity/get-profile.ts';
import { maskMobile } from '../identity/identity.validation.ts';
import type { StartedSession } from '../identity/identity.types.ts';
import { listSessions, SESSION_COOKIE } from '../sessions/session-store.ts';
import { revokeSession } from '../sessions/revoke-session.ts';
import { listOwnAccessLog } from '../audit/list-own-access-log.ts';
import { csrfInput, handleFormPost, type FormErrors } from './forms.ts';
import { readPreferences } from './preferences.ts';
import {
  flowMobile,
  forgetFlowMobile,
  landingPath,
  pageAccount,
  REGISTER_FLOW,
  rememberFlowMobile,
  RESET_FLOW,
  returnPath,
  sendPage,
  sessionPrincipal,
  type FlowCookie,
} from './account/account-kit.ts';
import { renderLogin, type LoginKind } from './account/login.page.ts';
import { renderLogout } from './account/logout.page.ts';
import { renderRegisterDetails, renderRegisterMobile } from './account/register.page.ts';
import { renderResetMobile, renderResetPassword } from './account/password-reset.page.ts';
import { renderProfile } from './account/profile.page.ts';
import { renderChangePassword } from './account/change-password.page.ts';
import { renderSessions } from './account/sessions.page.ts';
import { renderAccessLog } from './account/access-log.page.ts';
import { renderDevInbox } from './account/dev-inbox.page.ts';
import { listInboxMessages } from './account/list-inbox-messages.ts';

const hide = true; // pages, not API operations: kept out of the OpenAPI document
const text = (maxLength: number) => Type.Optional(Type.String({ maxLength }));
const Back = text(2000);
const Flag = text(10);

const LoginBody = Type.Object({ _csrf: CsrfField, kind: text(10), identifier: text(200), password: text(200), back: Back });
const MobileBody = Type.Object({ _csrf: CsrfField, mobile: text(50), resend: Flag });
const RegisterBody = Type.Object({
  _csrf: CsrfField,
  mobile: text(50),
  code: text(50),
  name: text(200),
  idNumber: text(50),
  password: text(200),
  passwordConfirm: text(200),
});
const ResetBody = Type.Object({ _csrf: CsrfField, mobile: text(50), code: text(50), password: text(200), passwordConfirm: text(200) });
const ChangePasswordBody = Type.Object({ _csrf: CsrfField, currentPassword: text(200), newPassword: text(200), newPasswordConfirm: text(200) });

/** A required field of a form, or its error. */
function required(value: string | undefined, field: string, message: string): string {
  if (!value || !value.trim()) throw new InvalidParameterError(field, message);
  return value;
}

/** The second entry of a new password must match the first (checked here: the operations take one password). */
function confirmed(password: string, confirmation: string | undefined, field: string): void {
  if (password !== (confirmation ?? '')) throw new InvalidParameterError(field, '两次输入的密码不一致');
}

/** A lockout or a send limit keeps its Retry-After on the form page too. */
async function withRetryAfter(reply: FastifyReply, action: () => Promise<void>): Promise<void> {
  try {
    await action();
  } catch (err) {
    if (err instanceof RateLimitedError && err.retryAfterSeconds) reply.header('retry-after', String(err.retryAfterSeconds));
    throw err;
  }
}

export const accountPageRoutes =
  (ctx: AppContext): FastifyPluginAsyncTypebox =>
  async (app) => {
    const deps = identityDeps(ctx);

    /** A browser that signs in (or registers) while it still has a session ends that one: one browser, one session. */
    const endEarlierSession = async (req: FastifyRequest, previous: typeof req.principal) => {
      const token = req.cookies[SESSION_COOKIE];
      if (previous && previous.kind !== 'client' && token) {
        await signOut(ctx.db, { token, sessionId: previous.sessionId }, auditActor(req, previous));
      }
    };

    // ---- 登录 ------------------------------------------------------------------------------------------
    app.get(
      '/login',
      { config: { access: 'public' }, schema: { hide, querystring: Type.Object({ kind: text(10), back: Back, reset: Flag }) } },
      async (req, reply) => {
        const back = returnPath(req.query.back);
        const signedIn = await resolvePrincipal(ctx, req);
        if (signedIn && signedIn.kind !== 'client') return reply.code(303).redirect(landingPath(signedIn.kind, back));
        const kind: LoginKind = req.query.kind === 'staff' ? 'staff' : 'person';
        return sendPage(
          reply,
          renderLogin(ctx, {
            prefs: readPreferences(ctx, req, reply),
            path: req.url,
            csrf: csrfInput(req, reply),
            kind,
            back,
            notice: req.query.reset === '1' ? '密码已重新设置，请使用新密码登录。' : undefined,
          }),
        );
      },
    );

    app.post('/login', { config: { access: 'public' }, schema: { hide, body: LoginBody } }, async (req, reply) => {
      const b = req.body;
      const kind: LoginKind = b.kind === 'staff' ? 'staff' : 'person';
      const back = returnPath(b.back);
      const previous = req.principal; // a session this browser already had (public posts resolve it)
      let started: StartedSession | undefined;
      reply.header('cache-control', 'no-store');
      const failed = await handleFormPost(
        reply,
        () =>
          withRetryAfter(reply, async () => {
            const identifier = required(b.identifier, 'identifier', kind === 'staff' ? '请输入工号' : '请输入手机号码或身份证号码');
            const password = required(b.password, 'password', '请输入密码');
            started = await signIn(deps, { kind, identifier, password }, requestFacts(req));
          }),
        (errors) =>
          renderLogin(ctx, { prefs: readPreferences(ctx, req, reply), path: '/login', csrf: csrfInput(req, reply), kind, back, identifier: b.identifier, errors }),
      );
      if (failed) return failed;
      await endEarlierSession(req, previous);
      setSessionCookie(reply, started!.token);
      return reply.code(303).redirect(landingPath(started!.kind, back));
    });

    // ---- 退出登录 --------------------------------------------------------------------------------------
    app.get('/logout', { config: { access: 'signed-in' }, schema: { hide } }, async (req, reply) => {
      const p = await sessionPrincipal(ctx, req);
      return sendPage(reply, renderLogout(ctx, { prefs: readPreferences(ctx, req, reply), path: req.url, account: pageAccount(p), csrf: csrfInput(req, reply) }));
    });

    app.post('/logout', { config: { access: 'signed-in' }, schema: { hide, body: Type.Optional(Type.Object({ _csrf: CsrfField })) } }, async (req, reply) => {
      const p = await sessionPrincipal(ctx, req);
      await signOut(ctx.db, { token: req.cookies[SESSION_COOKIE]!, sessionId: p.sessionId }, auditActor(req));
      clearSessionCookie(reply);
      return reply.code(303).redirect('/');
    });

    /**
     * The first part of a two-step flow (registration, password reset): step 1's page at the flow's path; the
     * post to `{path}/code` that sends a code and remembers the mobile for step 2, or shows the errors where they
     * belong; step 2's page, which needs that mobile. Step 2's own post is the flow's.
     */
    const codeFlowRoutes = (f: {
      flow: FlowCookie;
      step2Path: string;
      send: (mobile: string, req: FastifyRequest) => Promise<void>;
      step1: (req: FastifyRequest, reply: FastifyReply, mobile: string | undefined, errors?: FormErrors) => string;
      step2: (req: FastifyRequest, reply: FastifyReply, v: { mobile: string; errors?: FormErrors; notice?: string }) => string;
      /** Step 2's notice that a code was sent to `mobile`. */
      sentNotice: (mobile: string) => string;
      /** Where a signed-in visitor goes instead of step 1 (absent: they may use the flow). */
      signedInTo?: string;
    }) => {
      app.get(f.flow.path, { config: { access: 'public' }, schema: { hide } }, async (req, reply) => {
        const signedIn = await resolvePrincipal(ctx, req); // a signed-in visitor's form carries their session's token
        if (f.signedInTo && signedIn && signedIn.kind !== 'client') return reply.code(303).redirect(f.signedInTo);
        return sendPage(reply, f.step1(req, reply, flowMobile(req, f.flow)));
      });

      app.post(`${f.flow.path}/code`, { config: { access: 'public' }, schema: { hide, body: MobileBody } }, async (req, reply) => {
        const mobile = (req.body.mobile ?? '').trim();
        reply.header('cache-control', 'no-store');
        const failed = await handleFormPost(
          reply,
          () => withRetryAfter(reply, () => f.send(required(mobile, 'mobile', '请输入手机号码'), req)),
          (errors) =>
            req.body.resend === '1' && /^1[3-9]\d{9}$/.test(mobile) && !errors.mobile
              ? f.step2(req, reply, { mobile, errors })
              : f.step1(req, reply, mobile, errors),
        );
        if (failed) return failed;
        rememberFlowMobile(reply, f.flow, mobile);
        return reply.code(303).redirect(f.step2Path);
      });

      app.get(f.step2Path, { config: { access: 'public' }, schema: { hide } }, async (req, reply) => {
        const mobile = flowMobile(req, f.flow);
        if (!mobile) return reply.code(303).redirect(f.flow.path);
        await resolvePrincipal(ctx, req);
        return sendPage(reply, f.step2(req, reply, { mobile, notice: f.sentNotice(mobile) }));
      });
    };

    // ---- 注册 ------------------------------------------------------------------------------------------
    const registerStep1 = (req: FastifyRequest, reply: FastifyReply, mobile: string | undefined, errors?: FormErrors) =>
      renderRegisterMobile(ctx, { prefs: readPreferences(ctx, req, reply), path: '/register', csrf: csrfInput(req, reply), mobile, errors });
    const registerStep2 = (
      req: FastifyRequest,
      reply: FastifyReply,
      v: { mobile: string; errors?: FormErrors; name?: string; idNumber?: string; code?: string; notice?: string },
    ) => renderRegisterDetails(ctx, { prefs: readPreferences(ctx, req, reply), path: '/register/details', csrf: csrfInput(req, reply), ...v });

    codeFlowRoutes({
      flow: REGISTER_FLOW,
      step2Path: '/register/details',
      send: (mobile, req) => sendRegistrationCode(deps, { mobile }, requestFacts(req)),
      step1: registerStep1,
      step2: registerStep2,
      sentNotice: (mobile) => `如该号码可以接收短信，验证码已发送至 ${maskMobile(mobile)}，5 分钟内有效。`,
      signedInTo: '/me',
    });

    app.post('/register', { config: { access: 'public' }, schema: { hide, body: RegisterBody } }, async (req, reply) => {
      const b = req.body;
      const mobile = (b.mobile ?? '').trim();
      const previous = req.principal;
      let started: StartedSession | undefined;
      reply.header('cache-control', 'no-store');
      const failed = await handleFormPost(
        reply,
        async () => {
          const code = required(b.code, 'code', '请输入短信验证码');
          const name = required(b.name, 'name', '请输入姓名');
          const idNumber = required(b.idNumber, 'idNumber', '请输入居民身份证号码');
          const password = required(b.password, 'password', '请设置密码');
          confirmed(password, b.passwordConfirm, 'passwordConfirm');
          started = await registerPerson(deps, { mobile, code, name, idNumber, password }, requestFacts(req));
        },
        (errors) =>
          /^1[3-9]\d{9}$/.test(mobile)
            ? registerStep2(req, reply, { mobile, errors, name: b.name, idNumber: b.idNumber, code: b.code })
            : registerStep1(req, reply, mobile, errors),
      );
      if (failed) return failed;
      forgetFlowMobile(reply, REGISTER_FLOW);
      await endEarlierSession(req, previous);
      setSessionCookie(reply, started!.token);
      return reply.code(303).redirect('/me?welcome=1');
    });

    // ---- 找回密码 --------------------------------------------------------------------------------------
    const resetStep1 = (req: FastifyRequest, reply: FastifyReply, mobile: string | undefined, errors?: FormErrors) =>
      renderResetMobile(ctx, { prefs: readPreferences(ctx, req, reply), path: '/password/reset', csrf: csrfInput(req, reply), mobile, errors });
    const resetStep2 = (req: FastifyRequest, reply: FastifyReply, v: { mobile: string; errors?: FormErrors; code?: string; notice?: string }) =>
      renderResetPassword(ctx, { prefs: readPreferences(ctx, req, reply), path: '/password/reset/new', csrf: csrfInput(req, reply), ...v });

    codeFlowRoutes({
      flow: RESET_FLOW,
      step2Path: '/password/reset/new',
      send: (mobile, req) => sendResetCode(deps, { mobile }, requestFacts(req)),
      step1: resetStep1,
      step2: resetStep2,
      sentNotice: (mobile) => `如该号码已注册，验证码已发送至 ${maskMobile(mobile)}，5 分钟内有效。`,
    });

    app.post('/password/reset', { config: { access: 'public' }, schema: { hide, body: ResetBody } }, async (req, reply) => {
      const b = req.body;
      const mobile = (b.mobile ?? '').trim();
      reply.header('cache-control', 'no-store');
      const failed = await handleFormPost(
        reply,
        async () => {
          const code = required(b.code, 'code', '请输入短信验证码');
          const password = required(b.password, 'password', '请设置新密码');
          confirmed(password, b.passwordConfirm, 'passwordConfirm');
          await resetPassword(deps, { mobile, code, password }, requestFacts(req));
        },
        (errors) => (/^1[3-9]\d{9}$/.test(mobile) ? resetStep2(req, reply, { mobile, errors, code: b.code }) : resetStep1(req, reply, mobile, errors)),
      );
      if (failed) return failed;
      forgetFlowMobile(reply, RESET_FLOW);
      if (req.principal) clearSessionCookie(reply); // every session of the account has ended, perhaps this one too
      return reply.code(303).redirect('/login?reset=1');
    });

    // ---- 个人中心 --------------------------------------------------------------------------------------
    app.get(
      '/me',
      { config: { access: 'signed-in' }, schema: { hide, querystring: Type.Object({ welcome: Flag, password: Flag }) } },
      async (req, reply) => {
        const p = await sessionPrincipal(ctx, req);
        const profile = await getProfile(ctx.db, p);
        const notice =
          req.query.welcome === '1' ? '注册成功，已为您登录。' : req.query.password === '1' ? '密码已修改。您在其他设备上的登录已退出。' : undefined;
        return sendPage(reply, renderProfile(ctx, { prefs: readPreferences(ctx, req, reply), path: req.url, account: pageAccount(p), profile, notice }));
      },
    );

    const changePasswordPage = (req: FastifyRequest, reply: FastifyReply, p: Parameters<typeof pageAccount>[0], hasPassword: boolean, errors?: FormErrors) =>
      renderChangePassword(ctx, { prefs: readPreferences(ctx, req, reply), path: '/me/password', account: pageAccount(p), csrf: csrfInput(req, reply), hasPassword, errors });

    app.get('/me/password', { config: { access: 'signed-in' }, schema: { hide } }, async (req, reply) => {
      const p = await sessionPrincipal(ctx, req);
      const { hasPassword } = await getProfile(ctx.db, p);
      return sendPage(reply, changePasswordPage(req, reply, p, hasPassword));
    });

    app.post('/me/password', { config: { access: 'signed-in' }, schema: { hide, body: ChangePasswordBody } }, async (req, reply) => {
      const p = await sessionPrincipal(ctx, req);
      const { hasPassword } = await getProfile(ctx.db, p);
      const b = req.body;
      reply.header('cache-control', 'no-store');
      const failed = await handleFormPost(
        reply,
        async () => {
          const currentPassword = hasPassword ? required(b.currentPassword, 'currentPassword', '请输入当前密码') : '';
          const newPassword = required(b.newPassword, 'newPassword', '请输入新密码');
          confirmed(newPassword, b.newPasswordConfirm, 'newPasswordConfirm');
          await changePassword(deps, { accountId: p.accountId, sessionId: p.sessionId, currentPassword, newPassword }, auditActor(req));
        },
        (errors) => changePasswordPage(req, reply, p, hasPassword, errors),
      );
      if (failed) return failed;
      return reply.code(303).redirect('/me?password=1');
    });

    // ---- 我的会话 --------------------------------------------------------------------------------------
    app.get(
      '/me/sessions',
      { config: { access: 'signed-in' }, schema: { hide, querystring: Type.Object({ revoked: Flag }) } },
      async (req, reply) => {
        const p = await sessionPrincipal(ctx, req);
        const sessions = await listSessions(ctx.db, p.accountId, p.sessionId);
        return sendPage(
          reply,
          renderSessions(ctx, {
            prefs: readPreferences(ctx, req, reply),
            path: req.url,
            account: pageAccount(p),
            csrf: csrfInput(req, reply),
            sessions,
            notice: req.query.revoked === '1' ? '已注销该会话，那台设备需要重新登录。' : undefined,
          }),
        );
      },
    );

    app.post(
      '/me/sessions/:id/revoke',
      { config: { access: 'signed-in' }, schema: { hide, params: Type.Object({ id: Uuid }), body: Type.Optional(Type.Object({ _csrf: CsrfField })) } },
      async (req, reply) => {
        const p = await sessionPrincipal(ctx, req);
        const sessions = await listSessions(ctx.db, p.accountId, p.sessionId); // for the page, should the revoke fail
        reply.header('cache-control', 'no-store');
        const failed = await handleFormPost(
          reply,
          () => revokeSession(ctx.db, { accountId: p.accountId, sessionId: req.params.id }, auditActor(req)),
          (errors) =>
            renderSessions(ctx, { prefs: readPreferences(ctx, req, reply), path: '/me/sessions', account: pageAccount(p), csrf: csrfInput(req, reply), sessions, errors }),
        );
        if (failed) return failed;
        if (req.params.id === p.sessionId) {
          clearSessionCookie(reply); // this browser's own session: it is signed out now
          return reply.code(303).redirect('/');
        }
        return reply.code(303).redirect('/me/sessions?revoked=1');
      },
    );

    // ---- 访问记录 --------------------------------------------------------------------------------------
    app.get(
      '/me/access-log',
      {
        config: { access: 'person' },
        schema: { hide, querystring: Type.Object({ page: Type.Integer({ minimum: 1, maximum: 1000, default: 1 }) }) },
      },
      async (req, reply) => {
        const p = await sessionPrincipal(ctx, req);
        const log = await listOwnAccessLog(ctx.db, { personId: p.accountId, page: req.query.page, size: 20 });
        return sendPage(reply, renderAccessLog(ctx, { prefs: readPreferences(ctx, req, reply), path: req.url, account: pageAccount(p), log }));
      },
    );

    // ---- 开发收件箱 ------------------------------------------------------------------------------------
    app.get('/dev/inbox', { config: { access: 'public' }, schema: { hide } }, async (req, reply) => {
      if (!ctx.config.devInbox) throw new NotFoundError('您访问的页面或资源不存在');
      const messages = await listInboxMessages(ctx.db);
      return sendPage(reply, renderDevInbox(ctx, { prefs: readPreferences(ctx, req, reply), path: req.url, messages }));
    });
  };
