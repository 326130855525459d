/** One place maps every error to the envelope {"error": {code, message, field?}}; pages get an HTML page instead. */
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError, FieldErrorsError, RateLimitedError, type ErrorCode, type ErrorEnvelope } from '../shared/errors.ts';
import { describeValidationError } from './validation-messages.ts';

export type ErrorPageRenderer = (req: FastifyRequest, status: number, message: string) => string;

function wantsHtml(req: FastifyRequest): boolean {
  return !req.url.startsWith('/api/') && req.url !== '/healthz';
}

export function registerErrorHandling(app: FastifyInstance, renderPage: ErrorPageRenderer): void {
  const send = (req: FastifyRequest, reply: FastifyReply, status: number, code: ErrorCode, message: string, field?: string, errors?: FieldErrorsError['errors']) => {
    if (wantsHtml(req)) {
      return reply.code(status).type('text/html; charset=utf-8').send(renderPage(req, status, message));
    }
    const body: ErrorEnvelope = { error: { code, message, ...(field ? { field } : {}), ...(errors ? { errors } : {}), requestId: String(req.id) } };
    return reply.code(status).send(body);
  };

  app.setErrorHandler((err: FastifyError | AppError, req, reply) => {
    if (err instanceof AppError) {
      if (err instanceof RateLimitedError && err.retryAfterSeconds) reply.header('retry-after', String(err.retryAfterSeconds));
      // a page that needs a signed-in visitor sends them to sign in, and back here afterwards
      if (err.code === 'UNAUTHENTICATED' && wantsHtml(req) && req.method === 'GET') {
        return reply.code(303).redirect(`/login?back=${encodeURIComponent(req.url)}`);
      }
      return send(req, reply, err.status, err.code, err.message, err.field, err instanceof FieldErrorsError ? err.errors : undefined);
    }
    const fe = err as FastifyError;
    if (fe.validation?.length) {
      const { field, message } = describeValidationError(fe.validation[0] as never, fe.validationContext);
      return send(req, reply, 400, 'INVALID_PARAMETER', message, field);
    }
    const status = fe.statusCode ?? 500;
    if (status === 413) return send(req, reply, 413, 'PAYLOAD_TOO_LARGE', '请求内容过大');
    if (status === 415) return send(req, reply, 415, 'UNSUPPORTED_MEDIA_TYPE', '不支持的内容类型');
    if (status === 429) return send(req, reply, 429, 'RATE_LIMITED', '请求过于频繁，请稍后再试');
    if (status >= 400 && status < 500) {
      // e.g. a body that is not valid JSON or form data
      return send(req, reply, 400, 'INVALID_PARAMETER', '请求格式不正确', fe.code?.startsWith('FST_ERR_CTP') ? 'body' : undefined);
    }
    req.log.error({ err }, 'unhandled error');
    return send(req, reply, 500, 'INTERNAL_ERROR', '系统繁忙，请稍后再试');
  });

  app.setNotFoundHandler((req, reply) => send(req, reply, 404, 'NOT_FOUND', '您访问的页面或资源不存在'));
}
