/**
 * 三张清单 staff pages under /admin/lists (Chinese, no JavaScript, PRG, `_csrf` on every form): my lists; one
 * department's list (entries with edit and remove, new entry, import upload with the template, submit with a
 * note, history); the entry form with errors beside fields; the review queue and one edition in review (diff
 * against the published version, publish or return with a comment); any edition and its diff.
 * Registered from three-lists.routes.ts.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { AppContext } from '../../http/context.ts';
import { auditActor } from '../../http/route-access.ts';
import type { ListKind } from '../../db/schema.ts';
import { AppError, FieldErrorsError, InvalidParameterError, NotFoundError } from '../../shared/errors.ts';
import { can } from '../access/authorize.ts';
import type { StaffPrincipal } from '../access/principal.ts';
import { readUpload } from '../attachments/read-upload.ts';
import { csrfInput, type FormErrors } from '../portal/forms.ts';
import { doneMessage, requireStaffPage, sendAdminPage } from '../staff/admin-page.ts';
import { diffEntries, diffEditions } from './diff-list-editions.ts';
import { importListEntries, ImportRejectedError, type ImportMode, type RowProblem } from './import-list-entries.ts';
import { assertMayReview, findListDepartment } from './list-access.ts';
import { entryFromCells, LIST_COLUMNS, type ListColumn } from './list-columns.ts';
import { getStaffEdition, getStaffList, listEditionsInReview, listMyLists, type StaffListView } from './list-staff-lists.ts';
import { listTemplate } from './list-template.ts';
import { getEdition } from './get-list-edition.ts';
import { publishListEdition } from './publish-list-edition.ts';
import { removeListEntry } from './remove-list-entry.ts';
import { returnListDraft } from './return-list-draft.ts';
import { saveListEntry } from './save-list-entry.ts';
import { submitListDraft } from './submit-list-draft.ts';
import { LIST_KINDS } from './three-lists.types.ts';
import {
  DONE_MESSAGES,
  formValuesOf,
  listHref,
  PAGES,
  renderDiffPage,
  renderEditionPage,
  renderEntryForm,
  renderListPage,
  renderMyLists,
  renderReviewPage,
  renderReviewQueue,
} from './three-lists.page.ts';
import { LIST_UPLOAD_MAX_MB, registerListUploads } from './list-uploads.ts';
import { StringEnum } from '../../http/schemas.ts';

const hide = true;
const config = { access: 'staff' as const };
const Kind = StringEnum(Object.keys(LIST_KINDS) as ListKind[]);
const Id = Type.Integer({ minimum: 1, maximum: 2_147_483_647 });
const ListParams = Type.Object({ kind: Kind, departmentId: Id });
const EntryParams = Type.Object({ kind: Kind, departmentId: Id, key: Type.String({ minLength: 1, maxLength: 64 }) });
const EditionParams = Type.Object({ id: Id });
const Done = Type.Object({ done: Type.Optional(Type.String({ maxLength: 20 })) });
const FormPost = Type.Record(Type.String({ maxLength: 40 }), Type.Union([Type.String({ maxLength: 100_000 }), Type.Array(Type.String({ maxLength: 10_000 }), { maxItems: 10 })]), {
  maxProperties: 40,
});
type Body = Record<string, string | string[] | undefined>;
const one = (v: string | string[] | undefined): string => (Array.isArray(v) ? (v[0] ?? '') : (v ?? ''));

/** The form's fields as a raw entry (text areas: one value per line). */
function entryOfForm(kind: ListKind, body: Body): { raw: Record<string, unknown>; values: Record<string, string> } {
  const cells = new Map<ListColumn, string>();
  const values: Record<string, string> = {};
  for (const c of LIST_COLUMNS[kind]) {
    const v = one(body[c.field]);
    values[c.field] = v;
    cells.set(c, v);
  }
  return { raw: entryFromCells(kind, cells), values };
}

/** An operation's error as the form's errors (null: not one to show on a form). */
function formErrors(err: unknown): FormErrors | null {
  if (!(err instanceof AppError) || err.status >= 500 || err.status === 403 || err.code === 'CSRF_REJECTED') return null;
  if (err.status === 404 && err.field === 'departmentId') return null;
  const list = err instanceof FieldErrorsError ? err.errors : [{ field: err.field ?? '', message: err.message }];
  const out: FormErrors = {};
  for (const e of list) {
    const base = e.field.split('.')[0]!;
    const field = ['entry', 'status', 'originalKey', 'departmentId', 'body'].includes(base) ? '' : base;
    out[field] ??= e.message;
  }
  return out;
}

export function threeListsPageRoutes(ctx: AppContext): FastifyPluginAsyncTypebox {
  return async (app) => {
    await registerListUploads(app);
    const listTrail = (v: { kind: ListKind; department: { id: number; name: string } }, last?: string) => [
      { label: '三张清单', href: PAGES },
      { label: `${v.department.name}${LIST_KINDS[v.kind].short}`, href: last ? listHref(v.kind, v.department.id) : undefined },
      ...(last ? [{ label: last }] : []),
    ];

    app.get(PAGES, { config, schema: { hide, querystring: Done } }, async (req, reply) => {
      const p = await requireStaffPage(ctx, req);
      const rows = await listMyLists(ctx.db, p);
      const mayReview = can(p, 'lists.publish');
      const reviewCount = mayReview ? (await listEditionsInReview(ctx.db, p)).length : 0;
      return sendAdminPage(ctx, req, reply, { title: '三张清单编制', trail: [{ label: '三张清单' }], body: renderMyLists({ rows, mayReview, reviewCount, done: doneMessage(req.query.done, DONE_MESSAGES) }) });
    });

    // ---- templates ----
    for (const format of ['csv', 'xlsx'] as const) {
      app.get(`${PAGES}/:kind/template.${format}`, { config, exposeHeadRoute: false, schema: { hide, params: Type.Object({ kind: Kind }) } }, async (req, reply) => {
        await requireStaffPage(ctx, req);
        const t = await listTemplate(req.params.kind, format);
        return reply
          .header('content-type', t.contentType)
          .header('content-disposition', `attachment; filename="template.${format}"; filename*=UTF-8''${encodeURIComponent(t.fileName)}`)
          .send(t.bytes);
      });
    }

    // ---- review ----
    app.get(`${PAGES}/review`, { config, schema: { hide, querystring: Done } }, async (req, reply) => {
      const p = await requireStaffPage(ctx, req);
      if (!can(p, 'lists.publish')) throw new AppError('FORBIDDEN', '只有平台管理员可以审核清单');
      const rows = await listEditionsInReview(ctx.db, p);
      return sendAdminPage(ctx, req, reply, { title: '清单审核', trail: [{ label: '三张清单', href: PAGES }, { label: '审核' }], body: renderReviewQueue({ rows, done: doneMessage(req.query.done, DONE_MESSAGES) }) });
    });

    async function showReview(req: FastifyRequest, reply: FastifyReply, p: StaffPrincipal, id: number, o: { errors?: FormErrors; status?: number } = {}) {
      const edition = await getStaffEdition(ctx.db, p, id, auditActor(req));
      const d = await findListDepartment(ctx.db, edition.departmentId);
      await assertMayReview(ctx.db, p, edition.kind, d, auditActor(req));
      const pub = await ctx.db
        .selectFrom('list_editions')
        .select(['id', 'version'])
        .where('list_kind', '=', edition.kind)
        .where('department_id', '=', edition.departmentId)
        .where('status', '=', 'published')
        .executeTakeFirst();
      const base = pub && pub.id !== edition.id ? await getEdition(ctx.db, pub.id) : undefined;
      const diff = diffEntries(base?.entries ?? [], edition.entries);
      const body = renderReviewPage({ edition, diff, baseVersion: base?.version ?? null, csrf: csrfInput(req, reply), errors: o.errors, mayReview: true });
      return sendAdminPage(ctx, req, reply, {
        title: `${o.errors ? '（有错误）' : ''}审核 ${edition.departmentName}${LIST_KINDS[edition.kind].short}`,
        trail: [{ label: '三张清单', href: PAGES }, { label: '审核', href: `${PAGES}/review` }, { label: edition.departmentName }],
        body,
        status: o.status,
      });
    }

    app.get(`${PAGES}/review/:id`, { config, schema: { hide, params: EditionParams } }, async (req, reply) => showReview(req, reply, await requireStaffPage(ctx, req), req.params.id));

    app.post(`${PAGES}/review/:id/publish`, { config, schema: { hide, params: EditionParams, body: FormPost } }, async (req, reply) => {
      const p = await requireStaffPage(ctx, req);
      try {
        await publishListEdition(ctx.db, p, req.params.id, { comment: one((req.body as Body).publishComment) }, auditActor(req));
      } catch (err) {
        const errors = formErrors(err);
        if (!errors) throw err;
        if (errors.comment) errors.publishComment = errors.comment;
        return showReview(req, reply, p, req.params.id, { errors, status: (err as AppError).status });
      }
      return reply.redirect(`${PAGES}/review?done=published`, 303);
    });

    app.post(`${PAGES}/review/:id/return`, { config, schema: { hide, params: EditionParams, body: FormPost } }, async (req, reply) => {
      const p = await requireStaffPage(ctx, req);
      try {
        await returnListDraft(ctx.db, p, req.params.id, { comment: one((req.body as Body).comment) }, auditActor(req));
      } catch (err) {
        const errors = formErrors(err);
        if (!errors) throw err;
        return showReview(req, reply, p, req.params.id, { errors, status: (err as AppError).status });
      }
      return reply.redirect(`${PAGES}/review?done=returned`, 303);
    });

    // ---- editions and diffs ----
    app.get(`${PAGES}/editions/:id`, { config, schema: { hide, params: EditionParams } }, async (req, reply) => {
      const p = await requireStaffPage(ctx, req);
      const edition = await getStaffEdition(ctx.db, p, req.params.id, auditActor(req));
      return sendAdminPage(ctx, req, reply, {
        title: `${edition.departmentName}${LIST_KINDS[edition.kind].short}`,
        trail: [{ label: '三张清单', href: PAGES }, { label: `${edition.departmentName}${LIST_KINDS[edition.kind].short}`, href: listHref(edition.kind, edition.departmentId) }, { label: edition.version ? `第 ${edition.version} 版` : '草稿' }],
        body: renderEditionPage({ edition }),
      });
    });

    app.get(`${PAGES}/editions/:id/diff`, { config, schema: { hide, params: EditionParams, querystring: Type.Object({ from: Type.Optional(Id) }) } }, async (req, reply) => {
      const p = await requireStaffPage(ctx, req);
      const to = await getStaffEdition(ctx.db, p, req.params.id, auditActor(req));
      let fromId = req.query.from;
      if (fromId === undefined) {
        const prev = to.version
          ? await ctx.db.selectFrom('list_editions').select('id').where('list_kind', '=', to.kind).where('department_id', '=', to.departmentId).where('version', '=', to.version - 1).executeTakeFirst()
          : await ctx.db.selectFrom('list_editions').select('id').where('list_kind', '=', to.kind).where('department_id', '=', to.departmentId).where('status', '=', 'published').executeTakeFirst();
        fromId = prev?.id;
      } else await getStaffEdition(ctx.db, p, fromId, auditActor(req));
      const trail = [{ label: '三张清单', href: PAGES }, { label: `${to.departmentName}${LIST_KINDS[to.kind].short}`, href: listHref(to.kind, to.departmentId) }, { label: '版本比较' }];
      if (fromId === undefined) {
        return sendAdminPage(ctx, req, reply, { title: '版本比较', trail, body: renderDiffPage({ from: { version: null, status: 'draft' }, to, diff: diffEntries([], to.entries) }) });
      }
      const d = await diffEditions(ctx.db, fromId, to.id, { includeDrafts: true });
      const from = (await getEdition(ctx.db, fromId, { includeDrafts: true }))!;
      return sendAdminPage(ctx, req, reply, { title: '版本比较', trail, body: renderDiffPage({ from, to, diff: d }) });
    });

    // ---- one department's list ----
    async function showList(req: FastifyRequest, reply: FastifyReply, view: StaffListView, o: { errors?: FormErrors; importErrors?: RowProblem[]; status?: number; done?: string } = {}) {
      const body = renderListPage({ view, csrf: csrfInput(req, reply), done: o.done, errors: o.errors, importErrors: o.importErrors });
      return sendAdminPage(ctx, req, reply, { title: `${o.errors || o.importErrors ? '（有错误）' : ''}${view.department.name}${LIST_KINDS[view.kind].short}`, trail: listTrail(view), body, status: o.status });
    }

    app.get(`${PAGES}/:kind/:departmentId`, { config, schema: { hide, params: ListParams, querystring: Done } }, async (req, reply) => {
      const p = await requireStaffPage(ctx, req);
      const view = await getStaffList(ctx.db, p, req.params.kind, req.params.departmentId, auditActor(req));
      return showList(req, reply, view, { done: doneMessage(req.query.done, DONE_MESSAGES) });
    });

    async function showEntryForm(req: FastifyRequest, reply: FastifyReply, o: { view: StaffListView; values: Record<string, string>; originalKey?: string; errors?: FormErrors; status?: number }) {
      const base = listHref(o.view.kind, o.view.department.id);
      const body = renderEntryForm({
        kind: o.view.kind,
        departmentName: o.view.department.name,
        action: `${base}/entries`,
        cancel: base,
        csrf: csrfInput(req, reply),
        values: o.values,
        originalKey: o.originalKey,
        errors: o.errors,
      });
      const title = o.originalKey ? `修改条目 ${o.originalKey}` : '新增条目';
      return sendAdminPage(ctx, req, reply, { title: `${o.errors ? '（有错误）' : ''}${title}`, trail: listTrail(o.view, title), body, status: o.status });
    }

    function assertEditable(view: StaffListView): void {
      if (!view.mayEdit) throw new AppError('FORBIDDEN', '您不能编制该部门的这份清单');
      if (view.open?.status === 'in_review') throw new AppError('CONFLICT', '该清单已提交审核，审核结束（发布或退回）前不能修改', 'status');
    }

    app.get(`${PAGES}/:kind/:departmentId/entries/new`, { config, schema: { hide, params: ListParams } }, async (req, reply) => {
      const p = await requireStaffPage(ctx, req);
      const view = await getStaffList(ctx.db, p, req.params.kind, req.params.departmentId, auditActor(req));
      assertEditable(view);
      return showEntryForm(req, reply, { view, values: {} });
    });

    app.get(`${PAGES}/:kind/:departmentId/entries/:key/edit`, { config, schema: { hide, params: EntryParams } }, async (req, reply) => {
      const p = await requireStaffPage(ctx, req);
      const view = await getStaffList(ctx.db, p, req.params.kind, req.params.departmentId, auditActor(req));
      assertEditable(view);
      const entry = (view.open ?? view.published)?.entries.find((e) => e.key === req.params.key);
      if (!entry) throw new NotFoundError('没有这个条目');
      return showEntryForm(req, reply, { view, values: formValuesOf(view.kind, entry), originalKey: entry.key });
    });

    app.post(`${PAGES}/:kind/:departmentId/entries`, { config, schema: { hide, params: ListParams, body: FormPost } }, async (req, reply) => {
      const p = await requireStaffPage(ctx, req);
      const body = req.body as Body;
      const { raw, values } = entryOfForm(req.params.kind, body);
      for (const f of ['type', 'level', 'powerSource', 'category']) if (body[f] !== undefined) values[f] = one(body[f]);
      const originalKey = one(body.originalKey).trim() || undefined;
      try {
        await saveListEntry(ctx.db, p, req.params.kind, req.params.departmentId, { entry: raw, originalKey }, auditActor(req));
      } catch (err) {
        const errors = formErrors(err);
        if (!errors) throw err;
        const view = await getStaffList(ctx.db, p, req.params.kind, req.params.departmentId, auditActor(req));
        return showEntryForm(req, reply, { view, values, originalKey, errors, status: (err as AppError).status });
      }
      return reply.redirect(`${listHref(req.params.kind, req.params.departmentId)}?done=saved`, 303);
    });

    app.post(`${PAGES}/:kind/:departmentId/entries/:key/remove`, { config, schema: { hide, params: EntryParams, body: FormPost } }, async (req, reply) => {
      const p = await requireStaffPage(ctx, req);
      try {
        await removeListEntry(ctx.db, p, req.params.kind, req.params.departmentId, req.params.key, auditActor(req));
      } catch (err) {
        const errors = formErrors(err);
        if (!errors) throw err;
        const view = await getStaffList(ctx.db, p, req.params.kind, req.params.departmentId, auditActor(req));
        return showList(req, reply, view, { errors: { '': Object.values(errors)[0]! }, status: (err as AppError).status });
      }
      return reply.redirect(`${listHref(req.params.kind, req.params.departmentId)}?done=removed`, 303);
    });

    app.post(
      `${PAGES}/:kind/:departmentId/import`,
      { config: { ...config, csrf: false }, schema: { hide, params: ListParams } }, // the _csrf field is checked while reading the upload
      async (req, reply) => {
        const p = await requireStaffPage(ctx, req);
        const { kind, departmentId } = req.params;
        try {
          const up = await readUpload(req, { maxMb: LIST_UPLOAD_MAX_MB, fileField: 'file', csrfToken: p.csrfToken });
          if (!up.file || !up.file.bytes.length) throw new InvalidParameterError('file', '请选择要导入的文件');
          await importListEntries(ctx.db, p, kind, departmentId, { bytes: up.file.bytes, fileName: up.file.fileName }, (up.fields.mode === 'replace' ? 'replace' : 'merge') as ImportMode, auditActor(req));
        } catch (err) {
          if (err instanceof ImportRejectedError) {
            const view = await getStaffList(ctx.db, p, kind, departmentId, auditActor(req));
            return showList(req, reply, view, { importErrors: err.rows, status: 400 });
          }
          const errors = formErrors(err);
          if (!errors) throw err;
          const view = await getStaffList(ctx.db, p, kind, departmentId, auditActor(req));
          const e: FormErrors = errors.file ? { file: errors.file } : { '': Object.values(errors)[0]! };
          return showList(req, reply, view, { errors: e, status: (err as AppError).status });
        }
        return reply.redirect(`${listHref(kind, departmentId)}?done=imported`, 303);
      },
    );

    app.post(`${PAGES}/:kind/:departmentId/submit`, { config, schema: { hide, params: ListParams, body: FormPost } }, async (req, reply) => {
      const p = await requireStaffPage(ctx, req);
      try {
        await submitListDraft(ctx.db, p, req.params.kind, req.params.departmentId, { note: one((req.body as Body).note) }, auditActor(req));
      } catch (err) {
        const errors = formErrors(err);
        if (!errors) throw err;
        const view = await getStaffList(ctx.db, p, req.params.kind, req.params.departmentId, auditActor(req));
        return showList(req, reply, view, { errors: errors.note ? { note: errors.note } : { '': Object.values(errors)[0]! }, status: (err as AppError).status });
      }
      return reply.redirect(`${listHref(req.params.kind, req.params.departmentId)}?done=submitted`, 303);
    });
  };
}

