/** Test support: an app like createTestApp's, with configuration changes applied before it is built. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig, type Config } from '../../config.ts';
import { createContext } from '../../http/context.ts';
import { buildApp } from '../../http/app.ts';
import { seedCatalogue } from '../../seed/seed-catalogue.ts';
import type { BasicItemSeed } from '../catalogue/catalogue.types.ts';
import { createTestDatabase } from '../../testing/test-db.ts';
import type { TestApp } from '../../testing/test-app.ts';

/** Like createTestApp, with `change` (a smaller upload limit, S3 storage …) applied to the configuration first. */
export async function createTestAppWith(
  items: BasicItemSeed[],
  regionCodes: string[],
  change: (config: Config) => Config,
): Promise<TestApp> {
  const database = await createTestDatabase();
  await seedCatalogue(database.db, { items, regionCodes });
  const base = loadConfig({});
  const config = change({ ...base, cataloguePollMs: 0, jobsIntervalMs: 0, storage: { kind: 'local', dir: mkdtempSync(join(tmpdir(), 'yiwang-files-')) } });
  const ctx = await createContext(config, database);
  const app = await buildApp(ctx, { logger: false });
  await app.ready();
  return {
    app,
    ctx,
    database,
    close: async () => {
      await app.close();
      await database.close();
    },
  };
}
