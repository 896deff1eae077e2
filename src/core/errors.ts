/**
 * explainError turns any failure (openai SDK, AWS SDK, Node network, the core's own) into one message that says
 * what to do, plus actions the UI can offer as buttons. No SDK imports: errors are recognised by `status`,
 * `name`, constructor name and `code`, so the extension can use this without loading the SDKs.
 * Never a stack trace, and every message passes through redact().
 */
import { displayName, MANTLE_REGIONS, modelInfo, regionsServing } from './models';
import { redact } from './redact';
import { REASONING_EFFORTS } from './types';

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

export interface ExplainedError {
  code: string;
  message: string;
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
}

/** Node / undici error codes that mean the endpoint could not be reached. */
const DNS_CODES = new Set(['ENOTFOUND', 'EAI_AGAIN', 'EAI_NONAME']);
const REFUSED_CODES = new Set(['ECONNREFUSED', 'EHOSTUNREACH', 'ENETUNREACH', 'EADDRNOTAVAIL']);
const RESET_CODES = new Set(['ECONNRESET', 'EPIPE', 'UND_ERR_SOCKET', 'UND_ERR_CLOSED']);
const TIMEOUT_CODES = new Set(['ETIMEDOUT', 'ESOCKETTIMEDOUT', 'UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT']);
const TLS_CODE = /^(?:CERT_|UNABLE_TO_|SELF_SIGNED_CERT|DEPTH_ZERO_SELF_SIGNED_CERT|ERR_TLS_|ERR_SSL_)/;

export function explainError(err: unknown, ctx: ErrorContext = {}): ExplainedError {
  const e = explain(err, ctx);
  return { ...e, message: redact(e.message) };
}

type Bag = Record<string, unknown>;

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

function explain(err: unknown, ctx: ErrorContext): ExplainedError {
  const cause = unwrapTokenProviderError(err);
  if (cause !== err) return explain(cause, ctx);
  const o: Bag = isObject(err) ? err : {};
  const name = nameOf(err);
  const message = firstLine(err);

  if (name === 'AskCancelledError' || name === 'AbortError' || name === 'APIUserAbortError' ||
      (o.status === undefined && message === 'Request was aborted.')) {
    return { code: 'cancelled', message: 'Cancelled.', actions: [] };
  }
  if (name === 'CredentialsError') return credentialsFailure(String(o.code), message, details(o), ctx);
  if (name === 'TokenLifetimeError') {
    return { code: 'token-lifetime', message, actions: [{ kind: 'openSettings', setting: 'tokenLifetimeSeconds' }] };
  }
  if (name === 'EndpointError') {
    return { code: 'endpoint', message, actions: [{ kind: 'openSettings', setting: 'endpoint' }] };
  }
  if (name === 'StreamError') return streamFailure(String(o.kind), message, o.code, ctx);
  if (name === 'ProxyError') return { code: (err as { status?: unknown }).status === 407 ? 'proxy-auth' : 'proxy', message, actions: [] };

  if (typeof o.status === 'number') return httpFailure(o.status, serverMessage(o, message), o, ctx);

  const aws = awsCredentialsFailure(name, message, ctx);
  if (aws) return aws;

  const proxy = proxyFailure(err, ctx);
  if (proxy) return proxy;

  const network = networkFailure(err, name, message, ctx);
  if (network) return network;

  // An SSE `error` event surfaces as an APIError without a status.
  if (o.status === undefined && isObject(o.error) && typeof o.error.message === 'string') {
    return { code: 'service-error', message: `The service reported an error during the answer: ${clean(o.error.message)}. Try again.`, actions: [{ kind: 'askAgain' }] };
  }
  return { code: 'unknown', message: message || 'Something went wrong (no details were given).', actions: [] };
}

// --- credentials ---------------------------------------------------------------------------------------

function details(o: Bag): { profile?: string; knownProfiles?: string[] } {
  return isObject(o.details) ? (o.details as { profile?: string; knownProfiles?: string[] }) : {};
}

function profileLabel(profile: string | undefined): string {
  return profile ? `profile "${profile}"` : 'the default credential chain';
}

const CONFIGURE_HINT =
  'Set them up with `aws configure` (access keys) or `aws configure sso` (IAM Identity Center), choose a profile ' +
  '(the profile setting, --profile or AWS_PROFILE), or use a Bedrock API key (AWS_BEARER_TOKEN_BEDROCK).';

function credentialsFailure(code: string, message: string, d: { profile?: string; knownProfiles?: string[] }, ctx: ErrorContext): ExplainedError {
  const profile = d.profile ?? ctx.profile;
  switch (code) {
    case 'sso-expired':
      return ssoExpired(profile);
    case 'unknown-profile': {
      const known = d.knownProfiles ?? ctx.knownProfiles ?? [];
      const list = known.length ? `Known profiles: ${known.join(', ')}.` : 'No profiles are configured: run `aws configure --profile <name>` or `aws configure sso`.';
      return {
        code: 'unknown-profile',
        message: `The AWS profile "${profile ?? '?'}" is not in ~/.aws/config or ~/.aws/credentials. ${list}`,
        actions: [{ kind: 'selectProfile' }],
      };
    }
    case 'no-credentials':
      return { code: 'no-credentials', message: `No AWS credentials were found. ${CONFIGURE_HINT}`, actions: [{ kind: 'selectProfile' }, { kind: 'setApiKey' }] };
    case 'expired':
      return {
        code: 'credentials-expired',
        message: `The AWS credentials of ${profileLabel(profile)} have expired. Renew them (for SSO: \`aws sso login${profile ? ` --profile ${profile}` : ''}\`), then try again.`,
        actions: profile ? [{ kind: 'ssoLogin', profile }, { kind: 'refreshToken' }] : [{ kind: 'refreshToken' }],
      };
    case 'credential-process':
      // credentials.ts words these itself (never the SDK's text, which can quote the command line).
      return { code: 'credential-process', message, actions: [{ kind: 'refreshToken' }, { kind: 'selectProfile' }] };
    case 'assume-role':
      return { code: 'assume-role', message, actions: [{ kind: 'refreshToken' }, { kind: 'selectProfile' }] };
    default:
      return { code: 'credentials', message, actions: [{ kind: 'selectProfile' }] };
  }
}

function ssoExpired(profile: string | undefined): ExplainedError {
  const command = `aws sso login${profile ? ` --profile ${profile}` : ''}`;
  return {
    code: 'sso-expired',
    message: `The AWS SSO session${profile ? ` of profile "${profile}"` : ''} has expired or was never started. Run \`${command}\` in a terminal, then try again.`,
    actions: [...(profile ? [{ kind: 'ssoLogin' as const, profile }] : []), { kind: 'refreshToken' }],
  };
}

/** Raw AWS SDK errors, for callers that did not go through credentials.ts. */
function awsCredentialsFailure(name: string, message: string, ctx: ErrorContext): ExplainedError | undefined {
  if (/\bsso\b/i.test(`${name} ${message}`) && /expired|refresh|login|invalid/i.test(message)) return ssoExpired(ctx.profile);
  if (name === 'ExpiredToken' || name === 'ExpiredTokenException' || name === 'RequestExpired') {
    return credentialsFailure('expired', message, {}, ctx);
  }
  if (name === 'CredentialsProviderError') {
    const missing = /profile\s+["']?([\w.@+-]+)["']?\s+(?:could not be found|not found)/i.exec(message);
    if (missing) return credentialsFailure('unknown-profile', message, { profile: missing[1] }, ctx);
    if (/could not load credentials|no credentials|unable to load credentials/i.test(message)) {
      return credentialsFailure('no-credentials', message, {}, ctx);
    }
    return { code: 'credentials', message: `Could not get AWS credentials for ${profileLabel(ctx.profile)}: ${message}`, actions: [{ kind: 'selectProfile' }, { kind: 'refreshToken' }] };
  }
  return undefined;
}

// --- HTTP answers ----------------------------------------------------------------------------------------

function httpFailure(status: number, server: string, o: Bag, ctx: ErrorContext): ExplainedError {
  const where = ctx.region ? ` in ${ctx.region}` : '';
  const said = server ? ` The service said: ${server}` : '';
  if (status === 404) return notFound(server, ctx);
  if (status === 407) return proxyRefused(407, ctx);
  if (status === 401) {
    return {
      code: 'unauthorized',
      message: `The Bedrock endpoint rejected the bearer token (401).${said} Refresh the token; if it is rejected again, check the AWS credentials of ${profileLabel(ctx.profile)} or the API key.`,
      actions: [{ kind: 'refreshToken' }, { kind: 'selectProfile' }, { kind: 'setApiKey' }],
    };
  }
  if (status === 403) {
    const model = ctx.model ? ` and access to ${describe(ctx.model)}` : ' and access to the model';
    return {
      code: 'forbidden',
      message: `Access denied (403)${where}. The AWS principal of ${profileLabel(ctx.profile)} needs the \`bedrock:CallWithBearerToken\` permission${model}${where}, or the token was signed for another region.${said}`,
      actions: [{ kind: 'selectProfile' }, { kind: 'refreshToken' }],
    };
  }
  if (status === 400 && isEffortProblem(server, o, ctx)) return unsupportedEffort(server, ctx);
  if (status === 429) {
    const retries = ctx.retries ?? 2;
    const quota = ctx.model ? ` for ${describe(ctx.model)}${where}` : where;
    return {
      code: 'throttled',
      message: `Bedrock throttled the request (429: quota of tokens per minute${quota}); already retried ${retries} time${retries === 1 ? '' : 's'}. Try again in a minute.`,
      actions: [{ kind: 'askAgain' }],
    };
  }
  if (status >= 500) {
    return { code: 'service-error', message: `Bedrock had a service error (${status})${where}.${said} Try again.`, actions: [{ kind: 'askAgain' }] };
  }
  if (status === 400) {
    return { code: 'bad-request', message: `The request was refused (400)${server ? `: ${server}` : '.'}`, actions: [] };
  }
  return { code: `http-${status}`, message: `The endpoint answered ${status}${server ? `: ${server}` : '.'}`, actions: [{ kind: 'askAgain' }] };
}

function notFound(server: string, ctx: ErrorContext): ExplainedError {
  const model = ctx.model ?? /model '([^']+)'/.exec(server)?.[1];
  const region = ctx.region;
  if (model && (/model/i.test(server) || !server)) {
    const serving = regionsServing(model).filter((r) => r !== region);
    const servedHere = region !== undefined && regionsServing(model).includes(region);
    if (region && serving.length && !servedHere) {
      return {
        code: 'model-not-in-region',
        message: `${describe(model)} is not served in ${region}. It is served in ${serving.join(', ')}.`,
        actions: serving.map((r) => ({ kind: 'switchRegion' as const, region: r })),
      };
    }
    const inRegion = region ? ` in ${region}` : '';
    const advice = modelInfo(model)
      ? `Check that model access is enabled${inRegion}, or list what the region serves with \`bedrock-gpt models${region ? ` --region ${region}` : ''}\`.`
      : `Check the model id, or list what the region serves with \`bedrock-gpt models${region ? ` --region ${region}` : ''}\`.`;
    return { code: 'model-not-found', message: `${describe(model)} was not found${inRegion}. ${advice}`, actions: [{ kind: 'openSettings', setting: 'model' }] };
  }
  return {
    code: 'not-found',
    message: `The endpoint answered 404 Not Found${server ? `: ${server}` : ''}. Check the endpoint setting (it should end in /openai/v1).`,
    actions: [{ kind: 'openSettings', setting: 'endpoint' }],
  };
}

function isEffortProblem(server: string, o: Bag, ctx: ErrorContext): boolean {
  if (typeof o.param === 'string' && /effort/.test(o.param)) return true;
  if (/effort/i.test(server)) return true;
  return !!ctx.effort && quotes(server, ctx.effort);
}

/** `'value'`, `"value"` or `` `value` `` in the server's text. `value` may be any setting's text: matched literally. */
function quotes(text: string, value: string): boolean {
  const literal = value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`['"\`]${literal}['"\`]`).test(text);
}

function unsupportedEffort(server: string, ctx: ErrorContext): ExplainedError {
  // Prefer the values the server lists ("Supported values are: ..."), then the ones seen working for the model.
  const [head, supported = ''] = server.split(/\bsupported values?[^:]*:/i);
  const rejected = ctx.effort ?? REASONING_EFFORTS.find((v) => quotes(head, v));
  const listed = REASONING_EFFORTS.filter((v) => v !== rejected && new RegExp(`\\b${v}\\b`).test(supported));
  const confirmed = (ctx.model && modelInfo(ctx.model)?.confirmedEfforts) || ['low', 'medium', 'high'];
  const values = listed.length ? listed : confirmed.filter((v) => v !== rejected);
  const who = ctx.model ? describe(ctx.model) : 'The model';
  const effort = rejected ? ` "${rejected}"` : '';
  return {
    code: 'unsupported-effort',
    message: `${who} does not accept the reasoning effort${effort} here. Try ${values.join(', ')}.${server ? ` The service said: ${server}` : ''}`,
    actions: [{ kind: 'selectEffort', values }],
  };
}

// --- streams and the network ---------------------------------------------------------------------------

function streamFailure(kind: string, message: string, code: unknown, ctx: ErrorContext): ExplainedError {
  switch (kind) {
    case 'malformed':
      return { code: 'stream-malformed', message: `The answer stream could not be understood (a malformed event); the answer stopped there. Try again.`, actions: [{ kind: 'askAgain' }] };
    case 'cut': {
      const from = host(ctx);
      return { code: 'stream-cut', message: `The answer stream was cut off before it finished${from ? ` (from ${from})` : ''}; what arrived is shown. Try again.`, actions: [{ kind: 'askAgain' }] };
    }
    case 'incomplete': {
      const tooLong = code === 'max_output_tokens' || /max_output_tokens/.test(message);
      return {
        code: 'stream-incomplete',
        message: tooLong
          ? 'The answer was cut at the maximum output tokens. Raise the limit or ask for a shorter answer.'
          : `The answer is incomplete: ${message}`,
        actions: tooLong ? [{ kind: 'openSettings', setting: 'maxOutputTokens' }] : [{ kind: 'askAgain' }],
      };
    }
    default: {
      // ask() already words a failed response well ("The model stopped with an error (code): …").
      const said = /^The model stopped/.test(message) ? message : `The model stopped with an error${typeof code === 'string' && code ? ` (${code})` : ''}: ${message}`;
      return { code: 'response-failed', message: `${said.replace(/\.+$/, '')}. Try again.`, actions: [{ kind: 'askAgain' }] };
    }
  }
}

function networkFailure(err: unknown, name: string, message: string, ctx: ErrorContext): ExplainedError | undefined {
  const code = nodeCode(err);
  const endpointHost = host(ctx);
  const at = endpointHost ? ` ${endpointHost}` : ' the endpoint';
  const timeout = name === 'APIConnectionTimeoutError' || message === 'Request timed out.' || (code !== undefined && TIMEOUT_CODES.has(code));
  if (timeout) {
    return { code: 'timeout', message: `No answer from${at} in time. Check your network or proxy, then try again.`, actions: [{ kind: 'askAgain' }] };
  }
  if (code && DNS_CODES.has(code)) {
    const region = ctx.region && !MANTLE_REGIONS.includes(ctx.region) ? ` bedrock-mantle is not known in ${ctx.region}; it runs in ${MANTLE_REGIONS.join(', ')}.` : '';
    return {
      code: 'dns',
      message: `Cannot reach the endpoint${at}: the name does not resolve. Check the region, your network and proxy (HTTPS_PROXY).${region}`,
      actions: [{ kind: 'openSettings', setting: 'region' }, { kind: 'askAgain' }],
    };
  }
  if (code && TLS_CODE.test(code)) {
    return {
      code: 'tls',
      message: `Cannot reach the endpoint${at}: its TLS certificate was not trusted (${code}). Behind a corporate proxy, point NODE_EXTRA_CA_CERTS at its CA certificate.`,
      actions: [{ kind: 'askAgain' }],
    };
  }
  const connection = name === 'APIConnectionError' || message === 'Connection error.' || name === 'FetchError' || /fetch failed/.test(message);
  if (code && (REFUSED_CODES.has(code) || RESET_CODES.has(code)) || connection) {
    const why = code && REFUSED_CODES.has(code) ? 'the connection was refused' : code && RESET_CODES.has(code) ? 'the connection was reset' : 'the connection failed';
    return {
      code: 'network',
      message: `Cannot reach the endpoint${at}: ${why}${code ? ` (${code})` : ''}. Check your network, proxy (HTTPS_PROXY) and the region.`,
      actions: [{ kind: 'askAgain' }, { kind: 'openSettings', setting: 'region' }],
    };
  }
  return undefined;
}

/**
 * undici's proxy agent: a CONNECT answered with anything but 200 ("Proxy response (407) !== 200 when HTTP
 * Tunneling"), or a 407 to a forwarded request. Found in the cause chain, under openai's APIConnectionError.
 */
function proxyFailure(err: unknown, ctx: ErrorContext): ExplainedError | undefined {
  let cur: unknown = err;
  for (let depth = 0; depth < 6 && isObject(cur); depth++) {
    const text = typeof cur.message === 'string' ? cur.message : '';
    const tunnel = /^Proxy response \((\d{3})\) !== 200 when HTTP Tunneling/.exec(text);
    if (tunnel) return proxyRefused(Number(tunnel[1]), ctx);
    if (text === 'Proxy Authentication Required (407)') return proxyRefused(407, ctx);
    cur = cur.cause;
  }
  return undefined;
}

function proxyRefused(status: number, ctx: ErrorContext): ExplainedError {
  if (status === 407) {
    return {
      code: 'proxy-auth',
      message: 'The proxy refused the credentials (407 Proxy Authentication Required). Put the right user name and password in HTTPS_PROXY / HTTP_PROXY as http://user:password@host:port (percent-encode special characters), or in VS Code\'s http.proxy.',
      actions: [],
    };
  }
  const endpointHost = host(ctx);
  return {
    code: 'proxy',
    message: `The proxy would not connect to ${endpointHost ?? 'the endpoint'} (it answered ${status}). Ask for the host to be allowed, or add it to NO_PROXY if it is reachable directly.`,
    actions: [{ kind: 'askAgain' }],
  };
}

function nodeCode(err: unknown): string | undefined {
  // openai wraps fetch's TypeError, which wraps undici's error, which may wrap the socket's: walk the causes.
  let cur: unknown = err;
  for (let depth = 0; depth < 6 && isObject(cur); depth++) {
    if (typeof cur.code === 'string' && /^[A-Z][A-Z0-9_]+$/.test(cur.code)) return cur.code;
    if (Array.isArray(cur.errors) && isObject(cur.errors[0])) cur = cur.errors[0]; // AggregateError (happy eyeballs)
    else cur = cur.cause;
  }
  return undefined;
}

function host(ctx: ErrorContext): string | undefined {
  if (!ctx.endpoint) return ctx.region ? `bedrock-mantle.${ctx.region}.api.aws` : undefined;
  try {
    return new URL(ctx.endpoint.replace('{region}', ctx.region ?? 'region')).host;
  } catch {
    return undefined;
  }
}

// --- text helpers ------------------------------------------------------------------------------------------

function describe(model: string): string {
  const label = displayName(model);
  return label === model ? model : `${label} (${model})`;
}

function nameOf(err: unknown): string {
  if (!isObject(err)) return '';
  const own = typeof err.name === 'string' && err.name !== 'Error' ? err.name : '';
  return own || (err.constructor as { name?: string } | undefined)?.name || '';
}

/** The server's own words: openai keeps the body's `error.message`; its `message` adds a "404 " prefix. */
function serverMessage(o: Bag, fallback: string): string {
  if (isObject(o.error) && typeof o.error.message === 'string') return clean(o.error.message);
  return clean(fallback.replace(/^\d{3}\s+/, '').replace(/^status code \(no body\)$/, ''));
}

function firstLine(err: unknown): string {
  const text = err instanceof Error || (isObject(err) && typeof err.message === 'string') ? String((err as { message: unknown }).message) : String(err ?? '');
  return clean(text);
}

/** First non-empty line, no stack frames, bounded length. */
function clean(text: string): string {
  const line = text.split(/\r?\n/).map((l) => l.trim()).find((l) => l && !/^at\s/.test(l)) ?? '';
  return line.length > 400 ? `${line.slice(0, 400)}…` : line;
}

function isObject(v: unknown): v is Bag {
  return typeof v === 'object' && v !== null;
}
