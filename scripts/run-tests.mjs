#!/usr/bin/env node
// Runs every *.test.ts under src/ and tests/ with Node's test runner (TypeScript through tsx).
// Usage: node scripts/run-tests.mjs [path-filter …]
// Two test files run at a time (TEST_CONCURRENCY; 1 runs them one after another): each file has a database of its
// own (PGlite in memory, or a throwaway PostgreSQL database) and its app listens on a free port, if at all.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';

function find(dir) {
  let out = [];
  let entries;
  try {
    entries = readdirSync(dir);
  } catch {
    return out;
  }
  for (const name of entries) {
    if (name === 'node_modules') continue;
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out = out.concat(find(p));
    else if (name.endsWith('.test.ts')) out.push(p);
  }
  return out;
}

const filters = process.argv.slice(2);
const files = [...find('src'), ...find('tests')]
  .filter((f) => !filters.length || filters.some((x) => f.includes(x)))
  .sort();
if (!files.length) {
  console.error('no test files found');
  process.exit(1);
}
console.error(`database: ${process.env.DATABASE_URL ? 'PostgreSQL' : 'PGlite (embedded)'} · ${files.length} test files`);
const r = spawnSync(process.execPath, ['--import', 'tsx', '--test', `--test-concurrency=${process.env.TEST_CONCURRENCY || 2}`, ...files], { stdio: 'inherit' });
process.exit(r.status ?? 1);
