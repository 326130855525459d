/**
 * Checks the audit log against its chain head: the rows must be exactly seq 1..head.last_seq, each holding its
 * hash, linked to the one before it, and stamped to the whole millisecond (as every writer stamps them; the hash
 * covers `at` only to the millisecond, so a sub-millisecond part is a change the hash cannot see). The first row
 * that breaks a rule is reported, by its seq.
 *
 * The head, the lowest seq and the lowest seq above the head are read in one statement (one snapshot, two index
 * look-ups), so events appended while the check runs are simply beyond it. Then seq 1..last_seq is walked in
 * pages, so millions of events fit in memory.
 */
import { sql, type Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { auditEventHash, GENESIS_HASH } from './audit-hash.ts';

export type AuditChainReport =
  | { ok: true; events: number; lastHash: string }
  | {
      ok: false;
      events: number;
      brokenAt: number;
      reason: 'hash_mismatch' | 'link_mismatch' | 'sequence_gap' | 'sequence_out_of_range' | 'sub_millisecond_time' | 'head_mismatch';
      message: string;
    };

const PAGE = 5000;

export async function verifyAuditChain(db: Kysely<DB>): Promise<AuditChainReport> {
  const { rows: bounds } = await sql<{ last_seq: string | number; last_hash: string; min_seq: string | number | null; above: string | number | null }>`
    SELECT h.last_seq, h.last_hash,
           (SELECT min(seq) FROM audit_events) AS min_seq,
           (SELECT min(seq) FROM audit_events WHERE seq > h.last_seq) AS above
      FROM audit_chain_head h
     WHERE h.id = 1`.execute(db);
  const head = bounds[0];
  if (!head) throw new Error('audit_chain_head has no row');
  const lastSeq = Number(head.last_seq);
  if (head.min_seq !== null && Number(head.min_seq) < 1) {
    const seq = Number(head.min_seq);
    return { ok: false, events: 0, brokenAt: seq, reason: 'sequence_out_of_range', message: `第 ${seq} 条审计记录的序号不在 1 至 ${lastSeq} 之内（链外的记录）` };
  }

  let expectedSeq = 1;
  let prevHash = GENESIS_HASH;
  let count = 0;
  while (expectedSeq <= lastSeq) {
    const rows = await db
      .selectFrom('audit_events')
      .selectAll()
      .select(sql<boolean>`at <> date_trunc('milliseconds', at)`.as('sub_ms'))
      .where('seq', '>=', expectedSeq)
      .where('seq', '<=', lastSeq)
      .orderBy('seq')
      .limit(PAGE)
      .execute();
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
      if (r.sub_ms) {
        return { ok: false, events: count, brokenAt: seq, reason: 'sub_millisecond_time', message: `第 ${seq} 条审计记录的时间已被改动（含毫秒以下部分）` };
      }
      prevHash = r.hash;
      expectedSeq = seq + 1;
      count++;
    }
    if (rows.length < PAGE) break;
  }
  if (count !== lastSeq || head.last_hash !== prevHash) {
    return { ok: false, events: count, brokenAt: count + 1, reason: 'head_mismatch', message: '审计链末端与记录不一致（末尾记录可能被删除）' };
  }
  if (head.above !== null) {
    const seq = Number(head.above);
    return { ok: false, events: count, brokenAt: seq, reason: 'sequence_out_of_range', message: `第 ${seq} 条审计记录的序号不在 1 至 ${lastSeq} 之内（链外的记录）` };
  }
  return { ok: true, events: count, lastHash: prevHash };
}
