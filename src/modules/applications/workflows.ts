/**
 * The standard workflows, kept in the `workflows` table: 'licensing' (承诺件: 受理 → 审查 → 决定 → 办结 → 送达)
 * and 'immediate' (即办件: decided at the window on acceptance). An item names its workflow in its version
 * (`workflow_key`); without one, the handling type chooses. Definitions are written once at start-up and never
 * changed: a new definition is a new version, and running applications keep the one they started with.
 */
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';
import type { HandlingType } from '../catalogue/catalogue.types.ts';
import type { WorkflowAction, WorkflowDefinition, WorkflowState } from './workflow.types.ts';
import { AppError } from '../../shared/errors.ts';

const commonStates = {
  submitted: { label: '待受理', actor: 'window_clerk', slaDays: 5, clock: 'acceptance' }, // 行政许可法 Art. 32
  supplement: { label: '待补正', actor: 'applicant', clock: 'paused' },
  concluded: { label: '已办结', actor: null, clock: 'stopped' },
  delivered: { label: '已送达', actor: null, clock: 'stopped', final: true },
  not_accepted: { label: '不予受理', actor: null, clock: 'stopped', final: true },
  withdrawn: { label: '已撤回', actor: null, clock: 'stopped', final: true },
} satisfies Record<string, WorkflowState>;

const acceptanceActions = {
  request_supplement: { label: '一次性告知补正', from: ['submitted'], to: 'supplement', by: ['window_clerk'], effect: 'request_supplement', needs: { comment: true } },
  supplement: { label: '提交补正材料', from: ['supplement'], to: 'resume', by: 'applicant', effect: 'supplement' },
  not_accept: { label: '不予受理', from: ['submitted'], to: 'not_accepted', by: ['window_clerk'], effect: 'not_accept', needs: { comment: true, legalBasis: true } },
  transfer: { label: '移交其他部门', from: ['submitted'], to: 'submitted', by: ['window_clerk'], effect: 'transfer', needs: { comment: true } },
} satisfies Record<string, WorkflowAction>;

export const LICENSING_WORKFLOW: WorkflowDefinition = {
  key: 'licensing',
  version: 1,
  name: '行政许可标准流程（承诺件）',
  initial: 'submitted',
  states: {
    ...commonStates,
    review: { label: '审查中', actor: 'reviewer', clock: 'decision' },
    decision: { label: '待决定', actor: 'approver', clock: 'decision' },
    suspended: { label: '特别程序（暂停计时）', actor: 'reviewer', clock: 'paused' }, // Art. 45: 听证、检验检测、专家评审
  },
  actions: {
    accept: { label: '受理', from: ['submitted'], to: 'review', by: ['window_clerk'], effect: 'accept' },
    ...acceptanceActions,
    pass_review: { label: '审查通过，报送决定', from: ['review'], to: 'decision', by: ['reviewer'], effect: 'forward', needs: { comment: true } },
    return_review: { label: '退回重新审查', from: ['decision'], to: 'review', by: ['approver'], effect: 'forward', needs: { comment: true } },
    suspend: { label: '进入特别程序（暂停计时）', from: ['review', 'decision'], to: 'suspended', by: ['reviewer', 'approver'], effect: 'suspend', needs: { comment: true } },
    resume: { label: '特别程序结束（恢复计时）', from: ['suspended'], to: 'resume', by: ['reviewer', 'approver'], effect: 'resume', needs: { comment: true } },
    extend: { label: '延长办理期限', from: ['review', 'decision'], to: 'same', by: ['approver'], effect: 'extend', needs: { comment: true } },
    approve: { label: '准予许可', from: ['decision'], to: 'concluded', by: ['approver'], effect: 'approve' },
    reject: { label: '不予许可', from: ['decision'], to: 'concluded', by: ['approver'], effect: 'reject', needs: { comment: true, legalBasis: true } },
    withdraw: { label: '撤回申请', from: ['submitted', 'supplement', 'review', 'decision', 'suspended'], to: 'withdrawn', by: 'applicant', effect: 'withdraw' },
  },
};

export const IMMEDIATE_WORKFLOW: WorkflowDefinition = {
  key: 'immediate',
  version: 1,
  name: '即办件流程（当场办结）',
  initial: 'submitted',
  states: { ...commonStates, submitted: { ...commonStates.submitted, slaDays: 1 } },
  actions: {
    ...acceptanceActions,
    approve: { label: '受理并当场办结', from: ['submitted'], to: 'concluded', by: ['window_clerk'], effect: 'approve' },
    reject: { label: '受理并作出不予决定', from: ['submitted'], to: 'concluded', by: ['window_clerk'], effect: 'reject', needs: { comment: true, legalBasis: true } },
    withdraw: { label: '撤回申请', from: ['submitted', 'supplement'], to: 'withdrawn', by: 'applicant', effect: 'withdraw' },
  },
};

export const STANDARD_WORKFLOWS: readonly WorkflowDefinition[] = [LICENSING_WORKFLOW, IMMEDIATE_WORKFLOW];

/** The workflow an item version uses: its own key, or by handling type (即办件 → immediate). */
export function workflowKeyFor(version: { workflow_key: string | null; handling_type: HandlingType }): string {
  return version.workflow_key ?? (version.handling_type === 'immediate' ? 'immediate' : 'licensing');
}

/** Writes the standard definitions that are not stored yet (idempotent; safe when servers start together). */
export async function ensureWorkflows(db: Kysely<DB>): Promise<void> {
  for (const w of STANDARD_WORKFLOWS) {
    await db
      .insertInto('workflows')
      .values({ key: w.key, version: w.version, name: w.name, definition: JSON.stringify(w) })
      .onConflict((oc) => oc.columns(['key', 'version']).doNothing())
      .execute();
  }
}

// definitions are immutable, so a process may keep every one it has read
const cache = new WeakMap<object, Map<string, WorkflowDefinition>>();

/**
 * A stored definition; the latest version when `version` is omitted. Inside a transaction pass the transaction
 * (PGlite has one connection) and the database handle as `cacheOwner`.
 */
export async function loadWorkflow(db: Kysely<DB>, key: string, version?: number, cacheOwner: object = db): Promise<WorkflowDefinition> {
  let perDb = cache.get(cacheOwner);
  if (!perDb) cache.set(cacheOwner, (perDb = new Map()));
  if (version !== undefined) {
    const hit = perDb.get(`${key}@${version}`);
    if (hit) return hit;
  }
  let q = db.selectFrom('workflows').select(['version', 'definition']).where('key', '=', key);
  q = version !== undefined ? q.where('version', '=', version) : q.orderBy('version', 'desc').limit(1);
  let row = await q.executeTakeFirst();
  if (!row && STANDARD_WORKFLOWS.some((w) => w.key === key)) {
    await ensureWorkflows(db); // a database migrated but not yet started (tests, tools)
    row = await q.executeTakeFirst();
  }
  if (!row) throw new AppError('NOT_FOUND', `办理流程“${key}”不存在`, 'workflow');
  const def = row.definition as WorkflowDefinition;
  perDb.set(`${key}@${row.version}`, def);
  return def;
}
