/**
 * A tiny AWS SSO portal on 127.0.0.1 that answers GetRoleCredentials (`GET /federation/credentials?role_name=…
 * &account_id=…`, the access token in `x-amz-sso_bearer_token`, rest-json) so SSO profiles with a valid cached
 * token can be resolved offline. The AWS SDK reaches it through AWS_ENDPOINT_URL_SSO.
 *
 * Only the access tokens passed to `grant` get credentials, and only for their account and role: another token
 * is refused with 401 UnauthorizedException, another account or role with 403 ForbiddenException, as the portal
 * does. A role keeps its issued key until `rotate()`, which revokes it (removed from TEST_KEYS) and issues the
 * next, so a test can tell re-resolved credentials from cached ones. Issued keys are added to TEST_KEYS with
 * their expiration, so tokens signed with them verify in the Bedrock stand-in until then.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mintSessionKey, removeTestKey, type TestKey } from './keys';

export interface RoleCredentialsCall {
  accountId: string;
  roleName: string;
  /** Whether the request carried an access token that `grant` knows (the token itself is not kept). */
  knownAccessToken: boolean;
  status: number;
  issuedAccessKeyId?: string;
}

export interface SsoStandin {
  url: string;
  calls: RoleCredentialsCall[];
  /** Lets `accessToken` (as `aws sso login` caches it) fetch credentials for `roleName` in `accountId`. */
  grant(accessToken: string, accountId: string, roleName: string): void;
  /** Revokes every issued key; the next GetRoleCredentials issues new ones. */
  rotate(): void;
  close(): Promise<void>;
}

export interface SsoStandinOptions {
  /** How long issued role credentials last; default 3600 s (the portal's usual hour). */
  credentialSeconds?: number;
}

const roleKey = (accountId: string, roleName: string) => `${accountId}/${roleName}`;

export async function startSsoStandin(opts: SsoStandinOptions = {}): Promise<SsoStandin> {
  const credentialSeconds = opts.credentialSeconds ?? 3600;
  const calls: RoleCredentialsCall[] = [];
  const grants = new Map<string, Set<string>>(); // access token → account/role pairs it may use
  const issued = new Map<string, TestKey>(); // account/role → the key it holds until rotate()

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    // rest-json errors: the SDK reads the error name from x-amzn-errortype and the text from `message`.
    const reply = (status: number, body: unknown, errorType?: string) => {
      res.writeHead(status, { 'content-type': 'application/json', ...(errorType && { 'x-amzn-errortype': errorType }) });
      res.end(JSON.stringify(body));
    };
    req.resume();
    if (req.method !== 'GET' || url.pathname !== '/federation/credentials') {
      return reply(404, { message: `No route for ${req.method} ${url.pathname}` }, 'ResourceNotFoundException');
    }
    const accessToken = req.headers['x-amz-sso_bearer_token'];
    const roles = typeof accessToken === 'string' ? grants.get(accessToken) : undefined;
    const call: RoleCredentialsCall = {
      accountId: url.searchParams.get('account_id') ?? '',
      roleName: url.searchParams.get('role_name') ?? '',
      knownAccessToken: roles !== undefined,
      status: 0,
    };
    calls.push(call);
    const answer = (status: number, body: unknown, errorType?: string) => {
      call.status = status;
      reply(status, body, errorType);
    };
    if (!roles) return answer(401, { message: 'Session token not found or invalid' }, 'UnauthorizedException');
    const role = roleKey(call.accountId, call.roleName);
    if (!roles.has(role)) return answer(403, { message: 'No access' }, 'ForbiddenException');

    let key = issued.get(role);
    if (!key || (key.expiresAt !== undefined && key.expiresAt <= Date.now())) {
      // The portal states expiration in whole epoch milliseconds; keep whole seconds, as it does.
      key = mintSessionKey(Math.floor(Date.now() / 1000) * 1000 + credentialSeconds * 1000);
      issued.set(role, key);
    }
    call.issuedAccessKeyId = key.accessKeyId;
    answer(200, {
      roleCredentials: {
        accessKeyId: key.accessKeyId,
        secretAccessKey: key.secretAccessKey,
        sessionToken: key.sessionToken,
        expiration: key.expiresAt,
      },
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    calls,
    grant(accessToken, accountId, roleName) {
      const roles = grants.get(accessToken) ?? new Set<string>();
      roles.add(roleKey(accountId, roleName));
      grants.set(accessToken, roles);
    },
    rotate() {
      for (const key of issued.values()) removeTestKey(key.accessKeyId);
      issued.clear();
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const key of issued.values()) removeTestKey(key.accessKeyId);
        server.close(() => resolve());
      }),
  };
}
