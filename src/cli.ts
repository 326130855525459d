/** yiwang — the command-line tool: start, migrate, seed. */
import { Command } from 'commander';
import { loadConfig } from './config.ts';
import { migrateToLatest } from './db/migrate.ts';
import { openConfiguredDatabase, startServer } from './server.ts';
import { isCatalogueEmpty, seedCatalogue, type SeedProgress } from './seed/seed-catalogue.ts';
import { DEMO_ITEMS } from './seed/data/index.ts';
import { verifyAuditChain } from './modules/audit/verify-audit-chain.ts';

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
    await database.close();
  });

program
  .command('seed')
  .description('写入演示数据（地区、部门、事项目录）')
  .option('--reset', '先清空现有目录数据再写入')
  .action(async (opts: { reset?: boolean }) => {
    const database = await openConfiguredDatabase(loadConfig());
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

program.parseAsync().catch((err: unknown) => {
  say(`错误：${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
