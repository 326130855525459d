/** Test support: the fixture catalogue's app, for the result-set tests (a configuration change optional). */
import type { Config } from '../../config.ts';
import { createTestApp, type TestApp } from '../../testing/test-app.ts';
import { FIXTURE_ITEMS, FIXTURE_REGIONS } from '../../testing/fixture-items.ts';

export function createResultSetsTestApp(change: (config: Config) => Config = (c) => c): Promise<TestApp> {
  return createTestApp(FIXTURE_ITEMS, FIXTURE_REGIONS, change);
}
