/**
 * Security headers (CSP and the usual set) from helmet, computed once at start-up: helmet stays the source of
 * truth for the values, but instead of running its middleware on every request (which halves the throughput of
 * small responses here), the captured header block is applied in one synchronous hook.
 */
import helmet, { type HelmetOptions } from 'helmet';
import type { IncomingMessage, ServerResponse } from 'node:http';

export function computeSecurityHeaders(opts: { hsts: boolean }): Record<string, string> {
  const options: HelmetOptions = {
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        fontSrc: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        baseUri: ["'self'"],
        objectSrc: ["'none'"],
      },
    },
    strictTransportSecurity: opts.hsts ? { maxAge: 31536000 } : false,
    crossOriginEmbedderPolicy: false,
    // not helmet's default no-referrer: with it, browsers send `Origin: null` on every form post (Fetch
    // standard), and the same-site check refuses them; same-origin sends nothing to other sites either
    referrerPolicy: { policy: 'same-origin' },
  };
  const headers: Record<string, string> = {};
  const res = {
    setHeader(name: string, value: string | number | string[]) {
      headers[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : String(value);
    },
    removeHeader(name: string) {
      delete headers[name.toLowerCase()];
    },
  } as unknown as ServerResponse;
  let failure: unknown;
  helmet(options)({} as IncomingMessage, res, (err?: unknown) => {
    failure = err;
  });
  if (failure) throw failure instanceof Error ? failure : new Error(String(failure));
  return headers;
}
