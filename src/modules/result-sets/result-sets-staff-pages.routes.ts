/**
 * 结果发布 staff pages (HTML forms, no JavaScript needed): /staff/result-sets (the list), /new (create, from a
 * template), /:code (the set: uploads and their progress, publish, withdraw), /:code/edit, the upload (multipart,
 * the `_csrf` field first), /:code/template.csv (the header row to fill in). Each page needs 'results.publish';
 * the operations check the set's department. Every post ends in a redirect (PRG) or the same page again with the
 * errors beside their fields.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { stringify } from 'csv-stringify/sync';
import type { AppContext } from '../../http/context.ts';
import { auditActor } from '../../http/route-access.ts';
import { AppError, FieldErrorsError } from '../../shared/errors.ts';
import type { ResultColumn } from '../../db/schema.ts';
import { csrfInput, type FormErrors } from '../portal/forms.ts';
import type { StaffPrincipal } from '../access/principal.ts';
import { doneMessage, requireStaffPage } from '../staff/admin-page.ts';
import { createResultSet } from './create-result-set.ts';
import { updateResultSet } from './update-result-set.ts';
import { publishResultSet } from './publish-result-set.ts';
import { withdrawResultSet } from './withdraw-result-set.ts';
import { receiveResultUpload } from './upload-result-file.ts';
import { listDepartmentResultSets } from './list-department-result-sets.ts';
import { getResultSetStatus, loadSetInScope } from './get-result-set-status.ts';
import { registerResultUploads } from './result-sets-staff.routes.ts';
import { CODE_PATTERN, MAX_COLUMNS, RESULT_SET_TEMPLATES, type ResultSetView } from './result-sets.types.ts';
import {
  DONE_MESSAGES,
  formField,
  PAGES,
  renderSetForm,
  renderSetList,
  renderSetPage,
  sendResultSetPage,
  setHref,
  toLocalInput,
  type ColumnFormRow,
  type SetFormValues,
} from './result-sets-staff.page.ts';

const hide = true;
const Field = (max: number) => Type.Optional(Type.String({ maxLength: max }));
const FormPost = Type.Record(Type.String({ maxLength: 40 }), Type.Union([Type.String({ maxLength: 5000 }), Type.Array(Type.String({ maxLength: 5000 }), { maxItems: 10 })]), {
  maxProperties: 400,
});
const CodeParams = Type.Object({ code: Type.String({ pattern: CODE_PATTERN }) });
type Body = Record<string, string | string[] | undefined>;

const one = (v: string | string[] | undefined): string => (Array.isArray(v) ? (v[0] ?? '') : (v ?? ''));
const blankRow = (): ColumnFormRow => ({ key: '', label: '', type: 'text', required: false, isKey: false });

/** Form rows of a definition, with blank rows to fill in (a draft only). */
function formRows(columns: ResultColumn[], keyColumns: string[], blanks: number): ColumnFormRow[] {
  const rows: ColumnFormRow[] = columns.map((c) => ({ key: c.key, label: c.label, type: c.type, required: c.required, isKey: keyColumns.includes(c.key) }));
  for (let i = 0; i < blanks && rows.length < MAX_COLUMNS + 10; i++) rows.push(blankRow());
  return rows;
}

function readForm(body: Body): SetFormValues {
  let rows = 0;
  for (const k of Object.keys(body)) {
    const m = /^col_(?:key|label|type|required|iskey)_(\d{1,2})$/.exec(k);
    if (m) rows = Math.max(rows, Number(m[1]) + 1);
  }
  const columns: ColumnFormRow[] = [];
  for (let i = 0; i < Math.min(rows, MAX_COLUMNS + 10); i++) {
    columns.push({
      key: one(body[`col_key_${i}`]).trim(),
      label: one(body[`col_label_${i}`]).trim(),
      type: one(body[`col_type_${i}`]) || 'text',
      required: one(body[`col_required_${i}`]) === '1',
      isKey: one(body[`col_iskey_${i}`]) === '1',
    });
  }
  return {
    code: one(body.code).trim(),
    title: one(body.title),
    description: one(body.description),
    departmentId: one(body.departmentId),
    releaseAt: one(body.releaseAt).trim(),
    columns,
    confirmImmediateRelease: one(body.confirmImmediateRelease) === '1',
    revision: one(body.revision),
  };
}

/** The form's time (Beijing time, datetime-local) as the operations take it. */
function releaseAtOf(v: string): string {
  if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/.test(v)) return `${v}:00+08:00`;
  if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$/.test(v)) return `${v}+08:00`;
  return v;
}

/** The filled-in rows as columns and key columns; `rowOf[j]` is the form row of column j (for the errors). */
function definitionOf(rows: ColumnFormRow[]): { columns: ResultColumn[]; keyColumns: string[]; rowOf: number[] } {
  const columns: ResultColumn[] = [];
  const keyColumns: string[] = [];
  const rowOf: number[] = [];
  rows.forEach((r, i) => {
    if (!r.key && !r.label) return;
    // a key column is required by definition: ticking "查询关键字段" is enough
    columns.push({ key: r.key, label: r.label, type: r.type as ResultColumn['type'], required: r.required || r.isKey });
    if (r.isKey) keyColumns.push(r.key);
    rowOf.push(i);
  });
  return { columns, keyColumns, rowOf };
}

/** An operation's error as the form's errors (null: not one to show on the form). */
function formErrors(err: unknown, rowOf: number[] = []): FormErrors | null {
  if (!(err instanceof AppError) || err.status >= 500 || err.status === 403 || err.status === 404 || err.code === 'CSRF_REJECTED') return null;
  const list = err instanceof FieldErrorsError ? err.errors : [{ field: err.field ?? '', message: err.message }];
  const out: FormErrors = {};
  for (const e of list) {
    const m = /^columns\[(\d+)\]\.(\w+)$/.exec(e.field);
    const field = m ? formField(`columns[${rowOf[Number(m[1])] ?? Number(m[1])}].${m[2]}`) : formField(e.field);
    out[field] ??= e.message;
  }
  return out;
}

export function resultSetStaffPageRoutes(ctx: AppContext): FastifyPluginAsyncTypebox {
  return async (app) => {
    await registerResultUploads(app, ctx);
    const config = { access: { permission: 'results.publish' as const } };
    const trail = (o: { title?: string; code?: string; last?: string } = {}) => [
      { label: '查询结果发布', href: o.title || o.last ? PAGES : undefined },
      ...(o.title ? [{ label: o.title, href: o.last && o.code ? setHref(o.code) : undefined }] : []),
      ...(o.last ? [{ label: o.last }] : []),
    ];

    async function departmentsFor(p: StaffPrincipal) {
      return (await listDepartmentResultSets(ctx.db, p, { size: 1 })).departments;
    }

    app.get(PAGES, { config, schema: { hide, querystring: Type.Object({ done: Field(20), page: Field(6) }) } }, async (req, reply) => {
      const p = await requireStaffPage(ctx, req);
      const page = /^[1-9][0-9]{0,4}$/.test(req.query.page ?? '') ? Number(req.query.page) : 1;
      const list = await listDepartmentResultSets(ctx.db, p, { page });
      return sendResultSetPage(ctx, req, reply, { title: '查询结果发布', trail: trail(), body: renderSetList({ list, done: doneMessage(req.query.done, DONE_MESSAGES) }) });
    });

    // ---- create ----
    async function showCreate(req: FastifyRequest, reply: FastifyReply, p: StaffPrincipal, o: { values: SetFormValues; template?: string; errors?: FormErrors; status?: number }) {
      const departments = await departmentsFor(p);
      const body = renderSetForm({ mode: 'create', values: o.values, errors: o.errors, csrf: csrfInput(req, reply), departments, template: o.template });
      return sendResultSetPage(ctx, req, reply, { title: `${o.errors ? '（有错误）' : ''}新建结果集`, trail: trail({ last: '新建结果集' }), body, status: o.status });
    }

    app.get(`${PAGES}/new`, { config, schema: { hide, querystring: Type.Object({ template: Field(40) }) } }, async (req, reply) => {
      const p = await requireStaffPage(ctx, req);
      const key = req.query.template ?? '';
      const t = Object.hasOwn(RESULT_SET_TEMPLATES, key) ? RESULT_SET_TEMPLATES[key] : undefined;
      const departments = await departmentsFor(p);
      const departmentId = String(departments.find((d) => d.id === p.departmentId)?.id ?? departments[0]?.id ?? '');
      const values: SetFormValues = {
        code: '',
        title: t?.title ?? '',
        description: t?.description ?? '',
        departmentId,
        releaseAt: '',
        columns: t ? formRows(t.columns, t.keyColumns, 3) : formRows([], [], 6),
        confirmImmediateRelease: false,
        revision: '',
      };
      return showCreate(req, reply, p, { values, template: t ? key : '' });
    });

    app.post(PAGES, { config, schema: { hide, body: FormPost } }, async (req, reply) => {
      const p = await requireStaffPage(ctx, req);
      const values = readForm(req.body as Body);
      if (one((req.body as Body)._more) === '1') {
        values.columns = [...values.columns, ...Array.from({ length: 5 }, blankRow)].slice(0, MAX_COLUMNS + 10);
        return showCreate(req, reply, p, { values });
      }
      const def = definitionOf(values.columns);
      try {
        const departmentId = /^[1-9][0-9]{0,8}$/.test(values.departmentId) ? Number(values.departmentId) : undefined;
        await createResultSet(
          ctx,
          p,
          { code: values.code, title: values.title, description: values.description, departmentId, columns: def.columns, keyColumns: def.keyColumns, releaseAt: releaseAtOf(values.releaseAt) },
          auditActor(req),
        );
      } catch (err) {
        const errors = formErrors(err, def.rowOf);
        if (!errors) throw err;
        return showCreate(req, reply, p, { values, errors, status: (err as AppError).status });
      }
      return reply.redirect(`${setHref(values.code)}?done=created`, 303);
    });

    // ---- the set ----
    async function showSet(req: FastifyRequest, reply: FastifyReply, o: { view: ResultSetView; errors?: FormErrors; done?: string; status?: number; refreshOff?: boolean }) {
      const refresh = o.view.loadInProgress && !o.refreshOff && !o.errors;
      const body = renderSetPage({ view: o.view, csrf: csrfInput(req, reply), errors: o.errors, done: o.done, maxMb: ctx.config.resultUploadMaxMb, refresh, refreshOff: !!o.refreshOff });
      return sendResultSetPage(ctx, req, reply, { title: `${o.errors ? '（有错误）' : ''}${o.view.title}`, trail: trail({ title: o.view.title }), body, status: o.status, refresh });
    }

    app.get(`${PAGES}/:code`, { config, schema: { hide, params: CodeParams, querystring: Type.Object({ done: Field(20), refresh: Field(2) }) } }, async (req, reply) => {
      const p = await requireStaffPage(ctx, req);
      const view = await getResultSetStatus(ctx.db, p, req.params.code, auditActor(req));
      return showSet(req, reply, { view, done: doneMessage(req.query.done, DONE_MESSAGES), refreshOff: req.query.refresh === '0' });
    });

    /** Runs a post on the set; a refusal to show (409, 400, 413, 415) is the set's page again with the error. */
    async function onSet(req: FastifyRequest, reply: FastifyReply, code: string, run: (p: StaffPrincipal) => Promise<unknown>, done: string, field: string) {
      const p = await requireStaffPage(ctx, req);
      try {
        await run(p);
      } catch (err) {
        const errors = formErrors(err);
        if (!errors) throw err;
        const view = await getResultSetStatus(ctx.db, p, code, auditActor(req));
        const shown = Object.fromEntries(Object.entries(errors).map(([k, m]) => [k === 'releaseAt' || k === 'reason' ? k : field, m]));
        return showSet(req, reply, { view, errors: shown, status: (err as AppError).status });
      }
      return reply.redirect(`${setHref(code)}?done=${done}`, 303);
    }

    app.post(`${PAGES}/:code/loads`, { config: { ...config, csrf: false }, schema: { hide, params: CodeParams } }, async (req, reply) =>
      onSet(req, reply, req.params.code, (p) => receiveResultUpload(ctx, req, p, req.params.code, auditActor(req), { maxMb: ctx.config.resultUploadMaxMb }), 'uploaded', 'file'),
    );

    app.post(`${PAGES}/:code/publish`, { config, schema: { hide, params: CodeParams, body: FormPost } }, async (req, reply) =>
      onSet(
        req,
        reply,
        req.params.code,
        (p) => publishResultSet(ctx, p, req.params.code, { confirmImmediateRelease: one((req.body as Body).confirmImmediateRelease) === '1' }, auditActor(req)),
        'published',
        'releaseAt',
      ),
    );

    app.post(`${PAGES}/:code/withdraw`, { config, schema: { hide, params: CodeParams, body: FormPost } }, async (req, reply) =>
      onSet(req, reply, req.params.code, (p) => withdrawResultSet(ctx, p, req.params.code, { reason: one((req.body as Body).reason) }, auditActor(req)), 'withdrawn', 'reason'),
    );

    app.get(`${PAGES}/:code/template.csv`, { config, exposeHeadRoute: false, schema: { hide, params: CodeParams } }, async (req, reply) => {
      const p = await requireStaffPage(ctx, req);
      const { set } = await loadSetInScope(ctx.db, p, req.params.code, auditActor(req));
      const csv = `\uFEFF${stringify([set.columns.map((c) => c.label)], { record_delimiter: 'windows' })}`;
      return reply
        .header('content-type', 'text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="template.csv"; filename*=UTF-8''${encodeURIComponent(`${set.title}-表头模板.csv`)}`)
        .header('cache-control', 'no-store')
        .send(csv);
    });

    // ---- edit ----
    async function showEdit(req: FastifyRequest, reply: FastifyReply, view: ResultSetView, o: { values: SetFormValues; errors?: FormErrors; status?: number }) {
      const body = renderSetForm({ mode: 'edit', values: o.values, errors: o.errors, csrf: csrfInput(req, reply), departments: [], status: view.status, code: view.code });
      return sendResultSetPage(ctx, req, reply, { title: `${o.errors ? '（有错误）' : ''}修改：${view.title}`, trail: trail({ title: view.title, code: view.code, last: '修改' }), body, status: o.status });
    }

    app.get(`${PAGES}/:code/edit`, { config, schema: { hide, params: CodeParams } }, async (req, reply) => {
      const p = await requireStaffPage(ctx, req);
      const view = await getResultSetStatus(ctx.db, p, req.params.code, auditActor(req));
      const values: SetFormValues = {
        code: view.code,
        title: view.title,
        description: view.description,
        departmentId: String(view.department.id),
        releaseAt: toLocalInput(view.releaseAt),
        columns: formRows(view.columns, view.keyColumns, view.status === 'draft' ? 3 : 0),
        confirmImmediateRelease: false,
        revision: String(view.revision),
      };
      return showEdit(req, reply, view, { values });
    });

    app.post(`${PAGES}/:code/edit`, { config, schema: { hide, params: CodeParams, body: FormPost } }, async (req, reply) => {
      const p = await requireStaffPage(ctx, req);
      const view = await getResultSetStatus(ctx.db, p, req.params.code, auditActor(req));
      const values = readForm(req.body as Body);
      const draft = view.status === 'draft';
      if (!draft) {
        // only the labels can change: the structure is the set's own, whatever the form says
        values.columns = view.columns.map((c, i) => ({ ...formRows([c], view.keyColumns, 0)[0]!, label: values.columns[i]?.label ?? c.label }));
      }
      if (draft && one((req.body as Body)._more) === '1') {
        values.columns = [...values.columns, ...Array.from({ length: 5 }, blankRow)].slice(0, MAX_COLUMNS + 10);
        return showEdit(req, reply, view, { values });
      }
      const def = definitionOf(values.columns);
      try {
        await updateResultSet(
          ctx,
          p,
          view.code,
          {
            title: values.title,
            description: values.description,
            columns: def.columns,
            keyColumns: draft ? def.keyColumns : view.keyColumns,
            // unchanged on the form: leave it (the form shows minutes; the stored time may have seconds)
            releaseAt: values.releaseAt === toLocalInput(view.releaseAt) ? undefined : releaseAtOf(values.releaseAt),
            confirmImmediateRelease: values.confirmImmediateRelease,
            revision: /^[1-9][0-9]{0,9}$/.test(values.revision) ? Number(values.revision) : undefined,
          },
          auditActor(req),
        );
      } catch (err) {
        const errors = formErrors(err, def.rowOf);
        if (!errors) throw err;
        return showEdit(req, reply, view, { values, errors, status: (err as AppError).status });
      }
      return reply.redirect(`${setHref(view.code)}?done=saved`, 303);
    });
  };
}
