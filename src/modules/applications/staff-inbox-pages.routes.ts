/**
 * Staff pages (zh-CN, no JavaScript needed): 办件待办 (/staff/applications) — the inbox of the roles the staff
 * member holds, with counts, filters and paging — and 办件办理 (/staff/applications/:number) with the materials
 * previews and one form per action. An action posts the version the page showed; if someone else acted first,
 * the page says so (409) and links to the current state.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { AppContext } from '../../http/context.ts';
import { auditActor } from '../../http/route-access.ts';
import { AppError, FieldErrorsError } from '../../shared/errors.ts';
import type { DeadlineStatus, PauseKind } from '../../db/schema.ts';
import { csrfInput, type FormErrors } from '../portal/forms.ts';
import { requireStaffPage, sendAdminPage } from '../staff/admin-page.ts';
import { APPLICATION_NUMBER_PATTERN } from './application-numbers.ts';
import { getApplication, type ApplicationView } from './get-application.ts';
import { actOnApplication, type ActionInput, type SupplementItem } from './act-on-application.ts';
import { listStaffInbox, type Inbox } from './list-staff-inbox.ts';
import { loadApplicableItem, type ApplicableItem } from './load-applicable-item.ts';
import { renderConflict } from './my-applications.page.ts';
import { INBOX_PATH, renderInbox, staffHref, type InboxFilters } from './staff-inbox.page.ts';
import { listTransferTargets } from './list-transfer-targets.ts';
import { doneNotice, renderStaffApplication, type ActionFormState, type ActionValues } from './staff-application.page.ts';

const hide = true;
const Field = (max: number) => Type.Optional(Type.String({ maxLength: max }));
const FormPost = Type.Record(Type.String(), Type.Union([Type.String({ maxLength: 10_000 }), Type.Array(Type.String({ maxLength: 10_000 }), { maxItems: 1000 })]));
const NumberParams = Type.Object({ number: Type.String({ pattern: APPLICATION_NUMBER_PATTERN }) });
const DEADLINES = ['normal', 'due_soon', 'overdue'];

const one = (v: string | string[] | undefined): string => (Array.isArray(v) ? (v[0] ?? '') : (v ?? '')).trim();
const many = (v: string | string[] | undefined): string[] => (Array.isArray(v) ? v : v ? [v] : []);
const optionalInt = (v: string | string[] | undefined): number | undefined => {
  const s = one(v);
  return s === '' ? undefined : /^[0-9]{1,9}$/.test(s) ? Number(s) : Number.NaN;
};

export function staffApplicationPageRoutes(ctx: AppContext): FastifyPluginAsyncTypebox {
  return async (app) => {
    const handle = { access: { permission: 'application.handle' as const } };
    const trail = (number?: string) => [{ label: '办件待办', href: number ? INBOX_PATH : undefined }, ...(number ? [{ label: number }] : [])];

    app.get(
      INBOX_PATH,
      {
        config: handle,
        schema: { hide, querystring: Type.Object({ state: Field(100), deadline: Field(100), escalated: Field(10), item: Field(100), q: Field(200), after: Field(200), done: Field(20) }) },
      },
      async (req, reply) => {
        const p = await requireStaffPage(ctx, req);
        const q = req.query;
        const f: InboxFilters = {
          state: (q.state ?? '').trim(),
          deadline: (q.deadline ?? '').trim(),
          escalated: q.escalated === '1' || q.escalated === 'true',
          item: (q.item ?? '').trim().toUpperCase(),
          q: (q.q ?? '').trim(),
          after: (q.after ?? '').trim(),
        };
        const errors: FormErrors = {};
        if (f.state && !/^[a-z_]{2,40}$/.test(f.state)) errors.state = '请选择列表中的状态';
        if (f.deadline && !DEADLINES.includes(f.deadline)) errors.deadline = '请选择列表中的期限状态';
        if (f.item && !/^[0-9A-Z]{1,36}$/.test(f.item)) errors.item = '实施编码由数字和大写字母组成，最长 36 位';
        if ([...f.q].length > 60) errors.q = '检索内容不能超过 60 个字';
        if (!/^[A-Za-z0-9_=-]{0,100}$/.test(f.after)) f.after = '';
        const ok = (k: keyof InboxFilters) => !errors[k];
        let inbox: Inbox = await listStaffInbox(ctx.db, p, {
          state: f.state && ok('state') ? f.state : undefined,
          deadline: f.deadline && ok('deadline') ? (f.deadline as DeadlineStatus) : undefined,
          escalated: f.escalated || undefined,
          itemCode: f.item && ok('item') ? f.item : undefined,
          q: f.q && ok('q') ? f.q : undefined,
          after: f.after || undefined,
        }, { dueSoonDays: ctx.config.dueSoonDays });
        if (f.state && ok('state') && !inbox.states.some((s) => s.state === f.state)) {
          errors.state = '请选择列表中的状态';
          inbox = await listStaffInbox(ctx.db, p, { deadline: ok('deadline') && f.deadline ? (f.deadline as DeadlineStatus) : undefined, after: undefined }, { dueSoonDays: ctx.config.dueSoonDays });
        }
        const done = q.done === 'transfer' ? '已移交其他部门办理。' : undefined;
        return sendAdminPage(ctx, req, reply, { title: '办件待办', trail: trail(), body: renderInbox({ inbox, filters: f, errors, done }), status: Object.keys(errors).length ? 400 : 200 });
      },
    );

    async function itemOf(v: ApplicationView): Promise<ApplicableItem | null> {
      try {
        return await loadApplicableItem(ctx.db, v.itemCode, ctx.db, v.itemVersionId);
      } catch {
        return null;
      }
    }

    async function showDetail(req: FastifyRequest, reply: FastifyReply, o: { view: ApplicationView; state?: ActionFormState; done?: string; status?: number }) {
      const [item, targets] = await Promise.all([
        itemOf(o.view),
        o.view.actions.some((a) => a.effect === 'transfer') ? listTransferTargets(ctx.db, o.view.department.id, ctx.regions) : Promise.resolve([]),
      ]);
      const body = renderStaffApplication({ view: o.view, item, csrf: csrfInput(req, reply), regions: ctx.regions, targets, state: o.state, done: doneNotice(o.done, o.view) });
      return sendAdminPage(ctx, req, reply, { title: `${o.state ? '（有错误）' : ''}办件 ${o.view.number}`, trail: trail(o.view.number), body, status: o.status });
    }

    app.get(`${INBOX_PATH}/:number`, { config: handle, schema: { hide, params: NumberParams, querystring: Type.Object({ done: Field(40) }) } }, async (req, reply) => {
      const p = await requireStaffPage(ctx, req);
      const view = await getApplication(ctx.db, p, req.params.number);
      return showDetail(req, reply, { view, done: req.query.done });
    });

    app.post(
      `${INBOX_PATH}/:number/actions/:action`,
      { config: handle, schema: { hide, params: Type.Object({ number: Type.String({ pattern: APPLICATION_NUMBER_PATTERN }), action: Type.String({ pattern: '^[a-z_]{2,40}$' }) }), body: FormPost } },
      async (req, reply) => {
        const p = await requireStaffPage(ctx, req);
        const view = await getApplication(ctx.db, p, req.params.number);
        const item = await itemOf(view);
        const key = req.params.action;
        const values = req.body as ActionValues;
        const offered = view.actions.find((a) => a.key === key);
        const errors: Record<string, string> = {};

        // the 补正 list: each ticked material or field with its reason
        let supplementItems: SupplementItem[] | undefined;
        const picked: { name: string }[] = [];
        if (offered?.effect === 'request_supplement') {
          supplementItems = [];
          for (const slot of many(values.slots)) {
            const s = item?.slots.find((x) => x.key === slot);
            if (!s) continue;
            const reason = one(values[`slotReason.${slot}`]);
            if (!reason) errors[`slotReason.${slot}`] = `请写明“${s.label}”需要补正的原因`;
            supplementItems.push({ slot, label: s.label, reason });
            picked.push({ name: `slotReason.${slot}` });
          }
          const fields = item ? item.form.steps.flatMap((s) => s.fields) : [];
          for (const field of many(values.fields)) {
            const f = fields.find((x) => x.key === field && x.type !== 'attachment');
            if (!f) continue;
            const reason = one(values[`fieldReason.${field}`]);
            if (!reason) errors[`fieldReason.${field}`] = `请写明“${f.label}”需要更正的原因`;
            supplementItems.push({ field, label: f.label, reason });
            picked.push({ name: `fieldReason.${field}` });
          }
          if (!supplementItems.length) errors.supplementItems = '请勾选需要补正的材料或申请内容（一次性告知全部）';
        }
        const input: ActionInput = {
          number: view.number,
          action: key,
          version: optionalInt(values.version) ?? 0,
          comment: one(values.comment),
          legalBasis: one(values.legalBasis) || undefined,
          supplementItems,
          pauseKind: (one(values.pauseKind) || undefined) as Exclude<PauseKind, 'supplement'> | undefined,
          expectedDays: optionalInt(values.expectedDays),
          extensionDays: optionalInt(values.extensionDays),
          targetDepartmentId: optionalInt(values.targetDepartmentId),
        };
        const again = (errs: Record<string, string>, status: number) => showDetail(req, reply, { view, state: { action: key, values, errors: errs }, status });
        if (Object.keys(errors).length) return again(errors, 400);
        try {
          await actOnApplication({ db: ctx.db, storage: ctx.storage, publicUrl: ctx.config.publicUrl }, p, input, auditActor(req));
        } catch (err) {
          if (!(err instanceof AppError) || err.status >= 500 || err.status === 403 || err.status === 404) throw err;
          if (err.code === 'CONFLICT') {
            return sendAdminPage(ctx, req, reply, { title: '该办件已被他人处理', trail: trail(view.number), body: renderConflict({ message: err.message, reloadHref: staffHref(view.number) }), status: 409 });
          }
          const list = err instanceof FieldErrorsError ? err.errors : [{ field: err.field ?? '', message: err.message }];
          const mapped: Record<string, string> = {};
          for (const e of list) {
            const m = /^supplementItems\[(\d+)\]/.exec(e.field);
            const name = m ? (picked[Number(m[1])]?.name ?? 'supplementItems') : e.field;
            mapped[name] ??= e.message;
          }
          return again(mapped, err.status);
        }
        if (offered?.effect === 'transfer') return reply.redirect(`${INBOX_PATH}?done=transfer`, 303);
        return reply.redirect(`${staffHref(view.number)}?done=${key}`, 303);
      },
    );
  };
}
