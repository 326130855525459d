/** Display preferences that persist in cookies: the chosen region (地区) and the elderly-friendly mode (适老化). */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../../http/context.ts';

export const REGION_COOKIE = 'yw_region';
export const ELDER_COOKIE = 'yw_elder';
const YEAR = 365 * 24 * 3600;
/** Secure whenever the request came over HTTPS (behind a proxy: with TRUST_PROXY and X-Forwarded-Proto). */
const COOKIE_OPTIONS = { path: '/', maxAge: YEAR, sameSite: 'lax', httpOnly: true, secure: 'auto' } as const;

export interface Preferences {
  region: string | undefined; // undefined = the whole province
  elder: boolean;
}

/** The region from ?region= (remembered in a cookie when given) or from the cookie. */
export function readPreferences(ctx: AppContext, req: FastifyRequest, reply: FastifyReply): Preferences {
  const query = req.query as Record<string, unknown>;
  let region: string | undefined;
  if (typeof query.region === 'string') {
    region = ctx.regions.get(query.region) ? query.region : undefined;
    if (region !== req.cookies[REGION_COOKIE]) {
      if (region) reply.setCookie(REGION_COOKIE, region, COOKIE_OPTIONS);
      else reply.clearCookie(REGION_COOKIE, { path: '/' });
    }
  } else {
    region = cookiePreferences(ctx, req).region;
  }
  return { region, elder: req.cookies[ELDER_COOKIE] === '1' };
}

/** The preferences the cookies hold, read without setting anything (error pages use this). */
export function cookiePreferences(ctx: AppContext, req: FastifyRequest): Preferences {
  const c = req.cookies?.[REGION_COOKIE];
  return { region: c && ctx.regions.get(c) ? c : undefined, elder: req.cookies?.[ELDER_COOKIE] === '1' };
}

export function setElderMode(reply: FastifyReply, on: boolean): void {
  if (on) reply.setCookie(ELDER_COOKIE, '1', COOKIE_OPTIONS);
  else reply.clearCookie(ELDER_COOKIE, { path: '/' });
}

/**
 * Only same-site relative paths are followed back (no open redirect), and only in printable ASCII — what a
 * browser sends as a URL is percent-encoded, and anything else cannot go into a Location header.
 */
export function safeBack(back: unknown): string {
  return typeof back === 'string' && /^\/(?![/\\])[\x21-\x7e]*$/.test(back) ? back : '/';
}
