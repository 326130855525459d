/** Token endpoint errors in the shape RFC 6749 §5.2 prescribes: `{error, error_description}`, described in Chinese. */
export type OAuthErrorCode = 'invalid_request' | 'invalid_client' | 'invalid_grant' | 'unauthorized_client' | 'unsupported_grant_type' | 'invalid_scope';

export class OAuthError extends Error {
  readonly status: number;
  constructor(
    readonly error: OAuthErrorCode,
    readonly description: string,
    /** a lockout: answered 429 with Retry-After */
    readonly retryAfterSeconds?: number,
  ) {
    super(description);
    this.status = retryAfterSeconds ? 429 : error === 'invalid_client' ? 401 : 400;
  }

  toJSON(): { error: OAuthErrorCode; error_description: string } {
    return { error: this.error, error_description: this.description };
  }
}
