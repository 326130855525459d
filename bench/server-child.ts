/**
 * A Yiwang server under test, in its own process so that autocannon (in the parent) does not share its event
 * loop. Configured entirely from the environment, like `yiwang start`: DATABASE_URL (absent → PGlite in
 * YIWANG_DATA_DIR), YIWANG_SEARCH_CACHE_SIZE, PORT, HOST, LOG_LEVEL. Seeds the demo catalogue into an
 * empty database. Tells the parent over IPC when it listens; exits when told to (SIGTERM/SIGINT) or when
 * the parent goes away.
 */
import type { AddressInfo } from 'node:net';
import { loadConfig } from '../src/config.ts';
import { startServer, type Running } from '../src/server.ts';
import type { ChildMessage, ParentMessage } from './child-ipc.ts';

const say = (msg: string) => process.stderr.write(`${msg}\n`); // the parent prefixes each line
const send = (msg: ChildMessage) => process.send?.(msg);

let running: Running | undefined;
let stopping = false;

async function stop(code: number): Promise<never> {
  if (!stopping) {
    stopping = true;
    const force = setTimeout(() => process.exit(code), 5000);
    force.unref();
    try {
      await running?.close();
    } catch (err) {
      say(`关闭时出错：${err instanceof Error ? err.message : String(err)}`);
    }
  }
  process.exit(code);
}

process.once('SIGTERM', () => void stop(0));
process.once('SIGINT', () => void stop(0));
process.once('disconnect', () => void stop(0)); // the parent died or closed the channel

async function main(): Promise<void> {
  const config = loadConfig();
  let lastStage = '';
  let lastQuarter = -1;
  running = await startServer(config, {
    log: say,
    onProgress: (stage, done, total) => {
      const quarter = total ? Math.floor((done / total) * 4) : 4;
      if (stage !== lastStage) {
        lastStage = stage;
        lastQuarter = -1;
      }
      if (quarter > lastQuarter) {
        lastQuarter = quarter;
        say(`  写入演示数据：${stage} ${done}/${total}`);
      }
    },
  });
  const address = running.app.server.address() as AddressInfo;
  process.on('message', (msg: ParentMessage) => {
    if (msg?.type !== 'stats' || !running) return;
    const memory = running.ctx.resultSets as unknown as { stats?: () => unknown };
    send({ type: 'stats', memory: process.memoryUsage(), resultSets: memory.stats?.() ?? null });
  });
  send({ type: 'ready', port: address.port, items: running.ctx.catalogue.current.size, db: running.ctx.dbKind });
}

main().catch((err: unknown) => {
  const message = err instanceof Error ? (err.stack ?? err.message) : String(err);
  say(`启动失败：${message}`);
  send({ type: 'failed', message: err instanceof Error ? err.message : String(err) });
  void stop(1);
});
