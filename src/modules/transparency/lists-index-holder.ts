/**
 * Each server's current ListsIndex, kept beside its AppContext (a WeakMap: nothing to stop, no timer). The
 * database is the source of truth: a request reads the list revision (bumped by every publication) at most once
 * a second per server, and when it moved the index is rebuilt from the published editions, so servers sharing
 * one PostgreSQL converge within a second of a publication. While a rebuild runs, other requests are answered
 * from the previous index; if the database cannot be read, the previous index keeps serving.
 */
import type { AppContext } from '../../http/context.ts';
import { loadCurrentEntries } from '../three-lists/load-current-entries.ts';
import { readListRevision } from '../three-lists/read-list-revision.ts';
import { ListsIndex } from './lists-index.ts';

const CHECK_INTERVAL_MS = 1000;

interface Holder {
  index: ListsIndex | undefined;
  checkedAt: number;
  checking: Promise<ListsIndex> | undefined;
}

const holders = new WeakMap<AppContext, Holder>();

async function build(ctx: AppContext, revision: number): Promise<ListsIndex> {
  const [power, negative, fund] = await Promise.all([
    loadCurrentEntries(ctx.db, 'power'),
    loadCurrentEntries(ctx.db, 'negative'),
    loadCurrentEntries(ctx.db, 'fund'),
  ]);
  const ids = [...new Set([...power, ...negative, ...fund].map((l) => l.departmentId))];
  const rows = ids.length ? await ctx.db.selectFrom('departments').select(['id', 'credit_code']).where('id', 'in', ids).execute() : [];
  return new ListsIndex(revision, {
    power,
    negative,
    fund,
    creditCodes: new Map(rows.map((r) => [r.id, r.credit_code])),
    regionPath: (code) => ctx.regions.path(code).map((r) => r.code),
  });
}

function check(ctx: AppContext, h: Holder): Promise<ListsIndex> {
  h.checking ??= (async () => {
    try {
      const revision = await readListRevision(ctx.db);
      if (!h.index || h.index.revision !== revision) h.index = await build(ctx, revision);
      return h.index;
    } catch (err) {
      if (!h.index) throw err;
      process.stderr.write(`三张清单重新加载失败（稍后重试）：${String(err)}\n`);
      return h.index;
    } finally {
      h.checkedAt = Date.now();
      h.checking = undefined;
    }
  })();
  return h.checking;
}

/** The current index: checked against the list revision at most once a second (the first call loads it). */
export async function listsIndex(ctx: AppContext): Promise<ListsIndex> {
  let h = holders.get(ctx);
  if (!h) {
    h = { index: undefined, checkedAt: 0, checking: undefined };
    holders.set(ctx, h);
  }
  if (h.index && Date.now() - h.checkedAt < CHECK_INTERVAL_MS) return h.index;
  if (h.index && h.checking) return h.index; // another request is checking: answer from what there is
  return check(ctx, h);
}

/** Checks the revision now (after a publication in this process, or in tests) and returns the index. */
export async function refreshListsIndex(ctx: AppContext): Promise<ListsIndex> {
  let h = holders.get(ctx);
  if (!h) {
    h = { index: undefined, checkedAt: 0, checking: undefined };
    holders.set(ctx, h);
  }
  if (h.checking) await h.checking;
  return check(ctx, h);
}
