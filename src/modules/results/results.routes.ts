/**
 * Result documents (办理结果): public verification of a code (JSON and the /verify page, with an optional file
 * comparison) and the PDF download for the applicant and the handling staff. Results are issued by the
 * applications workflow through issueResult, not over HTTP.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { AppContext } from '../../http/context.ts';
import { RegionChoice } from '../../http/schemas.ts';
import { requirePrincipal } from '../../http/route-access.ts';
import { AppError, RateLimitedError } from '../../shared/errors.ts';
import { readPreferences } from '../portal/preferences.ts';
import { checkResultFile, type FileCheck } from './check-result-file.ts';
import { getResultPdf } from './get-result-pdf.ts';
import { renderVerifyPage, VERIFY_PATH, type VerifyPageState } from './verify.page.ts';
import { verifyResult } from './verify-result.ts';
import type { VerifiedResult } from './results.types.ts';
import { registerUploads } from '../../http/uploads.ts';

const tags = ['results'];
const HTML = 'text/html; charset=utf-8';
const MAX_UPLOAD_BYTES = 5 * 1024 * 1024;

const CodeParam = Type.String({ minLength: 1, maxLength: 64, description: '核验码（16 位，不区分大小写，短横线可省略）', examples: ['7KQ2-M9XD-4HVB-0RTE'] });

const Verified = Type.Object({
  valid: Type.Boolean({ description: '真实、未撤销且在有效期内' }),
  status: Type.String({ enum: ['valid', 'revoked', 'expired'], description: 'valid 有效；revoked 已撤销；expired 已过期' }),
  kind: Type.String({ enum: ['licence', 'certificate', 'decision'], description: '许可证 / 证书 / 决定书' }),
  title: Type.String({ description: '文书名称' }),
  documentNumber: Type.String({ description: '文书编号' }),
  itemName: Type.String({ description: '办理事项' }),
  departmentName: Type.String({ description: '出具部门' }),
  holderName: Type.String({ description: '持有人（自然人姓名部分隐藏）' }),
  holderIdNumber: Type.String({ description: '证件号码（部分隐藏）' }),
  issuedOn: Type.String({ description: '出具日期 YYYY-MM-DD' }),
  issuedAt: Type.String({ description: '出具时间（ISO 8601）' }),
  validUntil: Type.Union([Type.String(), Type.Null()], { description: '有效期至 YYYY-MM-DD；null 为长期有效或无有效期' }),
  revoked: Type.Boolean({ description: '已撤销' }),
  revokedAt: Type.Union([Type.String(), Type.Null()]),
  sha256: Type.String({ description: '出具的 PDF 文件的 SHA-256，可与手中文件比对' }),
  verificationCode: Type.String({ description: '核验码（规范写法）' }),
});

export function resultRoutes(ctx: AppContext): FastifyPluginAsyncTypebox {
  return async (app) => {
    await registerUploads(app, ctx);
    app.get(
      '/api/v1/results/verify/:code',
      {
        config: { access: 'public' },
        schema: {
          tags,
          summary: '按核验码核验办理结果（许可证、证书、决定书）',
          description: '公开接口。个人信息部分隐藏。未知核验码返回 404；同一 IP 短时间内多次核验未知核验码将被暂时限制（429）。',
          params: Type.Object({ code: CodeParam }),
          response: { 200: Verified },
        },
      },
      async (req, reply) => {
        reply.header('cache-control', 'no-store');
        return verifyResult(ctx.db, req.params.code, { ip: req.ip });
      },
    );

    app.get(
      '/api/v1/results/:id/pdf',
      {
        config: { access: 'signed-in' },
        schema: {
          tags,
          summary: '下载办理结果 PDF（申请人、代办人或承办部门工作人员）',
          params: Type.Object({ id: Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER, description: '办理结果标识' }) }),
        },
      },
      async (req, reply) => {
        const p = await requirePrincipal(ctx, req);
        const file = await getResultPdf(ctx.db, ctx.storage, p, req.params.id);
        return reply
          .header('cache-control', 'private, no-store')
          .header('content-disposition', `attachment; filename="result-${req.params.id}.pdf"; filename*=UTF-8''${encodeURIComponent(file.fileName)}`)
          .header('x-content-sha256', file.sha256)
          .type('application/pdf')
          .send(file.bytes);
      },
    );

    // the public page: a form for the code, and the verdict when ?code= is given
    app.get(
      VERIFY_PATH,
      {
        config: { access: 'public' },
        schema: { hide: true, querystring: Type.Object({ code: Type.Optional(Type.String({ maxLength: 200 })), region: RegionChoice }) },
      },
      async (req, reply) => {
        const code = req.query.code?.trim();
        const state = code ? await lookUp(req, reply, code) : {};
        return page(req, reply, state);
      },
    );

    // the file comparison: changes nothing, so it needs no CSRF token (the same-site check still applies)
    app.post(VERIFY_PATH, { config: { access: 'public', csrf: false }, schema: { hide: true } }, async (req, reply) => {
      let code = '';
      let file: Buffer | undefined;
      let fileError: string | undefined;
      let tooLarge = false;
      if (!req.isMultipart()) {
        reply.code(400);
        return page(req, reply, { errors: { file: '请选择要比对的 PDF 文件' } });
      }
      try {
        for await (const part of req.parts({ limits: { fileSize: MAX_UPLOAD_BYTES, files: 1, fields: 5, fieldSize: 1024 } })) {
          if (part.type === 'file') {
            const bytes = await part.toBuffer();
            if (part.fieldname === 'file' && !file) file = bytes;
          } else if (part.fieldname === 'code' && typeof part.value === 'string') {
            code = part.value.trim();
          }
        }
      } catch (err) {
        // a file over the limit, a second file, a body cut short: the upload, not the server, is at fault
        tooLarge = (err as { statusCode?: number }).statusCode === 413;
        fileError = tooLarge ? '文件超过 5 MB，不是本平台出具的文书' : '上传的内容无法读取，请重新选择文件';
      }
      if (!code) {
        reply.code(400);
        return page(req, reply, { errors: { code: '请输入核验码' } });
      }
      if (fileError || !file?.length) {
        const state = await lookUp(req, reply, code);
        if (!state.result) return page(req, reply, state);
        reply.code(tooLarge ? 413 : 400);
        return page(req, reply, { ...state, errors: { file: fileError ?? '请选择要比对的 PDF 文件' } });
      }
      let check: FileCheck;
      try {
        check = await checkResultFile(ctx.db, code, file, { ip: req.ip });
      } catch (err) {
        return page(req, reply, await failed(reply, err, code));
      }
      return page(req, reply, { code, result: check.result, fileCheck: check });
    });

    /** The verdict for a code, as page state; a typed error becomes the status and a message on the page. */
    async function lookUp(req: FastifyRequest, reply: FastifyReply, code: string): Promise<VerifyPageState> {
      try {
        const result: VerifiedResult = await verifyResult(ctx.db, code, { ip: req.ip });
        return { code, result };
      } catch (err) {
        return failed(reply, err, code);
      }
    }

    async function failed(reply: FastifyReply, err: unknown, code: string): Promise<VerifyPageState> {
      if (!(err instanceof AppError) || err.status >= 500) throw err;
      reply.code(err.status);
      if (err instanceof RateLimitedError && err.retryAfterSeconds) reply.header('retry-after', String(err.retryAfterSeconds));
      if (err.code === 'NOT_FOUND') return { code, notFound: true };
      return { code, errors: { [err.field ?? '']: err.message } };
    }

    function page(req: FastifyRequest, reply: FastifyReply, state: VerifyPageState): FastifyReply {
      const prefs = readPreferences(ctx, req, reply);
      // the verdict may change (a revocation) and may concern a person: never cached
      reply.header('cache-control', 'no-store');
      return reply.type(HTML).send(renderVerifyPage(ctx, prefs, req.url, state));
    }
  };
}
