/** `yiwang client create|rotate|disable|list` as an operator runs them, on an embedded database in a temporary directory. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openDatabase } from '../../db/database.ts';
import { migrateToLatest } from '../../db/migrate.ts';
import { seedCatalogue } from '../../seed/seed-catalogue.ts';
import { FIXTURE_ITEMS, FIXTURE_REGIONS } from '../../testing/fixture-items.ts';
import { findDepartment } from '../../testing/fixture-accounts.ts';
import { sha256Hex } from '../../shared/tokens.ts';
import { verifyAuditChain } from '../audit/verify-audit-chain.ts';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const yiwang = (dir: string, ...args: string[]) =>
  spawnSync(process.execPath, ['bin/yiwang.mjs', ...args], {
    cwd: ROOT,
    env: { ...process.env, DATABASE_URL: '', YIWANG_DATA_DIR: dir },
    encoding: 'utf8',
    timeout: 120_000,
  });

const field = (stdout: string, name: string) => new RegExp(`^${name}=(\\S+)$`, 'm').exec(stdout)?.[1];

test('yiwang client: create shows the secret once, rotate replaces it, disable and list', { skip: !!process.env.DATABASE_URL && 'runs on the embedded database only' }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'yiwang-client-cli-'));
  try {
    let database = await openDatabase({ dataDir: dir });
    await migrateToLatest(database.db);
    await seedCatalogue(database.db, { items: FIXTURE_ITEMS, regionCodes: FIXTURE_REGIONS });
    const dept = await findDepartment(database.db, { regionCode: '330106', kind: 'market_regulation' });
    await database.close();

    const bad = yiwang(dir, 'client', 'create', '--name', '前置机', '--department', dept.creditCode, '--scopes', 'audit.search,clients.manage');
    assert.equal(bad.status, 1);
    assert.match(bad.stderr, /未知的权限范围：clients\.manage/);

    const created = yiwang(dir, 'client', 'create', '--name', '市场监管前置机', '--department', dept.creditCode, '--scopes', 'catalogue.draft.read,audit.search');
    assert.equal(created.status, 0, created.stderr);
    const clientId = field(created.stdout, 'client_id');
    const secret = field(created.stdout, 'client_secret');
    assert.match(clientId ?? '', /^yw_[0-9a-f]{16}$/);
    assert.match(secret ?? '', /^[A-Za-z0-9_-]{43}$/);
    assert.match(created.stderr, /只显示这一次/);

    const rotated = yiwang(dir, 'client', 'rotate', clientId!, '--grace-hours', '0');
    assert.equal(rotated.status, 0, rotated.stderr);
    const newSecret = field(rotated.stdout, 'client_secret');
    assert.ok(newSecret && newSecret !== secret);
    assert.match(rotated.stderr, /旧密钥已立即失效/);

    const disabled = yiwang(dir, 'client', 'disable', clientId!);
    assert.equal(disabled.status, 0, disabled.stderr);

    const listed = yiwang(dir, 'client', 'list');
    assert.equal(listed.status, 0, listed.stderr);
    const line = listed.stdout.split('\n').find((l) => l.startsWith(clientId!));
    assert.ok(line, listed.stdout);
    assert.match(line, /市场监管前置机\t/);
    assert.match(line, /catalogue\.draft\.read audit\.search\t已停用/);
    assert.ok(!listed.stdout.includes(newSecret));

    database = await openDatabase({ dataDir: dir });
    const row = await database.db.selectFrom('api_clients').selectAll().where('client_id', '=', clientId!).executeTakeFirstOrThrow();
    assert.equal(row.secret_hash, sha256Hex(newSecret));
    assert.equal(row.previous_secret_hash, null);
    assert.ok(row.disabled_at);
    assert.equal(row.created_by, 'yiwang');
    const events = await database.db.selectFrom('audit_events').select(['action', 'actor_type']).where('target_id', '=', clientId!).orderBy('seq').execute();
    assert.deepEqual(events, [
      { action: 'client.created', actor_type: 'system' },
      { action: 'client.secret_rotated', actor_type: 'system' },
      { action: 'client.disabled', actor_type: 'system' },
    ]);
    assert.equal((await verifyAuditChain(database.db)).ok, true);
    await database.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
