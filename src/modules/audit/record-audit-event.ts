/**
 * Appends an event to the audit log inside the caller's transaction, so the event exists exactly when the change
 * it describes does. The chain head row is locked until the transaction ends: concurrent transactions append
 * one after another and the chain stays gap-free. Call it as the last write of the transaction, so the lock is
 * held only for the commit.
 */
import type { Kysely, Transaction } from 'kysely';
import type { ActorType, AuditOutcome, DB } from '../../db/schema.ts';
import { sha256Hex } from '../../shared/tokens.ts';
import { auditEventText, type HashedFields } from './audit-hash.ts';
import type { AuditEventInput } from './audit.types.ts';

export async function recordAuditEvent(trx: Transaction<DB>, input: AuditEventInput): Promise<{ seq: number; hash: string }> {
  const [one] = await recordAuditEvents(trx, [input]);
  return one!;
}

/**
 * Appends several events in order under one lock of the chain head, with one multi-row insert: for writers that
 * commit many changes in one transaction (the batched application submissions).
 */
export async function recordAuditEvents(trx: Transaction<DB>, inputs: readonly AuditEventInput[]): Promise<{ seq: number; hash: string }[]> {
  if (!inputs.length) return [];
  const head = await trx.selectFrom('audit_chain_head').select(['last_seq', 'last_hash']).where('id', '=', 1).forUpdate().executeTakeFirstOrThrow();
  const { rows, last } = chainAuditEvents({ seq: Number(head.last_seq), hash: head.last_hash }, inputs);
  // modest chunks: PGlite and the pg driver both dislike very many parameters in one statement
  for (let i = 0; i < rows.length; i += 200) {
    await trx
      .insertInto('audit_events')
      .values(rows.slice(i, i + 200).map((r) => ({ ...r, at: new Date(r.at), details: JSON.stringify(r.details) })))
      .execute();
  }
  await trx.updateTable('audit_chain_head').set({ last_seq: last.seq, last_hash: last.hash }).where('id', '=', 1).execute();
  return rows.map((r) => ({ seq: r.seq, hash: r.hash }));
}

/** An event as appended: its hashed fields and its hash. */
export interface ChainedEvent extends HashedFields {
  actor_type: ActorType;
  outcome: AuditOutcome;
  hash: string;
}

/** The end of the chain: the last event's seq and hash. */
export interface ChainHead {
  seq: number;
  hash: string;
}

/**
 * The rows that append `inputs` after `head`, in order, each hashed over its fields and the hash before it
 * (all stamped with one time), and the new head; with each row's hashed text (its canonical JSON, every column
 * but the hash), for a writer that sends the rows as JSON. Pure: writing them, under the head's lock or as a
 * compare-and-set of the head, is the caller's.
 */
export function chainAuditEvents(head: ChainHead, inputs: readonly AuditEventInput[]): { rows: ChainedEvent[]; texts: string[]; last: ChainHead } {
  let seq = head.seq;
  let prev = head.hash;
  const at = new Date().toISOString();
  const texts: string[] = [];
  const rows = inputs.map((input) => {
    const a = input.actor;
    // members in JCS order, as the hash canonicalises them (with details in order too, nothing is copied)
    const fields: HashedFields = {
      action: input.action,
      actor_id: a.id ?? null,
      actor_type: a.type,
      at,
      department_id: a.departmentId ?? null,
      details: input.details ?? {},
      ip: a.ip ?? null,
      on_behalf_of: a.onBehalfOf ?? null,
      outcome: input.outcome ?? 'success',
      prev_hash: prev,
      region_code: a.regionCode ?? null,
      request_id: a.requestId ?? null,
      seq: ++seq,
      target_id: input.target?.id ?? null,
      target_type: input.target?.type ?? null,
      user_agent: a.userAgent ? a.userAgent.slice(0, 500) : null,
    };
    const text = auditEventText(fields);
    const hash = sha256Hex(text);
    texts.push(text);
    prev = hash;
    return { ...fields, actor_type: a.type, outcome: input.outcome ?? 'success', hash };
  });
  return { rows, texts, last: { seq, hash: prev } };
}

/** For code that is not in a transaction yet: one transaction for the event alone. */
export async function recordAuditEventAlone(db: Kysely<DB>, input: AuditEventInput): Promise<{ seq: number; hash: string }> {
  return db.transaction().execute((trx) => recordAuditEvent(trx, input));
}
