/**
 * The Bedrock client: a BedrockOpenAI for the endpoint endpoint.ts derives, which asks the token provider before
 * every attempt, retries included, so a refreshed token is picked up without a rebuild. The only core module
 * besides ask.ts and listModels.ts that loads the openai SDK.
 */
import { BedrockOpenAI } from 'openai';
import { endpointFor, endpointFromEnv } from './endpoint';
import { proxyFor, proxySettings, splitProxyCredentials } from './proxy';

export interface ClientOptions {
  region: string;
  /** Override for the API root; may hold `{region}`. */
  endpoint?: string;
  /** Called before every attempt, retries included; return a cached token while it is fresh. */
  tokenProvider: () => Promise<string>;
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
  return new BedrockOpenAI({
    baseURL,
    ...(proxy && { fetch: proxiedFetch(proxy) }),
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
