/** Test support: an app like createTestApp's, with configuration changes applied before it is built. */
import type { Config } from '../../config.ts';
import type { BasicItemSeed } from '../catalogue/catalogue.types.ts';
import { createTestApp, type TestApp } from '../../testing/test-app.ts';

/** Like createTestApp, with `change` (a smaller upload limit, S3 storage …) applied to the configuration first. */
export function createTestAppWith(items: BasicItemSeed[], regionCodes: string[], change: (config: Config) => Config): Promise<TestApp> {
  return createTestApp(items, regionCodes, change);
}
