/**
 * Walks the audit log in order and recomputes every hash: the first event whose stored hash, link to its
 * predecessor or sequence number does not hold is reported. Reads in pages, so millions of events fit in memory.
 */
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { auditEventHash, GENESIS_HASH } from './audit-hash.ts';

export type AuditChainReport =
  | { ok: true; events: number; lastHash: string }
  | { ok: false; events: number; brokenAt: number; reason: 'hash_mismatch' | 'link_mismatch' | 'sequence_gap' | 'head_mismatch'; message: string };

const PAGE = 5000;

export async function verifyAuditChain(db: Kysely<DB>): Promise<AuditChainReport> {
  let expectedSeq = 1;
  let prevHash = GENESIS_HASH;
  let count = 0;
  for (;;) {
    const rows = await db.selectFrom('audit_events').selectAll().where('seq', '>=', expectedSeq).orderBy('seq').limit(PAGE).execute();
    for (const r of rows) {
      const seq = Number(r.seq);
      if (seq !== expectedSeq) {
        return { ok: false, events: count, brokenAt: expectedSeq, reason: 'sequence_gap', message: `第 ${expectedSeq} 条审计记录缺失` };
      }
      if (r.prev_hash !== prevHash) {
        return { ok: false, events: count, brokenAt: seq, reason: 'link_mismatch', message: `第 ${seq} 条审计记录与前一条的链接不符` };
      }
      const hash = auditEventHash({
        seq,
        at: r.at.toISOString(),
        actor_type: r.actor_type,
        actor_id: r.actor_id,
        on_behalf_of: r.on_behalf_of,
        action: r.action,
        target_type: r.target_type,
        target_id: r.target_id,
        outcome: r.outcome,
        ip: r.ip,
        user_agent: r.user_agent,
        request_id: r.request_id,
        department_id: r.department_id,
        region_code: r.region_code,
        details: r.details,
        prev_hash: r.prev_hash,
      });
      if (hash !== r.hash) {
        return { ok: false, events: count, brokenAt: seq, reason: 'hash_mismatch', message: `第 ${seq} 条审计记录的内容已被改动（哈希不符）` };
      }
      prevHash = r.hash;
      expectedSeq = seq + 1;
      count++;
    }
    if (rows.length < PAGE) break;
  }
  const head = await db.selectFrom('audit_chain_head').select(['last_seq', 'last_hash']).where('id', '=', 1).executeTakeFirstOrThrow();
  if (Number(head.last_seq) !== count || head.last_hash !== prevHash) {
    return { ok: false, events: count, brokenAt: count + 1, reason: 'head_mismatch', message: '审计链末端与记录不一致（末尾记录可能被删除）' };
  }
  return { ok: true, events: count, lastHash: prevHash };
}
