/**
 * The Bedrock client: where requests go (bedrock-mantle per region, or an override) and a BedrockOpenAI that asks
 * the token provider before every attempt, retries included, so a refreshed token is picked up without a rebuild.
 */
import { BedrockOpenAI } from 'openai';
import { EndpointError } from './failures';
import { proxySettings, proxyUrlFor, splitProxyCredentials, type ProxySettings } from './proxy';
import { redact } from './redact';

const REGION_NAME = /^[a-z]{2}(?:-[a-z]+)+-\d+$/;

/** `https://bedrock-mantle.<region>.api.aws/openai/v1`, the Responses API root the seed article uses. */
export function mantleEndpoint(region: string): string {
  return `https://bedrock-mantle.${checkRegion(region)}.api.aws/openai/v1`;
}

function checkRegion(region: string): string {
  if (!REGION_NAME.test(region)) {
    throw new EndpointError(`"${redact(region)}" is not an AWS region name. Use a region such as us-east-2 or us-west-2.`);
  }
  return region;
}

/** 127.0.0.0/8, ::1 and localhost: the only hosts a bearer token may reach over plain http. */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  return host === 'localhost' || host === '::1' || /^127(?:\.\d{1,3}){3}$/.test(host);
}

/**
 * The API root for `region`. An override (a setting, `--endpoint`, AWS_BEDROCK_BASE_URL) wins and may hold
 * `{region}`. Plain http is refused unless the host is loopback: the bearer token must never travel in clear text.
 */
export function endpointFor(region: string, override?: string): string {
  const wanted = override?.trim();
  if (!wanted) return mantleEndpoint(region);
  const text = wanted.includes('{region}') ? wanted.replaceAll('{region}', checkRegion(region)) : wanted;
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new EndpointError(
      `The endpoint "${redact(wanted)}" is not a valid URL. Use a full https:// address, or leave the endpoint empty to use ${mantleEndpoint(region)}.`,
    );
  }
  if (url.username || url.password) {
    throw new EndpointError('The endpoint must not contain a user name or password. Remove them from the URL.');
  }
  if (url.protocol === 'http:' && !isLoopbackHost(url.hostname)) {
    throw new EndpointError(
      `The endpoint ${url.origin} uses plain http, which would send your bearer token unencrypted. Use https://, or http only for a loopback host (127.0.0.1, ::1, localhost).`,
    );
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new EndpointError(`The endpoint "${redact(wanted)}" is not an http(s) URL. Use https://bedrock-mantle.<region>.api.aws/openai/v1 or a proxy in front of it.`);
  }
  return url.toString().replace(/\/+$/, '');
}

/** The openai SDK's own convention for a Bedrock endpoint override. */
export function endpointFromEnv(env: NodeJS.ProcessEnv): string | undefined {
  return env.AWS_BEDROCK_BASE_URL?.trim() || undefined;
}

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

/**
 * The proxy URL (with any user:password) for a request to `target`, or undefined to connect directly: NO_PROXY and
 * the HTTPS_PROXY / HTTP_PROXY choice (proxyUrlFor), then one rule of our own. A plain-http endpoint is always on
 * loopback (endpointFor); a proxy elsewhere could not reach this machine's loopback and would read the bearer token
 * in clear text, so such a target goes through a proxy only when the proxy is on loopback too. The Bedrock client
 * and the AWS SDK's credential calls (awsRequestHandler.ts) both route by this one function.
 */
export function proxyFor(target: string | URL, settings: ProxySettings | undefined): string | undefined {
  if (!settings) return undefined;
  const url = new URL(target);
  const proxy = proxyUrlFor(url, settings);
  if (!proxy) return undefined;
  if (url.protocol === 'http:' && !isLoopbackHost(new URL(proxy).hostname)) return undefined;
  return proxy;
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
