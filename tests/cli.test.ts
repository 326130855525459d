/** The `yiwang` command as an operator runs it, on an embedded database in a temporary directory. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { openDatabase } from '../src/db/database.ts';
import { migrateToLatest } from '../src/db/migrate.ts';
import { seedCatalogue } from '../src/seed/seed-catalogue.ts';
import { createItemVersion } from '../src/modules/catalogue/create-item-version.ts';
import { FIXTURE_ITEMS, FIXTURE_REGIONS } from '../src/testing/fixture-items.ts';

const yiwang = (dir: string, ...args: string[]) =>
  spawnSync(process.execPath, ['bin/yiwang.mjs', ...args], {
    env: { ...process.env, DATABASE_URL: '', YIWANG_DATA_DIR: dir },
    encoding: 'utf8',
    timeout: 120_000,
  });

test('yiwang audit verify passes on an intact log and names the row changed behind its back', { skip: !!process.env.DATABASE_URL && 'runs on the embedded database only' }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'yiwang-cli-'));
  try {
    const database = await openDatabase({ dataDir: dir });
    await migrateToLatest(database.db);
    await seedCatalogue(database.db, { items: FIXTURE_ITEMS, regionCodes: FIXTURE_REGIONS });
    const item = await database.db.selectFrom('impl_items').select('code').limit(1).executeTakeFirstOrThrow();
    await createItemVersion(database.db, { code: item.code, changes: { summary: '新说明' }, changeNote: '修改说明', actor: { type: 'staff', id: 'S-1' } });
    await database.close();

    const ok = yiwang(dir, 'audit', 'verify');
    assert.equal(ok.status, 0, ok.stderr);
    assert.match(ok.stderr, /审计链完整：共 2 条记录/);

    const again = await openDatabase({ dataDir: dir });
    await sql`UPDATE audit_events SET actor_id = 'S-9' WHERE seq = 2`.execute(again.db);
    await again.close();

    const broken = yiwang(dir, 'audit', 'verify');
    assert.equal(broken.status, 1);
    assert.match(broken.stderr, /审计链断裂：第 2 条审计记录的内容已被改动/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
