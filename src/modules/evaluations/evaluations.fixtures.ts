/**
 * What the 好差评 tests share: applications written straight to the table (concluded or not), the items they are
 * for, and bodies of evaluations. Not a test file itself.
 */
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { creditCodeCheckChar } from '../../shared/codes/credit-code.ts';

export interface TestItem {
  code: string;
  versionId: number;
  name: string;
  departmentId: number;
  regionCode: string;
}

/** A published implementation item of the department. */
export async function itemOf(db: Kysely<DB>, departmentId: number): Promise<TestItem> {
  const r = await db
    .selectFrom('impl_items as i')
    .innerJoin('impl_item_versions as v', (j) => j.onRef('v.item_code', '=', 'i.code').onRef('v.version', '=', 'i.published_version'))
    .select(['i.code', 'v.id', 'v.name', 'i.department_id', 'i.region_code'])
    .where('i.department_id', '=', departmentId)
    .orderBy('i.code')
    .executeTakeFirstOrThrow();
  return { code: r.code, versionId: r.id, name: r.name, departmentId: r.department_id, regionCode: r.region_code };
}

let seq = 0;

/**
 * An application in the given state; `closed` sets closed_at (as the workflow does when it reaches a final state).
 * The subject is a person (their account) unless an enterprise is given.
 */
export async function insertApplication(
  db: Kysely<DB>,
  o: {
    item: TestItem;
    submittedBy: string;
    subject?: { type: 'person' | 'enterprise'; id: string; name: string; idNumber: string };
    state?: string;
    closed?: boolean;
  },
): Promise<string> {
  seq++;
  const number = `${o.item.regionCode}-20261207-${String(seq).padStart(6, '0')}`;
  const subject = o.subject ?? { type: 'person' as const, id: o.submittedBy, name: '申请人', idNumber: '11010519491231002X' };
  const state = o.state ?? 'delivered';
  await db
    .insertInto('applications')
    .values({
      number,
      item_code: o.item.code,
      item_version_id: o.item.versionId,
      item_name: o.item.name,
      department_id: o.item.departmentId,
      region_code: o.item.regionCode,
      workflow_key: 'licensing',
      workflow_version: 1,
      state,
      submitted_by: o.submittedBy,
      subject_type: subject.type,
      subject_id: subject.id,
      subject_name: subject.name,
      subject_id_number: subject.idNumber,
      idempotency_key: `test-${number}`,
      form_data: JSON.stringify({}),
      legal_days: 20,
      promised_days: 10,
      clock_started_on: '2026-11-02',
      clock_state: o.closed === false ? 'running' : 'stopped',
      clock_phase: o.closed === false ? 'decision' : 'done',
      decision: state === 'not_accepted' ? 'not_accepted' : state === 'delivered' ? 'approved' : null,
      closed_at: (o.closed ?? true) ? new Date() : null,
      updated_at: new Date(),
    })
    .execute();
  return number;
}

/** An enterprise of `repAccountId`, and a grant for `agentAccountId` to act for it (企业经办人). */
export async function insertEnterpriseAgent(db: Kysely<DB>, repAccountId: string, agentAccountId: string, n: number): Promise<{ enterpriseId: string; delegationId: string; creditCode: string }> {
  const first17 = `91330106MA${String(8_000_000 + n).padStart(7, '0')}`;
  const creditCode = first17 + creditCodeCheckChar(first17);
  const e = await db
    .insertInto('enterprises')
    .values({ credit_code: creditCode, name: `好差评测试有限公司${n}`, legal_rep_name: '法定代表人', legal_rep_account_id: repAccountId })
    .returning('id')
    .executeTakeFirstOrThrow();
  const d = await db
    .insertInto('delegations')
    .values({
      principal_type: 'enterprise',
      principal_account_id: null,
      principal_enterprise_id: e.id,
      agent_account_id: agentAccountId,
      relation: 'enterprise_agent',
      item_codes: [],
      valid_from: new Date(Date.now() - 3600_000),
      valid_until: new Date(Date.now() + 30 * 86_400_000),
      note: '',
      created_by: repAccountId,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return { enterpriseId: e.id, delegationId: d.id, creditCode };
}

export const ALL_FIVE = { overall: 5, efficiency: 5, guideAccuracy: 5, convenience: 5, usability: 5 };

export function evaluationBody(level: number, o: { comment?: string; indicators?: Partial<typeof ALL_FIVE> } = {}) {
  const indicators: typeof ALL_FIVE = { overall: level, efficiency: level, guideAccuracy: level, convenience: level, usability: level, ...o.indicators };
  return { level, indicators, ...(o.comment !== undefined ? { comment: o.comment } : {}) };
}
