/**
 * What a submission takes from the draft's once-only entries: the field values filled from shared data (they
 * override what was posted: the platform obtained them, the applicant did not type them), the materials
 * exempted (免提交: no upload needed — only with a successful fill for that very material), and the accesses to
 * link to the application number (exchange.case_linked) and to show staff on the application.
 */
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { loadOnceOnlyState } from './once-only-state.ts';

export interface SharedForSubmission {
  fieldValues: Record<string, unknown>;
  exemptSlots: string[];
  /** for the submission's timeline entry: what was obtained, from whom */
  entries: { target: 'field' | 'material'; key: string; resource: string; provider: string; version: number | null; requestId: string | null; seq: number | null }[];
  seqs: number[];
  requestIds: string[];
}

export async function sharedDataForSubmission(db: Kysely<DB>, o: { itemCode: string; subjectType: 'person' | 'enterprise'; draftId: number }): Promise<SharedForSubmission | null> {
  const state = await loadOnceOnlyState(db, { itemCode: o.itemCode, subjectType: o.subjectType, draftId: o.draftId });
  const filled = state.entries.filter((e) => e.status === 'filled');
  if (!filled.length) return null;
  return {
    fieldValues: Object.fromEntries(filled.filter((e) => e.target === 'field').map((e) => [e.targetKey, e.value])),
    exemptSlots: filled.filter((e) => e.target === 'material').map((e) => e.targetKey),
    entries: filled.map((e) => ({ target: e.target, key: e.targetKey, resource: e.resourceName, provider: e.providerName, version: e.dataVersion, requestId: e.requestId, seq: e.auditSeq })),
    seqs: [...new Set(filled.map((e) => e.auditSeq).filter((s): s is number => s !== null))].sort((a, b) => a - b),
    requestIds: [...new Set(filled.map((e) => e.requestId).filter((s): s is string => !!s))],
  };
}
