import * as client from 'openid-client';
import type { OidcConfig } from '../../../config.ts';
import type { IdentityDeps, RequestFacts, StartedSession } from '../identity.types.ts';
import { normaliseIdNumber, normaliseName } from '../identity.validation.ts';
import { randomToken, safeEqual } from '../../../shared/tokens.ts';
import { recordAuditEvent } from '../../audit/record-audit-event.ts';
import { forgetOidcConfiguration, ID_NUMBER_CLAIM, oidcConfiguration, OidcUnavailableError } from './oidc-client.ts';
import { LINK_TTL_SECONDS, putPending, takePending, type PendingLink, type PendingState } from './oidc-pending.ts';
import { AccountDisabledError, OidcDeniedError, OidcSignInFailedError, OidcStateError } from './oidc.errors.ts';
import { startOidcSession } from './oidc-session.ts';

export interface OidcCallbackInput {
  query: string; // the callback's query string, as the provider sent it
  stateCookie: string | undefined; // the state this browser started with
}

export type OidcSignInOutcome =
  | { kind: 'signed-in'; session: StartedSession; back: string }
  | { kind: 'link'; linkToken: string }; // first sign-in: the identity waits (15 min) under this key for a link

/**
 * Step 2, the callback: uses up the pending state (single use; it must be this browser's), exchanges the code
 * (PKCE verifier, state and nonce checked by openid-client), then signs in the account linked to the subject
 * — or, on a first sign-in, keeps the verified identity (name, ID number, mobile from the userinfo) for the
 * link page.
 */
export async function finishOidcSignIn(deps: IdentityDeps, oidc: OidcConfig, input: OidcCallbackInput, from: RequestFacts): Promise<OidcSignInOutcome> {
  const params = new URLSearchParams(input.query);
  const state = params.get('state');
  const ours = Boolean(state && input.stateCookie && safeEqual(state, input.stateCookie));
  const pending = ours ? await takePending<PendingState>(deps.db, 'oidc_state', state!) : undefined;
  const error = params.get('error');
  if (error) throw new OidcDeniedError(oidc.displayName, error);
  if (!pending) throw new OidcStateError();

  const config = await oidcConfiguration(oidc);
  const currentUrl = new URL(oidc.redirectUri);
  currentUrl.search = params.toString();
  let tokens: Awaited<ReturnType<typeof client.authorizationCodeGrant>>;
  try {
    tokens = await client.authorizationCodeGrant(config, currentUrl, {
      pkceCodeVerifier: pending.codeVerifier,
      expectedState: state!,
      expectedNonce: pending.nonce,
      idTokenExpected: true,
    });
  } catch (err) {
    throw classify(oidc, err);
  }
  const idToken = tokens.claims();
  if (!idToken?.sub) throw new OidcSignInFailedError(oidc.displayName);
  const issuer = config.serverMetadata().issuer;
  const subject = idToken.sub;

  const linked = await deps.db
    .selectFrom('oidc_links')
    .innerJoin('accounts', 'accounts.id', 'oidc_links.account_id')
    .select(['accounts.id', 'accounts.kind', 'accounts.department_id', 'accounts.status'])
    .where('oidc_links.issuer', '=', issuer)
    .where('oidc_links.subject', '=', subject)
    .executeTakeFirst();
  if (linked) {
    if (linked.status !== 'active') {
      await deps.db.transaction().execute((trx) =>
        recordAuditEvent(trx, {
          action: 'auth.sign_in.failed',
          actor: { type: 'anonymous', ...from },
          target: { type: 'account', id: linked.id },
          outcome: 'failure',
          details: { reason: 'disabled', kind: linked.kind, method: 'oidc', issuer },
        }),
      );
      throw new AccountDisabledError();
    }
    const session = await deps.db.transaction().execute((trx) => startOidcSession(trx, deps, linked, issuer, from));
    return { kind: 'signed-in', session, back: pending.back };
  }

  // first sign-in: the identity's details come from the userinfo endpoint (the ID token often carries only sub)
  let claims: Record<string, unknown> = { ...idToken };
  if (config.serverMetadata().userinfo_endpoint) {
    try {
      claims = { ...claims, ...(await client.fetchUserInfo(config, tokens.access_token, subject)) };
    } catch (err) {
      throw classify(oidc, err);
    }
  }
  const linkToken = randomToken();
  const identity: PendingLink = {
    issuer,
    subject,
    name: valid(() => normaliseName(String(claims.name ?? ''))),
    idNumber: valid(() => normaliseIdNumber(String(claims[ID_NUMBER_CLAIM] ?? ''))),
    mobile: mainlandMobile(claims.phone_number),
    back: pending.back,
  };
  await putPending(deps.db, 'oidc_link', linkToken, identity, LINK_TTL_SECONDS);
  return { kind: 'link', linkToken };
}

function valid(f: () => string): string | null {
  try {
    return f();
  } catch {
    return null;
  }
}

/** '+86 138-1234-5678', '8613812345678' or '13812345678' → '13812345678'; anything else → null. */
function mainlandMobile(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  const digits = value.replace(/[\s()-]/g, '').replace(/^(\+?86|0086)(?=1\d{10}$)/, '');
  return /^1[3-9]\d{9}$/.test(digits) ? digits : null;
}

/**
 * The provider refused the code or its answer did not check out → the person starts again (400). The provider
 * could not be reached or answered outside the protocol → try later (502). Either way the kept configuration
 * is dropped unless the provider itself answered with an OAuth error, so the next sign-in discovers afresh.
 */
function classify(oidc: OidcConfig, err: unknown): Error {
  if (err instanceof client.ResponseBodyError || err instanceof client.AuthorizationResponseError) {
    return Object.assign(new OidcSignInFailedError(oidc.displayName), { cause: err });
  }
  forgetOidcConfiguration(oidc);
  const code = err instanceof client.ClientError ? err.code : undefined;
  if (code === 'OAUTH_RESPONSE_IS_NOT_CONFORM' || code === 'OAUTH_RESPONSE_IS_NOT_JSON' || !(err instanceof client.ClientError)) {
    return new OidcUnavailableError(err);
  }
  return Object.assign(new OidcSignInFailedError(oidc.displayName), { cause: err });
}
