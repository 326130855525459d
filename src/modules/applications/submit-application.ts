/**
 * Submits an application (提交申请): the form checked against the item's published form, the required
 * materials present, a readable number, the acceptance clock started — and the application, its first timeline
 * entry, the applicant's notification and the audit row written in one transaction. What the draft obtained by
 * data sharing (免提交, src/modules/once-only) counts: filled fields override the posted values, an exempted
 * material needs no file, and `exchange.case_linked` links those accesses to the number in the same transaction.
 *
 * Idempotent: the same submitter and idempotency key always yield the same application, also when the requests
 * race (the unique constraint decides; the loser reads the winner's row; a retry whose check fails finds the
 * application its first attempt made). The checks run here, per request; the
 * writes go through the submission writer, which commits concurrent submissions together (submission-writer.ts).
 * A draft makes one application: another submission of it under a different key is refused (409 from the writer
 * when the submissions race, 404 from the check here once the draft is gone).
 */
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';
import type { PersonPrincipal } from '../access/principal.ts';
import type { AuditActor } from '../audit/audit.types.ts';
import { validateFormData } from '../forms/validate-form-data.ts';
import { requiredSlots } from '../forms/material-slots.ts';
import { chinaToday, getWorkingCalendar } from '../calendar/working-calendar.ts';
import { AppError, FieldErrorsError, NotFoundError } from '../../shared/errors.ts';
import { loadApplicableItem } from './load-applicable-item.ts';
import { resolveApplicant } from './resolve-applicant.ts';
import { nextApplicationNumber } from './application-numbers.ts';
import { startAcceptance } from './application-clock.ts';
import { loadWorkflow } from './workflows.ts';
import { writeSubmission } from './submission-writer.ts';
import { sharedDataForSubmission, type SharedForSubmission } from '../once-only/shared-data-for-submission.ts';

export interface SubmitApplicationInput {
  itemCode: string;
  idempotencyKey: string;
  formData: Record<string, unknown>;
  draftId?: number;
}

export interface SubmitApplicationResult {
  number: string;
  state: string;
  replayed: boolean; // true: this key was used before; nothing new was made
}

export async function submitApplication(
  db: Kysely<DB>,
  p: PersonPrincipal,
  input: SubmitApplicationInput,
  actor: AuditActor,
  o: { catalogueRevision?: number } = {},
): Promise<SubmitApplicationResult> {
  try {
    return await submitChecked(db, p, input, actor, o);
  } catch (err) {
    // a retry of a submission that went through is answered with it, even if the check would now fail
    // (the item unpublished, the draft gone with the submission …)
    if (err instanceof AppError && err.status < 500) {
      const earlier = await findByKey(db, p.accountId, input.idempotencyKey);
      if (earlier) return replay(earlier, input.itemCode);
    }
    throw err;
  }
}

async function submitChecked(
  db: Kysely<DB>,
  p: PersonPrincipal,
  input: SubmitApplicationInput,
  actor: AuditActor,
  o: { catalogueRevision?: number },
): Promise<SubmitApplicationResult> {
  const item = await loadApplicableItem(db, input.itemCode, db, undefined, o.catalogueRevision);
  const applicant = await resolveApplicant(db, p, item.basicCode);
  // the materials: files already uploaded to the draft, by slot; and what the draft obtained by data sharing
  // (免提交): filled fields override what was sent, exempted materials need no file
  const filled = new Set<string>();
  let shared: SharedForSubmission | null = null;
  if (input.draftId !== undefined) {
    const draft = await db
      .selectFrom('application_drafts')
      .select(['id', 'item_code', 'subject_id'])
      .where('id', '=', input.draftId)
      .where('account_id', '=', p.accountId)
      .executeTakeFirst();
    // a submitted draft is deleted; this check is only a first look (a race of two tabs is settled by the writer,
    // which takes the draft under a lock: submission-writer.ts)
    if (!draft) throw new NotFoundError('草稿不存在或已提交；已提交的申请请在“我的办件”中查看', 'draftId');
    if (draft.item_code !== item.code || draft.subject_id !== applicant.subjectId) throw new NotFoundError('草稿不存在', 'draftId');
    const files = await db.selectFrom('attachments').select('slot').where('draft_id', '=', draft.id).where('superseded_at', 'is', null).execute();
    for (const f of files) filled.add(f.slot);
    shared = await sharedDataForSubmission(db, { itemCode: item.code, subjectType: applicant.subjectType, draftId: draft.id });
  }
  const { values, errors } = validateFormData(item.form, shared ? { ...input.formData, ...shared.fieldValues } : input.formData);
  if (errors.length) throw new FieldErrorsError(errors.map((e) => ({ field: `formData.${e.field}`, code: e.code, message: e.message })));
  const exempt = new Set(shared?.exemptSlots ?? []);
  const missing = requiredSlots(item.slots, values).filter((k) => !filled.has(k) && !exempt.has(k));
  if (missing.length) {
    throw new FieldErrorsError(
      missing.map((k) => ({ field: `materials.${k}`, code: 'MATERIAL_MISSING', message: `缺少必要材料：${item.slots.find((s) => s.key === k)?.label ?? k}` })),
    );
  }

  const workflow = await loadWorkflow(db, item.workflowKey);
  const cal = await getWorkingCalendar(db);
  const today = chinaToday();
  const number = await nextApplicationNumber(db, item.department.regionCode, today);
  const slaDays = workflow.states[workflow.initial]?.slaDays ?? 5;

  const written = await writeSubmission(db, {
    values: {
      number,
      item_code: item.code,
      item_version_id: item.versionId,
      item_name: item.name,
      department_id: item.department.departmentId,
      region_code: item.department.regionCode,
      workflow_key: workflow.key,
      workflow_version: workflow.version,
      state: workflow.initial,
      resume_state: null,
      submitted_by: p.accountId,
      subject_type: applicant.subjectType,
      subject_id: applicant.subjectId,
      subject_name: applicant.name,
      subject_id_number: applicant.idNumber,
      delegation_id: applicant.delegationId,
      idempotency_key: input.idempotencyKey,
      form_data: JSON.stringify(values),
      legal_days: item.legalDays,
      promised_days: item.promisedDays,
      ...startAcceptance(cal, today, slaDays),
      updated_at: new Date(),
    },
    draftId: input.draftId ?? null,
    materials: [...filled].sort(),
    notification: {
      title: '申请已提交',
      body: `您申请的“${item.name}”已提交，办件编号 ${number}。${item.department.name}将在 ${slaDays} 个工作日内作出是否受理的决定。`,
    },
    audit: {
      action: 'application.submitted',
      actor,
      target: { type: 'application', id: number },
      details: { itemCode: item.code, departmentId: item.department.departmentId, subjectType: applicant.subjectType },
    },
    ...(shared
      ? {
          shared: shared.entries,
          // the accesses made for the draft now serve this application number
          linkedAudit: {
            action: 'exchange.case_linked' as const,
            actor,
            target: { type: 'application', id: number },
            details: { case: `draft:${input.draftId}`, itemCode: item.code, seqs: shared.seqs, requestIds: shared.requestIds, targets: shared.entries.map((e) => `${e.target}:${e.key}`) },
          },
        }
      : {}),
  });
  if (written) return { number, state: workflow.initial, replayed: false };
  const winner = await findByKey(db, p.accountId, input.idempotencyKey);
  if (!winner) throw new AppError('CONFLICT', '提交冲突，请重试', 'idempotencyKey');
  return replay(winner, input.itemCode);
}

async function findByKey(db: Kysely<DB>, accountId: string, key: string) {
  return db.selectFrom('applications').select(['number', 'state', 'item_code']).where('submitted_by', '=', accountId).where('idempotency_key', '=', key).executeTakeFirst();
}

function replay(a: { number: string; state: string; item_code: string }, itemCode: string): SubmitApplicationResult {
  if (a.item_code !== itemCode) throw new AppError('CONFLICT', '此幂等键已用于另一事项的申请，请使用新的幂等键', 'idempotencyKey');
  return { number: a.number, state: a.state, replayed: true };
}
