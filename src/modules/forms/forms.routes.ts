/** Application forms: the definition of an item's form and the browser copy of the shared validator. */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { LRUCache } from 'lru-cache';
import type { AppContext } from '../../http/context.ts';
import { ItemCode } from '../../http/schemas.ts';
import { getItemForm } from './get-item-form.ts';
import { formsBundle } from './forms-bundle.ts';
import { FORMS_SCRIPT_URL } from './render-form.ts';

export function formRoutes(ctx: AppContext): FastifyPluginAsyncTypebox {
  // the API's answers per (catalogue revision, item): a publication moves the revision, so nothing goes stale
  const cache = new LRUCache<string, Buffer>({ max: 2000 });

  return async (app) => {
    app.get(
      '/api/v1/items/:code/form',
      {
        config: { access: 'public' },
        schema: {
          tags: ['catalogue'],
          summary: '事项的网上申请表单和申请材料（已发布版本）；未开通网上申请的事项返回 404',
          params: Type.Object({ code: ItemCode }),
        },
      },
      async (req, reply) => {
        const { code } = req.params;
        const revision = ctx.catalogue.currentRevision;
        const key = `${revision}:${code}`;
        let body = cache.get(key);
        if (!body) {
          const f = await getItemForm(ctx.db, code);
          body = Buffer.from(JSON.stringify({ itemCode: f.itemCode, version: f.version, form: f.form, slots: f.slots }));
          if (ctx.catalogue.currentRevision === revision) cache.set(key, body);
        }
        return reply.type('application/json; charset=utf-8').send(body);
      },
    );

    app.get(FORMS_SCRIPT_URL, { config: { access: 'public' }, schema: { hide: true } }, async (req, reply) => {
      const bundle = await formsBundle();
      reply.header('etag', bundle.etag).header('cache-control', 'public, max-age=600');
      const given = req.headers['if-none-match'];
      if (typeof given === 'string' && given.split(',').some((t) => t.trim().replace(/^W\//, '') === bundle.etag)) {
        return reply.code(304).send();
      }
      return reply.type('text/javascript; charset=utf-8').send(bundle.code);
    });
  };
}
