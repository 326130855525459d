/** Attachments (申请材料): upload (checked by content), removal from a draft or an unsubmitted 补正, and access-checked download. */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { AppContext } from '../../http/context.ts';
import { StringEnum, Uuid } from '../../http/schemas.ts';
import { auditActor, requirePrincipal } from '../../http/route-access.ts';
import { InvalidParameterError } from '../../shared/errors.ts';
import { requirePerson } from '../delegation/delegation.http.ts';
import { attachmentDeps, type AttachmentTarget } from './attachments.types.ts';
import { readUpload } from './read-upload.ts';
import { storeAttachment } from './store-attachment.ts';
import { deleteAttachment } from './delete-attachment.ts';
import { readAttachment } from './read-attachment.ts';
import { attachmentHeaders } from './attachment-headers.ts';
import { registerUploads } from '../../http/uploads.ts';

const tags = ['attachments'];

/** Exactly one of `draftId` (草稿) and `applicationNumber` (待补正的办件). */
function uploadTarget(fields: Record<string, string>): AttachmentTarget {
  const draftId = fields.draftId?.trim();
  const applicationNumber = fields.applicationNumber?.trim();
  if (draftId && applicationNumber) throw new InvalidParameterError('draftId', '草稿编号和办件编号只能填写一个');
  if (draftId) {
    if (!/^[1-9][0-9]{0,14}$/.test(draftId)) throw new InvalidParameterError('draftId', '草稿编号不正确');
    return { draftId: Number(draftId) };
  }
  if (applicationNumber) {
    if (!/^[0-9A-Za-z-]{1,64}$/.test(applicationNumber)) throw new InvalidParameterError('applicationNumber', '办件编号不正确');
    return { applicationNumber };
  }
  throw new InvalidParameterError('draftId', '请指定材料所属的草稿（draftId）或待补正的办件（applicationNumber）');
}

export function attachmentRoutes(ctx: AppContext): FastifyPluginAsyncTypebox {
  return async (app) => {
    await registerUploads(app, ctx);
    const deps = () => attachmentDeps(ctx);

    app.post(
      '/api/v1/attachments',
      {
        // the CSRF token is checked by readUpload: the x-csrf-token header, or a form's _csrf field (multipart
        // bodies are read after the route-wide check)
        config: { access: 'person', csrf: false },
        schema: {
          tags,
          summary: '上传申请材料（multipart/form-data：slot、draftId 或 applicationNumber、file，及 _csrf 或请求头 x-csrf-token；PDF、JPG、PNG、OFD，按内容判断类型）',
          consumes: ['multipart/form-data'],
        },
      },
      async (req, reply) => {
        const p = await requirePerson(ctx, req);
        const maxMb = ctx.config.attachmentMaxMb;
        const upload = await readUpload(req, { maxMb, fileField: 'file', csrfToken: p.csrfToken });
        const target = uploadTarget(upload.fields);
        if (!upload.file) throw new InvalidParameterError('file', '请选择要上传的文件');
        const info = await storeAttachment(
          deps(),
          p,
          { slot: upload.fields.slot ?? '', target, fileName: upload.file.fileName, bytes: upload.file.bytes },
          auditActor(req),
        );
        return reply.code(201).send(info);
      },
    );

    app.delete(
      '/api/v1/attachments/:id',
      { config: { access: 'person' }, schema: { tags, summary: '删除材料（上传人：草稿中的文件，或待补正办件中尚未提交的补正文件；随申请或补正提交后不能删除）', params: Type.Object({ id: Uuid }) } },
      async (req, reply) => {
        const p = await requirePerson(ctx, req);
        await deleteAttachment(deps(), p, req.params.id);
        return reply.code(204).send();
      },
    );

    app.get(
      '/api/v1/attachments/:id',
      {
        config: { access: 'signed-in' },
        exposeHeadRoute: false,
        schema: {
          tags,
          summary: '下载或预览材料（上传人、申请人及其代办人、有权办理该办件的工作人员；其他人 404）',
          params: Type.Object({ id: Uuid }),
          querystring: Type.Object({ inline: Type.Optional(StringEnum(['1', '0', 'true', 'false'] as const, '1：PDF 和图片在浏览器中打开')) }),
        },
      },
      async (req, reply) => {
        const p = await requirePrincipal(ctx, req);
        const file = await readAttachment(deps(), p, req.params.id, auditActor(req));
        const inline = req.query.inline === '1' || req.query.inline === 'true';
        return reply.headers(attachmentHeaders(file, inline)).send(file.bytes);
      },
    );
  };
}
