/**
 * The request handler for the AWS SDK's own calls while resolving credentials (the SSO portal's GetRoleCredentials,
 * SSO OIDC's token refresh, STS AssumeRole and AssumeRoleWithWebIdentity), so that they follow HTTPS_PROXY /
 * HTTP_PROXY / NO_PROXY from the env handed to resolveCredentials, as the Bedrock client does. The SDK's clients
 * use node:http agents, not undici, hence TooTallNate's proxy agents here (https through a CONNECT tunnel, http by
 * absolute-URI forwarding, user:password as Proxy-Authorization).
 */
import * as http from 'node:http';
import * as https from 'node:https';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { Agent, type AgentConnectOpts } from 'agent-base';
import { HttpProxyAgent } from 'http-proxy-agent';
import { HttpsProxyAgent } from 'https-proxy-agent';
import { ProxyError } from './failures';
import { proxyFor, proxyHost, proxySettings, splitProxyCredentials, type ProxySettings } from './proxy';

/**
 * A NodeHttpHandler whose agents go through the proxy that `env` names, or undefined when it names none (then the
 * SDK keeps its own handler and nothing changes). Throws ProxyError for an unusable proxy URL, as createClient does.
 */
export function credentialRequestHandler(env: NodeJS.ProcessEnv): ProxiedRequestHandler | undefined {
  const settings = proxySettings(env);
  return settings && new ProxiedRequestHandler(settings);
}

/** Errors connecting to the proxy itself: through a proxy, the service's host is the proxy's to reach. */
const PROXY_CONNECT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'ETIMEDOUT']);

type Handle = NodeHttpHandler['handle'];

class ProxiedRequestHandler extends NodeHttpHandler {
  /**
   * The first failure that was the proxy's, not the service's: a 407, or no connection to the proxy. The SDK wraps
   * such failures into messages about the profile (an unparsable answer, "run aws sso login"), so
   * resolveCredentials reports this instead.
   */
  proxyFailure: ProxyError | undefined;
  private readonly route: (target: URL) => string | undefined;

  constructor(settings: ProxySettings) {
    const route = (target: URL) => proxyFor(target, settings);
    super({ httpAgent: new EnvProxyAgent(route, false), httpsAgent: new EnvProxyAgent(route, true) });
    this.route = route;
  }

  override async handle(...[request, options]: Parameters<Handle>): ReturnType<Handle> {
    const host = request.hostname.includes(':') ? `[${request.hostname}]` : request.hostname;
    const proxy = this.route(new URL(`${request.protocol}//${host}${request.port ? `:${request.port}` : ''}`));
    if (!proxy) return super.handle(request, options);
    try {
      const result = await super.handle(request, options);
      if (result.response.statusCode === 407) {
        this.proxyFailure ??= new ProxyError(
          `The proxy ${proxyHost(proxy)} refused the credentials (407 Proxy Authentication Required) while getting AWS credentials from ${request.hostname}. ` +
          'Put the right user name and password in HTTPS_PROXY / HTTP_PROXY as http://user:password@host:port (percent-encode special characters).',
          407,
        );
      }
      return result;
    } catch (err) {
      const code = (err as { code?: unknown }).code;
      if (typeof code === 'string' && PROXY_CONNECT_CODES.has(code)) {
        this.proxyFailure ??= new ProxyError(
          `Cannot reach the proxy ${proxyHost(proxy)} (${code}) to get AWS credentials from ${request.hostname}. ` +
          'Check HTTPS_PROXY / HTTP_PROXY, or add the host to NO_PROXY if it is reachable directly.',
        );
      }
      throw err;
    }
  }
}

/**
 * Chooses per request, since the host is known only then (the region's endpoint, or AWS_ENDPOINT_URL_STS / _SSO):
 * the proxy for that URL under NO_PROXY (proxy.ts) and the loopback rule (client.ts), else a direct connection.
 * The same shape as TooTallNate's `proxy-agent`, without its PAC and SOCKS parts.
 */
class EnvProxyAgent extends Agent {
  private readonly direct: http.Agent;
  private readonly viaProxy = new Map<string, http.Agent>();

  constructor(private readonly route: (target: URL) => string | undefined, private readonly secure: boolean) {
    super();
    this.direct = secure ? new https.Agent() : new http.Agent();
  }

  override connect(_req: http.ClientRequest, opts: AgentConnectOpts): http.Agent {
    const host = opts.host?.includes(':') ? `[${opts.host}]` : (opts.host ?? 'localhost');
    const proxy = this.route(new URL(`${this.secure ? 'https' : 'http'}://${host}:${opts.port}`));
    if (!proxy) return this.direct;
    let agent = this.viaProxy.get(proxy);
    if (!agent) {
      agent = proxyAgent(proxy, this.secure);
      this.viaProxy.set(proxy, agent);
    }
    return agent;
  }

  override destroy(): void {
    for (const agent of [this.direct, ...this.viaProxy.values()]) agent.destroy();
    super.destroy();
  }
}

/** TooTallNate's agent for `proxy`, given the URL without its password and the password as a header. */
export function proxyAgent(proxy: string, secure: boolean): HttpsProxyAgent<string> | HttpProxyAgent<string> {
  const { url, authorization } = splitProxyCredentials(proxy);
  const opts = authorization ? { headers: { 'Proxy-Authorization': authorization } } : {};
  return secure ? new HttpsProxyAgent(url, opts) : new HttpProxyAgent(url, opts);
}
