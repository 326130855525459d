/**
 * 政务信息资源目录 pages. Public: /data (search), /data/resources/:code (metadata; a signed-in staff member who
 * may request sharing sees 申请共享), /data/resources/:code/versions/:n. Staff (data.resource.manage):
 * /admin/data, the new and edit forms, publish and retire — through the same operations as the API, so scope,
 * validation and audit are the same. Forms post with the CSRF field and redirect (303) on success; invalid
 * input shows the form again with each error beside its field.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { AppContext } from '../../http/context.ts';
import type { Html } from '../../http/html.ts';
import { auditActor, resolvePrincipal } from '../../http/route-access.ts';
import { AppError, FieldErrorsError } from '../../shared/errors.ts';
import { can, departmentsInScope } from '../access/authorize.ts';
import type { StaffPrincipal } from '../access/principal.ts';
import { layout } from '../portal/layout.ts';
import { csrfInput, type FormErrors } from '../portal/forms.ts';
import { readPreferences } from '../portal/preferences.ts';
import { sendPage } from '../portal/account/account-kit.ts';
import { doneMessage, renderAdminPage, requireStaffPage, sendAdminPage, type AdminPage } from '../staff/admin-page.ts';
import { departmentRefs } from '../staff/department-scope.ts';
import type { DepartmentRef } from '../staff/staff.types.ts';
import { getPublicDataResource } from './get-data-resource.ts';
import { getDataResourceForStaff } from './get-data-resource.ts';
import { listResourceVersions } from './list-resource-versions.ts';
import { getResourceVersion } from './get-resource-version.ts';
import { parseFilters, searchDataResources, type DataSearchFilters } from './search-data-resources.ts';
import { listStewardResources } from './list-steward-resources.ts';
import { createDataResource, updateDataResource, type DataResourceInput } from './save-data-resource.ts';
import { publishDataResource, retireDataResource } from './publish-data-resource.ts';
import { MAX_DATA_ITEMS, type DataResourceView } from './data-catalogue.types.ts';
import {
  BLANK_ITEM_ROWS, renderCatalogueSearch, renderResourceDetail, renderResourceForm, renderResourceVersion, renderStewardList, resourceHref,
  type ResourceFormValues,
} from './data-catalogue.page.ts';
import { ResourceCode } from './data-catalogue.routes.ts';

const hide = true;
const manage = { access: { permission: 'data.resource.manage' as const } };
const Params = Type.Object({ code: ResourceCode });
const PAGE_SIZE = 20;
const LIST_LIMIT = 200;
/** A posted form: flat fields (items.N.key …); the operation checks every value. */
const FormPost = Type.Record(Type.String({ maxLength: 40 }), Type.Union([Type.String({ maxLength: 4000 }), Type.Array(Type.String({ maxLength: 4000 }), { maxItems: 5 })]), {
  maxProperties: MAX_DATA_ITEMS * 6 + 40,
});
const DONE = {
  created: '数据资源已保存为草稿。发布后其他部门才能检索和申请。',
  saved: '修改已保存，目录版本已更新。',
  published: '数据资源已发布。',
  retired: '数据资源已停用，不能再申请共享。',
};

const str = (v: unknown): string => (Array.isArray(v) ? String(v[v.length - 1] ?? '') : typeof v === 'string' ? v : '');

/** The posted form as values to show again. */
function formValues(body: Record<string, unknown>): ResourceFormValues {
  const rows = Math.min(Number(str(body.rows)) || 0, MAX_DATA_ITEMS + 10);
  const items: ResourceFormValues['items'] = [];
  for (let i = 0; i < rows; i++) {
    const f = (k: string) => str(body[`items.${i}.${k}`]).trim();
    items.push({ key: f('key'), name: f('name'), type: f('type') || 'text', required: f('required') === '1', personal: f('personal') === '1', mask: f('mask') });
  }
  const g = (k: string) => str(body[k]);
  return {
    code: g('code').trim(), name: g('name'), providerDepartmentId: g('providerDepartmentId'), catalogueKind: g('catalogueKind'), baseLibrary: g('baseLibrary'),
    classification: g('classification'), abstract: g('abstract'), format: g('format'), keyItem: g('keyItem').trim(), shareType: g('shareType'),
    shareConditions: g('shareConditions'), shareMethod: g('shareMethod'), openType: g('openType'), updateCycle: g('updateCycle'), grade: g('grade'),
    relatedCodes: g('relatedCodes'), note: g('note'), metaVersion: g('metaVersion'), items,
  };
}

/** Rows that are not blank (a blank row has no name and no key), with their form row index. */
function filledRows(v: ResourceFormValues): { row: number; item: ResourceFormValues['items'][number] }[] {
  return v.items.map((item, row) => ({ row, item })).filter((x) => x.item.key || x.item.name);
}

function toInput(v: ResourceFormValues): { input: DataResourceInput; rowOf: number[] } {
  const filled = filledRows(v);
  const dept = Number(v.providerDepartmentId);
  return {
    rowOf: filled.map((x) => x.row),
    input: {
      code: v.code,
      name: v.name,
      providerDepartmentId: Number.isInteger(dept) && dept > 0 && dept < 2 ** 31 ? dept : undefined,
      providerDepartmentCode: v.providerDepartmentId && !/^\d+$/.test(v.providerDepartmentId) ? v.providerDepartmentId : undefined,
      catalogueKind: v.catalogueKind,
      baseLibrary: v.baseLibrary || null,
      classification: v.classification,
      abstract: v.abstract,
      format: v.format || 'table',
      items: filled.map(({ item }) => ({ key: item.key, name: item.name, type: item.type, required: item.required, personal: item.personal, ...(item.mask ? { mask: item.mask } : {}) })),
      keyItem: v.keyItem,
      shareType: v.shareType,
      shareConditions: v.shareConditions,
      shareMethod: v.shareMethod || 'api',
      openType: v.openType,
      updateCycle: v.updateCycle,
      grade: v.grade,
      relatedCodes: v.relatedCodes.split(/[\s,，、]+/).filter(Boolean),
      note: v.note,
      metaVersion: v.metaVersion ? Number(v.metaVersion) : undefined,
    },
  };
}

/** Field errors of the operation, named as the form names its fields (items.N → the form row). */
function formErrors(err: AppError, rowOf: number[]): FormErrors {
  const list = err instanceof FieldErrorsError ? err.errors : [{ field: err.field ?? '', message: err.message }];
  const out: FormErrors = {};
  for (const e of list) {
    let field = e.field;
    const m = /^items\.(\d+)\.(.+)$/.exec(field);
    if (m) field = `items.${rowOf[Number(m[1])] ?? m[1]}.${m[2]}`;
    if (/^relatedCodes\./.test(field)) field = 'relatedCodes';
    if (field === 'providerDepartmentCode') field = 'providerDepartmentId';
    out[field] ??= e.message;
  }
  return out;
}

function viewValues(v: DataResourceView): ResourceFormValues {
  return {
    code: v.code, name: v.name, providerDepartmentId: String(v.provider.id), catalogueKind: v.catalogueKind, baseLibrary: v.baseLibrary ?? '',
    classification: v.classification, abstract: v.abstract, format: v.format, keyItem: v.keyItem, shareType: v.shareType, shareConditions: v.shareConditions,
    shareMethod: v.shareMethod, openType: v.openType, updateCycle: v.updateCycle, grade: v.grade, relatedCodes: v.relatedCodes.join(' '), note: '',
    metaVersion: String(v.metaVersion),
    items: v.items.map((i) => ({ key: i.key, name: i.name, type: i.type, required: i.required, personal: i.personal, mask: i.mask ?? '' })),
  };
}

const EMPTY: ResourceFormValues = {
  code: '', name: '', providerDepartmentId: '', catalogueKind: 'department', baseLibrary: '', classification: '', abstract: '', format: 'table', keyItem: '',
  shareType: 'conditional', shareConditions: '', shareMethod: 'api', openType: 'closed', updateCycle: 'daily', grade: 'general', relatedCodes: '', note: '',
  metaVersion: '', items: [],
};

export function dataCataloguePageRoutes(ctx: AppContext): FastifyPluginAsyncTypebox {
  return async (app) => {
    function publicPage(req: FastifyRequest, reply: FastifyReply, o: { title: string; trail: { label: string; href?: string }[]; body: Html; status?: number }) {
      const page = layout(ctx, { title: o.title, prefs: readPreferences(ctx, req, reply), path: req.url, breadcrumbs: [{ label: '首页', href: '/' }, ...o.trail], body: o.body });
      return sendPage(reply, page, o.status ?? 200);
    }

    // —— public ——

    app.get(
      '/data',
      {
        config: { access: 'public' },
        schema: {
          hide,
          querystring: Type.Object({
            q: Type.Optional(Type.String({ maxLength: 100 })),
            provider: Type.Optional(Type.String({ maxLength: 18 })),
            shareType: Type.Optional(Type.String({ maxLength: 20 })),
            grade: Type.Optional(Type.String({ maxLength: 20 })),
            baseLibrary: Type.Optional(Type.String({ maxLength: 20 })),
            catalogueKind: Type.Optional(Type.String({ maxLength: 20 })),
            page: Type.Integer({ minimum: 1, maximum: 1000, default: 1 }),
          }),
        },
      },
      async (req, reply) => {
        const { page, q: rawQ, ...rest } = req.query;
        const q = rawQ?.trim() ?? '';
        const filters: DataSearchFilters = parseFilters(rest);
        const result = await searchDataResources(ctx.db, { q, ...filters, rows: PAGE_SIZE, start: (page - 1) * PAGE_SIZE, facets: true });
        return publicPage(req, reply, { title: '政务信息资源目录', trail: [{ label: '资源目录' }], body: renderCatalogueSearch({ q, filters, result, page, size: PAGE_SIZE }) });
      },
    );

    app.get('/data/resources/:code', { config: { access: 'public' }, schema: { hide, params: Params } }, async (req, reply) => {
      const view = await getPublicDataResource(ctx.db, req.params.code);
      const versions = await listResourceVersions(ctx.db, view.code, 'public');
      const related = view.relatedCodes.length
        ? await ctx.db.selectFrom('data_resources').select(['code', 'name']).where('code', 'in', view.relatedCodes).where('status', '!=', 'draft').execute()
        : [];
      // the request link for a signed-in staff member who may ask for data (the page is never cached)
      const p = await resolvePrincipal(ctx, req);
      const canRequest = p?.kind === 'staff' && can(p, 'data.share.request');
      return publicPage(req, reply, {
        title: view.name,
        trail: [{ label: '资源目录', href: '/data' }, { label: view.name }],
        body: renderResourceDetail({ view, versions, canRequest, relatedNames: new Map(related.map((r) => [r.code, r.name])) }),
      });
    });

    app.get(
      '/data/resources/:code/versions/:n',
      { config: { access: 'public' }, schema: { hide, params: Type.Object({ code: ResourceCode, n: Type.Integer({ minimum: 1, maximum: 1_000_000 }) }) } },
      async (req, reply) => {
        const view = await getPublicDataResource(ctx.db, req.params.code);
        const version = await getResourceVersion(ctx.db, view.code, req.params.n, 'public');
        return publicPage(req, reply, {
          title: `${view.name}：第 ${version.version} 版目录`,
          trail: [{ label: '资源目录', href: '/data' }, { label: view.name, href: resourceHref(view.code) }, { label: `第 ${version.version} 版` }],
          body: renderResourceVersion(view.code, version, view.name),
        });
      },
    );

    // —— staff ——

    const scopeDepartments = async (p: StaffPrincipal): Promise<DepartmentRef[] | null> => {
      const ids = await departmentsInScope(ctx.db, p, 'data.resource.manage');
      if (ids.length > LIST_LIMIT) return null;
      return [...(await departmentRefs(ctx.db, ids)).values()].sort((a, b) => a.regionCode.localeCompare(b.regionCode) || a.id - b.id);
    };

    app.get(
      '/admin/data',
      { config: manage, schema: { hide, querystring: Type.Object({ page: Type.Integer({ minimum: 1, maximum: 1000, default: 1 }), done: Type.Optional(Type.String({ maxLength: 20 })) }) } },
      async (req, reply) => {
        const p = await requireStaffPage(ctx, req);
        const list = await listStewardResources(ctx.db, p, { page: req.query.page, size: PAGE_SIZE });
        return sendAdminPage(ctx, req, reply, {
          title: '数据资源管理',
          trail: [{ label: '数据资源管理' }],
          body: renderStewardList({ list, done: doneMessage(req.query.done, DONE), csrf: csrfInput(req, reply) }),
        });
      },
    );

    const formPage = (req: FastifyRequest, reply: FastifyReply, o: { mode: 'new' | 'edit'; values: ResourceFormValues; errors?: FormErrors; departments: DepartmentRef[] | null; blankRows?: number }): AdminPage => ({
      title: o.mode === 'new' ? '新建数据资源' : `修改数据资源：${o.values.name}`,
      trail: [{ label: '数据资源管理', href: '/admin/data' }, { label: o.mode === 'new' ? '新建数据资源' : o.values.name }],
      body: renderResourceForm({ ...o, csrf: csrfInput(req, reply), blankRows: o.blankRows ?? BLANK_ITEM_ROWS }),
    });

    /** Saves the form, or shows it again: with more rows (增加 5 行) or with the errors beside their fields. */
    const postForm = async (req: FastifyRequest, reply: FastifyReply, p: StaffPrincipal, mode: 'new' | 'edit', body: Record<string, unknown>, save: (input: DataResourceInput) => Promise<DataResourceView>) => {
      reply.header('cache-control', 'no-store');
      const values = formValues(body);
      const departments = await scopeDepartments(p);
      if (str(body._action) === 'more') {
        const keep = { ...values, items: values.items.filter((it) => it.key || it.name) };
        return reply.type('text/html; charset=utf-8').send(renderAdminPage(ctx, req, reply, formPage(req, reply, { mode, values: keep, departments, blankRows: values.items.length - keep.items.length + 5 })));
      }
      const { input, rowOf } = toInput(values);
      try {
        const view = await save(input);
        return reply.code(303).redirect(mode === 'new' ? '/admin/data?done=created' : `/admin/data?done=saved#${encodeURIComponent(view.code)}`);
      } catch (err) {
        if (!(err instanceof AppError) || err.status >= 500) throw err;
        const errors = formErrors(err, rowOf);
        return reply
          .code(err.status)
          .type('text/html; charset=utf-8')
          .send(renderAdminPage(ctx, req, reply, formPage(req, reply, { mode, values, errors, departments, blankRows: 0 })));
      }
    };

    app.get('/admin/data/resources/new', { config: manage, schema: { hide } }, async (req, reply) => {
      const p = await requireStaffPage(ctx, req);
      const departments = await scopeDepartments(p);
      const own = departments?.find((d) => d.id === p.departmentId) ?? departments?.[0];
      return sendAdminPage(ctx, req, reply, formPage(req, reply, { mode: 'new', values: { ...EMPTY, providerDepartmentId: own ? String(own.id) : '' }, departments }));
    });

    app.post('/admin/data/resources/new', { config: manage, schema: { hide, body: FormPost } }, async (req, reply) => {
      const p = await requireStaffPage(ctx, req);
      return postForm(req, reply, p, 'new', req.body, (input) => createDataResource(ctx.db, p, input, auditActor(req)));
    });

    app.get('/admin/data/resources/:code/edit', { config: manage, schema: { hide, params: Params } }, async (req, reply) => {
      const p = await requireStaffPage(ctx, req);
      const view = await getDataResourceForStaff(ctx.db, p, req.params.code, auditActor(req));
      return sendAdminPage(ctx, req, reply, formPage(req, reply, { mode: 'edit', values: viewValues(view), departments: await scopeDepartments(p) }));
    });

    app.post('/admin/data/resources/:code/edit', { config: manage, schema: { hide, params: Params, body: FormPost } }, async (req, reply) => {
      const p = await requireStaffPage(ctx, req);
      await getDataResourceForStaff(ctx.db, p, req.params.code, auditActor(req)); // scope first (a refusal is recorded)
      return postForm(req, reply, p, 'edit', { ...req.body, code: req.params.code }, (input) => updateDataResource(ctx.db, p, req.params.code, input, auditActor(req)));
    });

    app.post('/admin/data/resources/:code/publish', { config: manage, schema: { hide, params: Params, body: FormPost } }, async (req, reply) => {
      const p = await requireStaffPage(ctx, req);
      await publishDataResource(ctx.db, p, req.params.code, auditActor(req));
      return reply.code(303).redirect('/admin/data?done=published');
    });

    app.post('/admin/data/resources/:code/retire', { config: manage, schema: { hide, params: Params, body: FormPost } }, async (req, reply) => {
      const p = await requireStaffPage(ctx, req);
      await retireDataResource(ctx.db, p, req.params.code, { reason: str(req.body.reason) }, auditActor(req));
      return reply.code(303).redirect('/admin/data?done=retired');
    });
  };
}
