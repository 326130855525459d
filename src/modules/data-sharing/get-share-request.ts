/**
 * 共享申请详情: one request with its grant (if any), its timeline (asked, escalated, answered or withdrawn,
 * revoked) and what the caller may do now. Seen by the requesting department, the provider's reviewers and
 * the platform; anyone else is refused (recorded).
 */
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { can } from '../access/authorize.ts';
import type { Principal } from '../access/principal.ts';
import type { AuditActor } from '../audit/audit.types.ts';
import type { ShareRequestDetail, TimelineEntry } from './data-sharing.types.ts';
import { consumerScope, grantQuery, loadRequestVisible, providerScope, toGrantView, toRequestView, type GrantRow } from './share-views.ts';

export async function getShareRequest(db: Kysely<DB>, p: Principal, id: number, actor: AuditActor): Promise<ShareRequestDetail> {
  const r = await loadRequestVisible(db, p, id, actor);
  const now = new Date();
  const view = toRequestView(r, now);
  const g = r.grant_id ? ((await grantQuery(db).where('g.id', '=', r.grant_id).executeTakeFirst()) as GrantRow | undefined) : undefined;
  const grant = g ? toGrantView(g, now) : null;

  const timeline: TimelineEntry[] = [{ at: view.createdAt, label: '提交申请', note: view.createdBy ?? undefined }];
  if (view.escalatedAt) timeline.push({ at: view.escalatedAt, label: '超期未答复，已提请平台督办' });
  if (view.decidedAt) {
    const label = r.status === 'granted' ? (r.decided_by_name ? '同意共享' : '无条件共享，自动同意') : r.status === 'refused' ? '不予同意' : '申请部门撤回';
    timeline.push({ at: view.decidedAt, label, note: [r.decided_by_name, r.reason].filter(Boolean).join('：') || undefined });
  }
  if (grant?.revokedAt) timeline.push({ at: grant.revokedAt, label: '授权已撤销', note: grant.revokeReason ?? undefined });
  timeline.sort((a, b) => a.at.localeCompare(b.at));

  const reviewer = can(p, 'data.share.review', providerScope(r));
  const requester = can(p, 'data.share.request', consumerScope(r));
  const pending = r.status === 'pending';
  return {
    ...view,
    grant,
    timeline,
    actions: { approve: pending && reviewer, refuse: pending && reviewer, withdraw: pending && requester, revoke: !!grant && grant.state !== 'revoked' && (reviewer || requester) },
  };
}
