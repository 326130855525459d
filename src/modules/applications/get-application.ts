/**
 * An application as its applicant or a handling staff member sees it (办件详情): state, clock, form, materials,
 * the timeline, the open 补正 list, the result, and the actions this viewer may take now. Anyone else gets 404.
 */
import type { Kysely } from 'kysely';
import type { DB, StaffRole } from '../../db/schema.ts';
import type { Principal } from '../access/principal.ts';
import { NotFoundError } from '../../shared/errors.ts';
import { APPLICATION_NOT_FOUND, handlingRoles, isApplicantNow, loadDepartmentScope } from './application-access.ts';
import { loadWorkflow } from './workflows.ts';
import type { WorkflowDefinition } from './workflow.types.ts';
import type { SupplementItem } from './act-on-application.ts';
import { maskIdNumber } from '../results/masking.ts';

export interface ApplicationView {
  number: string;
  itemCode: string;
  itemName: string;
  itemVersionId: number;
  department: { id: number; name: string };
  state: string;
  stateLabel: string;
  version: number;
  final: boolean;
  subject: { type: 'person' | 'enterprise'; name: string; idNumber: string };
  submittedAt: string;
  acceptedAt: string | null;
  closedAt: string | null;
  decision: string | null;
  clock: {
    state: string;
    phase: string;
    dueOn: string | null;
    promisedDueOn: string | null;
    legalDueOn: string | null;
    pausedDays: number;
    extensionDays: number;
    deadlineStatus: string;
    escalated: boolean;
  };
  formData: Record<string, unknown>;
  timeline: {
    seq: number;
    at: string;
    action: string;
    actionLabel: string;
    fromState: string | null;
    toState: string;
    toLabel: string;
    actorType: string;
    actorRole: string | null;
    comment: string;
    legalBasis: string;
    details: Record<string, unknown>;
  }[];
  supplement: { id: number; items: SupplementItem[]; note: string; requestedAt: string; answeredAt: string | null } | null;
  pauses: { kind: string; reason: string; expectedDays: number | null; startedOn: string; endedOn: string | null; workingDays: number | null }[];
  attachments: { id: string; slot: string; fileName: string; mediaType: string; sizeBytes: number; sha256: string; createdAt: string; superseded: boolean }[];
  result: { id: number; kind: string; title: string; documentNumber: string; verificationCode: string; issuedAt: string } | null;
  evaluated: boolean;
  /** What this viewer may do now. */
  actions: { key: string; label: string; needs: { comment?: boolean; legalBasis?: boolean }; effect: string }[];
  viewer: 'applicant' | 'staff';
  roles: StaffRole[];
}

export async function getApplication(db: Kysely<DB>, p: Principal | null, number: string): Promise<ApplicationView> {
  const app = await db.selectFrom('applications').selectAll().where('number', '=', number).executeTakeFirst();
  if (!app || !p) throw new NotFoundError(APPLICATION_NOT_FOUND, 'number');
  const dept = await loadDepartmentScope(db, app.department_id);
  const applicant = await isApplicantNow(db, p, app);
  const roles = applicant ? [] : handlingRoles(p, dept);
  if (!applicant && !roles.length) throw new NotFoundError(APPLICATION_NOT_FOUND, 'number');
  const workflow = await loadWorkflow(db, app.workflow_key, app.workflow_version);

  const [events, supplement, pauses, files, result, evaluation] = await Promise.all([
    db.selectFrom('application_events').selectAll().where('application_id', '=', app.id).orderBy('seq').execute(),
    db.selectFrom('application_supplements').selectAll().where('application_id', '=', app.id).orderBy('id', 'desc').executeTakeFirst(),
    db.selectFrom('application_clock_pauses').selectAll().where('application_id', '=', app.id).orderBy('id').execute(),
    db
      .selectFrom('attachments')
      .select(['id', 'slot', 'file_name', 'media_type', 'size_bytes', 'sha256', 'created_at', 'superseded_at'])
      .where('application_id', '=', app.id)
      .orderBy('slot')
      .orderBy('created_at')
      .execute(),
    db.selectFrom('application_results').select(['id', 'kind', 'title', 'document_number', 'verification_code', 'issued_at']).where('application_id', '=', app.id).executeTakeFirst(),
    db.selectFrom('evaluations').select('id').where('application_id', '=', app.id).executeTakeFirst(),
  ]);

  return {
    number: app.number,
    itemCode: app.item_code,
    itemName: app.item_name,
    itemVersionId: app.item_version_id,
    department: { id: dept.departmentId, name: dept.name },
    state: app.state,
    stateLabel: stateLabel(workflow, app.state),
    version: app.version,
    final: app.closed_at !== null,
    subject: { type: app.subject_type, name: app.subject_name, idNumber: applicant ? maskIdNumber(app.subject_id_number) : app.subject_id_number },
    submittedAt: iso(app.submitted_at),
    acceptedAt: app.accepted_at ? iso(app.accepted_at) : null,
    closedAt: app.closed_at ? iso(app.closed_at) : null,
    decision: app.decision,
    clock: {
      state: app.clock_state,
      phase: app.clock_phase,
      dueOn: app.state_due_on,
      promisedDueOn: app.promised_due_on,
      legalDueOn: app.legal_due_on,
      pausedDays: app.paused_days,
      extensionDays: app.extension_days,
      deadlineStatus: app.deadline_status,
      escalated: app.escalated_at !== null,
    },
    formData: app.form_data as Record<string, unknown>,
    timeline: events.map((e) => ({
      seq: e.seq,
      at: iso(e.at),
      action: e.action,
      actionLabel: actionLabel(workflow, e.action),
      fromState: e.from_state,
      toState: e.to_state,
      toLabel: stateLabel(workflow, e.to_state),
      actorType: e.actor_type,
      actorRole: e.actor_role,
      comment: e.comment,
      legalBasis: e.legal_basis,
      details: e.details as Record<string, unknown>,
    })),
    supplement: supplement
      ? { id: supplement.id, items: supplement.items as SupplementItem[], note: supplement.note, requestedAt: iso(supplement.requested_at), answeredAt: supplement.answered_at ? iso(supplement.answered_at) : null }
      : null,
    pauses: pauses.map((x) => ({ kind: x.kind, reason: x.reason, expectedDays: x.expected_days, startedOn: x.started_on, endedOn: x.ended_on, workingDays: x.working_days })),
    attachments: files.map((f) => ({
      id: f.id,
      slot: f.slot,
      fileName: f.file_name,
      mediaType: f.media_type,
      sizeBytes: f.size_bytes,
      sha256: f.sha256,
      createdAt: iso(f.created_at),
      superseded: f.superseded_at !== null,
    })),
    result: result
      ? { id: result.id, kind: result.kind, title: result.title, documentNumber: result.document_number, verificationCode: result.verification_code, issuedAt: iso(result.issued_at) }
      : null,
    evaluated: !!evaluation,
    actions: Object.entries(workflow.actions)
      .filter(([, a]) => a.from.includes(app.state) && (applicant ? a.by === 'applicant' : a.by !== 'applicant' && a.by.some((r) => roles.includes(r))))
      .filter(([, a]) => !(a.effect === 'extend' && app.extension_days > 0))
      .filter(([, a]) => !(a.effect === 'request_supplement' && supplement))
      .map(([key, a]) => ({ key, label: a.label, needs: a.needs ?? {}, effect: a.effect })),
    viewer: applicant ? 'applicant' : 'staff',
    roles,
  };
}

export function stateLabel(w: WorkflowDefinition, state: string): string {
  return w.states[state]?.label ?? state;
}

export function actionLabel(w: WorkflowDefinition, action: string): string {
  if (action === 'submit') return '提交申请';
  if (action === 'deliver') return '电子送达';
  if (action === 'escalate') return '超期督办';
  return w.actions[action]?.label ?? action;
}

function iso(d: Date | string): string {
  return new Date(d).toISOString();
}
