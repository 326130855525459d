/**
 * The demo's exchange client works out of the box: a token with the published secret, then 王芳's 户籍 record —
 * the five granted items, the personal ones masked — and nothing else; seeding again writes nothing. PGlite and
 * PostgreSQL.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createTestApp, type TestApp } from '../testing/test-app.ts';
import { FIXTURE_ITEMS, FIXTURE_REGIONS } from '../testing/fixture-items.ts';
import { DEMO_RESOURCE_CODES, seedDemoDataResources } from './data-resources.seed.ts';
import { DEMO_EXCHANGE_CLIENT_ID, DEMO_EXCHANGE_CLIENT_SECRET, DEMO_EXCHANGE_ITEMS, seedDemoExchangeClient } from './exchange-client.seed.ts';
import { DEMO_PERSONS } from './accounts.seed.ts';

let t: TestApp;
before(async () => {
  t = await createTestApp(FIXTURE_ITEMS, FIXTURE_REGIONS);
  await seedDemoDataResources(t.database.db);
});
after(async () => {
  await t?.close();
});

test('the demo client gets a token with the published secret and reads 王芳’s record: granted items only, masked', async () => {
  assert.deepEqual(await seedDemoExchangeClient(t.database.db), { clients: 1, grants: 1 });
  assert.deepEqual(await seedDemoExchangeClient(t.database.db), { clients: 0, grants: 0 });
  const basic = `Basic ${Buffer.from(`${DEMO_EXCHANGE_CLIENT_ID}:${DEMO_EXCHANGE_CLIENT_SECRET}`).toString('base64')}`;
  const tok = await t.app.inject({ method: 'POST', url: '/api/v1/oauth/token', headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: basic }, payload: 'grant_type=client_credentials' });
  assert.equal(tok.statusCode, 200, tok.body);
  const token = (tok.json() as { access_token: string }).access_token;
  const wang = DEMO_PERSONS.find((p) => p.name === '王芳')!;
  const res = await t.app.inject({
    url: `/api/v1/exchange/resources/${DEMO_RESOURCE_CODES.population}/records/${wang.idNumber}?purpose=${encodeURIComponent('婚姻登记核验')}&case=DEMO-001`,
    headers: { authorization: `Bearer ${token}` },
  });
  assert.equal(res.statusCode, 200, res.body);
  const record = (res.json() as { record: Record<string, string> }).record;
  assert.deepEqual(Object.keys(record).sort(), [...DEMO_EXCHANGE_ITEMS].sort());
  assert.equal(record.id_number, `${wang.idNumber.slice(0, 6)}********${wang.idNumber.slice(14)}`);
  assert.equal(record.name, '王*');
  // another resource: no grant
  const other = await t.app.inject({ url: `/api/v1/exchange/resources/${DEMO_RESOURCE_CODES.marriage}/records/x?purpose=${encodeURIComponent('婚姻登记核验')}&case=DEMO-001`, headers: { authorization: `Bearer ${token}` } });
  assert.equal(other.statusCode, 403);
});
