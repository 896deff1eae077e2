/**
 * The AWS SDK's own calls while resolving credentials (STS AssumeRole and AssumeRoleWithWebIdentity, the SSO
 * portal's GetRoleCredentials) behind a real forward proxy (test/standin/forwardProxy.ts), with the proxy named only
 * in the env handed to resolveCredentials: the proxy sees the call, the credentials sign a verifying bearer token,
 * NO_PROXY bypasses it, user:password becomes Proxy-Authorization and is never printed.
 * Run: node --import tsx --test test/unit/credentialsProxy.test.ts
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, beforeEach, describe, it } from 'node:test';
import { HttpRequest } from '@smithy/protocol-http';
import { credentialRequestHandler } from '../../src/core/awsRequestHandler';
import { resolveCredentials } from '../../src/core/credentials';
import { explainError } from '../../src/core/errors';
import { CredentialsError, ProxyError } from '../../src/core/failures';
import { proxySettings, proxyUrlFor } from '../../src/core/proxy';
import { buildBearerToken } from '../../src/core/token';
import type { AwsCredentials } from '../../src/core/types';
import { PROXY_PASSWORD, PROXY_USER, startForwardProxy, type ForwardProxy } from '../standin/forwardProxy';
import { STATIC_TEST_KEY } from '../standin/keys';
import { startSsoStandin, type SsoStandin } from '../standin/sso';
import { startStsStandin, type StsStandin } from '../standin/sts';
import { verifyBearerToken } from '../standin/verifyToken';
import { isolateAwsEnvironment } from './awsSandbox';

// As in credentials.test.ts: the SDK reads HOME, the endpoints and IMDS from process.env only. No proxy variable
// is set here: each test names its proxy in the env it hands resolveCredentials.
const { root, home } = isolateAwsEnvironment('bedrock-gpt-creds-proxy-', {
  AWS_REGION: 'us-east-2', // the STS region for web identity (else a console warning and us-east-1)
});

const ACCOUNT = '123456789012';
const USER = PROXY_USER;
const PASSWORD = PROXY_PASSWORD;

let sts: StsStandin;
let sso: SsoStandin;
let open: ForwardProxy;
let guarded: ForwardProxy;

before(async () => {
  [sts, sso, open, guarded] = await Promise.all([
    startStsStandin(), startSsoStandin(), startForwardProxy(), startForwardProxy({ user: USER, password: PASSWORD }),
  ]);
  process.env.AWS_ENDPOINT_URL_STS = sts.url;
  process.env.AWS_ENDPOINT_URL_SSO = sso.url;
});

after(async () => {
  await Promise.all([sts?.close(), sso?.close(), open?.close(), guarded?.close()]);
  rmSync(root, { recursive: true, force: true });
});

beforeEach(() => {
  open.seen.length = 0;
  guarded.seen.length = 0;
});

let dirCount = 0;
/** Fresh AWS files: an assume-role profile, an SSO profile with a valid cached token, a web identity profile. */
function profiles(extraEnv: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const dir = join(root, `aws-${++dirCount}`);
  mkdirSync(dir);
  const webTokenFile = join(dir, 'web-identity-token');
  writeFileSync(webTokenFile, 'eyJhbGciOiJSUzI1NiJ9.standin-proxied-web-identity.standin-signature');
  const session = `proxied-sso-${dirCount}`;
  const accessToken = `standin-sso-proxied-token-${dirCount}`;
  writeFileSync(join(home, '.aws', 'sso', 'cache', createHash('sha1').update(session).digest('hex') + '.json'),
    JSON.stringify({ accessToken, expiresAt: new Date(Date.now() + 8 * 3600_000).toISOString() }));
  sso.grant(accessToken, ACCOUNT, 'BedrockUser');
  writeFileSync(join(dir, 'config'),
    '[profile base]\nregion = us-east-2\n' +
    `[profile role]\nrole_arn = arn:aws:iam::${ACCOUNT}:role/bedrock-user\nsource_profile = base\nregion = us-east-2\n` +
    `[profile corp]\nsso_session = ${session}\nsso_account_id = ${ACCOUNT}\nsso_role_name = BedrockUser\n` +
    `[sso-session ${session}]\nsso_start_url = https://proxied.awsapps.com/start\nsso_region = us-east-1\n` +
    `[profile ci]\nrole_arn = arn:aws:iam::${ACCOUNT}:role/bedrock-ci\nweb_identity_token_file = ${webTokenFile}\n`);
  writeFileSync(join(dir, 'credentials'), `[base]\naws_access_key_id = ${STATIC_TEST_KEY.accessKeyId}\naws_secret_access_key = ${STATIC_TEST_KEY.secretAccessKey}\n`);
  return { HOME: home, AWS_CONFIG_FILE: join(dir, 'config'), AWS_SHARED_CREDENTIALS_FILE: join(dir, 'credentials'), ...extraEnv };
}

async function assertTokenVerifies(creds: AwsCredentials): Promise<void> {
  const verdict = verifyBearerToken(`Bearer ${await buildBearerToken(creds, 'us-east-2', 900)}`, { region: 'us-east-2' });
  assert.equal(verdict.ok, true, JSON.stringify(verdict));
}

/** Every message and stack along an error's cause chain, as a log line or a stack print could show them. */
function everythingSaid(err: unknown): string {
  const parts: string[] = [];
  for (let cur: unknown = err, depth = 0; cur && depth < 8; cur = (cur as { cause?: unknown }).cause, depth++) {
    parts.push(String(cur), (cur as Error).stack ?? '', JSON.stringify(cur) ?? '');
  }
  return parts.join('\n');
}

function assertNoPassword(text: string, password: string): void {
  assert.ok(!text.includes(password) && !text.includes(encodeURIComponent(password)), 'a proxy password was printed');
}

const stsOrigin = () => sts.url.replace(/\/+$/, '');
const ssoOrigin = () => sso.url.replace(/\/+$/, '');

describe('credential calls through a forward proxy', () => {
  it('assume-role: AssumeRole goes through HTTP_PROXY and the role credentials sign a verifying token', async () => {
    const creds = await resolveCredentials({ profile: 'role', env: profiles({ HTTP_PROXY: open.url }) });
    assert.deepEqual(open.seen.map((r) => [r.method, new URL(r.target).origin]), [['POST', stsOrigin()]]);
    const call = sts.calls.at(-1);
    assert.equal(call?.action, 'AssumeRole');
    assert.equal(call?.callerAccessKeyId, STATIC_TEST_KEY.accessKeyId);
    assert.equal(creds.accessKeyId, call?.issuedAccessKeyId);
    await assertTokenVerifies(creds);
  });

  it('SSO: GetRoleCredentials goes through the proxy and the role credentials sign a verifying token', async () => {
    const creds = await resolveCredentials({ profile: 'corp', env: profiles({ http_proxy: open.url }) });
    assert.equal(open.seen.length, 1);
    const target = new URL(open.seen[0]?.target ?? '');
    assert.deepEqual([open.seen[0]?.method, target.origin, target.pathname], ['GET', ssoOrigin(), '/federation/credentials']);
    assert.equal(sso.calls.at(-1)?.status, 200);
    assert.equal(creds.accessKeyId, sso.calls.at(-1)?.issuedAccessKeyId);
    await assertTokenVerifies(creds);
  });

  it('a web identity profile: AssumeRoleWithWebIdentity goes through the proxy', async () => {
    const creds = await resolveCredentials({ profile: 'ci', env: profiles({ HTTP_PROXY: open.url }) });
    assert.deepEqual(open.seen.map((r) => [r.method, new URL(r.target).origin]), [['POST', stsOrigin()]]);
    assert.equal(sts.calls.at(-1)?.action, 'AssumeRoleWithWebIdentity');
    assert.equal(creds.accessKeyId, sts.calls.at(-1)?.issuedAccessKeyId);
    await assertTokenVerifies(creds);
  });

  it('the default chain (no profile, AWS_ROLE_ARN + AWS_WEB_IDENTITY_TOKEN_FILE) goes through the proxy', async () => {
    const tokenFile = join(root, 'chain-web-identity-token');
    writeFileSync(tokenFile, 'eyJhbGciOiJSUzI1NiJ9.standin-chain-web-identity.standin-signature');
    const vars = { AWS_ROLE_ARN: `arn:aws:iam::${ACCOUNT}:role/bedrock-pod`, AWS_WEB_IDENTITY_TOKEN_FILE: tokenFile };
    Object.assign(process.env, vars); // fromTokenFile reads these from process.env only
    try {
      const creds = await resolveCredentials({ env: { ...profiles({ HTTP_PROXY: open.url }), ...vars } });
      assert.equal(open.seen.length, 1);
      assert.equal(sts.calls.at(-1)?.roleArn, vars.AWS_ROLE_ARN);
      await assertTokenVerifies(creds);
    } finally {
      for (const name of Object.keys(vars)) delete process.env[name];
    }
  });

  it('NO_PROXY=127.0.0.1 bypasses the proxy; NO_PROXY with other hosts does not', async () => {
    const direct = await resolveCredentials({ profile: 'role', env: profiles({ HTTP_PROXY: open.url, NO_PROXY: '127.0.0.1' }) });
    await resolveCredentials({ profile: 'corp', env: profiles({ HTTP_PROXY: open.url, no_proxy: `localhost, 127.0.0.1:${new URL(sso.url).port}` }) });
    assert.equal(open.seen.length, 0, 'the proxy saw nothing');
    await assertTokenVerifies(direct);
    await resolveCredentials({ profile: 'role', env: profiles({ HTTP_PROXY: open.url, NO_PROXY: 'localhost,.internal.example,127.0.0.1:1' }) });
    assert.equal(open.seen.length, 1);
  });

  it('HTTPS_PROXY alone is for https endpoints: the http stand-ins are reached directly', async () => {
    await resolveCredentials({ profile: 'role', env: profiles({ HTTPS_PROXY: open.url }) });
    assert.equal(open.seen.length, 0);
  });

  it('a proxy elsewhere is not used for a loopback http endpoint (the Bedrock client\'s rule)', async () => {
    const creds = await resolveCredentials({ profile: 'role', env: profiles({ HTTP_PROXY: 'http://proxy.invalid:3128' }) });
    await assertTokenVerifies(creds);
  });

  it('credentials in the proxy URL become Proxy-Authorization', async () => {
    const creds = await resolveCredentials({ profile: 'corp', env: profiles({ HTTP_PROXY: guarded.urlWith(USER, PASSWORD) }) });
    assert.deepEqual(guarded.seen.map((r) => r.authorized), [true]);
    await assertTokenVerifies(creds);
  });

  it('a wrong proxy password: a ProxyError that says so (not "aws sso login"), and neither password appears', async () => {
    const wrong = 'not-the-pa55word';
    for (const profile of ['role', 'corp', 'ci']) {
      const err = await resolveCredentials({ profile, env: profiles({ HTTP_PROXY: guarded.urlWith(USER, wrong) }) })
        .then(() => assert.fail('expected a ProxyError'), (e: unknown) => e);
      assert.ok(err instanceof ProxyError, `${profile}: ${String(err)}`);
      assert.match(err.message, new RegExp(`^The proxy 127\\.0\\.0\\.1:${new URL(guarded.url).port} refused the credentials \\(407 Proxy Authentication Required\\)`));
      assert.equal(explainError(err).code, 'proxy-auth');
      assert.equal(guarded.seen.at(-1)?.authorized, false);
      for (const password of [wrong, PASSWORD]) assertNoPassword(everythingSaid(err), password);
    }
  });

  it('a proxy nobody listens on: a ProxyError naming the proxy host, without the password', async () => {
    const gone = await startForwardProxy();
    await gone.close();
    const err = await resolveCredentials({ profile: 'corp', env: profiles({ HTTP_PROXY: gone.urlWith(USER, PASSWORD) }) })
      .then(() => assert.fail('expected a ProxyError'), (e: unknown) => e);
    assert.ok(err instanceof ProxyError, String(err));
    assert.match(err.message, new RegExp(`^Cannot reach the proxy 127\\.0\\.0\\.1:${new URL(gone.url).port} \\(ECONNREFUSED\\)`));
    assertNoPassword(everythingSaid(err), PASSWORD);
  });

  it('a failure behind the proxy stays the profile\'s: a role STS denies is still assume-role', async () => {
    const env = profiles({ HTTP_PROXY: open.url });
    writeFileSync(env.AWS_CONFIG_FILE as string, `[profile denied]\nrole_arn = arn:aws:iam::${ACCOUNT}:role/denied\nsource_profile = base\n`);
    const err = await resolveCredentials({ profile: 'denied', env }).then(() => assert.fail('expected a CredentialsError'), (e: unknown) => e);
    assert.ok(err instanceof CredentialsError, String(err));
    assert.equal(err.code, 'assume-role');
    assert.equal(open.seen.length, 1);
  });

  it('an unusable proxy URL is a ProxyError naming the variable, not the password', async () => {
    const err = await resolveCredentials({ profile: 'role', env: profiles({ HTTPS_PROXY: `socks5://${USER}:${encodeURIComponent(PASSWORD)}@127.0.0.1:1080` }) })
      .then(() => assert.fail('expected a ProxyError'), (e: unknown) => e);
    assert.ok(err instanceof ProxyError);
    assert.equal(err.message, 'HTTPS_PROXY (socks5://127.0.0.1:1080) is not an http(s) proxy. Use http://host:port or https://host:port.');
  });

  it('an https endpoint goes through a CONNECT tunnel to HTTPS_PROXY (TLS end to end, the proxy sees only host:port)', async () => {
    const handler = credentialRequestHandler({ HTTPS_PROXY: open.url, NO_PROXY: 'localhost' });
    assert.ok(handler);
    const port = Number(new URL(sts.url).port);
    try {
      // The STS stand-in speaks plain http, so the TLS handshake inside the tunnel fails: only the CONNECT matters.
      const request = new HttpRequest({ protocol: 'https:', hostname: '127.0.0.1', port, method: 'POST', path: '/', headers: {} });
      await handler.handle(request, { requestTimeout: 5000 }).then(() => undefined, () => undefined);
    } finally {
      handler.destroy();
    }
    assert.deepEqual(open.seen, [{ method: 'CONNECT', target: `127.0.0.1:${port}`, authorized: true }]);
  });

  it('without a proxy variable there is no handler: the SDK keeps its own', () => {
    assert.equal(credentialRequestHandler({ AWS_PROFILE: 'x', NO_PROXY: '*' }), undefined);
    assert.ok(credentialRequestHandler({ HTTPS_PROXY: open.url }));
  });
});

describe('proxyUrlFor (the NO_PROXY rules of undici\'s EnvHttpProxyAgent)', () => {
  const settings = (httpProxy: string, httpsProxy: string, noProxy = '') => proxySettings({ HTTP_PROXY: httpProxy, HTTPS_PROXY: httpsProxy, NO_PROXY: noProxy })!;
  const at = (url: string, s: ReturnType<typeof settings>) => proxyUrlFor(new URL(url), s);

  it('https takes HTTPS_PROXY, else HTTP_PROXY; http takes HTTP_PROXY only', () => {
    assert.equal(at('https://sts.us-east-2.amazonaws.com', settings('http://h:1', 'http://s:2')), 'http://s:2');
    assert.equal(at('https://sts.us-east-2.amazonaws.com', settings('http://h:1', '')), 'http://h:1');
    assert.equal(at('http://sts.local', settings('http://h:1', 'http://s:2')), 'http://h:1');
    assert.equal(at('http://sts.local', settings('', 'http://s:2')), undefined);
  });

  it('NO_PROXY: *, hosts with their subdomains, .domain and *.domain, host:port, IPv6, case-insensitive', () => {
    const s = (noProxy: string) => settings('', 'http://p:3128', noProxy);
    const sso = 'https://portal.sso.us-east-1.amazonaws.com';
    assert.equal(at(sso, s('*')), undefined);
    assert.equal(at(sso, s('amazonaws.com')), undefined);
    assert.equal(at(sso, s('.AmazonAWS.com')), undefined);
    assert.equal(at(sso, s('*.amazonaws.com')), undefined);
    assert.equal(at(sso, s('portal.sso.us-east-1.amazonaws.com:443')), undefined);
    assert.equal(at(sso, s('portal.sso.us-east-1.amazonaws.com:8443')), 'http://p:3128');
    assert.equal(at(sso, s('xamazonaws.com other.example')), 'http://p:3128');
    assert.equal(at('https://[::1]:8443', s('[::1]')), undefined);
  });
});
