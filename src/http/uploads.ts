/**
 * Multipart uploads (申请材料, result copies to verify), registered only in the plugins whose routes take them:
 * @fastify/multipart hooks every request of the context it is registered in, and the public pages and the API
 * have no use for that.
 */
import multipart from '@fastify/multipart';
import type { FastifyInstance } from 'fastify';
import type { AppContext } from './context.ts';

export async function registerUploads(app: FastifyInstance, ctx: AppContext): Promise<void> {
  // streamed, one file per part, the configured size limit per file
  await app.register(multipart, { limits: { fileSize: ctx.config.attachmentMaxMb * 1024 * 1024, files: 10, fields: 40, fieldSize: 64 * 1024 } });
}
