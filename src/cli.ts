/** yiwang — the command-line tool: start, migrate, seed, audit verify, machine clients. */
import { Command } from 'commander';
import { loadConfig } from './config.ts';
import { migrateToLatest } from './db/migrate.ts';
import { ensureCalendar } from './modules/calendar/ensure-calendar.ts';
import { ensureWorkflows } from './modules/applications/workflows.ts';
import { openConfiguredDatabase, startServer } from './server.ts';
import { isCatalogueEmpty, seedCatalogue, type SeedProgress } from './seed/seed-catalogue.ts';
import { demoPartsLines, finishDemoParts } from './seed/demo-parts.ts';
import { createBlobStorage } from './modules/attachments/blob-storage.ts';
import { DEMO_ITEMS } from './seed/data/index.ts';
import { verifyAuditChain } from './modules/audit/verify-audit-chain.ts';
import { SYSTEM_ACTOR } from './modules/audit/audit.types.ts';
import type { ClientManager } from './modules/clients/clients.types.ts';
import { createClient } from './modules/clients/create-client.ts';
import { rotateClientSecret } from './modules/clients/rotate-client-secret.ts';
import { disableClient } from './modules/clients/disable-client.ts';
import { listClients } from './modules/clients/list-clients.ts';

/** A progress line per stage: redrawn in place on a terminal, every 10% otherwise. */
function progressPrinter(): SeedProgress {
  const tty = process.stderr.isTTY;
  let lastStage = '';
  let lastTenth = -1;
  return (stage, done, total) => {
    const pct = total ? Math.floor((done / total) * 100) : 100;
    const bar = '█'.repeat(Math.floor(pct / 5)).padEnd(20, '░');
    if (stage !== lastStage) {
      if (tty && lastStage) process.stderr.write('\n');
      lastStage = stage;
      lastTenth = -1;
    }
    if (tty) process.stderr.write(`\r  ${stage.padEnd(6, '\u3000')} ${bar} ${String(pct).padStart(3)}%  ${done}/${total}`);
    else if (Math.floor(pct / 10) !== lastTenth) {
      lastTenth = Math.floor(pct / 10);
      process.stderr.write(`  ${stage} ${pct}% (${done}/${total})\n`);
    }
  };
}

const say = (msg: string) => process.stderr.write(`${msg}\n`);

const program = new Command()
  .name('yiwang')
  .description('一网 Yiwang：政务服务一网通办与数据共享平台')
  .showHelpAfterError();

program
  .command('start')
  .description('启动门户和接口服务（空库时自动写入演示数据）')
  .action(async () => {
    const config = loadConfig();
    const t0 = Date.now();
    say(`数据库：${config.databaseUrl ? 'PostgreSQL' : `内嵌 PGlite（${config.dataDir}）`}`);
    const running = await startServer(config, { onProgress: progressPrinter(), log: (m) => say(`\n${m}`) });
    say(`已就绪（${((Date.now() - t0) / 1000).toFixed(1)} 秒）：http://${config.host}:${config.port}/`);
    const stop = async () => {
      await running.close();
      process.exit(0);
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });

program
  .command('migrate')
  .description('执行数据库迁移')
  .action(async () => {
    const database = await openConfiguredDatabase(loadConfig());
    const applied = await migrateToLatest(database.db);
    say(applied.length ? `已执行：${applied.join(', ')}` : '数据库已是最新结构');
    // the reference data every server also writes at start-up: the working-day calendar and the workflows
    await ensureCalendar(database.db);
    await ensureWorkflows(database.db);
    await database.close();
  });

program
  .command('seed')
  .description('写入演示数据（地区、部门、事项目录）')
  .option('--reset', '先清空现有目录数据再写入')
  .action(async (opts: { reset?: boolean }) => {
    const config = loadConfig();
    const database = await openConfiguredDatabase(config);
    await migrateToLatest(database.db);
    if (!opts.reset && !(await isCatalogueEmpty(database.db))) {
      say('目录中已有数据。如需重新写入演示数据，请使用 yiwang seed --reset');
      await database.close();
      process.exitCode = 1;
      return;
    }
    const t0 = Date.now();
    // with --reset, emptying and seeding are one transaction: a failed seed leaves the old catalogue
    const s = await seedCatalogue(database.db, { items: DEMO_ITEMS, onProgress: progressPrinter(), reset: opts.reset === true, demoAccounts: true });
    if (s) {
      const parts = await finishDemoParts(database.db, { storage: createBlobStorage(config.storage) });
      if (parts) for (const line of demoPartsLines(parts)) say(`\n${line}`);
      say(`\n完成（${((Date.now() - t0) / 1000).toFixed(1)} 秒）：${s.regions} 个地区、${s.departments} 个部门、${s.basicItems} 个基本目录事项、${s.implItems} 个实施清单事项、${s.materials} 条申请材料、${s.accounts} 个演示账号`);
    } else {
      say('另一进程已写入目录数据，未重复写入');
    }
    await database.close();
  });

const audit = program.command('audit').description('审计日志');
audit
  .command('verify')
  .description('逐条校验审计日志的哈希链，报告第一处断裂')
  .action(async () => {
    const database = await openConfiguredDatabase(loadConfig());
    await migrateToLatest(database.db);
    const report = await verifyAuditChain(database.db);
    await database.close();
    if (report.ok) {
      say(`审计链完整：共 ${report.events} 条记录，末端哈希 ${report.lastHash}`);
    } else {
      say(`审计链断裂：${report.message}（已校验 ${report.events} 条，断点第 ${report.brokenAt} 条，原因 ${report.reason}）`);
      process.exitCode = 1;
    }
  });

const client = program.command('client').description('接入应用（机器客户端，OAuth 2.0 客户端凭证）');
const SYSTEM: ClientManager = { principal: 'system', actor: SYSTEM_ACTOR };
const out = (line: string) => process.stdout.write(`${line}\n`);

/** Runs one client command on the configured database (migrated first), closing it whatever happens. */
async function withDatabase<T>(work: (db: Awaited<ReturnType<typeof openConfiguredDatabase>>['db']) => Promise<T>): Promise<T> {
  const database = await openConfiguredDatabase(loadConfig());
  try {
    await migrateToLatest(database.db);
    return await work(database.db);
  } finally {
    await database.close();
  }
}

client
  .command('create')
  .description('新增接入应用，并显示一次客户端密钥')
  .requiredOption('--name <名称>', '应用名称')
  .requiredOption('--department <统一社会信用代码>', '所属部门的统一社会信用代码')
  .requiredOption('--scopes <权限范围>', '逗号分隔的权限范围，例如 catalogue.draft.read,audit.search')
  .action(async (opts: { name: string; department: string; scopes: string }) => {
    const r = await withDatabase((db) => createClient(db, { name: opts.name, department: opts.department, scopes: opts.scopes.split(',') }, SYSTEM));
    say(`已创建接入应用「${r.client.name}」（${r.client.department.name}），权限范围：${r.client.scopes.join(' ')}`);
    say('客户端密钥只显示这一次，请立即妥善保存：');
    out(`client_id=${r.clientId}`);
    out(`client_secret=${r.clientSecret}`);
  });

client
  .command('rotate <client_id>')
  .description('轮换接入应用密钥，并显示一次新密钥（旧密钥在保留期内仍可用）')
  .option('--grace-hours <小时>', '旧密钥保留时间（小时，0 为立即失效）', '24')
  .action(async (clientId: string, opts: { graceHours: string }) => {
    if (!/^\d+(\.\d+)?$/.test(opts.graceHours)) throw new Error('--grace-hours 应为不小于 0 的数字');
    const r = await withDatabase((db) => rotateClientSecret(db, { clientId, graceSeconds: Math.round(Number(opts.graceHours) * 3600) }, SYSTEM));
    say(r.previousSecretValidUntil ? `已轮换密钥；旧密钥在 ${r.previousSecretValidUntil.toISOString()} 前仍可使用` : '已轮换密钥；旧密钥已立即失效');
    say('新密钥只显示这一次，请立即妥善保存：');
    out(`client_id=${r.clientId}`);
    out(`client_secret=${r.clientSecret}`);
  });

client
  .command('disable <client_id>')
  .description('停用接入应用（其令牌立即失效）')
  .action(async (clientId: string) => {
    const c = await withDatabase((db) => disableClient(db, { clientId }, SYSTEM));
    say(`已停用接入应用「${c.name}」（${c.clientId}），其令牌已失效`);
  });

client
  .command('list')
  .description('列出接入应用')
  .action(async () => {
    const clients = await withDatabase((db) => listClients(db, SYSTEM));
    if (!clients.length) say('尚未登记接入应用');
    for (const c of clients) {
      const state = c.disabledAt ? `已停用 ${c.disabledAt.toISOString()}` : '启用';
      out([c.clientId, c.name, c.department.creditCode, c.department.name, c.scopes.join(' '), state].join('\t'));
    }
  });

program.parseAsync().catch((err: unknown) => {
  say(`错误：${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
