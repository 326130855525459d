/**
 * For tests: a real OpenID Connect provider (npm's `oidc-provider`) on 127.0.0.1 and a random port, with one
 * confidential client and the given accounts; its development login and consent pages are completed with
 * plain HTTP requests by `TestBrowser.signInAtProvider`.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider from 'oidc-provider';

export interface TestProvider {
  issuer: string;
  /** false: every request gets 503, as from a provider that is down */
  setAvailable(up: boolean): void;
  clientId: string;
  clientSecret: string;
  close(): Promise<void>;
}

export async function startTestProvider(o: { redirectUri: string; accounts: Record<string, Record<string, unknown>> }): Promise<TestProvider> {
  let handler: (req: IncomingMessage, res: ServerResponse) => void = (_req, res) => res.writeHead(503).end();
  const server = createServer((req, res) => handler(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const clientId = 'yiwang-portal';
  const clientSecret = 'a-test-secret-that-is-long-enough-0123456789';
  const provider = new Provider(issuer, {
    clients: [{ client_id: clientId, client_secret: clientSecret, redirect_uris: [o.redirectUri], grant_types: ['authorization_code'], response_types: ['code'] }],
    claims: { openid: ['sub'], profile: ['name', 'id_number'], phone: ['phone_number'] },
    findAccount: (_ctx: unknown, sub: string) => {
      const claims = o.accounts[sub];
      return claims ? { accountId: sub, claims: () => ({ sub, ...claims }) } : undefined;
    },
    features: { devInteractions: { enabled: true } },
    cookies: { keys: ['test-cookie-key-0123456789'] },
    ttl: { Interaction: 600, Session: 3600, Grant: 3600, AccessToken: 600, IdToken: 600, AuthorizationCode: 60 },
  });
  const serve = provider.callback();
  const down = handler;
  handler = serve;
  return {
    issuer,
    setAvailable: (up) => {
      handler = up ? serve : down;
    },
    clientId,
    clientSecret,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
