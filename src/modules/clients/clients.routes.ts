/**
 * Machine clients (接入应用): the OAuth 2.0 token endpoint (client credentials, RFC 6749 §4.4), the
 * administrators' API and their pages. Routes validate and delegate to the operations of this module.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { AppContext } from '../../http/context.ts';
import { CsrfField, CreditCode, StringEnum } from '../../http/schemas.ts';
import { auditActor, requirePrincipal } from '../../http/route-access.ts';
import { CLIENT_SCOPES } from '../access/permissions.ts';
import { requestFacts } from '../identity/identity.routes.ts';
import { readPreferences } from '../portal/preferences.ts';
import { csrfInput, handleFormPost, type FormErrors } from '../portal/forms.ts';
import { AppError, InvalidParameterError, RateLimitedError } from '../../shared/errors.ts';
import { createClient } from './create-client.ts';
import { rotateClientSecret } from './rotate-client-secret.ts';
import { disableClient } from './disable-client.ts';
import { listClients } from './list-clients.ts';
import { issueClientToken } from './issue-client-token.ts';
import { MALFORMED_CREDENTIALS, readTokenRequest } from './read-token-request.ts';
import { OAuthError } from './oauth-error.ts';
import { manageableDepartments } from './client-records.ts';
import { renderClientsPage, renderSecretPage } from './clients.page.ts';
import { CLIENT_ID_PATTERN, MAX_ROTATION_GRACE_SECONDS, type ClientManager, type ClientSummary } from './clients.types.ts';

const tags = ['clients'];
const manage = { permission: 'clients.manage' } as const;
const HTML = 'text/html; charset=utf-8';

const ClientIdParams = Type.Object({ id: Type.String({ pattern: CLIENT_ID_PATTERN, description: '客户端标识（client_id）' }) }, { additionalProperties: false });
const Scope = StringEnum(CLIENT_SCOPES, '权限范围');

const ClientJson = (c: ClientSummary) => ({
  clientId: c.clientId,
  name: c.name,
  scopes: c.scopes,
  department: c.department,
  createdBy: c.createdBy,
  createdAt: c.createdAt.toISOString(),
  rotatedAt: c.rotatedAt?.toISOString() ?? null,
  previousSecretValidUntil: c.previousSecretValidUntil?.toISOString() ?? null,
  disabledAt: c.disabledAt?.toISOString() ?? null,
});

async function managerOf(ctx: AppContext, req: FastifyRequest): Promise<ClientManager> {
  return { principal: await requirePrincipal(ctx, req), actor: auditActor(req) };
}

/** Token endpoint errors keep the RFC 6749 shape whatever failed: parsing, validation, the same-site check or the grant. */
function oauthErrorHandler(err: FastifyError | AppError | OAuthError, req: FastifyRequest, reply: FastifyReply) {
  let e: OAuthError;
  if (err instanceof OAuthError) e = err;
  // NUL (or a lone surrogate) in client_id / client_secret, refused by the app-wide input check before the
  // handler runs: credentials no client can have, answered like those readTokenRequest refuses
  else if (err instanceof InvalidParameterError && (err.field === 'client_id' || err.field === 'client_secret')) e = new OAuthError('invalid_client', MALFORMED_CREDENTIALS);
  else if (err instanceof RateLimitedError) e = new OAuthError('invalid_request', err.message, err.retryAfterSeconds ?? 60);
  else if (err instanceof AppError && err.status < 500) e = new OAuthError('invalid_request', err.message);
  else if ((err as FastifyError).validation?.length) e = new OAuthError('invalid_request', '请求参数不正确（每个参数只能出现一次，且不能过长）');
  else if (((err as FastifyError).statusCode ?? 500) < 500) e = new OAuthError('invalid_request', '请以 application/x-www-form-urlencoded 格式提交令牌请求');
  else throw err; // the application's handler logs it and answers 500
  reply.header('cache-control', 'no-store').header('pragma', 'no-cache');
  if (e.status === 401) reply.header('www-authenticate', 'Basic realm="yiwang", charset="UTF-8"');
  if (e.retryAfterSeconds) reply.header('retry-after', String(e.retryAfterSeconds));
  const status = err instanceof AppError && !(err instanceof RateLimitedError) && e.error !== 'invalid_client' ? err.status : e.status;
  return reply.code(status).send(e.toJSON());
}

/** The optional rotate body: nothing, or {graceSeconds}; anything else is a 400. */
function graceFrom(body: unknown): number | undefined {
  if (body === undefined || body === null) return undefined;
  const bad = () => new InvalidParameterError('graceSeconds', `旧密钥保留时间应为 0 到 ${MAX_ROTATION_GRACE_SECONDS} 秒之间的整数（最长 7 天）`);
  if (typeof body !== 'object' || Array.isArray(body)) throw new InvalidParameterError('body', '请求体应为 JSON 对象');
  const { graceSeconds, ...rest } = body as Record<string, unknown>;
  const extra = Object.keys(rest).filter((k) => k !== '_csrf');
  if (extra.length) throw new InvalidParameterError(extra[0]!.slice(0, 50), '不支持的参数');
  if (graceSeconds === undefined) return undefined;
  if (typeof graceSeconds !== 'number' || !Number.isInteger(graceSeconds)) throw bad();
  return graceSeconds;
}

/** A row button's error belongs to no field of the create form: shown in the summary as a whole. */
const rowErrors = (errors: FormErrors): FormErrors => ({ '': Object.values(errors).join('；') });

/** The scopes ticked in a form: one value arrives as a string, several as an array. */
const asList = (v: string | string[] | undefined): string[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

const FormText = (maxLength: number) => Type.Optional(Type.String({ maxLength }));
const CreateForm = Type.Object({
  _csrf: CsrfField,
  name: FormText(200),
  department: FormText(40),
  scopes: Type.Optional(Type.Union([Type.String({ maxLength: 100 }), Type.Array(Type.String({ maxLength: 100 }), { maxItems: 20 })])),
});
const RotateForm = Type.Object({ _csrf: CsrfField, graceSeconds: FormText(10) });

export const clientRoutes =
  (ctx: AppContext): FastifyPluginAsyncTypebox =>
  async (app) => {
    // ---- OAuth 2.0 token endpoint ----------------------------------------------------------------------
    app.post(
      '/api/v1/oauth/token',
      {
        // public: the client authenticates with its credentials, not a session; no cookie, so no CSRF token
        config: { access: 'public', csrf: false },
        errorHandler: oauthErrorHandler,
        schema: {
          tags,
          summary: '申请访问令牌（OAuth 2.0 客户端凭证模式，RFC 6749 §4.4）',
          description:
            '以 application/x-www-form-urlencoded 提交 grant_type=client_credentials；客户端凭证用 HTTP Basic（推荐）或 client_id、client_secret 参数提交。可用 scope（空格分隔）缩小权限范围。令牌有效期 1 小时，以 Authorization: Bearer 调用接口。错误按 RFC 6749 §5.2 返回 {error, error_description}。',
          consumes: ['application/x-www-form-urlencoded'],
          body: Type.Object({
            grant_type: Type.Optional(Type.String({ maxLength: 100, examples: ['client_credentials'] })),
            client_id: Type.Optional(Type.String({ maxLength: 1000 })),
            client_secret: Type.Optional(Type.String({ maxLength: 1000 })),
            scope: Type.Optional(Type.String({ maxLength: 1000, description: '空格分隔的权限范围；省略则为该客户端的全部权限范围' })),
          }),
        },
      },
      async (req, reply) => {
        const auth = req.headers.authorization;
        const r = readTokenRequest({ contentType: req.headers['content-type'], authorization: typeof auth === 'string' ? auth : undefined, body: req.body });
        const t = await issueClientToken(ctx.db, { clientId: r.clientId, clientSecret: r.clientSecret, scope: r.scope }, requestFacts(req));
        return reply
          .header('cache-control', 'no-store')
          .header('pragma', 'no-cache')
          .send({ access_token: t.accessToken, token_type: t.tokenType, expires_in: t.expiresIn, scope: t.scope });
      },
    );

    // ---- administrators' API -----------------------------------------------------------------------------
    app.get('/api/v1/admin/clients', { config: { access: manage }, schema: { tags, summary: '接入应用列表（本人管理范围内）' } }, async (req) => {
      const clients = await listClients(ctx.db, await managerOf(ctx, req));
      return { clients: clients.map(ClientJson) };
    });

    app.post(
      '/api/v1/admin/clients',
      {
        config: { access: manage },
        schema: {
          tags,
          summary: '新增接入应用（密钥只在此响应中出现一次）',
          body: Type.Object(
            {
              name: Type.String({ minLength: 1, maxLength: 200, description: '应用名称（2–60 个字）' }),
              department: CreditCode,
              scopes: Type.Array(Scope, { minItems: 1, maxItems: CLIENT_SCOPES.length, description: '权限范围' }),
            },
            { additionalProperties: false },
          ),
        },
      },
      async (req, reply) => {
        const r = await createClient(ctx.db, req.body, await managerOf(ctx, req));
        return reply.code(201).header('cache-control', 'no-store').send({ clientId: r.clientId, clientSecret: r.clientSecret, client: ClientJson(r.client) });
      },
    );

    app.post(
      '/api/v1/admin/clients/:id/rotate',
      {
        config: { access: manage },
        schema: {
          tags,
          summary: '轮换接入应用密钥（新密钥只在此响应中出现一次；旧密钥在保留期内仍可用）',
          description: `可选的 JSON 请求体：{"graceSeconds": 0–${MAX_ROTATION_GRACE_SECONDS}}，旧密钥保留时间（秒），默认 86400（24 小时），0 为立即失效。`,
          params: ClientIdParams,
          // the body is optional: checked by graceFrom (a body schema would refuse a request without one)
        },
      },
      async (req, reply) => {
        const r = await rotateClientSecret(ctx.db, { clientId: req.params.id, graceSeconds: graceFrom(req.body) }, await managerOf(ctx, req));
        return reply
          .header('cache-control', 'no-store')
          .send({ clientId: r.clientId, clientSecret: r.clientSecret, previousSecretValidUntil: r.previousSecretValidUntil?.toISOString() ?? null });
      },
    );

    app.post(
      '/api/v1/admin/clients/:id/disable',
      { config: { access: manage }, schema: { tags, summary: '停用接入应用（其令牌立即失效）', params: ClientIdParams } },
      async (req) => ({ client: ClientJson(await disableClient(ctx.db, { clientId: req.params.id }, await managerOf(ctx, req))) }),
    );

    // ---- pages --------------------------------------------------------------------------------------------
    /**
     * The list page, loaded before a form's action runs: a failed action changed nothing, so the same data
     * shows the form again with its errors (handleFormPost renders synchronously).
     */
    const listPage = async (req: FastifyRequest, reply: FastifyReply) => {
      const by = await managerOf(ctx, req);
      const [clients, departments] = await Promise.all([listClients(ctx.db, by), manageableDepartments(ctx.db, by)]);
      const prefs = readPreferences(ctx, req, reply);
      const csrf = csrfInput(req, reply);
      return {
        by,
        clients,
        render: (extra: { errors?: FormErrors; form?: { name?: string; department?: string; scopes?: string[] }; notice?: string }) =>
          renderClientsPage(ctx, { prefs, path: '/admin/clients', csrf, clients, departments, ...extra }),
      };
    };

    app.get(
      '/admin/clients',
      { config: { access: manage }, schema: { hide: true, querystring: Type.Object({ done: Type.Optional(Type.String({ maxLength: 20 })) }) } },
      async (req, reply) => {
        const done = req.query.done === 'disabled' ? '接入应用已停用，其令牌已失效。' : undefined;
        return reply.type(HTML).send((await listPage(req, reply)).render({ notice: done }));
      },
    );

    app.post('/admin/clients', { config: { access: manage }, schema: { hide: true, body: CreateForm } }, async (req, reply) => {
      const b = req.body;
      const form = { name: b.name, department: b.department, scopes: asList(b.scopes) };
      const view = await listPage(req, reply);
      let page = '';
      const failed = await handleFormPost(
        reply,
        async () => {
          if (!b.department?.trim()) throw new InvalidParameterError('department', '请选择所属部门');
          const r = await createClient(ctx.db, { name: b.name ?? '', department: b.department, scopes: form.scopes }, view.by);
          page = renderSecretPage(ctx, {
            prefs: readPreferences(ctx, req, reply),
            path: '/admin/clients',
            title: '接入应用已创建',
            rotated: false,
            name: r.client.name,
            clientId: r.clientId,
            clientSecret: r.clientSecret,
          });
        },
        (errors) => view.render({ errors, form }),
      );
      if (failed) return failed;
      // the secret is shown on this response only: never in a redirect URL, never cached
      return reply.code(201).header('cache-control', 'no-store').type(HTML).send(page);
    });

    app.post(
      '/admin/clients/:id/rotate',
      { config: { access: manage }, schema: { hide: true, params: ClientIdParams, body: RotateForm } },
      async (req, reply) => {
        const view = await listPage(req, reply);
        let page = '';
        const failed = await handleFormPost(
          reply,
          async () => {
            const g = req.body.graceSeconds?.trim();
            if (g && !/^\d+$/.test(g)) throw new InvalidParameterError('graceSeconds', '请选择旧密钥保留时间');
            const grace = g ? Number(g) : undefined;
            const r = await rotateClientSecret(ctx.db, { clientId: req.params.id, graceSeconds: grace }, view.by);
            page = renderSecretPage(ctx, {
              prefs: readPreferences(ctx, req, reply),
              path: '/admin/clients',
              title: '已轮换接入应用密钥',
              rotated: true,
              name: view.clients.find((x) => x.clientId === r.clientId)?.name ?? r.clientId,
              clientId: r.clientId,
              clientSecret: r.clientSecret,
              previousSecretValidUntil: r.previousSecretValidUntil,
            });
          },
          (errors) => view.render({ errors: rowErrors(errors) }),
        );
        if (failed) return failed;
        return reply.header('cache-control', 'no-store').type(HTML).send(page);
      },
    );

    app.post(
      '/admin/clients/:id/disable',
      { config: { access: manage }, schema: { hide: true, params: ClientIdParams, body: Type.Object({ _csrf: CsrfField }) } },
      async (req, reply) => {
        const view = await listPage(req, reply);
        const failed = await handleFormPost(
          reply,
          async () => {
            await disableClient(ctx.db, { clientId: req.params.id }, view.by);
          },
          (errors) => view.render({ errors: rowErrors(errors) }),
        );
        if (failed) return failed;
        return reply.code(303).redirect('/admin/clients?done=disabled');
      },
    );
  };
