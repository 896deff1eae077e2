/**
 * explainError turns any failure (openai SDK, AWS SDK, Node network, the core's own) into a code, the facts to
 * word it with, and actions a front end can offer. Each front end words it (messages.ts: the CLI in English with
 * its flags, the extension through vscode.l10n with its settings). No SDK imports: errors are recognised by
 * `status`, `name`, constructor name and `code`, so the extension can use this without loading the SDKs.
 * Never a stack trace; every string parameter passes through redact().
 */
import { redact } from '../redact';
import { awsCredentialsFailure, credentialsFailure, details } from './credentials';
import { httpFailure } from './http';
import { networkFailure, proxyFailure, streamFailure } from './network';
import type { ErrorContext, ErrorParams, ExplainedError } from './types';
import { clean, firstLine, isObject, nameOf, serverMessage, type Bag } from './util';

export type { ErrorAction, ErrorCode, ErrorContext, ErrorParams, ExplainedError } from './types';
export { CLI_WORDS, renderError, type ErrorWords, type Translate } from './messages';

export function explainError(err: unknown, ctx: ErrorContext = {}): ExplainedError {
  const e = classify(err, ctx);
  const params: ErrorParams = {};
  for (const [key, value] of Object.entries(e.params) as Array<[keyof ErrorParams, ErrorParams[keyof ErrorParams]]>) {
    if (value === undefined || value === '') continue;
    (params as Record<string, unknown>)[key] = typeof value === 'string' ? redact(value) : value;
  }
  return { ...e, params };
}

/**
 * The SDK wraps an error thrown by the token provider in an OpenAIError ("Failed to get token from 'apiKey'
 * function: …") with the original as `cause`. Hand back the original (CredentialsError, …) so callers and
 * explainError see what really went wrong.
 */
export function unwrapTokenProviderError(err: unknown): unknown {
  if (err instanceof Error && err.message.startsWith("Failed to get token from 'apiKey' function") && err.cause instanceof Error) {
    return err.cause;
  }
  return err;
}

function classify(err: unknown, ctx: ErrorContext): ExplainedError {
  const cause = unwrapTokenProviderError(err);
  if (cause !== err) return classify(cause, ctx);
  const o: Bag = isObject(err) ? err : {};
  const name = nameOf(err);
  const message = firstLine(err);

  if (name === 'AskCancelledError' || name === 'AbortError' || name === 'APIUserAbortError' || (o.status === undefined && message === 'Request was aborted.')) {
    return { code: 'cancelled', params: {}, actions: [] };
  }
  if (name === 'CredentialsError') return credentialsFailure(String(o.code), message, details(o), ctx);
  if (name === 'TokenLifetimeError') {
    return { code: 'token-lifetime', params: { seconds: typeof o.seconds === 'number' ? o.seconds : undefined, detail: message }, actions: [{ kind: 'openSettings', setting: 'tokenLifetimeSeconds' }] };
  }
  if (name === 'EndpointError') {
    const problem = typeof o.problem === 'string' ? (o.problem as ErrorParams['problem']) : undefined;
    return { code: 'endpoint', params: { problem, value: typeof o.value === 'string' ? o.value : undefined, region: ctx.region, detail: message }, actions: [{ kind: 'openSettings', setting: problem === 'region' ? 'region' : 'endpoint' }] };
  }
  if (name === 'StreamError') return streamFailure(String(o.kind), message, o.code, ctx, typeof o.seconds === 'number' ? o.seconds : undefined);
  if (name === 'ProxyError') return { code: o.status === 407 ? 'proxy-auth' : 'proxy', params: { detail: message }, actions: [] };
  if (typeof o.status === 'number') return httpFailure(o.status, serverMessage(o, message), o, ctx);
  const known = awsCredentialsFailure(name, message, ctx) ?? proxyFailure(err, ctx) ?? networkFailure(err, name, message, ctx);
  if (known) return known;
  // An SSE `error` event surfaces as an APIError without a status.
  if (o.status === undefined && isObject(o.error) && typeof o.error.message === 'string') {
    return { code: 'stream-error', params: { server: clean(o.error.message) }, actions: [{ kind: 'askAgain' }] };
  }
  return { code: 'unknown', params: { detail: message }, actions: [] };
}
