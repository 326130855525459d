/**
 * TRUST_PROXY: which hops of X-Forwarded-For are believed. A client writes the leftmost entries itself (a proxy
 * that appends, like nginx's $proxy_add_x_forwarded_for, passes them on), so they must never become req.ip —
 * checked through the address the audit log records for a request.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { FastifyInstance } from 'fastify';
import { loadConfig, trustProxyConfig } from '../config.ts';
import { buildApp } from './app.ts';
import { createTestApp, type TestApp } from '../testing/test-app.ts';
import { FIXTURE_ITEMS, FIXTURE_REGIONS } from '../testing/fixture-items.ts';

test('TRUST_PROXY accepts false, a hop count or proxy addresses; true means one proxy; anything else is refused', () => {
  for (const v of [undefined, '', 'false', 'FALSE', '0', 'no', 'off']) assert.equal(trustProxyConfig({ TRUST_PROXY: v }), false, String(v));
  for (const v of ['true', 'True', 'yes', 'on', '1']) assert.equal(trustProxyConfig({ TRUST_PROXY: v }), 1, v);
  assert.equal(trustProxyConfig({ TRUST_PROXY: '2' }), 2);
  assert.deepEqual(trustProxyConfig({ TRUST_PROXY: '10.0.0.0/8, 127.0.0.1' }), ['10.0.0.0/8', '127.0.0.1']);
  assert.deepEqual(trustProxyConfig({ TRUST_PROXY: '::1,fd00::/8,loopback,uniquelocal' }), ['::1', 'fd00::/8', 'loopback', 'uniquelocal']);
  assert.equal(loadConfig({ TRUST_PROXY: 'true' }).trustProxy, 1);
  for (const v of ['maybe', '10.0.0.0/33', '1.2.3', '10.0.0.1/x', '::1/129', ',', '101', '-1']) {
    assert.throws(() => trustProxyConfig({ TRUST_PROXY: v }), /TRUST_PROXY/, v);
  }
});

let t: TestApp;
const apps: FastifyInstance[] = [];
before(async () => {
  t = await createTestApp(FIXTURE_ITEMS, FIXTURE_REGIONS);
});
after(async () => {
  for (const a of apps) await a.close();
  await t?.close();
});

/** An app on the shared database, configured as TRUST_PROXY=<value> would. */
async function appWith(value: string | undefined): Promise<FastifyInstance> {
  const app = await buildApp({ ...t.ctx, config: { ...t.ctx.config, trustProxy: loadConfig({ TRUST_PROXY: value }).trustProxy } }, { logger: false });
  await app.ready();
  apps.push(app);
  return app;
}

/** The address the audit log records for a request from `remoteAddress` with this X-Forwarded-For (a refused token request is audited). */
async function recordedIp(app: FastifyInstance, xff: string | undefined, remoteAddress = '127.0.0.1'): Promise<{ ip: string | null; hsts: boolean }> {
  const res = await app.inject({
    method: 'POST',
    url: '/api/v1/oauth/token',
    remoteAddress,
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...(xff ? { 'x-forwarded-for': xff } : {}) },
    payload: 'grant_type=client_credentials&client_id=yw_0000000000000000&client_secret=x',
  });
  assert.equal(res.statusCode, 401, res.body);
  const row = await t.database.db.selectFrom('audit_events').select('ip').where('request_id', '=', String(res.headers['x-request-id'])).executeTakeFirstOrThrow();
  return { ip: row.ip, hsts: res.headers['strict-transport-security'] !== undefined };
}

const FORGED = '1.2.3.4, 203.0.113.7'; // the client wrote 1.2.3.4; the proxy appended the address it saw

test('TRUST_PROXY=true trusts one proxy: the forged leftmost entry is not the client address', async () => {
  const app = await appWith('true');
  assert.deepEqual(await recordedIp(app, FORGED), { ip: '203.0.113.7', hsts: true });
  assert.equal((await recordedIp(app, undefined)).ip, '127.0.0.1');
  // each forged value, whatever it is, leaves the recorded address alone
  for (let i = 0; i < 3; i++) assert.equal((await recordedIp(app, `1.2.3.${i}, 203.0.113.7`)).ip, '203.0.113.7');
});

test('a hop count trusts that many proxies from the right', async () => {
  const app = await appWith('2');
  assert.equal((await recordedIp(app, '1.2.3.4, 203.0.113.7, 10.0.0.2')).ip, '203.0.113.7');
});

test('a list of proxy addresses: only those are skipped, and a direct client is its socket address', async () => {
  const local = await appWith('127.0.0.1, 10.0.0.0/8');
  assert.equal((await recordedIp(local, '1.2.3.4, 203.0.113.7, 10.1.2.3')).ip, '203.0.113.7');
  assert.equal((await recordedIp(local, FORGED, '198.51.100.9')).ip, '198.51.100.9'); // not from a proxy: X-Forwarded-For ignored
});

test('TRUST_PROXY unset: X-Forwarded-For is ignored and no HSTS is sent', async () => {
  assert.deepEqual(await recordedIp(t.app, FORGED), { ip: '127.0.0.1', hsts: false });
});
