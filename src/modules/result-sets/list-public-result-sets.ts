/**
 * The published result queries (结果查询服务) as the public sees them, from this server's memory: released
 * ones and those still waiting for their release time (with the time). Drafts are never shown; a withdrawn
 * set answers '该查询已撤回'. `getPublicResultSet` is the one-set form of the same view.
 */
import type { AppContext } from '../../http/context.ts';
import { NotFoundError } from '../../shared/errors.ts';
import type { HeldResultSet } from './result-set-memory.ts';
import { WITHDRAWN_MESSAGE, formatReleaseTime } from './query-result.ts';

export interface PublicResultSetView {
  code: string;
  title: string;
  description: string;
  department: string;
  releaseAt: string; // ISO 8601
  releaseAtText: string; // 2026年6月25日 12:00 (Beijing time)
  released: boolean;
  keyColumns: { key: string; label: string; type: string }[];
}

export function publicView(set: HeldResultSet, now: Date): PublicResultSetView {
  return {
    code: set.code,
    title: set.title,
    description: set.description,
    department: set.departmentName,
    releaseAt: set.releaseAt.toISOString(),
    releaseAtText: formatReleaseTime(set.releaseAt),
    released: set.releaseAt.getTime() <= now.getTime(),
    keyColumns: set.keyColumns.map((c) => ({ key: c.key, label: c.label, type: c.type })),
  };
}

export async function listPublicResultSets(ctx: Pick<AppContext, 'resultSets'>, now: Date = new Date()): Promise<PublicResultSetView[]> {
  return (await ctx.resultSets.listPublished()).map((s) => publicView(s, now));
}

/** One published set; unknown or draft → 404, withdrawn → 404 with '该查询已撤回'. */
export async function getPublicResultSet(ctx: Pick<AppContext, 'resultSets'>, code: string, now: Date = new Date()): Promise<{ set: HeldResultSet; view: PublicResultSetView }> {
  const set = await ctx.resultSets.find(code);
  if (!set) throw new NotFoundError('该结果查询不存在或尚未发布', 'code');
  if (set.status === 'withdrawn') throw new NotFoundError(WITHDRAWN_MESSAGE, 'code');
  return { set, view: publicView(set, now) };
}
