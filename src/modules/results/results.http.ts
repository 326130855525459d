/** Request helpers for whoever issues results from a route. */
import type { FastifyRequest } from 'fastify';

/**
 * The site's public address as the request reached it (`https://zwfw.example.gov.cn`), for the QR code's link
 * (issueResult's `deps.publicBaseUrl`). Behind a reverse proxy it relies on TRUST_PROXY and X-Forwarded-Proto /
 * X-Forwarded-Host. There is no configured public address (config.ts has none); one would take precedence.
 */
export function requestBaseUrl(req: FastifyRequest): string {
  return `${req.protocol}://${req.host}`;
}
