/**
 * The baseline: a Fastify hello-world (`{"hello":"world"}`) in its own process, measured with the same
 * autocannon settings as the scenarios. Its req/s is the denominator of every ratio. Same logger level as
 * the servers under test, so the comparison is Fastify-with-nothing vs. Fastify-with-Yiwang.
 */
import Fastify from 'fastify';
import type { AddressInfo } from 'node:net';
import type { ChildMessage } from './child-ipc.ts';

const send = (msg: ChildMessage) => process.send?.(msg);

const app = Fastify({ logger: { level: process.env.LOG_LEVEL || 'warn' } });
app.get('/', async () => ({ hello: 'world' }));

let stopping = false;
async function stop(code: number): Promise<never> {
  if (!stopping) {
    stopping = true;
    setTimeout(() => process.exit(code), 3000).unref();
    await app.close().catch(() => undefined);
  }
  process.exit(code);
}
process.once('SIGTERM', () => void stop(0));
process.once('SIGINT', () => void stop(0));
process.once('disconnect', () => void stop(0));

app
  .listen({ port: Number(process.env.PORT ?? 0), host: process.env.HOST || '127.0.0.1' })
  .then(() => send({ type: 'ready', port: (app.server.address() as AddressInfo).port }))
  .catch((err: unknown) => {
    send({ type: 'failed', message: err instanceof Error ? err.message : String(err) });
    void stop(1);
  });
