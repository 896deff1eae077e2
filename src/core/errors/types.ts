/** What explainError gives a front end: a code, the facts to word it with, and the actions that may fix it. */

export type ErrorAction =
  | { kind: 'switchRegion'; region: string }
  | { kind: 'ssoLogin'; profile: string }
  | { kind: 'selectProfile' }
  | { kind: 'openSettings'; setting?: string }
  /** Send the same question again (transient failures); offered where there is a question. */
  | { kind: 'askAgain' }
  /** Make a new token (re-resolving the credentials), then go on. */
  | { kind: 'refreshToken' }
  | { kind: 'setApiKey' }
  | { kind: 'selectEffort'; values: string[] };

export type ErrorCode =
  | 'cancelled'
  | 'unknown-profile' | 'no-credentials' | 'credentials-expired' | 'credential-process' | 'assume-role' | 'credentials' | 'sso-expired'
  | 'api-key-missing' | 'token-lifetime' | 'endpoint'
  | 'unauthorized' | 'forbidden' | 'clock-skew' | 'unsupported-effort' | 'throttled' | 'service-error' | 'bad-request' | 'http-status'
  | 'model-not-in-region' | 'model-not-found' | 'not-found'
  | 'stream-malformed' | 'stream-cut' | 'stream-stalled' | 'first-byte-timeout' | 'stream-incomplete' | 'stream-error' | 'response-failed'
  | 'timeout' | 'dns' | 'tls' | 'network' | 'proxy-auth' | 'proxy'
  | 'unknown';

/**
 * The facts a message is worded from. Every string is already redacted. `detail` is text the core or the
 * service worded itself (English), passed through as it is.
 */
export interface ErrorParams {
  profile?: string;
  knownProfiles?: string;
  region?: string;
  /** A model's display name with its id, "GPT-5.5 (openai.gpt-5.5)", or a custom id as it is. */
  model?: string;
  /** The regions that serve the model, comma-separated. */
  serving?: string;
  /** The model is one of the built-in ones (its id is right; access may be missing). */
  knownModel?: boolean;
  effort?: string;
  /** Effort values to try, comma-separated. */
  values?: string;
  /** The service's own words. */
  server?: string;
  status?: number;
  retries?: number;
  /** The endpoint's host name. */
  host?: string;
  /** A Node / TLS error code (ECONNREFUSED, CERT_HAS_EXPIRED). */
  netCode?: string;
  why?: 'refused' | 'reset' | 'failed';
  /** The region is not one where bedrock-mantle runs; `regions` are those where it does. */
  unknownRegion?: boolean;
  regions?: string;
  /** The answer hit the output-token limit. */
  tooLong?: boolean;
  /** The response's error code (server_error). */
  errorCode?: string;
  detail?: string;
  /** EndpointError's problem, and the text it is about. */
  problem?: 'region' | 'invalid-url' | 'credentials-in-url' | 'plain-http' | 'scheme';
  value?: string;
  /** A token lifetime that is not allowed. */
  seconds?: number;
  /** How far this computer's clock is from the endpoint's `Date`, in whole minutes, and which way. */
  minutes?: number;
  clock?: 'ahead' | 'behind';
}

export interface ExplainedError {
  code: ErrorCode;
  params: ErrorParams;
  actions: ErrorAction[];
}

export interface ErrorContext {
  region?: string;
  model?: string;
  profile?: string;
  effort?: string;
  knownProfiles?: string[];
  /** The base URL that was called, to name its host in network errors. */
  endpoint?: string;
  /** How many times the client already retried (openai's maxRetries; its default is 2). */
  retries?: number;
  /** The local clock, to compare with a response's `Date` header; default Date.now. */
  now?: () => number;
}
