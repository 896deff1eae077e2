/**
 * The Bedrock client: a BedrockOpenAI for the endpoint endpoint.ts derives, which asks the token provider before
 * every attempt, retries included, so a refreshed token is picked up without a rebuild. The only core module
 * besides ask.ts and listModels.ts that loads the openai SDK.
 */
import { BedrockOpenAI } from 'openai';
import { endpointFor, endpointFromEnv } from './endpoint';
import { proxyFor, proxySettings, splitProxyCredentials } from './proxy';
import { MAX_RETRY_AFTER_SECONDS, retryAfterSeconds } from './retryAfter';

export interface ClientOptions {
  region: string;
  /** Override for the API root; may hold `{region}`. */
  endpoint?: string;
  /** Called before every attempt, retries included; return a cached token while it is fresh. */
  tokenProvider: () => Promise<string>;
  /**
   * Called when the endpoint rejects the token just sent (401, or 403 saying the token or its signature expired
   * or is invalid): drop it and return a new one from freshly resolved credentials. The request is then sent
   * once more with it; without this, the rejection is the answer.
   */
  renewToken?: (rejected: string) => Promise<string>;
  /** SDK retries on connection errors, 408, 409, 429 and 5xx (honouring retry-after); default 2. */
  maxRetries?: number;
  /** Per attempt; default the SDK's 10 minutes. */
  timeoutMs?: number;
  /**
   * Pass process.env to honour AWS_BEDROCK_BASE_URL when no endpoint is given, and HTTPS_PROXY / HTTP_PROXY /
   * NO_PROXY (proxy.ts); nothing else is read from it.
   */
  env?: NodeJS.ProcessEnv;
}

export function createClient(o: ClientOptions): BedrockOpenAI {
  const endpoint = o.endpoint ?? (o.env ? endpointFromEnv(o.env) : undefined);
  const baseURL = endpointFor(o.region, endpoint);
  const proxy = proxyFor(baseURL, proxySettings(o.env));
  const base: Fetch = proxy ? proxiedFetch(proxy) : (input, init) => globalThis.fetch(input, init);
  return new BedrockOpenAI({
    baseURL,
    fetch: guardedFetch(base, o.renewToken),
    awsRegion: o.region,
    bedrockTokenProvider: o.tokenProvider,
    maxRetries: o.maxRetries,
    timeout: o.timeoutMs,
    // Explicit values so OPENAI_ORG_ID / OPENAI_PROJECT_ID in the user's environment add no headers for Bedrock.
    organization: null,
    project: null,
    // The SDK would print unparsable stream data to the console; ask() reports it as a StreamError instead.
    logLevel: 'off',
  });
}

type Fetch = NonNullable<ConstructorParameters<typeof BedrockOpenAI>[0]>['fetch'] & object;

/** What a 403 says when the token, not the caller's permissions, is the problem (AWS words it this way). */
const TOKEN_REJECTED = /expired|signature|security token|bearer token|not yet valid|dated in the future/i;
/** The most of a 403 body read to tell the two apart. */
const MAX_REJECTION_BODY = 8 * 1024;

/** 401, or a 403 whose body says the token expired or its signature is invalid. Reads a clone's body, bounded. */
export async function isTokenRejection(response: Response): Promise<boolean> {
  if (response.status === 401) return true;
  if (response.status !== 403) return false;
  try {
    const text = await response.clone().text();
    return TOKEN_REJECTED.test(text.slice(0, MAX_REJECTION_BODY));
  } catch {
    return false;
  }
}


/**
 * The SDK waits out any `Retry-After` before its retry, however long (an hour's wait would be an hour of
 * "Answering…"). A longer one than MAX_RETRY_AFTER_SECONDS is marked `x-should-retry: false`, so the SDK gives up
 * at once and the message says when to try again.
 */
function boundRetryAfter(response: Response): Response {
  const wait = retryAfterSeconds((name) => response.headers.get(name));
  if (wait === undefined || wait <= MAX_RETRY_AFTER_SECONDS) return response;
  const headers = new Headers(response.headers);
  headers.set('x-should-retry', 'false');
  return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
}

/** The base fetch with the Retry-After bound, and, given `renew`, the renewal of a rejected token. */
function guardedFetch(base: Fetch, renew: ((rejected: string) => Promise<string>) | undefined): Fetch {
  const renewing = renew ? renewingFetch(base, renew) : base;
  return async (input, init) => boundRetryAfter(await renewing(input, init));
}

/**
 * A fetch that answers a rejected token by renewing it and sending the request once more. Only a body that can
 * be sent twice (a string, as the SDK's JSON bodies are, or none) is resent; a failed renewal leaves the
 * rejection as the answer, so the user sees what the endpoint said.
 */
function renewingFetch(base: Fetch, renew: (rejected: string) => Promise<string>): Fetch {
  return async (input, init) => {
    const response = await base(input, init);
    if (!(await isTokenRejection(response))) return response;
    const headers = new Headers(init?.headers as ConstructorParameters<typeof Headers>[0]);
    const rejected = /^Bearer\s+(.+)$/i.exec(headers.get('authorization') ?? '')?.[1];
    const body = init?.body;
    if (!rejected || (body != null && typeof body !== 'string') || init?.signal?.aborted) return response;
    let fresh: string;
    try {
      fresh = await renew(rejected);
    } catch {
      return response;
    }
    if (init?.signal?.aborted) return response;
    await response.body?.cancel().catch(() => undefined);
    headers.set('authorization', `Bearer ${fresh}`);
    return base(input, { ...init, headers });
  };
}

/**
 * A fetch that goes through undici's ProxyAgent to `proxyUrl` (https through a CONNECT tunnel; the URL's
 * user:password as Proxy-Authorization, given apart from the URL). The client talks to one endpoint, so proxyFor decided NO_PROXY already. undici is loaded on the first request, so a client without a proxy
 * never loads it. Its own fetch is used, not the global one: Node's built-in fetch is whichever undici major that
 * Node bundles, and a dispatcher from another major is not guaranteed to work with it (the openai SDK says the same).
 */
function proxiedFetch(proxyUrl: string): Fetch {
  let loading: Promise<{ fetch: typeof import('undici').fetch; dispatcher: import('undici').Dispatcher }> | undefined;
  return async (input, init) => {
    loading ??= import('undici').then((undici) => {
      const { url, authorization } = splitProxyCredentials(proxyUrl);
      return { fetch: undici.fetch, dispatcher: new undici.ProxyAgent({ uri: url, ...(authorization && { token: authorization }) }) };
    });
    const { fetch, dispatcher } = await loading;
    return (await fetch(input as Parameters<typeof fetch>[0], { ...(init as Parameters<typeof fetch>[1]), dispatcher })) as unknown as Response;
  };
}
