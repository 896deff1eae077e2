/**
 * createClient behind a real forward proxy (test/standin/forwardProxy.ts) in front of the Bedrock stand-in, with
 * real SigV4 bearer tokens: HTTP_PROXY is followed, NO_PROXY bypasses it, credentials in the proxy URL become
 * Proxy-Authorization, a wrong password reads as a clear message, and the password is never printed.
 * Run: node --import tsx --test test/unit/proxy.test.ts
 */
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it, test } from 'node:test';
import { proxyAgent } from '../../src/core/awsRequestHandler';
import { splitProxyCredentials } from '../../src/core/proxy';
import { ask, type AskEvent } from '../../src/core/ask';
import { createClient } from '../../src/core/client';
import { proxyFor } from '../../src/core/proxy';
import { CLI_WORDS, explainError, renderError } from '../../src/core/errors';
import { ProxyError } from '../../src/core/failures';
import { proxyHost, proxySettings, proxyVariables } from '../../src/core/proxy';
import { buildBearerToken } from '../../src/core/token';
import { STATIC_TEST_KEY } from '../standin/keys';
import { PROXY_PASSWORD, PROXY_USER, startForwardProxy, type ForwardProxy } from '../standin/forwardProxy';
import { startStandin, type Standin } from '../standin/server';

const REGION = 'us-east-2';
const USER = PROXY_USER;
const PASSWORD = PROXY_PASSWORD;

let standin: Standin;
let open: ForwardProxy;
let guarded: ForwardProxy;

function clientWith(env: NodeJS.ProcessEnv) {
  return createClient({ region: REGION, endpoint: standin.endpointTemplate, maxRetries: 0, env, tokenProvider: () => buildBearerToken(STATIC_TEST_KEY, REGION) });
}

async function askThrough(env: NodeJS.ProcessEnv): Promise<AskEvent[]> {
  const events: AskEvent[] = [];
  for await (const e of ask(clientWith(env), { model: 'openai.gpt-5.5', effort: 'low', prompt: 'Hello through the proxy' })) events.push(e);
  return events;
}

/** Every message and `code` along an error's cause chain, as a log line or a stack print could show them. */
function everythingSaid(err: unknown): string {
  const parts: string[] = [];
  for (let cur: unknown = err, depth = 0; cur && depth < 8; cur = (cur as { cause?: unknown }).cause, depth++) {
    parts.push(String(cur), (cur as Error).stack ?? '');
  }
  return parts.join('\n');
}

before(async () => {
  standin = await startStandin({ port: 0 });
  open = await startForwardProxy();
  guarded = await startForwardProxy({ user: USER, password: PASSWORD });
});

after(async () => {
  await Promise.all([open?.close(), guarded?.close()]);
  await standin?.close();
});

beforeEach(() => {
  standin.reset();
  open.seen.length = 0;
  guarded.seen.length = 0;
});

describe('through a forward proxy', () => {
  it('HTTP_PROXY: the request goes through the proxy and the token verifies', async () => {
    const events = await askThrough({ HTTP_PROXY: open.url });
    assert.equal(events.at(-1)?.type, 'completed', 'the stand-in verified the token and answered');
    assert.deepEqual(open.seen, [{ method: 'CONNECT', target: `127.0.0.1:${standin.port}`, authorized: true }]);
    assert.equal(standin.requests.filter((r) => r.route === 'responses' && r.status === 200).length, 1);
  });

  it('lower-case http_proxy wins over HTTP_PROXY, as in curl and undici', async () => {
    await askThrough({ http_proxy: open.url, HTTP_PROXY: guarded.url });
    assert.equal(open.seen.length, 1);
    assert.equal(guarded.seen.length, 0);
  });

  it('NO_PROXY=127.0.0.1 bypasses the proxy', async () => {
    const events = await askThrough({ HTTP_PROXY: open.url, NO_PROXY: '127.0.0.1' });
    assert.equal(events.at(-1)?.type, 'completed');
    assert.equal(open.seen.length, 0, 'the proxy saw nothing');
    assert.equal(standin.requests.length, 1);
  });

  it('NO_PROXY with another host does not bypass it', async () => {
    await askThrough({ HTTP_PROXY: open.url, NO_PROXY: 'localhost,.internal.example' });
    assert.equal(open.seen.length, 1);
  });

  it('credentials in the proxy URL become Proxy-Authorization', async () => {
    const events = await askThrough({ HTTP_PROXY: guarded.urlWith(USER, PASSWORD) });
    assert.equal(events.at(-1)?.type, 'completed');
    assert.deepEqual(guarded.seen, [{ method: 'CONNECT', target: `127.0.0.1:${standin.port}`, authorized: true }]);
  });

  it('a wrong password: "the proxy refused the credentials", and the password appears nowhere', async () => {
    const wrong = 'not-the-pa55word';
    const err = await askThrough({ HTTP_PROXY: guarded.urlWith(USER, wrong) }).then(() => undefined, (e: unknown) => e);
    assert.ok(err, 'the ask failed');
    assert.equal(guarded.seen.length, 1);
    assert.equal(guarded.seen[0]?.authorized, false);
    assert.equal(standin.requests.length, 0, 'nothing reached the endpoint');
    const e = explainError(err, { region: REGION, endpoint: standin.endpointTemplate });
    const explained = { ...e, message: renderError(e, CLI_WORDS) };
    assert.equal(explained.code, 'proxy-auth');
    assert.match(explained.message, /^The proxy refused the credentials \(407 Proxy Authentication Required\)/);
    for (const text of [explained.message, everythingSaid(err)]) {
      assert.ok(!text.includes(wrong) && !text.includes(encodeURIComponent(wrong)), 'the wrong password was printed');
      assert.ok(!text.includes(PASSWORD) && !text.includes(encodeURIComponent(PASSWORD)), 'the right password was printed');
    }
  });

  it('no credentials for a proxy that needs them: the same clear message', async () => {
    const err = await askThrough({ HTTP_PROXY: guarded.url }).then(() => undefined, (e: unknown) => e);
    assert.equal(explainError(err).code, 'proxy-auth');
  });

  it('a proxy nobody listens on: cannot reach, and no password in the message', async () => {
    const gone = await startForwardProxy();
    await gone.close();
    const dead = gone.urlWith(USER, PASSWORD);
    const err = await askThrough({ HTTP_PROXY: dead }).then(() => undefined, (e: unknown) => e);
    const e = explainError(err, { region: REGION, endpoint: standin.endpointTemplate });
    const explained = { ...e, message: renderError(e, CLI_WORDS) };
    assert.equal(explained.code, 'network');
    assert.match(explained.message, /ECONNREFUSED/);
    assert.ok(!everythingSaid(err).includes(encodeURIComponent(PASSWORD)) && !explained.message.includes(encodeURIComponent(PASSWORD)));
  });

  it('an unusable proxy URL is refused before any request, naming the variable but not the password', () => {
    assert.throws(() => clientWith({ HTTPS_PROXY: `socks5://${USER}:${encodeURIComponent(PASSWORD)}@127.0.0.1:1080` }), (err: unknown) => {
      assert.ok(err instanceof ProxyError);
      assert.equal(err.message, 'HTTPS_PROXY (socks5://127.0.0.1:1080) is not an http(s) proxy. Use http://host:port or https://host:port.');
      assert.equal(explainError(err).code, 'proxy');
      return true;
    });
    assert.throws(() => clientWith({ HTTP_PROXY: `http://${USER}:${PASSWORD}@[::1` }), (err: unknown) => {
      assert.ok(err instanceof ProxyError);
      assert.match(err.message, /^HTTP_PROXY is not a valid proxy URL/);
      assert.ok(!err.message.includes('pr0xy'));
      return true;
    });
  });

  it('without a proxy variable for the endpoint\'s scheme the request goes straight to the endpoint', async () => {
    // HTTPS_PROXY is for https:// endpoints; the stand-in is http.
    for (const env of [{ AWS_PROFILE: 'x' }, { HTTPS_PROXY: open.url }]) {
      open.seen.length = 0;
      await askThrough(env);
      assert.equal(open.seen.length, 0, `the proxy saw nothing with ${Object.keys(env).join()}`);
    }
  });
});

describe('proxy settings', () => {
  it('read lower-case first, accept a URL without a scheme, and ignore other variables', () => {
    assert.equal(proxySettings({ AWS_PROFILE: 'dev' }), undefined);
    assert.equal(proxySettings(undefined), undefined);
    assert.equal(proxySettings({ NO_PROXY: 'x' }), undefined, 'NO_PROXY alone sets no proxy');
    assert.deepEqual(proxySettings({ https_proxy: 'proxy.corp:3128', HTTPS_PROXY: 'http://other:1', no_proxy: '.corp', NO_PROXY: '*' }), {
      httpProxy: '', httpsProxy: 'http://proxy.corp:3128', noProxy: '.corp',
    });
    assert.deepEqual(proxyVariables({ HTTPS_PROXY: 'a', no_proxy: 'b', AWS_BEDROCK_BASE_URL: 'c', AWS_BEARER_TOKEN_BEDROCK: 'd' }), { HTTPS_PROXY: 'a', no_proxy: 'b' });
    assert.equal(proxyHost('http://u:secret@proxy.corp:3128'), 'proxy.corp:3128');
  });

  it('an https endpoint uses the proxy; a loopback http endpoint only a loopback proxy', () => {
    const remote = { httpProxy: 'http://10.0.0.1:3128', httpsProxy: '', noProxy: '' };
    const local = { httpProxy: 'http://127.0.0.1:3128', httpsProxy: '', noProxy: '' };
    assert.equal(proxyFor('https://bedrock-mantle.us-east-2.api.aws/openai/v1', remote), remote.httpProxy);
    // A proxy elsewhere cannot reach this machine's 127.0.0.1, and would read the token in clear text.
    assert.equal(proxyFor('http://127.0.0.1:4010/openai/v1', remote), undefined);
    assert.equal(proxyFor('http://127.0.0.1:4010/openai/v1', local), local.httpProxy);
    assert.equal(proxyFor('http://127.0.0.1:4010/openai/v1', { httpProxy: '', httpsProxy: 'http://127.0.0.1:3128', noProxy: '' }), undefined);
    assert.equal(proxyFor('https://x.example/v1', undefined), undefined);
  });
});

test('a proxy library is given the URL without its password; the password travels as Proxy-Authorization', () => {
  const split = splitProxyCredentials('http://al%40ice:p%40ss:w@proxy.corp:3128');
  assert.equal(split.url, 'http://proxy.corp:3128/');
  assert.equal(Buffer.from(split.authorization!.replace(/^Basic /, ''), 'base64').toString(), 'al@ice:p@ss:w');
  assert.deepEqual(splitProxyCredentials('http://proxy.corp:3128'), { url: 'http://proxy.corp:3128/' });
  // What the agents keep (and print under DEBUG=https-proxy-agent) is that URL: no password in it.
  for (const secure of [true, false]) {
    const agent = proxyAgent('http://alice:s3cret@proxy.corp:3128', secure);
    assert.ok(!agent.proxy.href.includes('s3cret'), agent.proxy.href);
    assert.equal(agent.proxy.username, '');
  }
});
