/**
 * Applicant pages (zh-CN, no JavaScript needed): 在线申请 (/apply/:itemCode, step by step with save-draft,
 * materials, review and an idempotent submission), 我的办件 with detail, 补正 and 撤回, 消息, and the public
 * 办件进度查询 (/progress). Every change is a POST carrying `_csrf` that redirects (303) when it succeeds and
 * shows the page again with the error beside its field when it does not. The operations are the API's.
 */
import { randomBytes } from 'node:crypto';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { AppContext } from '../../http/context.ts';
import { CsrfField, ItemCode, Uuid } from '../../http/schemas.ts';
import type { Html } from '../../http/html.ts';
import { auditActor } from '../../http/route-access.ts';
import { AppError, FieldErrorsError, InvalidParameterError, NotFoundError } from '../../shared/errors.ts';
import type { PersonPrincipal } from '../access/principal.ts';
import { requirePerson } from '../delegation/delegation.http.ts';
import { layout } from '../portal/layout.ts';
import { csrfInput, type FormErrors } from '../portal/forms.ts';
import { readPreferences } from '../portal/preferences.ts';
import { pageAccount, sendPage, sessionPrincipal, type SessionPrincipal } from '../portal/account/account-kit.ts';
import { parseFormPost, type PostBody } from '../forms/parse-form-post.ts';
import { validateFormData, validateStep } from '../forms/validate-form-data.ts';
import { requiredSlots } from '../forms/material-slots.ts';
import { prefillValues } from '../forms/prefill-values.ts';
import { conditionHolds } from '../forms/conditions.ts';
import { fieldDomId } from '../forms/field-names.ts';
import type { FormError } from '../forms/form.types.ts';
import { attachmentDeps } from '../attachments/attachments.types.ts';
import { readUpload, type Upload } from '../attachments/read-upload.ts';
import { storeAttachment } from '../attachments/store-attachment.ts';
import { deleteAttachment } from '../attachments/delete-attachment.ts';
import { listAttachments } from '../attachments/list-attachments.ts';
import { APPLICATION_NUMBER_PATTERN } from './application-numbers.ts';
import { loadApplicableItem, type ApplicableItem } from './load-applicable-item.ts';
import { resolveApplicant } from './resolve-applicant.ts';
import { deleteDraft, getDraft, listDrafts, saveDraft, type DraftView } from './save-draft.ts';
import { submitApplication } from './submit-application.ts';
import { getApplication, type ApplicationView } from './get-application.ts';
import { actOnApplication } from './act-on-application.ts';
import { listMyApplications } from './list-my-applications.ts';
import { listNotifications, markNotificationsRead } from './list-notifications.ts';
import { lookupProgress, type ProgressView } from './lookup-progress.ts';
import {
  applyBase, materialsHref, pageHref, renderMaterialsPage, renderReviewPage, renderStartPage, renderStepPage, reviewHref, stepHref, type ApplyPage,
} from './apply.page.ts';
import {
  myHref, renderApplicationDetail, renderConflict, renderMyApplications, renderNotifications, renderWithdraw, supplementForm, type SupplementState,
} from './my-applications.page.ts';
import { renderProgressPage } from './progress.page.ts';
import { registerUploads } from '../../http/uploads.ts';
import { listOnlineItems } from './list-online-items.ts';
import { exemptSlots, filledFieldValues, loadOnceOnlyState, sourceNote, type OnceOnlyState } from '../once-only/once-only-state.ts';
import { renderOnceOnlyBlock } from '../once-only/once-only.page.ts';

const hide = true;
const Field = (max: number) => Type.Optional(Type.String({ maxLength: max }));
/** An HTML form's body as posted: names to a value, or to several (checkboxes, multiselects). */
const FormPost = Type.Record(Type.String(), Type.Union([Type.String({ maxLength: 10_000 }), Type.Array(Type.String({ maxLength: 10_000 }), { maxItems: 1000 })]));
const ItemParams = Type.Object({ itemCode: ItemCode });
const StepParams = Type.Object({ itemCode: ItemCode, key: Type.String({ pattern: '^[A-Za-z][A-Za-z0-9_]{0,60}$' }) });
const SlotParams = Type.Object({ itemCode: ItemCode, slot: Type.String({ pattern: '^m[0-9]{1,4}$' }) });
const NumberParams = Type.Object({ number: Type.String({ pattern: APPLICATION_NUMBER_PATTERN }) });
const DoneQuery = Type.Object({ done: Field(20), saved: Field(2) });

const first = (v: string | string[] | undefined): string | undefined => (Array.isArray(v) ? v[0] : v);
const IDEMPOTENCY_KEY = /^[A-Za-z0-9_-]{8,100}$/;

function draftValues(d: DraftView | null): Record<string, unknown> {
  return d ? d.formData : {};
}

/** Where a draft was left: its form step, or — the two pages after the steps — materials / review. */
function savedPage(item: ApplicableItem, d: DraftView | null): ApplyPage {
  const n = item.form.steps.length;
  if (d?.step === n) return { kind: 'materials' };
  if (d?.step === n + 1) return { kind: 'review' };
  const step = item.form.steps[d?.step ?? 0] ?? item.form.steps[0]!;
  return { kind: 'step', key: step.key };
}

/** Errors of an operation ('formData.x', 'materials.m1') split for the form and the material slots. */
function splitFieldErrors(err: FieldErrorsError): { form: FormError[]; materials: Record<string, string>; other: string[] } {
  const form: FormError[] = [];
  const materials: Record<string, string> = {};
  const other: string[] = [];
  for (const e of err.errors) {
    if (e.field.startsWith('formData.')) form.push({ field: e.field.slice('formData.'.length), code: (e.code ?? 'type') as FormError['code'], message: e.message });
    else if (e.field.startsWith('materials.')) materials[e.field.slice('materials.'.length)] ??= e.message;
    else other.push(e.message);
  }
  return { form, materials, other };
}

const isVersionConflict = (err: unknown) => err instanceof AppError && err.code === 'CONFLICT';

export function applicationPageRoutes(ctx: AppContext): FastifyPluginAsyncTypebox {
  return async (app) => {
    await registerUploads(app, ctx);
    const person = { access: 'person' as const };

    function page(req: FastifyRequest, reply: FastifyReply, p: SessionPrincipal, o: { title: string; trail: { label: string; href?: string }[]; body: Html; status?: number }): FastifyReply {
      const html = layout(ctx, {
        title: o.title,
        prefs: readPreferences(ctx, req, reply),
        path: req.url,
        breadcrumbs: [{ label: '首页', href: '/' }, { label: '个人中心', href: '/me' }, ...o.trail],
        body: o.body,
        account: pageAccount(p),
      });
      return sendPage(reply, html, o.status ?? 200);
    }

    const applyTrail = (item: ApplicableItem, last?: string) => [
      { label: '我的办件', href: '/my/applications' },
      { label: `在线申请：${item.name}`, href: applyBase(item.code) },
      ...(last ? [{ label: last }] : []),
    ];

    /**
     * The item, the applicant (the person, or whom they act for), their draft, the values so far, and what the
     * draft obtained by data sharing (免提交: filled fields win over anything posted).
     */
    async function applyState(p: PersonPrincipal, code: string) {
      const item = await loadApplicableItem(ctx.db, code);
      const applicant = await resolveApplicant(ctx.db, p, item.basicCode, { withMobile: true });
      const draft = await getDraft(ctx.db, p, item.code);
      const shared = await loadOnceOnlyState(ctx.db, { itemCode: item.code, subjectType: applicant.subjectType, draftId: draft?.id ?? null });
      const values = { ...(draft ? draftValues(draft) : prefillValues(item.form, { person: applicant.person, enterprise: applicant.enterprise })), ...filledFieldValues(shared) };
      return { item, applicant, draft, values, shared };
    }

    /** The once-only pieces of a page: the consent block, read-only fields and exempted slots with their sources. */
    function onceOnly(req: FastifyRequest, reply: FastifyReply, item: ApplicableItem, shared: OnceOnlyState, back: string, done?: string) {
      const acting = req.principal?.kind === 'person' ? req.principal.acting : null;
      const notes = (target: 'field' | 'material') =>
        shared.entries.filter((e) => e.status === 'filled' && e.target === target).map((e) => [e.targetKey, sourceNote(e)] as const);
      return {
        block: renderOnceOnlyBlock({ item, state: shared, csrf: csrfInput(req, reply), back, done, actingFor: acting?.principalName }),
        locked: Object.fromEntries(notes('field')),
        exempt: new Map(notes('material')),
      };
    }

    /** Saves the draft as the applicant leaves it, noting the page to come back to. */
    function save(p: PersonPrincipal, item: ApplicableItem, values: Record<string, unknown>, at: ApplyPage): Promise<DraftView> {
      const n = item.form.steps.length;
      const step = at.kind === 'step' ? item.form.steps.findIndex((s) => s.key === at.key) : at.kind === 'materials' ? n : n + 1;
      return saveDraft(ctx.db, p, { itemCode: item.code, formData: values, step: Math.max(0, step) });
    }

    // —— 在线申请 ——

    app.get('/apply', { config: person, schema: { hide, querystring: Type.Object({ itemCode: Field(100) }) } }, async (req, reply) => {
      const p = await requirePerson(ctx, req);
      const given = (req.query.itemCode ?? '').trim().toUpperCase();
      let error: string | undefined;
      if (req.query.itemCode !== undefined) {
        if (!given) error = '请输入事项实施编码';
        else if (!/^[0-9A-Z]{1,36}$/.test(given)) error = '实施编码由数字和大写字母组成，最长 36 位';
        else {
          try {
            await loadApplicableItem(ctx.db, given);
            return reply.redirect(applyBase(given), 303);
          } catch (err) {
            if (!(err instanceof AppError) || err.status >= 500) throw err;
            error = err.message;
          }
        }
      }
      const prefs = readPreferences(ctx, req, reply);
      let region = prefs.region;
      if (!region) {
        const me = await ctx.db.selectFrom('accounts').select('id_number').where('id', '=', p.accountId).executeTakeFirst();
        const area = me?.id_number?.slice(0, 6);
        if (area && ctx.regions.get(area)?.level === 'county') region = area;
      }
      const chain = region ? ctx.regions.path(region).map((r) => r.code) : [];
      const [items, drafts] = await Promise.all([listOnlineItems(ctx.db, chain), listDrafts(ctx.db, p)]);
      const body = renderStartPage({ items, regionName: region ? (ctx.regions.get(region)?.name ?? null) : null, value: req.query.itemCode, error, drafts: drafts.length });
      return page(req, reply, p, { title: '在线申请', trail: [{ label: '我的办件', href: '/my/applications' }, { label: '在线申请' }], body, status: error ? 400 : 200 });
    });

    // where the applicant left off: the saved step, or the first step prefilled
    app.get('/apply/:itemCode', { config: person, schema: { hide, params: ItemParams } }, async (req, reply) => {
      const p = await requirePerson(ctx, req);
      const { item, draft } = await applyState(p, req.params.itemCode);
      return reply.redirect(pageHref(item.code, savedPage(item, draft)), 303);
    });

    async function showStep(
      req: FastifyRequest,
      reply: FastifyReply,
      p: PersonPrincipal,
      o: { item: ApplicableItem; key: string; values: Record<string, unknown>; shared: OnceOnlyState; errors?: FormError[]; saved?: boolean; done?: string; status?: number },
    ) {
      const step = o.item.form.steps.find((s) => s.key === o.key)!;
      const once = onceOnly(req, reply, o.item, o.shared, `step:${o.key}`, o.done);
      const body = renderStepPage({
        item: o.item, stepKey: o.key, values: o.values, errors: o.errors, csrf: csrfInput(req, reply), regions: ctx.regions, acting: p.acting, saved: o.saved, onceOnly: once.block, locked: once.locked,
      });
      return page(req, reply, p, { title: `${o.errors?.length ? '（有错误）' : ''}${step.title} - 在线申请：${o.item.name}`, trail: applyTrail(o.item, step.title), body, status: o.status });
    }

    function stepOf(item: ApplicableItem, key: string): number {
      const i = item.form.steps.findIndex((s) => s.key === key);
      if (i < 0) throw new NotFoundError('申请表单中没有这一步', 'key');
      return i;
    }

    app.get('/apply/:itemCode/step/:key', { config: person, schema: { hide, params: StepParams, querystring: DoneQuery } }, async (req, reply) => {
      const p = await requirePerson(ctx, req);
      const { item, values, shared } = await applyState(p, req.params.itemCode);
      stepOf(item, req.params.key);
      return showStep(req, reply, p, { item, key: req.params.key, values, shared, saved: req.query.saved === '1', done: req.query.done });
    });

    app.post('/apply/:itemCode/step/:key', { config: person, schema: { hide, params: StepParams, body: FormPost } }, async (req, reply) => {
      const p = await requirePerson(ctx, req);
      const { item, values, shared } = await applyState(p, req.params.itemCode);
      const index = stepOf(item, req.params.key);
      const here: ApplyPage = { kind: 'step', key: req.params.key };
      const body = req.body as PostBody;
      const { data, rowAction } = parseFormPost(item.form, body);
      const merged = { ...values, ...data, ...filledFieldValues(shared) }; // what sharing filled is not the applicant's to change
      const nav = first(body._nav);
      if (rowAction) {
        await save(p, item, merged, here);
        return reply.redirect(`${stepHref(item.code, here.key)}#${fieldDomId(rowAction.field)}`, 303);
      }
      if (nav === 'save') {
        await save(p, item, merged, here);
        return reply.redirect(`${stepHref(item.code, here.key)}?saved=1`, 303);
      }
      if (nav === 'prev' && index > 0) {
        const prev: ApplyPage = { kind: 'step', key: item.form.steps[index - 1]!.key };
        await save(p, item, merged, prev);
        return reply.redirect(pageHref(item.code, prev), 303);
      }
      const { errors } = validateStep(item.form, here.key, merged, { regions: ctx.regions });
      if (errors.length) {
        await save(p, item, merged, here); // what was typed is kept, mistakes and all
        return showStep(req, reply, p, { item, key: here.key, values: merged, shared, errors, status: 400 });
      }
      const next: ApplyPage = index + 1 < item.form.steps.length ? { kind: 'step', key: item.form.steps[index + 1]!.key } : { kind: 'materials' };
      await save(p, item, merged, next);
      return reply.redirect(pageHref(item.code, next), 303);
    });

    async function showMaterials(
      req: FastifyRequest,
      reply: FastifyReply,
      p: PersonPrincipal,
      o: { item: ApplicableItem; values: Record<string, unknown>; draft: DraftView; shared: OnceOnlyState; errors?: Record<string, string>; done?: string; status?: number },
    ) {
      const files = await listAttachments(ctx.db, { draftId: o.draft.id });
      const exempt = exemptSlots(o.shared);
      const requiredKeys = requiredSlots(o.item.slots, validateFormData(o.item.form, o.values).values).filter((k) => !exempt.has(k));
      const once = onceOnly(req, reply, o.item, o.shared, 'materials', o.done);
      const body = renderMaterialsPage({
        item: o.item, files, requiredKeys, errors: o.errors, csrf: csrfInput(req, reply), acting: p.acting, maxMb: ctx.config.attachmentMaxMb, done: o.done, onceOnly: once.block, exempt: once.exempt,
      });
      return page(req, reply, p, { title: `${o.errors && Object.keys(o.errors).length ? '（有错误）' : ''}上传申请材料 - 在线申请：${o.item.name}`, trail: applyTrail(o.item, '上传申请材料'), body, status: o.status });
    }

    app.get('/apply/:itemCode/materials', { config: person, schema: { hide, params: ItemParams, querystring: DoneQuery } }, async (req, reply) => {
      const p = await requirePerson(ctx, req);
      const { item, draft, values, shared } = await applyState(p, req.params.itemCode);
      if (!draft) return reply.redirect(applyBase(item.code), 303);
      return showMaterials(req, reply, p, { item, values, draft, shared, done: req.query.done });
    });

    app.post('/apply/:itemCode/materials', { config: person, schema: { hide, params: ItemParams, body: Type.Object({ _csrf: CsrfField, _nav: Field(10) }) } }, async (req, reply) => {
      const p = await requirePerson(ctx, req);
      const { item, draft, values, shared } = await applyState(p, req.params.itemCode);
      const nav = req.body._nav;
      if (nav === 'prev') {
        const last: ApplyPage = { kind: 'step', key: item.form.steps[item.form.steps.length - 1]!.key };
        await save(p, item, values, last);
        return reply.redirect(pageHref(item.code, last), 303);
      }
      const saved = await save(p, item, values, { kind: 'materials' });
      if (nav === 'save') return reply.redirect(`${materialsHref(item.code)}?done=saved`, 303);
      const files = await listAttachments(ctx.db, { draftId: saved.id });
      const exempt = exemptSlots(shared);
      const missing = requiredSlots(item.slots, validateFormData(item.form, values).values).filter((k) => !files.some((f) => f.slot === k) && !exempt.has(k));
      if (missing.length) {
        const errors = Object.fromEntries(missing.map((k) => [k, `请上传必要材料：${item.slots.find((s) => s.key === k)?.label ?? k}`]));
        return showMaterials(req, reply, p, { item, values, draft: draft ?? saved, shared, errors, status: 400 });
      }
      await save(p, item, values, { kind: 'review' });
      return reply.redirect(reviewHref(item.code), 303);
    });

    /** Reads a multipart upload; a refused upload (too large, malformed) is given back as an error to show, a bad CSRF token is thrown. */
    async function readPageUpload(req: FastifyRequest, p: PersonPrincipal): Promise<Upload | AppError> {
      try {
        const upload = await readUpload(req, { maxMb: ctx.config.attachmentMaxMb, fileField: 'file', csrfToken: p.csrfToken });
        if (!upload.file || upload.file.bytes.length === 0) return new InvalidParameterError('file', '请选择要上传的文件');
        return upload;
      } catch (err) {
        if (err instanceof AppError && err.code !== 'CSRF_REJECTED' && err.status < 500) return err;
        throw err;
      }
    }

    // one file for one material slot of the draft (multipart; the CSRF field is checked by readUpload)
    app.post('/apply/:itemCode/materials/:slot', { config: { ...person, csrf: false }, schema: { hide, params: SlotParams } }, async (req, reply) => {
      const p = await requirePerson(ctx, req);
      const upload = await readPageUpload(req, p);
      const { item, values, shared } = await applyState(p, req.params.itemCode);
      const slot = item.slots.find((s) => s.key === req.params.slot);
      if (!slot) throw new NotFoundError('本事项没有这项材料', 'slot');
      const draft = await save(p, item, values, { kind: 'materials' });
      let error: AppError | undefined = upload instanceof AppError ? upload : undefined;
      if (!(upload instanceof AppError)) {
        try {
          await storeAttachment(attachmentDeps(ctx), p, { slot: slot.key, target: { draftId: draft.id }, fileName: upload.file!.fileName, bytes: upload.file!.bytes }, auditActor(req));
        } catch (err) {
          if (!(err instanceof AppError) || err.status >= 500) throw err;
          error = err;
        }
      }
      if (error) return showMaterials(req, reply, p, { item, values, draft, shared, errors: { [slot.key]: error.message }, status: error.status });
      return reply.redirect(`${materialsHref(item.code)}?done=uploaded#slot-${slot.key}`, 303);
    });

    app.post(
      '/apply/:itemCode/materials/files/:id/delete',
      { config: person, schema: { hide, params: Type.Object({ itemCode: ItemCode, id: Uuid }), body: Type.Object({ _csrf: CsrfField }) } },
      async (req, reply) => {
        const p = await requirePerson(ctx, req);
        await deleteAttachment(attachmentDeps(ctx), p, req.params.id);
        return reply.redirect(`${materialsHref(req.params.itemCode)}?done=deleted`, 303);
      },
    );

    async function showReview(
      req: FastifyRequest,
      reply: FastifyReply,
      p: PersonPrincipal,
      o: { item: ApplicableItem; values: Record<string, unknown>; draft: DraftView; shared: OnceOnlyState; applicantName: string; submitErrors?: FieldErrorsError; other?: string[]; status?: number },
    ) {
      const { item, values } = o;
      const once = onceOnly(req, reply, item, o.shared, 'review');
      const checked = validateFormData(item.form, values, { regions: ctx.regions });
      const shownKeys = new Set(item.form.steps.flatMap((s) => s.fields).filter((f) => !f.when || conditionHolds(f.when, checked.values)).map((f) => f.key));
      const files = await listAttachments(ctx.db, { draftId: o.draft.id });
      const materialErrors: Record<string, string> = {};
      for (const k of requiredSlots(item.slots, checked.values)) {
        if (!files.some((f) => f.slot === k) && !once.exempt.has(k)) materialErrors[k] = `缺少必要材料：${item.slots.find((s) => s.key === k)?.label ?? k}`;
      }
      let formErrors: readonly FormError[] = checked.errors;
      const other = [...(o.other ?? [])];
      if (o.submitErrors) {
        const s = splitFieldErrors(o.submitErrors);
        if (!formErrors.length) formErrors = s.form;
        for (const [k, m] of Object.entries(s.materials)) materialErrors[k] ??= m;
        other.push(...s.other);
      }
      // a fresh key per rendering: a double click or a refresh of the submission sends this one again
      const idempotencyKey = `web-${randomBytes(18).toString('base64url')}`;
      const body = renderReviewPage({
        item, values, shownKeys, formErrors, materialErrors, otherErrors: other, files, idempotencyKey, csrf: csrfInput(req, reply), regions: ctx.regions, acting: p.acting, applicantName: o.applicantName, exempt: once.exempt,
      });
      return page(req, reply, p, { title: `确认提交 - 在线申请：${item.name}`, trail: applyTrail(item, '确认提交'), body, status: o.status });
    }

    app.get('/apply/:itemCode/review', { config: person, schema: { hide, params: ItemParams } }, async (req, reply) => {
      const p = await requirePerson(ctx, req);
      const { item, draft, values, applicant, shared } = await applyState(p, req.params.itemCode);
      if (!draft) return reply.redirect(applyBase(item.code), 303);
      reply.header('cache-control', 'no-store');
      return showReview(req, reply, p, { item, values, draft, shared, applicantName: applicant.name });
    });

    app.post(
      '/apply/:itemCode/submit',
      { config: person, schema: { hide, params: ItemParams, body: Type.Object({ _csrf: CsrfField, idempotencyKey: Field(200) }) } },
      async (req, reply) => {
        const p = await requirePerson(ctx, req);
        const { item, draft, values, applicant, shared } = await applyState(p, req.params.itemCode);
        const key = (req.body.idempotencyKey ?? '').trim();
        if (!IDEMPOTENCY_KEY.test(key)) {
          if (!draft) return reply.redirect(applyBase(item.code), 303);
          return showReview(req, reply, p, { item, values, draft, shared, applicantName: applicant.name, other: ['页面已过期，请核对后重新提交'], status: 400 });
        }
        try {
          // without a draft only a repeat of a submission that went through can succeed (the key finds it)
          const r = await submitApplication(ctx.db, p, { itemCode: item.code, formData: values, draftId: draft?.id ?? 0, idempotencyKey: key }, auditActor(req));
          return reply.redirect(`${myHref(r.number)}?done=submitted`, 303);
        } catch (err) {
          if (!draft && err instanceof AppError && err.status < 500) return reply.redirect('/my/applications', 303);
          if (draft && err instanceof FieldErrorsError) return showReview(req, reply, p, { item, values, draft, shared, applicantName: applicant.name, submitErrors: err, status: 400 });
          if (draft && err instanceof AppError && err.status < 500 && err.status !== 403) {
            return showReview(req, reply, p, { item, values, draft, shared, applicantName: applicant.name, other: [err.message], status: err.status });
          }
          throw err;
        }
      },
    );

    // —— 我的办件 ——

    app.get(
      '/my/applications',
      { config: person, schema: { hide, querystring: Type.Object({ before: Type.Optional(Type.String({ pattern: '^[0-9]{1,18}$' })), done: Field(20) }) } },
      async (req, reply) => {
        const p = await requirePerson(ctx, req);
        const [list, drafts, notes] = await Promise.all([
          listMyApplications(ctx.db, p, { before: req.query.before }),
          listDrafts(ctx.db, p),
          listNotifications(ctx.db, p.accountId, 1),
        ]);
        const body = renderMyApplications({ ...list, paged: !!req.query.before, drafts, unread: notes.unread, acting: p.acting, csrf: csrfInput(req, reply), done: req.query.done });
        return page(req, reply, p, { title: '我的办件', trail: [{ label: '我的办件' }], body });
      },
    );

    app.post(
      '/my/applications/drafts/:id/delete',
      { config: person, schema: { hide, params: Type.Object({ id: Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER }) }), body: Type.Object({ _csrf: CsrfField }) } },
      async (req, reply) => {
        const p = await requirePerson(ctx, req);
        await deleteDraft(ctx.db, ctx.storage, p, req.params.id);
        return reply.redirect('/my/applications?done=draft_deleted#drafts', 303);
      },
    );

    async function itemOf(v: ApplicationView): Promise<ApplicableItem | null> {
      try {
        return await loadApplicableItem(ctx.db, v.itemCode, ctx.db, v.itemVersionId);
      } catch {
        return null; // the labels are missing, the values are still shown
      }
    }

    async function showDetail(req: FastifyRequest, reply: FastifyReply, p: PersonPrincipal, o: { view: ApplicationView; done?: string; supplement?: SupplementState; errors?: FormErrors; status?: number }) {
      const item = await itemOf(o.view);
      const body = renderApplicationDetail({ view: o.view, item, csrf: csrfInput(req, reply), regions: ctx.regions, acting: p.acting, done: o.done, supplement: o.supplement, errors: o.errors, maxMb: ctx.config.attachmentMaxMb });
      return page(req, reply, p, { title: `办件 ${o.view.number}`, trail: [{ label: '我的办件', href: '/my/applications' }, { label: o.view.number }], body, status: o.status });
    }

    function conflict(req: FastifyRequest, reply: FastifyReply, p: SessionPrincipal, number: string, err: AppError, reloadHref: string) {
      return page(req, reply, p, { title: '该办件已被他人处理', trail: [{ label: '我的办件', href: '/my/applications' }, { label: number }], body: renderConflict({ message: err.message, reloadHref }), status: 409 });
    }

    app.get('/my/applications/:number', { config: person, schema: { hide, params: NumberParams, querystring: DoneQuery } }, async (req, reply) => {
      const p = await requirePerson(ctx, req);
      const view = await getApplication(ctx.db, p, req.params.number);
      if (view.viewer !== 'applicant') throw new NotFoundError('办件不存在，或您无权查看', 'number');
      return showDetail(req, reply, p, { view, done: req.query.done });
    });

    async function ownView(p: PersonPrincipal, number: string): Promise<ApplicationView> {
      const view = await getApplication(ctx.db, p, number);
      if (view.viewer !== 'applicant') throw new NotFoundError('办件不存在，或您无权查看', 'number');
      return view;
    }

    // 补正: one file for one slot on the 补正 list (multipart; the CSRF field is checked by readUpload)
    app.post(
      '/my/applications/:number/supplement/:slot',
      { config: { ...person, csrf: false }, schema: { hide, params: Type.Object({ number: Type.String({ pattern: APPLICATION_NUMBER_PATTERN }), slot: Type.String({ pattern: '^m[0-9]{1,4}$' }) }) } },
      async (req, reply) => {
        const p = await requirePerson(ctx, req);
        const upload = await readPageUpload(req, p);
        const view = await ownView(p, req.params.number);
        const listed = view.supplement && !view.supplement.answeredAt && view.supplement.items.some((i) => i.slot === req.params.slot);
        if (!listed) throw new InvalidParameterError('slot', '该材料不在补正清单中，或补正已提交');
        let error: AppError | undefined = upload instanceof AppError ? upload : undefined;
        if (!(upload instanceof AppError)) {
          try {
            await storeAttachment(attachmentDeps(ctx), p, { slot: req.params.slot, target: { applicationNumber: view.number }, fileName: upload.file!.fileName, bytes: upload.file!.bytes }, auditActor(req));
          } catch (err) {
            if (!(err instanceof AppError) || err.status >= 500) throw err;
            error = err;
          }
        }
        if (error) {
          const supplement: SupplementState = { slotErrors: { [req.params.slot]: error.message }, fieldErrors: [], other: {}, values: view.formData };
          return showDetail(req, reply, p, { view, supplement, status: error.status });
        }
        return reply.redirect(`${myHref(view.number)}?done=uploaded#supplement`, 303);
      },
    );

    app.post('/my/applications/:number/supplement', { config: person, schema: { hide, params: NumberParams, body: FormPost } }, async (req, reply) => {
      const p = await requirePerson(ctx, req);
      const view = await ownView(p, req.params.number);
      const body = req.body as PostBody;
      const action = view.actions.find((a) => a.effect === 'supplement');
      const item = await itemOf(view);
      const sForm = item ? supplementForm(item.form, view) : null;
      const data = sForm ? parseFormPost(sForm, body).data : {};
      const version = Number(first(body.version));
      try {
        if (!action) throw new AppError('CONFLICT', '该办件当前不需要补正', 'version');
        await actOnApplication({ db: ctx.db, storage: ctx.storage, publicUrl: ctx.config.publicUrl }, p, { number: view.number, action: action.key, version: Number.isInteger(version) ? version : 0, formData: data }, auditActor(req));
      } catch (err) {
        if (err instanceof FieldErrorsError) {
          const s = splitFieldErrors(err);
          const supplement: SupplementState = { slotErrors: s.materials, fieldErrors: s.form, other: {}, values: { ...view.formData, ...data } };
          return showDetail(req, reply, p, { view, supplement, errors: Object.fromEntries(s.other.map((m, i) => [`e${i}`, m])), status: 400 });
        }
        if (isVersionConflict(err)) return conflict(req, reply, p, view.number, err as AppError, myHref(view.number));
        if (err instanceof AppError && err.status < 500 && err.status !== 404) {
          return showDetail(req, reply, p, { view, supplement: { slotErrors: {}, fieldErrors: [], other: {}, values: { ...view.formData, ...data } }, errors: { '': err.message }, status: err.status });
        }
        throw err;
      }
      return reply.redirect(`${myHref(view.number)}?done=supplemented`, 303);
    });

    app.get('/my/applications/:number/withdraw', { config: person, schema: { hide, params: NumberParams } }, async (req, reply) => {
      const p = await requirePerson(ctx, req);
      const view = await ownView(p, req.params.number);
      if (!view.actions.some((a) => a.effect === 'withdraw')) return reply.redirect(myHref(view.number), 303);
      return page(req, reply, p, {
        title: `撤回申请 ${view.number}`,
        trail: [{ label: '我的办件', href: '/my/applications' }, { label: view.number, href: myHref(view.number) }, { label: '撤回申请' }],
        body: renderWithdraw({ view, csrf: csrfInput(req, reply) }),
      });
    });

    app.post(
      '/my/applications/:number/withdraw',
      { config: person, schema: { hide, params: NumberParams, body: Type.Object({ _csrf: CsrfField, version: Field(12), comment: Field(2000) }) } },
      async (req, reply) => {
        const p = await requirePerson(ctx, req);
        const view = await ownView(p, req.params.number);
        const action = view.actions.find((a) => a.effect === 'withdraw');
        const version = Number(req.body.version);
        const comment = (req.body.comment ?? '').trim();
        if (comment.length > 500) {
          return page(req, reply, p, {
            title: `撤回申请 ${view.number}`,
            trail: [{ label: '我的办件', href: '/my/applications' }, { label: view.number, href: myHref(view.number) }, { label: '撤回申请' }],
            body: renderWithdraw({ view, csrf: csrfInput(req, reply), comment, errors: { comment: '撤回原因不能超过 500 字' } }),
            status: 400,
          });
        }
        try {
          if (!action) throw new AppError('CONFLICT', `办件当前状态为“${view.stateLabel}”，不能撤回`, 'action');
          await actOnApplication({ db: ctx.db, storage: ctx.storage, publicUrl: ctx.config.publicUrl }, p, { number: view.number, action: action.key, version: Number.isInteger(version) ? version : 0, comment }, auditActor(req));
        } catch (err) {
          if (isVersionConflict(err)) return conflict(req, reply, p, view.number, err as AppError, myHref(view.number));
          throw err;
        }
        return reply.redirect(`${myHref(view.number)}?done=withdrawn`, 303);
      },
    );

    // —— 消息 ——

    app.get('/my/notifications', { config: { access: 'signed-in' }, schema: { hide, querystring: DoneQuery } }, async (req, reply) => {
      const p = await sessionPrincipal(ctx, req);
      const { items, unread } = await listNotifications(ctx.db, p.accountId);
      const body = renderNotifications({ items, unread, csrf: csrfInput(req, reply), done: req.query.done === 'read' });
      return page(req, reply, p, { title: '消息', trail: [{ label: '消息' }], body });
    });

    app.post(
      '/my/notifications/read',
      {
        config: { access: 'signed-in' },
        schema: { hide, body: Type.Object({ _csrf: CsrfField, ids: Type.Optional(Type.Union([Type.String({ maxLength: 20 }), Type.Array(Type.String({ maxLength: 20 }), { maxItems: 200 })])) }) },
      },
      async (req, reply) => {
        const p = await sessionPrincipal(ctx, req);
        const raw = req.body.ids;
        const ids = (Array.isArray(raw) ? raw : raw ? [raw] : []).map(Number).filter((n) => Number.isSafeInteger(n) && n > 0);
        await markNotificationsRead(ctx.db, p.accountId, ids);
        return reply.redirect('/my/notifications?done=read', 303);
      },
    );

    // —— 办件进度查询 (public) ——

    function progressPage(req: FastifyRequest, reply: FastifyReply, o: { values: { number?: string; idNumber?: string }; errors?: FormErrors; result?: ProgressView; status?: number }) {
      const body = renderProgressPage({ csrf: csrfInput(req, reply), ...o });
      // no account box: a public page; never cached (it carries the visitor's CSRF token and the answer)
      const html = layout(ctx, { title: '办件进度查询', prefs: readPreferences(ctx, req, reply), path: '/progress', breadcrumbs: [{ label: '首页', href: '/' }, { label: '办件进度查询' }], body });
      return sendPage(reply, html, o.status ?? 200);
    }

    app.get('/progress', { config: { access: 'public' }, schema: { hide } }, async (req, reply) => progressPage(req, reply, { values: {} }));

    app.post(
      '/progress',
      { config: { access: 'public' }, schema: { hide, body: Type.Object({ _csrf: CsrfField, number: Field(100), idNumber: Field(100) }) } },
      async (req, reply) => {
        const number = (req.body.number ?? '').trim();
        const idNumber = (req.body.idNumber ?? '').trim();
        const values = { number, idNumber };
        const errors: FormErrors = {};
        if (!number) errors.number = '请输入办件编号';
        else if (!new RegExp(APPLICATION_NUMBER_PATTERN).test(number)) errors.number = '办件编号格式不正确，应如 330106-20261207-000123';
        if (!idNumber) errors.idNumber = '请输入申请人的证件号码';
        if (Object.keys(errors).length) return progressPage(req, reply, { values, errors, status: 400 });
        try {
          const result = await lookupProgress(ctx.db, { number, idNumber, ip: req.ip });
          return progressPage(req, reply, { values, result });
        } catch (err) {
          if (!(err instanceof AppError) || err.status >= 500) throw err;
          if (err.status === 429) reply.header('retry-after', String((err as { retryAfterSeconds?: number }).retryAfterSeconds ?? 900));
          // the same message whichever part of the pair is wrong
          return progressPage(req, reply, { values, errors: { '': err.message }, status: err.status });
        }
      },
    );
  };
}
