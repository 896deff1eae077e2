/**
 * Corporate proxies: the standard variables HTTPS_PROXY, HTTP_PROXY and NO_PROXY (lower-case first, as undici and
 * curl read them) from the environment handed to createClient and resolveCredentials. No SDKs here, so the VS Code
 * layer may import it; the undici agent for the Bedrock endpoint is loaded by client.ts, the node:http agents for
 * the AWS SDK's credential calls are built by awsRequestHandler.ts, each only when a proxy is set.
 */
import { ProxyError } from './failures';

export const PROXY_VARIABLES = ['https_proxy', 'HTTPS_PROXY', 'http_proxy', 'HTTP_PROXY', 'no_proxy', 'NO_PROXY'] as const;

export interface ProxySettings {
  /** For http:// endpoints (and https:// ones when httpsProxy is empty); '' = none. */
  httpProxy: string;
  /** For https:// endpoints; '' = httpProxy. */
  httpsProxy: string;
  /** Comma- or space-separated hosts (`.example.com`, `host:port`, `*`) reached directly. */
  noProxy: string;
}

/** Only the proxy variables of `env`: what the extension hands createClient (not AWS_BEDROCK_BASE_URL or keys). */
export function proxyVariables(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const out: NodeJS.ProcessEnv = {};
  for (const name of PROXY_VARIABLES) if (env[name] !== undefined) out[name] = env[name];
  return out;
}

/**
 * The proxy settings in `env`, or undefined when neither HTTPS_PROXY nor HTTP_PROXY is set. A URL without a scheme
 * (`proxy.corp:3128`) means http://, as in curl. Throws ProxyError for a value that is not an http(s) URL;
 * the message names the variable and the proxy's host, never its user name or password.
 */
export function proxySettings(env: NodeJS.ProcessEnv | undefined): ProxySettings | undefined {
  if (!env) return undefined;
  const read = (lower: string, upper: string) => (env[lower] ?? env[upper] ?? '').trim();
  const httpProxy = checked('HTTP_PROXY', read('http_proxy', 'HTTP_PROXY'));
  const httpsProxy = checked('HTTPS_PROXY', read('https_proxy', 'HTTPS_PROXY'));
  if (!httpProxy && !httpsProxy) return undefined;
  return { httpProxy, httpsProxy, noProxy: read('no_proxy', 'NO_PROXY') };
}

/** `host:port` of a proxy URL, for messages and logs: never the credentials it may carry. */
export function proxyHost(proxy: string): string {
  try {
    return new URL(withScheme(proxy)).host;
  } catch {
    return '(unreadable proxy URL)';
  }
}

/**
 * A proxy URL split in two: the URL without its user info, which is all a proxy library is given (so its DEBUG
 * output, which prints the URL, cannot print the password), and the `Proxy-Authorization` value that carries the
 * user and password instead (Basic, percent-decoded as the URL holds them).
 */
export function splitProxyCredentials(proxy: string): { url: string; authorization?: string } {
  const u = new URL(withScheme(proxy));
  if (!u.username && !u.password) return { url: u.href };
  const authorization = `Basic ${Buffer.from(`${decodeURIComponent(u.username)}:${decodeURIComponent(u.password)}`).toString('base64')}`;
  u.username = '';
  u.password = '';
  return { url: u.href, authorization };
}

function withScheme(value: string): string {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(value) ? value : `http://${value}`;
}

function checked(variable: string, value: string): string {
  if (!value) return '';
  const text = withScheme(value);
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new ProxyError(`${variable} is not a valid proxy URL. Use http://host:port or http://user:password@host:port (percent-encode special characters).`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new ProxyError(`${variable} (${url.protocol}//${url.host}) is not an http(s) proxy. Use http://host:port or https://host:port.`);
  }
  return text;
}

const DEFAULT_PORTS: Record<string, number> = { 'http:': 80, 'https:': 443 };

/**
 * The proxy URL (with any user:password) for a request to `target`, or undefined to connect directly: HTTPS_PROXY
 * for https (else HTTP_PROXY), HTTP_PROXY for http, and NO_PROXY (`*`, `host`, `.domain` or `*.domain`, `host:port`;
 * a host also covers its subdomains), the rules of undici's EnvHttpProxyAgent and curl. client.ts's proxyFor routes
 * both the Bedrock endpoint and the AWS SDK's credential calls by this, so NO_PROXY means the same for both.
 */
export function proxyUrlFor(target: URL, settings: ProxySettings): string | undefined {
  const proxy = target.protocol === 'https:' ? settings.httpsProxy || settings.httpProxy : settings.httpProxy;
  if (!proxy || bypassed(target, settings.noProxy)) return undefined;
  return proxy;
}

function bypassed(target: URL, noProxy: string): boolean {
  if (noProxy === '*') return true;
  // `host` keeps an IPv6 address's brackets, as undici compares it.
  const hostname = target.host.replace(/:\d*$/, '').toLowerCase();
  const port = Number.parseInt(target.port, 10) || DEFAULT_PORTS[target.protocol] || 0;
  return noProxy.split(/[,\s]/).some((entry) => {
    if (!entry) return false;
    const withPort = /^(.+):(\d+)$/.exec(entry);
    const host = (withPort ? withPort[1] : entry).replace(/^\*?\./, '').toLowerCase();
    const entryPort = withPort ? Number.parseInt(withPort[2], 10) : 0;
    if (entryPort && entryPort !== port) return false;
    return hostname === host || hostname.endsWith(`.${host}`);
  });
}

/** 127.0.0.0/8, ::1 and localhost: the only hosts a bearer token may reach over plain http. */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  return host === 'localhost' || host === '::1' || /^127(?:\.\d{1,3}){3}$/.test(host);
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
