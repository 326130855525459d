/** Multipart for the import uploads of the lists' plugins (and nowhere else), with the import file's limit. */
import multipart from '@fastify/multipart';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';

export const LIST_UPLOAD_MAX_MB = 10;

export async function registerListUploads(app: Parameters<FastifyPluginAsyncTypebox>[0]): Promise<void> {
  await app.register(multipart, { limits: { fileSize: LIST_UPLOAD_MAX_MB * 1024 * 1024, files: 1, fields: 6, fieldSize: 1024, parts: 8 } });
}
