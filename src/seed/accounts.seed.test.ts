import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { loadConfig } from '../config.ts';
import type { Database } from '../db/database.ts';
import { createContext } from '../http/context.ts';
import { buildApp } from '../http/app.ts';
import { createTestDatabase } from '../testing/test-db.ts';
import { FIXTURE_ITEMS, FIXTURE_REGIONS } from '../testing/fixture-items.ts';
import { seedCatalogue } from './seed-catalogue.ts';
import { DEMO_PASSWORD, DEMO_PERSONS } from './accounts.seed.ts';
import { checkResidentId } from '../shared/codes/resident-id.ts';

let database: Database;
before(async () => {
  database = await createTestDatabase();
});
after(async () => {
  await database?.close();
});

test('demo persons carry valid ID numbers', () => {
  for (const p of DEMO_PERSONS) assert.equal(checkResidentId(p.idNumber), null, p.idNumber);
});

test('the demo seed writes accounts that sign in; a reset empties and rewrites them', async () => {
  const s = await seedCatalogue(database.db, { items: FIXTURE_ITEMS, regionCodes: FIXTURE_REGIONS, demoAccounts: true });
  assert.ok(s && s.accounts >= 8, JSON.stringify(s));
  const ctx = await createContext({ ...loadConfig({}), cataloguePollMs: 0 }, database);
  const app = await buildApp(ctx, { logger: false });
  try {
    const clerk = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { kind: 'staff', identifier: 'XH0001', password: DEMO_PASSWORD } });
    assert.equal(clerk.statusCode, 200, clerk.body);
    const person = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { identifier: DEMO_PERSONS[0].mobile, password: DEMO_PASSWORD } });
    assert.equal(person.statusCode, 200, person.body);
    const cookie = `yw_session=${clerk.cookies.find((c) => c.name === 'yw_session')!.value}`;
    const session = await app.inject({ url: '/api/v1/me/session', headers: { cookie } });
    assert.deepEqual(session.json().roles.map((r: { role: string }) => r.role), ['window_clerk']);

    const again = await seedCatalogue(database.db, { items: FIXTURE_ITEMS, regionCodes: FIXTURE_REGIONS, demoAccounts: true, reset: true });
    assert.equal(again?.accounts, s.accounts);
    const stale = await app.inject({ url: '/api/v1/me/session', headers: { cookie } });
    assert.equal(stale.statusCode, 401, 'sessions do not survive a reset');
  } finally {
    await app.close();
  }
});
