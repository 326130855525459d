import type { ActorType, AuditOutcome } from '../../db/schema.ts';
import type { AuditAction } from './audit.events.ts';

/** Who acted, on whose behalf, and from where (the request's context). */
export interface AuditActor {
  type: ActorType;
  id?: string | null; // account, staff number or client id
  onBehalfOf?: string | null; // the person or enterprise represented (代办)
  departmentId?: number | null;
  regionCode?: string | null;
  ip?: string | null;
  userAgent?: string | null;
  requestId?: string | null;
}

export interface AuditEventInput {
  action: AuditAction;
  actor: AuditActor;
  target?: { type: string; id: string };
  outcome?: AuditOutcome; // default 'success'
  details?: Record<string, unknown>;
}

/** The system itself (CLI, jobs). */
export const SYSTEM_ACTOR: AuditActor = { type: 'system', id: 'yiwang' };
