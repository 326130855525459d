/**
 * 数据共享 (sharing): the shapes the sharing operations return (requests, grants, their views), the Chinese
 * labels of their states, the paths of the API and the pages, and the limits of a request's terms.
 */
import type { DataItem, RowFilter, ShareRequestStatus, ShareType } from '../../db/schema.ts';
import { SHARE_TYPE_LABELS } from '../data-catalogue/data-catalogue.types.ts';

export const REQUESTS_API = '/api/v1/staff/data/requests';
export const GRANTS_API = '/api/v1/staff/data/grants';
export const REQUESTS_PAGE = '/admin/data/requests';
export const REVIEWS_PAGE = '/admin/data/reviews';
export const GRANTS_PAGE = '/admin/data/grants';
export const OVERDUE_PAGE = '/admin/data/overdue';

/** Limits of a request's terms (the table's CHECKs and what a form can sensibly carry). */
export const LIMITS = {
  minDays: 1,
  maxDays: 1830, // five years
  maxRate: 1_000_000,
  defaultRate: 600,
  textMin: 2,
  textMax: 500,
  maxFilterValues: 100,
  maxFilterValueLength: 200,
} as const;

/** 共享类型 (GB/T 21063), as the catalogue names them. */
export const SHARE_TYPE_NAMES: Record<ShareType, string> = SHARE_TYPE_LABELS;

export const REQUEST_STATUS_LABELS: Record<ShareRequestStatus, string> = { pending: '待答复', granted: '已同意', refused: '不予同意', withdrawn: '已撤回' };

/** A grant as people see it: revoked, expired (expires_at passed) or in force. */
export type GrantState = 'active' | 'expired' | 'revoked';
export const GRANT_STATE_LABELS: Record<GrantState, string> = { active: '有效', expired: '已到期', revoked: '已撤销' };

/** Which side of the sharing the caller looks from. */
export type ShareRole = 'consumer' | 'provider';

export interface DepartmentName {
  id: number;
  name: string;
}

export interface ItemView {
  key: string;
  name: string;
  personal: boolean;
}

export interface ResourceRef {
  id: number;
  code: string;
  name: string;
  shareType: ShareType;
  shareTypeLabel: string;
  shareConditions: string;
  provider: DepartmentName;
}

export interface TimelineEntry {
  at: string;
  label: string;
  note?: string;
}

export interface ShareRequestView {
  id: number;
  status: ShareRequestStatus;
  statusLabel: string;
  resource: ResourceRef;
  consumer: DepartmentName;
  clientId: string | null;
  items: ItemView[];
  clearItems: string[];
  rowFilter: RowFilter;
  purpose: string;
  legalBasis: string;
  scenario: string;
  itemCode: string | null;
  durationDays: number;
  ratePerMinute: number;
  /** the provider must answer by (end of a working day, China time) */
  dueAt: string | null;
  /** the day of dueAt, China time ('YYYY-MM-DD') */
  dueDay: string | null;
  overdue: boolean;
  escalatedAt: string | null;
  decidedAt: string | null;
  decidedBy: string | null;
  reason: string | null;
  grantId: number | null;
  createdAt: string;
  createdBy: string | null;
}

export interface ShareRequestDetail extends ShareRequestView {
  grant: ShareGrantView | null;
  timeline: TimelineEntry[];
  /** what the caller may do with it now */
  actions: { approve: boolean; refuse: boolean; withdraw: boolean; revoke: boolean };
}

export interface ShareGrantView {
  id: number;
  requestId: number | null;
  state: GrantState;
  stateLabel: string;
  resource: ResourceRef;
  consumer: DepartmentName;
  clientId: string | null;
  items: ItemView[];
  clearItems: string[];
  rowFilter: RowFilter;
  purpose: string;
  legalBasis: string;
  scenario: string;
  itemCode: string | null;
  ratePerMinute: number;
  startsAt: string;
  expiresAt: string;
  revokedAt: string | null;
  revokeReason: string | null;
  revision: number;
  createdAt: string;
}

export interface Paged<T> {
  items: T[];
  total: number;
  page: number;
  size: number;
}

/** The item views of keys, in the resource's order of items (unknown keys keep their key as name). */
export function itemViews(declared: DataItem[], keys: string[]): ItemView[] {
  const wanted = new Set(keys);
  const out: ItemView[] = declared.filter((i) => wanted.has(i.key)).map((i) => ({ key: i.key, name: i.name, personal: i.personal }));
  for (const k of keys) if (!declared.some((i) => i.key === k)) out.push({ key: k, name: k, personal: false });
  return out;
}
