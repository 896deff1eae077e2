/**
 * The core's own failure types. explainError (errors.ts) turns these, and the openai SDK's errors, into
 * messages that say what to do. Messages here must never contain a token, key or session token.
 */

export type CredentialsFailure =
  | 'sso-expired'        // SSO cache missing or expired: run `aws sso login --profile <p>`
  | 'unknown-profile'    // the named profile is in neither ~/.aws/config nor ~/.aws/credentials
  | 'no-credentials'     // the default chain found nothing
  | 'credential-process' // credential_process failed
  | 'assume-role'        // assume-role / web identity failed
  | 'expired';           // the resolved credentials are already expired

export class CredentialsError extends Error {
  override readonly name = 'CredentialsError';
  constructor(
    readonly code: CredentialsFailure,
    message: string,
    readonly details: { profile?: string; knownProfiles?: string[]; ssoSession?: string } = {},
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export class TokenLifetimeError extends Error {
  override readonly name = 'TokenLifetimeError';
  constructor(readonly seconds: number) {
    super(`A token lifetime of ${seconds} s is not allowed: choose a value greater than 0 and at most 43200 (12 hours).`);
  }
}

/** Why an endpoint (or the region in it) cannot be used; `value` is the offending text, redacted. */
export type EndpointProblem = 'region' | 'invalid-url' | 'credentials-in-url' | 'plain-http' | 'scheme';

export class EndpointError extends Error {
  override readonly name = 'EndpointError';
  constructor(message: string, readonly problem?: EndpointProblem, readonly value?: string) {
    super(message);
  }
}

/** The user (or a caller's AbortSignal) stopped the request. Partial text was already delivered. */
export class AskCancelledError extends Error {
  override readonly name = 'AskCancelledError';
  constructor() {
    super('The request was cancelled.');
  }
}

/** The stream ended without `response.completed`, or an event could not be understood. */
export class StreamError extends Error {
  override readonly name = 'StreamError';
  constructor(
    message: string,
    readonly kind: 'malformed' | 'cut' | 'failed' | 'incomplete' | 'first-byte-timeout' | 'stalled',
    readonly code?: string,
    /** For the two timeouts: the bound that was reached. */
    readonly seconds?: number,
  ) {
    super(message);
  }
}

/** HTTPS_PROXY / HTTP_PROXY cannot be used. The message names the variable and host, never the proxy's password. */
export class ProxyError extends Error {
  override readonly name = 'ProxyError';
  /** 407 when the proxy refused the credentials in its URL. */
  constructor(message: string, readonly status?: number) {
    super(message);
  }
}
