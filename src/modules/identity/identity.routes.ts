/** The identity API: registration, sign-in and out, password reset, one's profile and sessions. */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { identityDeps, type AppContext } from '../../http/context.ts';
import { CodeInput, IdNumberInput, Mobile, PasswordInput, StringEnum, Uuid } from '../../http/schemas.ts';
import { auditActor, clearSessionCookie, requirePrincipal, setSessionCookie } from '../../http/route-access.ts';
import { SESSION_COOKIE, listSessions } from '../sessions/session-store.ts';
import { revokeSession } from '../sessions/revoke-session.ts';
import { sendRegistrationCode } from './send-registration-code.ts';
import { registerPerson } from './register-person.ts';
import { signIn } from './sign-in.ts';
import { signOut } from './sign-out.ts';
import { sendResetCode } from './send-reset-code.ts';
import { resetPassword } from './reset-password.ts';
import { changePassword } from './change-password.ts';
import { getProfile } from './get-profile.ts';
import type { RequestFacts } from './identity.types.ts';
import { UnauthenticatedError } from '../../shared/errors.ts';

export const requestFacts = (req: FastifyRequest): RequestFacts => ({ ip: req.ip, userAgent: req.headers['user-agent'] ?? null, requestId: String(req.id) });

const tags = ['identity'];
const SENT = { message: '如该手机号可以接收，验证码已发送，5 分钟内有效' };

export const identityRoutes =
  (ctx: AppContext): FastifyPluginAsyncTypebox =>
  async (app) => {
    const deps = identityDeps(ctx);

    app.post(
      '/api/v1/auth/register/code',
      { config: { access: 'public' }, schema: { tags, summary: '注册：发送短信验证码', body: Type.Object({ mobile: Mobile }, { additionalProperties: false }) } },
      async (req, reply) => {
        await sendRegistrationCode(deps, req.body, requestFacts(req));
        return reply.code(202).send(SENT);
      },
    );

    app.post(
      '/api/v1/auth/register',
      {
        config: { access: 'public' },
        schema: {
          tags,
          summary: '注册自然人账号（注册后即登录）',
          body: Type.Object(
            { mobile: Mobile, code: CodeInput, name: Type.String({ minLength: 1, maxLength: 60 }), idNumber: IdNumberInput, password: PasswordInput },
            { additionalProperties: false },
          ),
        },
      },
      async (req, reply) => {
        const s = await registerPerson(deps, req.body, requestFacts(req));
        setSessionCookie(reply, s.token);
        return reply.code(201).send({ accountId: s.accountId, csrfToken: s.csrfToken, expiresAt: s.absoluteExpiresAt.toISOString() });
      },
    );

    app.post(
      '/api/v1/auth/login',
      {
        config: { access: 'public' },
        schema: {
          tags,
          summary: '密码登录（个人用手机号或身份证号；工作人员用工号）',
          body: Type.Object(
            { kind: Type.Optional(StringEnum(['person', 'staff'] as const)), identifier: Type.String({ minLength: 1, maxLength: 64 }), password: PasswordInput },
            { additionalProperties: false },
          ),
        },
      },
      async (req, reply) => {
        const s = await signIn(deps, { kind: req.body.kind ?? 'person', identifier: req.body.identifier, password: req.body.password }, requestFacts(req));
        setSessionCookie(reply, s.token);
        return { accountId: s.accountId, kind: s.kind, csrfToken: s.csrfToken, expiresAt: s.absoluteExpiresAt.toISOString() };
      },
    );

    app.post('/api/v1/auth/logout', { config: { access: 'signed-in' }, schema: { tags, summary: '退出登录' } }, async (req, reply) => {
      const p = await requirePrincipal(ctx, req);
      if (p.kind === 'client') throw new UnauthenticatedError();
      await signOut(ctx.db, { token: req.cookies[SESSION_COOKIE]!, sessionId: p.sessionId }, auditActor(req));
      clearSessionCookie(reply);
      return reply.code(204).send();
    });

    app.post(
      '/api/v1/auth/password-reset/code',
      { config: { access: 'public' }, schema: { tags, summary: '找回密码：发送短信验证码', body: Type.Object({ mobile: Mobile }, { additionalProperties: false }) } },
      async (req, reply) => {
        await sendResetCode(deps, req.body, requestFacts(req));
        return reply.code(202).send(SENT);
      },
    );

    app.post(
      '/api/v1/auth/password-reset',
      {
        config: { access: 'public' },
        schema: { tags, summary: '找回密码：用验证码设置新密码', body: Type.Object({ mobile: Mobile, code: CodeInput, password: PasswordInput }, { additionalProperties: false }) },
      },
      async (req, reply) => {
        await resetPassword(deps, req.body, requestFacts(req));
        return reply.code(204).send();
      },
    );

    app.get('/api/v1/me', { config: { access: 'signed-in' }, schema: { tags, summary: '当前账号（个人信息已脱敏）' } }, async (req) => {
      const p = await requirePrincipal(ctx, req);
      if (p.kind === 'client') throw new UnauthenticatedError();
      return { ...(await getProfile(ctx.db, p)), csrfToken: p.csrfToken };
    });

    app.get(
      '/api/v1/me/session',
      { config: { access: 'signed-in' }, schema: { tags, summary: '当前会话：身份、角色与代办（仅凭会话即可回答，不读其他数据）' } },
      async (req) => {
        const p = await requirePrincipal(ctx, req);
        if (p.kind === 'client') throw new UnauthenticatedError();
        return {
          accountId: p.accountId,
          kind: p.kind,
          name: p.name,
          sessionId: p.sessionId,
          authMethod: p.authMethod,
          csrfToken: p.csrfToken,
          roles: p.kind === 'staff' ? p.roles.map((g) => ({ role: g.role, departmentId: g.departmentId, includeLowerLevels: g.includeLowerLevels })) : [],
          acting: p.kind === 'person' && p.acting ? { principalType: p.acting.principalType, principalName: p.acting.principalName, relation: p.acting.relation } : null,
        };
      },
    );

    app.post(
      '/api/v1/me/password',
      {
        config: { access: 'signed-in' },
        schema: { tags, summary: '修改密码（其他会话随之结束）', body: Type.Object({ currentPassword: Type.String({ maxLength: 200 }), newPassword: PasswordInput }, { additionalProperties: false }) },
      },
      async (req, reply) => {
        const p = await requirePrincipal(ctx, req);
        if (p.kind === 'client') throw new UnauthenticatedError();
        await changePassword(deps, { accountId: p.accountId, sessionId: p.sessionId, ...req.body }, auditActor(req));
        return reply.code(204).send();
      },
    );

    app.get('/api/v1/me/sessions', { config: { access: 'signed-in' }, schema: { tags, summary: '我的登录会话' } }, async (req) => {
      const p = await requirePrincipal(ctx, req);
      if (p.kind === 'client') throw new UnauthenticatedError();
      return { sessions: await listSessions(ctx.db, p.accountId, p.sessionId) };
    });

    app.delete(
      '/api/v1/me/sessions/:id',
      { config: { access: 'signed-in' }, schema: { tags, summary: '注销一个会话', params: Type.Object({ id: Uuid }) } },
      async (req, reply) => {
        const p = await requirePrincipal(ctx, req);
        if (p.kind === 'client') throw new UnauthenticatedError();
        await revokeSession(ctx.db, { accountId: p.accountId, sessionId: req.params.id }, auditActor(req));
        if (req.params.id === p.sessionId) clearSessionCookie(reply);
        return reply.code(204).send();
      },
    );
  };
