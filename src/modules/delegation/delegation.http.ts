/** Request helpers shared by the delegation API and pages. */
import type { FastifyRequest } from 'fastify';
import type { AppContext } from '../../http/context.ts';
import { auditActor, requirePrincipal } from '../../http/route-access.ts';
import type { PersonPrincipal } from '../access/principal.ts';
import type { AuditActor } from '../audit/audit.types.ts';
import { ForbiddenError, UnauthenticatedError } from '../../shared/errors.ts';

/** The signed-in person (routes declare access 'person'; this narrows the type). */
export async function requirePerson(ctx: AppContext, req: FastifyRequest): Promise<PersonPrincipal> {
  const p = await requirePrincipal(ctx, req);
  if (p.kind === 'client') throw new UnauthenticatedError();
  if (p.kind !== 'person') throw new ForbiddenError('仅个人用户可以办理');
  return p;
}

/**
 * The actor of an operation on one's own account (granting, revoking, adding a child, registering an
 * enterprise, starting to act): the person themself, even while the session acts for someone else — these are
 * not done on anyone's behalf.
 */
export function selfActor(req: FastifyRequest, p: PersonPrincipal): AuditActor {
  return auditActor(req, { ...p, acting: null });
}
