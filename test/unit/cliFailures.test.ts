/**
 * The built command line (dist/cli.js) against the Bedrock stand-in when things go wrong: each failure mode with
 * explainError's message and exit 1, credentials, endpoints, a proxy, Ctrl-C, and no secret in any output.
 * Set BEDROCK_GPT_CLI_PREBUILT=1 to skip the build when dist/ is already fresh.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { test } from 'node:test';
import { startForwardProxy } from '../standin/forwardProxy';
import type { Fault } from '../standin/server';
import { waitFor } from '../support/waitFor';
import { CLI, baseEnv, home, lastResponsesRequest, outputs, run, standin, testNoSecretInOutputs } from './cliSupport';

// --- failures: explainError's message, exit 1 ------------------------------------------------------------

const FAILURES: Array<[string, Fault | Fault[], RegExp, string[]?]> = [
  // Twice: the CLI answers the first 401 with a new token and one more attempt.
  ['401', { kind: 'status', status: 401, times: 2 }, /rejected the bearer token \(401\)/],
  ['403', { kind: 'status', status: 403 }, /needs the `bedrock:CallWithBearerToken` permission and access to GPT-5\.5 \(openai\.gpt-5\.5\) in us-east-2/],
  ['429 after retries', { kind: 'status', status: 429, retryAfter: 0, times: 3 }, /throttled the request \(429: quota of tokens per minute for GPT-5\.5 \(openai\.gpt-5\.5\) in us-east-2\); already retried 2 times\. Try again in a minute\./],
  ['500', { kind: 'status', status: 500, times: 3 }, /service error \(500\) in us-east-2/],
  ['malformed SSE', { kind: 'malformed' }, /could not be understood \(a malformed event\)/],
  ['cut stream', { kind: 'cut' }, /cut off before it finished/],
  ['cut stream (ended)', { kind: 'cut', mode: 'end' }, /cut off before it finished/],
  ['response.failed', { kind: 'failed' }, /The model stopped with an error \(server_error\)/],
  ['error event', { kind: 'errorEvent' }, /The model stopped with an error/],
  ['bad effort 400', { kind: 'unsupportedEffort' }, /does not accept the reasoning effort "medium"[\s\S]*--effort /],
  ['effort the model refuses', [], /does not accept the reasoning effort "minimal"[\s\S]*--effort none\|low\|medium\|high\|xhigh/, ['--effort', 'minimal']],
];

test('a 401 once: the CLI signs a new token, sends the question again and answers', async () => {
  standin.reset();
  standin.faults.push({ kind: 'status', status: 401 });
  const r = await run(['ask', '--effort', 'medium', 'Hello']);
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(standin.requests.filter((q) => q.route === 'responses').map((q) => q.status), [401, 200]);
});

for (const [name, fault, expected, extra = ['--effort', 'medium']] of FAILURES) {
  test(`failure: ${name}`, async () => {
    standin.reset();
    standin.faults.push(...([] as Fault[]).concat(fault));
    const r = await run(['ask', ...extra, 'Hello']);
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stderr, /^bedrock-gpt: /m);
    assert.match(r.stderr, expected);
    assert.doesNotMatch(r.stderr, /\n\s+at .*:\d+:\d+/, 'no stack trace');
    assert.equal(standin.faults.pending.length, 0, 'every queued fault was used');
  });
}

test('credentials: unknown profile lists the known ones; none at all says how to configure', async () => {
  const unknown = await run(['ask', '--profile', 'nope', 'Hello']);
  assert.equal(unknown.code, 1);
  assert.match(unknown.stderr, /"nope".*Known profiles: default, session\./);
  const none = await run(['token'], { env: baseEnv({ AWS_CONFIG_FILE: join(home, 'none'), AWS_SHARED_CREDENTIALS_FILE: join(home, 'none') }) });
  assert.equal(none.code, 1);
  assert.match(none.stderr, /No AWS credentials were found\. Set them up with `aws configure`/);
  assert.match(none.stderr, /AWS_BEARER_TOKEN_BEDROCK/);
});

test('an endpoint nobody listens on: cannot reach it, exit 1', async () => {
  const server = createServer();
  await new Promise<void>((ready) => server.listen(0, '127.0.0.1', ready));
  const port = (server.address() as AddressInfo).port;
  await new Promise((closed) => server.close(closed));
  const r = await run(['ask', '--endpoint', `http://127.0.0.1:${port}/openai/v1`, 'Hello']);
  assert.equal(r.code, 1);
  assert.match(r.stderr, new RegExp(`Cannot reach the endpoint 127\\.0\\.0\\.1:${port}: the connection was refused \\(ECONNREFUSED\\)`));
});

test('a plain-http endpoint that is not loopback is refused', async () => {
  const r = await run(['ask', '--endpoint', 'http://example.com/openai/v1', 'Hello']);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /plain http/);
});

test('HTTP_PROXY: the request goes through the proxy; a wrong proxy password is explained, never printed', async () => {
  const password = 'cli-pr0xy-pa55';
  const proxy = await startForwardProxy({ user: 'bob', password });
  try {
    standin.reset();
    const ok = await run(['ask', 'Hello through the proxy'], { env: baseEnv({ HTTP_PROXY: proxy.urlWith('bob', password) }) });
    assert.equal(ok.code, 0, ok.stderr);
    assert.match(ok.stdout, /Hello through the proxy/);
    assert.deepEqual(proxy.seen, [{ method: 'CONNECT', target: `127.0.0.1:${standin.port}`, authorized: true }]);
    assert.equal(lastResponsesRequest().status, 200);

    const bypass = await run(['ask', 'Hello directly'], { env: baseEnv({ HTTP_PROXY: proxy.urlWith('bob', password), NO_PROXY: '127.0.0.1' }) });
    assert.equal(bypass.code, 0, bypass.stderr);
    assert.equal(proxy.seen.length, 1, 'NO_PROXY: the proxy saw nothing more');

    const wrong = await run(['ask', 'Hello'], { env: baseEnv({ http_proxy: proxy.urlWith('bob', 'wrong-pa55'), HTTP_PROXY: proxy.urlWith('bob', password) }) });
    assert.equal(wrong.code, 1);
    assert.match(wrong.stderr, /The proxy refused the credentials \(407 Proxy Authentication Required\)/);
    for (const r of [ok, bypass, wrong]) {
      for (const secret of [password, 'wrong-pa55']) assert.ok(!r.stdout.includes(secret) && !r.stderr.includes(secret), 'a proxy password was printed');
    }
  } finally {
    await proxy.close();
  }
});

// The next delta is held back for longer than the test may run, so exit 130 shows the cancel did not wait for the
// stream; the test timeout stops a regression from hanging. Latency: bench/cancel.bench.ts.
test('Ctrl-C aborts the request and exits 130', { timeout: 20_000 }, async () => {
  standin.reset();
  standin.faults.push({ kind: 'slowStream', delayMs: 600_000 });
  const child = spawn(process.execPath, [CLI, 'ask', 'Tell me a long story'], { env: baseEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  await new Promise<void>((ready) => child.stdout.setEncoding('utf8').on('data', (d: string) => {
    stdout += d;
    ready();
  }));
  child.kill('SIGINT');
  const code = await new Promise<number | null>((done) => child.on('close', done));
  outputs.push(stdout, stderr);
  assert.equal(code, 130, stderr);
  assert.match(stderr, /cancelled/);
  await waitFor('the stand-in to see the close', () => lastResponsesRequest().endedAt !== undefined); // the stand-in sees the close a moment later
  assert.equal(lastResponsesRequest().aborted, true);
});

// --- secrets ---------------------------------------------------------------------------------------------

// The tests above collect 40 outputs and print no token (the CLI signs its own; the check still looks for any).
testNoSecretInOutputs(39, 0);
