/**
 * One action on an application (办理): the workflow decides whether it is allowed in the current state and for
 * whom; the engine applies its effect on the clock, appends the timeline entry, notifies the applicant and writes
 * the audit row — all in one transaction, on the row locked FOR UPDATE. The caller names the version it saw: when
 * another action got there first the version has moved and this one is refused with 409, so two conflicting
 * actions can never both succeed.
 */
import type { Kysely, Selectable, Transaction, Updateable } from 'kysely';
import type { ApplicationTable, DB, PauseKind, StaffRole } from '../../db/schema.ts';
import type { Principal } from '../access/principal.ts';
import type { AuditActor } from '../audit/audit.types.ts';
import type { BlobStorage } from '../attachments/blob-storage.ts';
import { recordAuditEvent } from '../audit/record-audit-event.ts';
import { chinaToday, getWorkingCalendar } from '../calendar/working-calendar.ts';
import { validateFormData } from '../forms/validate-form-data.ts';
import { requiredSlots } from '../forms/material-slots.ts';
import { issueResult } from '../results/issue-result.ts';
import { AppError, FieldErrorsError, ForbiddenError, InvalidParameterError, NotFoundError } from '../../shared/errors.ts';
import { APPLICATION_NOT_FOUND, handlingRoles, isApplicantNow, loadDepartmentScope } from './application-access.ts';
import { acceptanceDueOn, ACCEPTANCE_DAYS, decisionStartsOn, extendClock, MAX_EXTENSION_DAYS, pauseClock, resumeClock, startDecision, stopClock, type ClockFields } from './application-clock.ts';
import { findTransferTarget } from './list-transfer-targets.ts';
import { loadApplicableItem } from './load-applicable-item.ts';
import { loadWorkflow } from './workflows.ts';
import { notifyApplicant } from './notify-applicant.ts';
import type { WorkflowAction, WorkflowDefinition } from './workflow.types.ts';

export const PAUSE_KINDS: Record<Exclude<PauseKind, 'supplement'>, string> = {
  hearing: '听证',
  testing: '检验检测',
  inspection: '现场核查',
  expert_review: '专家评审',
  quarantine: '检疫',
  other: '其他法定情形',
};

export interface SupplementItem {
  slot?: string; // a material slot (m1, m2 …)
  field?: string; // a form field key
  label: string;
  reason: string;
}

export interface ActionInput {
  number: string;
  action: string;
  version: number; // the version the actor saw
  comment?: string; // 意见 / 理由
  legalBasis?: string; // 法律依据
  supplementItems?: SupplementItem[]; // request_supplement: the one complete list (一次性告知)
  formData?: Record<string, unknown>; // supplement: corrected form values
  pauseKind?: Exclude<PauseKind, 'supplement'>; // suspend
  expectedDays?: number; // suspend: the applicant is told how long it takes
  extensionDays?: number; // extend: at most 10
  targetDepartmentId?: number; // transfer
}

export interface ActionDeps {
  db: Kysely<DB>;
  storage: BlobStorage;
  publicUrl: string;
}

export interface ActionResult {
  number: string;
  state: string;
  version: number;
}

type AppRow = Selectable<ApplicationTable>;

export async function actOnApplication(deps: ActionDeps, p: Principal, input: ActionInput, actor: AuditActor): Promise<ActionResult> {
  const cal = await getWorkingCalendar(deps.db);
  const today = chinaToday();
  return deps.db.transaction().execute(async (trx) => {
    const app = await trx.selectFrom('applications').selectAll().where('number', '=', input.number).forUpdate().executeTakeFirst();
    if (!app) throw new NotFoundError(APPLICATION_NOT_FOUND, 'number');
    const workflow = await loadWorkflow(trx, app.workflow_key, app.workflow_version, deps.db);
    const action = workflow.actions[input.action];
    const scope = await loadDepartmentScope(trx, app.department_id);

    // who: the applicant for the applicant's actions, a role reaching the department for staff actions
    let role: StaffRole | null = null;
    if (p.kind === 'person') {
      if (!(await isApplicantNow(trx, p, app))) throw new NotFoundError(APPLICATION_NOT_FOUND, 'number');
      if (!action || action.by !== 'applicant') throw new ForbiddenError('申请人不能执行此操作');
    } else {
      const roles = handlingRoles(p, scope);
      if (!roles.length) throw new NotFoundError(APPLICATION_NOT_FOUND, 'number');
      if (!action) throw new InvalidParameterError('action', `未知的办理操作“${input.action}”`);
      const allowed = action.by === 'applicant' ? [] : action.by;
      role = roles.find((r) => allowed.includes(r)) ?? null;
      if (!role) throw new ForbiddenError(`“${action.label}”须由${allowed.map(roleLabel).join('或') || '申请人'}办理`);
    }
    if (app.version !== input.version) {
      throw new AppError('CONFLICT', '该办件已被他人处理（版本已变化），请刷新后查看最新状态再操作', 'version');
    }
    if (!action.from.includes(app.state)) {
      const label = workflow.states[app.state]?.label ?? app.state;
      throw new AppError('CONFLICT', `办件当前状态为“${label}”，不能执行“${action.label}”`, 'action');
    }
    const comment = (input.comment ?? '').trim();
    const legalBasis = (input.legalBasis ?? '').trim();
    if (action.needs?.comment && !comment) throw new InvalidParameterError('comment', `请填写${action.effect === 'not_accept' || action.effect === 'reject' ? '理由' : '意见'}`);
    if (action.needs?.legalBasis && !legalBasis) throw new InvalidParameterError('legalBasis', '请填写法律依据');
    if (comment.length > 2000) throw new InvalidParameterError('comment', '意见不能超过 2000 字');

    const ctx: EffectContext = { trx, deps, app, workflow, action, input, comment, legalBasis, today, cal, role, actor, principal: p };
    const outcome = await applyEffect(ctx);

    const to = outcome.to ?? (action.to === 'resume' ? app.resume_state ?? workflow.initial : action.to === 'same' ? app.state : action.to);
    let version = app.version;
    const events: EventInput[] = [{ action: input.action, from: app.state, to, details: outcome.details ?? {} }];
    if (outcome.deliverTo) events.push({ action: 'deliver', from: to, to: outcome.deliverTo, system: true, details: { channel: '电子送达' } });
    const finalState = events[events.length - 1]!.to;
    const isFinal = workflow.states[finalState]?.final === true;
    await trx
      .updateTable('applications')
      .set({
        ...outcome.set,
        state: finalState,
        resume_state: outcome.resumeState === undefined ? app.resume_state : outcome.resumeState,
        version: app.version + events.length,
        ...(isFinal ? { closed_at: new Date(), ...stopClock() } : {}),
        updated_at: new Date(),
      })
      .where('id', '=', app.id)
      .execute();
    for (const e of events) {
      version++;
      await trx
        .insertInto('application_events')
        .values({
          application_id: app.id,
          seq: version,
          action: e.action,
          from_state: e.from,
          to_state: e.to,
          actor_type: e.system ? 'system' : p.kind === 'person' ? 'applicant' : 'staff',
          actor_account_id: e.system ? null : p.kind === 'client' ? null : p.accountId,
          actor_role: e.system ? null : role,
          department_id: e.system || p.kind === 'person' ? null : app.department_id,
          comment: e.system ? '' : comment,
          legal_basis: e.system ? '' : legalBasis,
          details: JSON.stringify(e.details),
        })
        .execute();
    }
    const stateLabel = workflow.states[finalState]?.label ?? finalState;
    await notifyApplicant(trx, app, {
      title: `办件${stateLabel}`,
      body: outcome.message ?? `您申请的“${app.item_name}”（${app.number}）已${action.label}，当前状态：${stateLabel}。${comment && p.kind !== 'person' ? `意见：${comment}` : ''}`,
    });
    await recordAuditEvent(trx, {
      action: 'application.transition',
      actor,
      target: { type: 'application', id: app.number },
      details: { action: input.action, from: app.state, to: finalState, role, version },
    });
    return { number: app.number, state: finalState, version };
  });
}

interface EventInput {
  action: string;
  from: string;
  to: string;
  system?: boolean;
  details: Record<string, unknown>;
}

interface EffectContext {
  trx: Transaction<DB>;
  deps: ActionDeps;
  app: AppRow;
  workflow: WorkflowDefinition;
  action: WorkflowAction;
  input: ActionInput;
  comment: string;
  legalBasis: string;
  today: string;
  cal: Awaited<ReturnType<typeof getWorkingCalendar>>;
  role: StaffRole | null;
  actor: AuditActor;
  principal: Principal;
}

interface EffectOutcome {
  set?: Updateable<ApplicationTable>;
  to?: string; // overrides the action's target
  resumeState?: string | null;
  deliverTo?: string; // a system 送达 step follows
  details?: Record<string, unknown>;
  message?: string;
}

function clockOf(app: AppRow): ClockFields {
  return {
    clock_state: app.clock_state,
    clock_phase: app.clock_phase,
    clock_started_on: app.clock_started_on,
    paused_days: app.paused_days,
    paused_since: app.paused_since,
    state_due_on: app.state_due_on,
    promised_due_on: app.promised_due_on,
    legal_due_on: app.legal_due_on,
    extension_days: app.extension_days,
  };
}

async function applyEffect(c: EffectContext): Promise<EffectOutcome> {
  const { trx, app, input, today, cal } = c;
  switch (c.action.effect) {
    case 'accept': {
      // accepted after the acceptance period: it counted as accepted from receipt, and the limits run from then
      const from = decisionStartsOn(cal, today, app.clock_started_on);
      const set = startDecision(cal, today, { promisedDays: app.promised_days, legalDays: app.legal_days }, app.clock_started_on);
      return {
        set: { ...set, accepted_at: new Date(), deadline_status: 'normal', escalated_at: null },
        details: from === today ? {} : { deemedAcceptedOn: from, acceptanceDueOn: acceptanceDueOn(cal, app.clock_started_on) },
        message:
          from === today
            ? `您申请的“${app.item_name}”（${app.number}）已受理，承诺 ${app.promised_days} 个工作日内办结。`
            : `您申请的“${app.item_name}”（${app.number}）已受理。因未在收到申请后 ${ACCEPTANCE_DAYS} 个工作日内受理，依法自收到申请之日（${from}）起即为受理，办理期限自该日起计算，承诺 ${set.promised_due_on} 前办结。`,
      };
    }
    case 'not_accept':
      return {
        set: { decision: 'not_accepted' },
        details: { reason: c.comment },
        message: `您申请的“${app.item_name}”（${app.number}）不予受理。理由：${c.comment}（依据：${c.legalBasis}）。如不服，可依法申请行政复议或者提起行政诉讼。`,
      };
    case 'request_supplement': {
      const earlier = await trx.selectFrom('application_supplements').select('id').where('application_id', '=', app.id).executeTakeFirst();
      if (earlier) throw new AppError('CONFLICT', '补正须一次性告知：本办件已告知过补正，不能再次要求补正', 'action');
      // Art. 32: 补正 is told within 5 working days of receipt; after that the application counts as accepted
      const due = acceptanceDueOn(cal, app.clock_started_on);
      if (app.clock_phase === 'acceptance' && today > due) {
        throw new AppError('CONFLICT', `已超过受理期限（收到申请后 ${ACCEPTANCE_DAYS} 个工作日，截至 ${due}），依法自收到申请之日起即为受理，不能再要求补正`, 'action');
      }
      const items = checkSupplementItems(c);
      const actorId = c.principal.kind === 'client' ? null : c.principal.accountId;
      if (!actorId) throw new ForbiddenError();
      await trx.insertInto('application_supplements').values({ application_id: app.id, requested_by: actorId, items: JSON.stringify(items), note: c.comment }).execute();
      await trx.insertInto('application_clock_pauses').values({ application_id: app.id, kind: 'supplement', reason: c.comment, expected_days: null, started_on: today }).execute();
      return {
        set: { ...pauseClock(today) },
        resumeState: app.state,
        details: { items },
        message: `您申请的“${app.item_name}”（${app.number}）需要补正材料：${items.map((i) => `${i.label}（${i.reason}）`).join('；')}。请一次性补齐后提交。`,
      };
    }
    case 'supplement':
      return supplement(c);
    case 'transfer': {
      const target = input.targetDepartmentId;
      if (!target || target === app.department_id) throw new InvalidParameterError('targetDepartmentId', '请选择接收办件的其他部门');
      const dept = await loadDepartmentScope(trx, target).catch(() => {
        throw new InvalidParameterError('targetDepartmentId', '接收部门不存在');
      });
      // the same rule as the list the page offers: a department of this region or of a region above
      if (!(await findTransferTarget(trx, app.department_id, target))) {
        throw new InvalidParameterError('targetDepartmentId', '只能移交本地区或上级地区的其他部门，请从列表中选择接收部门');
      }
      return {
        set: { department_id: dept.departmentId, region_code: dept.regionCode },
        details: { fromDepartmentId: app.department_id, toDepartmentId: dept.departmentId, toDepartmentName: dept.name },
        message: `您申请的“${app.item_name}”（${app.number}）已移交${dept.name}办理。`,
      };
    }
    case 'forward':
      return {};
    case 'suspend': {
      const kind = input.pauseKind;
      if (!kind || !(kind in PAUSE_KINDS)) throw new InvalidParameterError('pauseKind', '请选择特别程序的类型（听证、检验检测、现场核查、专家评审等）');
      const days = input.expectedDays;
      if (!Number.isInteger(days) || days! < 1 || days! > 365) throw new InvalidParameterError('expectedDays', '请填写特别程序预计所需的工作日（1–365）');
      await trx.insertInto('application_clock_pauses').values({ application_id: app.id, kind, reason: c.comment, expected_days: days!, started_on: today }).execute();
      return {
        set: { ...pauseClock(today) },
        resumeState: app.state,
        details: { pauseKind: kind, expectedDays: days },
        message: `您申请的“${app.item_name}”（${app.number}）进入${PAUSE_KINDS[kind]}程序，预计需要 ${days} 个工作日，此期间不计入办理时限。`,
      };
    }
    case 'resume': {
      const { set, excludedDays } = resumeClock(cal, today, clockOf(app), null);
      await closePause(trx, app.id, today, excludedDays);
      return { set, resumeState: null, details: { excludedDays } };
    }
    case 'extend': {
      if (app.extension_days > 0) throw new AppError('CONFLICT', '办理期限只能延长一次', 'action');
      const days = input.extensionDays;
      if (!Number.isInteger(days) || days! < 1 || days! > MAX_EXTENSION_DAYS) throw new InvalidParameterError('extensionDays', `延长期限须为 1–${MAX_EXTENSION_DAYS} 个工作日`);
      const set = extendClock(cal, clockOf(app), days!);
      return {
        set: { ...set, deadline_status: 'normal', escalated_at: null },
        details: { extensionDays: days, legalDueOn: set.legal_due_on, promisedDueOn: set.promised_due_on },
        message: `您申请的“${app.item_name}”（${app.number}）经批准延长办理期限 ${days} 个工作日，新的办结期限为 ${set.promised_due_on ?? ''}。理由：${c.comment}`,
      };
    }
    case 'approve':
    case 'reject':
      return conclude(c, c.action.effect === 'approve');
    case 'withdraw': {
      if (app.clock_state === 'paused') await closePause(trx, app.id, today, cal.workingDaysBetween(app.paused_since ?? today, today));
      return { details: { reason: c.comment } };
    }
  }
}

function checkSupplementItems(c: EffectContext): SupplementItem[] {
  const list = c.input.supplementItems ?? [];
  if (!list.length) throw new InvalidParameterError('supplementItems', '请一次性列出需要补正的全部材料或内容');
  if (list.length > 50) throw new InvalidParameterError('supplementItems', '补正事项过多');
  return list.map((i, n) => {
    const label = (i.label ?? '').trim();
    const reason = (i.reason ?? '').trim();
    if (!i.slot && !i.field) throw new InvalidParameterError(`supplementItems[${n}]`, '每项补正须指明材料或表单内容');
    if (!reason) throw new InvalidParameterError(`supplementItems[${n}].reason`, '请写明需要补正的原因');
    return { ...(i.slot ? { slot: i.slot } : {}), ...(i.field ? { field: i.field } : {}), label: label || i.slot || i.field || '', reason };
  });
}

/** The applicant answers the 补正 list: every listed material has a new file, every listed field a value. */
async function supplement(c: EffectContext): Promise<EffectOutcome> {
  const { trx, app, today, cal } = c;
  const request = await trx
    .selectFrom('application_supplements')
    .selectAll()
    .where('application_id', '=', app.id)
    .where('answered_at', 'is', null)
    .orderBy('id', 'desc')
    .executeTakeFirst();
  if (!request) throw new AppError('CONFLICT', '没有待回复的补正告知', 'action');
  const items = request.items as SupplementItem[];
  const requestedAt = new Date(request.requested_at);
  const files = await trx.selectFrom('attachments').select(['id', 'slot', 'created_at']).where('application_id', '=', app.id).where('superseded_at', 'is', null).execute();
  const fresh = new Set(files.filter((f) => new Date(f.created_at) > requestedAt).map((f) => f.slot));
  const errors: { field: string; code: string; message: string }[] = [];
  for (const i of items) if (i.slot && !fresh.has(i.slot)) errors.push({ field: `materials.${i.slot}`, code: 'MATERIAL_MISSING', message: `请上传补正材料：${i.label}` });

  let formData = app.form_data as Record<string, unknown>;
  const fieldItems = items.filter((i) => i.field);
  if (fieldItems.length) {
    const item = await loadApplicableItem(trx, app.item_code, c.deps.db, app.item_version_id);
    const merged = { ...formData };
    const given = c.input.formData ?? {};
    for (const i of fieldItems) if (i.field! in given) merged[i.field!] = given[i.field!];
    const checked = validateFormData(item.form, merged);
    for (const e of checked.errors) errors.push({ field: `formData.${e.field}`, code: e.code, message: e.message });
    for (const i of fieldItems) {
      if (!(i.field! in given)) errors.push({ field: `formData.${i.field}`, code: 'FIELD_NOT_SUPPLEMENTED', message: `请补正：${i.label}` });
    }
    if (!checked.errors.length) {
      formData = checked.values;
      const missing = requiredSlots(item.slots, formData).filter((k) => !files.some((f) => f.slot === k));
      for (const k of missing) errors.push({ field: `materials.${k}`, code: 'MATERIAL_MISSING', message: `缺少必要材料：${item.slots.find((s) => s.key === k)?.label ?? k}` });
    }
  }
  if (errors.length) throw new FieldErrorsError(errors);

  // the files replaced by the supplement are kept, marked as superseded
  const replaced = files.filter((f) => fresh.has(f.slot) && new Date(f.created_at) <= requestedAt).map((f) => f.id);
  if (replaced.length) await trx.updateTable('attachments').set({ superseded_at: new Date() }).where('id', 'in', replaced).execute();
  await trx.updateTable('application_supplements').set({ answered_at: new Date() }).where('id', '=', request.id).execute();
  const restart = app.clock_phase === 'acceptance' ? { slaDays: c.workflow.states[app.resume_state ?? c.workflow.initial]?.slaDays ?? 5 } : null;
  const { set, excludedDays } = resumeClock(cal, today, clockOf(app), restart);
  await closePause(trx, app.id, today, excludedDays);
  return {
    set: { ...set, form_data: JSON.stringify(formData), deadline_status: 'normal' },
    resumeState: null,
    details: { supplementId: request.id, materials: [...fresh].sort(), fields: fieldItems.map((i) => i.field) },
    message: `您已提交“${app.item_name}”（${app.number}）的补正材料，我们将尽快审查。`,
  };
}

async function closePause(trx: Transaction<DB>, applicationId: number, today: string, workingDays: number): Promise<void> {
  await trx
    .updateTable('application_clock_pauses')
    .set({ ended_at: new Date(), ended_on: today, working_days: workingDays })
    .where('application_id', '=', applicationId)
    .where('ended_at', 'is', null)
    .execute();
}

/** 决定: 准予 or 不予 — the document issued (licence, or the decision with reasons), then electronic 送达. */
async function conclude(c: EffectContext, approved: boolean): Promise<EffectOutcome> {
  const { trx, app } = c;
  const item = await loadApplicableItem(trx, app.item_code, c.deps.db, app.item_version_id);
  const particulars = item.form.steps
    .flatMap((s) => s.fields)
    .filter((f) => f.type !== 'table' && f.type !== 'attachment')
    .map((f) => ({ label: f.label, value: displayValue((app.form_data as Record<string, unknown>)[f.key]) }))
    .filter((x) => x.value)
    .slice(0, 12);
  const kind = approved ? (item.resultType === 'licence' ? 'licence' : item.resultType === 'approval' ? 'decision' : 'certificate') : 'decision';
  const dept = await loadDepartmentScope(trx, app.department_id);
  const result = await issueResult(trx, { storage: c.deps.storage, publicBaseUrl: c.deps.publicUrl }, {
    applicationId: app.id,
    applicationNumber: app.number,
    itemName: app.item_name,
    kind,
    title: approved ? item.resultName || `${app.item_name}决定书` : '不予行政许可决定书',
    holderName: app.subject_name,
    holderIdNumber: app.subject_id_number,
    departmentName: dept.name,
    regionCode: app.region_code,
    approved,
    reasons: c.comment || undefined,
    legalBasis: c.legalBasis || undefined,
    validYears: approved && kind === 'licence' ? 5 : undefined,
    particulars,
    issuedOn: c.today,
    actor: c.actor,
  });
  return {
    set: { decision: approved ? 'approved' : 'rejected', ...stopClock() },
    deliverTo: 'delivered',
    details: { resultId: result.id, documentNumber: result.documentNumber },
    message: approved
      ? `您申请的“${app.item_name}”（${app.number}）已办结，准予许可。电子${item.resultName || '证照'}已送达，可在“我的办件”下载，核验码 ${result.verificationCode}。`
      : `您申请的“${app.item_name}”（${app.number}）已办结，决定不予许可。理由：${c.comment}。决定书已送达，可在“我的办件”下载。如不服，可依法申请行政复议或者提起行政诉讼。`,
  };
}

function displayValue(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (Array.isArray(v)) return v.map(displayValue).join('、');
  if (typeof v === 'object') {
    const o = v as Record<string, unknown>;
    if ('detail' in o) return String(o.detail ?? '');
    return '';
  }
  return String(v).slice(0, 200);
}

const ROLE_LABELS: Partial<Record<StaffRole, string>> = { window_clerk: '窗口受理人员', reviewer: '审查人员', approver: '审批负责人' };
function roleLabel(r: StaffRole): string {
  return ROLE_LABELS[r] ?? r;
}
