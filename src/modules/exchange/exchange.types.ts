/** 共享交换: who calls the exchange, what a lookup or a query returns, and the reasons a call is refused. */
import type { AuditActor } from '../audit/audit.types.ts';

/** The caller of an exchange operation: the consuming department, and the machine client if it is one. */
export interface ExchangeCaller {
  departmentId: number; // the consuming department
  clientId: string | null; // the machine client calling, or null for the platform / staff acting for the department
  actor: AuditActor; // who calls (client, staff, or system acting for a person): the evidence's actor
  onBehalfOf: string | null; // the user on whose behalf, e.g. 'person:<accountId>' or 'staff:<accountId>'
}

/** What every call states: its purpose (用途) and the case it serves (办件编号 or another case id). */
export interface ExchangeCallInput {
  resourceCode: string;
  purpose: string;
  caseRef: string;
  /** the data items wanted; omitted or empty: all the grant's items */
  items?: string[];
}

export interface LookupInput extends ExchangeCallInput {
  key: string;
}

export interface QueryInput extends ExchangeCallInput {
  /** equality filters on granted items: {item: value} */
  filters?: Record<string, string>;
  rows?: number; // page size, 1–100 (default 20)
  start?: number; // offset, 0-based
}

/** The request as hashed: anyone holding these fields can recompute `requestHash`. */
export interface HashedRequest {
  method: 'lookup' | 'query';
  resource: string;
  key?: string;
  filters?: Record<string, string>;
  rows?: number;
  start?: number;
  items: string[];
  purpose: string;
  caseRef: string;
  client: string | null;
  department: number;
  onBehalfOf: string | null;
  requestId: string;
  at: string; // ISO 8601
}

export interface LookupResult {
  requestId: string;
  requestHash: string;
  grantId: number;
  resourceCode: string;
  version: number; // the data version read
  record: Record<string, unknown> | null; // null: no record with this key within the grant (the call is still evidence)
  auditSeq: number; // the evidence event
  /** the items returned, and the request as hashed (for the response) */
  items: string[];
  request: HashedRequest;
}

export interface QueryResult {
  requestId: string;
  requestHash: string;
  grantId: number;
  resourceCode: string;
  version: number;
  total: number;
  rows: number;
  start: number;
  records: Record<string, unknown>[];
  auditSeq: number;
  items: string[];
  request: HashedRequest;
}

/** Why a call was refused (exchange.refused `details.reason`). */
export type RefusalReason =
  | 'no_grant'
  | 'expired'
  | 'revoked'
  | 'item_not_granted'
  | 'row_outside_filter'
  | 'filter_not_granted'
  | 'filter_on_masked_item'
  | 'resource_not_shared'
  | 'unknown_resource'
  | 'rate_limited';

export const PAGE_MAX_ROWS = 100;
export const PAGE_DEFAULT_ROWS = 20;
