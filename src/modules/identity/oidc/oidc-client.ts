/**
 * The OpenID Connect client of the province's identity provider (统一身份认证): the provider's configuration,
 * discovered once per app server and kept, and discovered again after a failure (the provider was down, its
 * metadata moved). Everything that must survive between the redirect and the callback lives in the database
 * (auth_pending), never here, so any app server can finish a sign-in another one started.
 */
import * as client from 'openid-client';
import type { OidcConfig } from '../../../config.ts';

/**
 * What is asked of the provider: the subject (openid), the real name (profile) and the mobile number (phone).
 * The resident ID number is read from the claim `id_number` (ID_NUMBER_CLAIM), which the provider releases
 * with one of these scopes; without it a new account cannot be created from the sign-in, only linked.
 */
export const OIDC_SCOPE = 'openid profile phone';
export const ID_NUMBER_CLAIM = 'id_number';

/** The provider cannot be reached or answered nonsense (discovery, token or userinfo request): try again later. */
export class OidcUnavailableError extends Error {
  constructor(cause: unknown) {
    super('统一身份认证服务暂时无法访问', { cause });
  }
}

const configurations = new WeakMap<OidcConfig, Promise<client.Configuration>>();

/** Basic authentication when the provider supports it (or says nothing), the form body otherwise. */
function clientAuthentication(secret: string): client.ClientAuth {
  const basic = client.ClientSecretBasic(secret);
  const post = client.ClientSecretPost(secret);
  return (as, c, body, headers) => {
    const methods = as.token_endpoint_auth_methods_supported;
    return (!methods || methods.includes('client_secret_basic') ? basic : post)(as, c, body, headers);
  };
}

/** The provider's configuration, discovered on first use; a failed discovery is forgotten, so the next call retries. */
export function oidcConfiguration(oidc: OidcConfig): Promise<client.Configuration> {
  let found = configurations.get(oidc);
  if (!found) {
    found = client
      .discovery(new URL(oidc.issuer), oidc.clientId, { client_secret: oidc.clientSecret }, clientAuthentication(oidc.clientSecret), {
        execute: oidc.allowInsecure ? [client.allowInsecureRequests] : [],
        timeout: 10,
      })
      .catch((err: unknown) => {
        configurations.delete(oidc);
        throw new OidcUnavailableError(err);
      });
    configurations.set(oidc, found);
  }
  return found;
}

/** Drops the kept configuration (after a request to the provider failed in a way new metadata might fix). */
export function forgetOidcConfiguration(oidc: OidcConfig): void {
  configurations.delete(oidc);
}
