import * as client from 'openid-client';
import type { Kysely } from 'kysely';
import type { DB } from '../../../db/schema.ts';
import type { OidcConfig } from '../../../config.ts';
import { OIDC_SCOPE, oidcConfiguration } from './oidc-client.ts';
import { purgeExpiredPending, putPending, STATE_TTL_SECONDS } from './oidc-pending.ts';

/**
 * Step 1 of a sign-in through the identity provider: a fresh PKCE verifier (S256), state and nonce, kept in
 * the database under the state for ten minutes; returns where to send the browser. The state also goes into
 * a cookie, so the callback can only be finished by the browser that started it (no login CSRF).
 */
export async function startOidcSignIn(db: Kysely<DB>, oidc: OidcConfig, back: string): Promise<{ url: string; state: string }> {
  const config = await oidcConfiguration(oidc);
  const codeVerifier = client.randomPKCECodeVerifier();
  const state = client.randomState();
  const nonce = client.randomNonce();
  await purgeExpiredPending(db);
  await putPending(db, 'oidc_state', state, { codeVerifier, nonce, back }, STATE_TTL_SECONDS);
  const url = client.buildAuthorizationUrl(config, {
    redirect_uri: oidc.redirectUri,
    scope: OIDC_SCOPE,
    response_type: 'code',
    code_challenge: await client.calculatePKCECodeChallenge(codeVerifier),
    code_challenge_method: 'S256',
    state,
    nonce,
  });
  return { url: url.href, state };
}
