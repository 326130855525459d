/**
 * The demo's parts beyond the catalogue — the result sets, the departments' shared data with a machine client of
 * the exchange, once-only (免提交) and the three lists — each written in a transaction of its own after the
 * catalogue's. So that a crash in between cannot leave a demo without them for good, the catalogue seed writes a
 * marker in its own transaction
 * (`revisions` row `demo-parts`: 0 pending) and `finishDemoParts` sets it to 1 once every part is written. A
 * server that starts and finds it pending finishes them; each part skips what it already wrote. Of several
 * servers starting together, one writes them (an advisory lock), the others find them done. A database whose
 * catalogue was not seeded as a demo has no marker, and nothing is written into it.
 */
import { sql, type Kysely, type Transaction } from 'kysely';
import type { DB } from '../db/schema.ts';
import type { BlobStorage } from '../modules/attachments/blob-storage.ts';
import { seedDemoDataResources } from './data-resources.seed.ts';
import { seedDemoExchangeClient } from './exchange-client.seed.ts';
import { seedDemoOnceOnly } from './once-only.seed.ts';
import { seedDemoResultSets } from './result-sets.seed.ts';
import { seedDemoThreeLists, type ThreeListsSeedSummary } from './three-lists.seed.ts';

export const DEMO_PARTS_MARKER = 'demo-parts';

export interface DemoPartsSummary {
  resultSets: { sets: number; rows: number } | null;
  data: { resources: number; records: number };
  exchangeClient: { clients: number; grants: number };
  onceOnly: { declarations: number; grants: number };
  lists: ThreeListsSeedSummary;
}

/** The parts, in order (once-only needs the shared data); replaceable in tests. */
export interface DemoParts {
  resultSets: (db: Kysely<DB>, storage?: BlobStorage) => Promise<DemoPartsSummary['resultSets']>;
  data: (db: Kysely<DB>) => Promise<DemoPartsSummary['data']>;
  exchangeClient: (db: Kysely<DB>) => Promise<DemoPartsSummary['exchangeClient']>;
  onceOnly: (db: Kysely<DB>) => Promise<DemoPartsSummary['onceOnly']>;
  lists: (db: Kysely<DB>) => Promise<DemoPartsSummary['lists']>;
}

const PARTS: DemoParts = { resultSets: seedDemoResultSets, data: seedDemoDataResources, exchangeClient: seedDemoExchangeClient, onceOnly: seedDemoOnceOnly, lists: seedDemoThreeLists };

/** In the catalogue seed's transaction: the demo's other parts are still to be written. */
export async function markDemoPartsPending(trx: Transaction<DB>): Promise<void> {
  await trx
    .insertInto('revisions')
    .values({ name: DEMO_PARTS_MARKER, revision: 0 })
    .onConflict((oc) => oc.column('name').doUpdateSet({ revision: 0, updated_at: new Date() }))
    .execute();
}

/** Writes the demo's other parts if they are pending; what was written, or null when there was nothing to do. */
export async function finishDemoParts(db: Kysely<DB>, o: { storage?: BlobStorage; parts?: DemoParts } = {}): Promise<DemoPartsSummary | null> {
  const parts = o.parts ?? PARTS;
  return db.connection().execute(async (conn) => {
    await sql`SELECT pg_advisory_lock(hashtext('yiwang.demo-parts'))`.execute(conn);
    try {
      const marker = await conn.selectFrom('revisions').select('revision').where('name', '=', DEMO_PARTS_MARKER).executeTakeFirst();
      if (!marker || Number(marker.revision) !== 0) return null;
      const resultSets = await parts.resultSets(conn, o.storage);
      const data = await parts.data(conn);
      const exchangeClient = await parts.exchangeClient(conn);
      const onceOnly = await parts.onceOnly(conn);
      const lists = await parts.lists(conn);
      await conn.updateTable('revisions').set({ revision: 1, updated_at: new Date() }).where('name', '=', DEMO_PARTS_MARKER).execute();
      return { resultSets, data, exchangeClient, onceOnly, lists };
    } finally {
      await sql`SELECT pg_advisory_unlock(hashtext('yiwang.demo-parts'))`.execute(conn);
    }
  });
}

/** What was written, in Chinese, a line a part (for the start-up log and `yiwang seed`). */
export function demoPartsLines(p: DemoPartsSummary): string[] {
  const { data: d, onceOnly: o, lists: l } = p;
  return [
    ...(p.resultSets ? [`演示结果查询已写入：${p.resultSets.sets} 个结果集、${p.resultSets.rows} 条结果`] : []),
    `演示三张清单已写入：${l.powers} 项权力、${l.negative} 条负面清单、${l.funds} 项专项资金（${l.allocations} 条分配结果）`,
    `演示共享数据已写入：${d.resources} 个数据资源、${d.records} 条记录、${o.declarations} 项免提交声明、${o.grants + p.exchangeClient.grants} 项共享授权、${p.exchangeClient.clients} 个演示接入应用`,
  ];
}
