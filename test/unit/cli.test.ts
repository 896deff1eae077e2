/**
 * The built command line (dist/cli.js) as a child process against the Bedrock stand-in: every flow of the seed
 * article, piped context, usage errors, each failure mode, Ctrl-C, and no secret in any output.
 * Set BEDROCK_GPT_CLI_PREBUILT=1 to skip the build when dist/ is already fresh.
 */
import assert from 'node:assert/strict';
import { execFile, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, test } from 'node:test';
import { PassThrough, Readable } from 'node:stream';
import { version } from '../../package.json';
import { main } from '../../src/cli';
import { startForwardProxy } from '../standin/forwardProxy';
import { SESSION_TEST_KEY, STATIC_TEST_KEY, TEST_KEYS } from '../standin/keys';
import { startStandin, type Fault, type Standin } from '../standin/server';
import { verifyBearerToken } from '../standin/verifyToken';
import { waitFor } from '../support/waitFor';

const ROOT = resolve(__dirname, '../..');
const CLI = join(ROOT, 'dist/cli.js');

let standin: Standin;
let home: string;
/** Every stdout and stderr the suite saw, except the stdout of `token` (whose job is to print one). */
const outputs: string[] = [];
const tokens: string[] = [];

interface Run { code: number | null; stdout: string; stderr: string }

function baseEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  // Nothing from the developer's real AWS setup leaks in; IMDS is off so "no credentials" never probes the network.
  return {
    PATH: process.env.PATH,
    HOME: home,
    AWS_CONFIG_FILE: join(home, 'config'),
    AWS_SHARED_CREDENTIALS_FILE: join(home, 'credentials'),
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_BEDROCK_BASE_URL: standin.endpointTemplate,
    ...extra,
  };
}

function run(args: string[], o: { env?: NodeJS.ProcessEnv; input?: string; keepStdout?: boolean } = {}): Promise<Run> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [CLI, ...args], { env: o.env ?? baseEnv(), stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', fail);
    child.on('close', (code) => {
      if (!o.keepStdout) outputs.push(stdout);
      outputs.push(stderr);
      done({ code, stdout, stderr });
    });
    child.stdin.end(o.input ?? '');
  });
}

function lastResponsesRequest() {
  const r = standin.requests.filter((x) => x.route === 'responses').at(-1);
  assert.ok(r, 'the stand-in saw no request');
  return r;
}

before(async () => {
  if (process.env.BEDROCK_GPT_CLI_PREBUILT !== '1') execFileSync(process.execPath, ['esbuild.mjs'], { cwd: ROOT, stdio: 'ignore' });
  standin = await startStandin({ port: 0 });
  home = mkdtempSync(join(tmpdir(), 'bedrock-gpt-cli-'));
  writeFileSync(join(home, 'credentials'), [
    '[default]',
    `aws_access_key_id = ${STATIC_TEST_KEY.accessKeyId}`,
    `aws_secret_access_key = ${STATIC_TEST_KEY.secretAccessKey}`,
    '[session]',
    `aws_access_key_id = ${SESSION_TEST_KEY.accessKeyId}`,
    `aws_secret_access_key = ${SESSION_TEST_KEY.secretAccessKey}`,
    `aws_session_token = ${SESSION_TEST_KEY.sessionToken}`,
    '',
  ].join('\n'));
  writeFileSync(join(home, 'config'), ['[default]', 'region = us-east-2', '[profile session]', 'region = us-west-2', ''].join('\n'));
});

after(async () => {
  await standin?.close();
  if (home) rmSync(home, { recursive: true, force: true });
});

// --- the seed's flows ------------------------------------------------------------------------------------

test('GPT-5.5 in us-east-2, effort medium, with a developer prompt', async () => {
  const r = await run(['ask', '--region', 'us-east-2', '--model', 'openai.gpt-5.5', '--effort', 'medium',
    '--instructions', 'You are a helpful assistant. Be concise.', 'What is Amazon Bedrock in one sentence?']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /What is Amazon Bedrock in one sentence\?/);
  assert.match(r.stderr, /^GPT-5\.5 · \d+ input tokens · \d+ output \(\d+ reasoning\) · \d+ total · \$0\.\d+\n$/);
  const req = lastResponsesRequest();
  assert.equal(req.region, 'us-east-2');
  assert.equal(req.model, 'openai.gpt-5.5');
  assert.equal(req.effort, 'medium');
  assert.equal(req.stream, true);
  assert.deepEqual(req.input[0], { role: 'developer', content: 'You are a helpful assistant. Be concise.' });
  assert.deepEqual(req.input.at(-1), { role: 'user', content: 'What is Amazon Bedrock in one sentence?' });
});

test('GPT-5.4, effort high: --json shows reasoning tokens in usage', async () => {
  const r = await run(['ask', '--model', 'openai.gpt-5.4', '--effort', 'high', '--json', 'Explain why the sky is blue in one sentence.']);
  assert.equal(r.code, 0, r.stderr);
  const response = JSON.parse(r.stdout) as { model: string; status: string; output: Array<{ type: string }>; output_text: string;
    usage: { input_tokens: number; output_tokens: number; total_tokens: number; output_tokens_details: { reasoning_tokens: number } } };
  assert.equal(response.model, 'openai.gpt-5.4');
  assert.equal(response.status, 'completed');
  assert.ok(response.usage.output_tokens_details.reasoning_tokens > 0);
  assert.equal(response.usage.total_tokens, response.usage.input_tokens + response.usage.output_tokens);
  assert.ok(response.output.some((item) => item.type === 'reasoning'));
  assert.match(response.output_text, /sky is blue/);
  assert.equal(lastResponsesRequest().effort, 'high');
});

test('GPT-5.4 from us-west-2 (region from the session profile)', async () => {
  const r = await run(['ask', '--profile', 'session', '--model', 'openai.gpt-5.4', '--effort', 'high', 'Hello from Oregon!']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /us-west-2/);
  assert.equal(lastResponsesRequest().region, 'us-west-2');
});

test('GPT-5.5 from us-west-2: names us-east-2, exit 1', async () => {
  const r = await run(['ask', '--region', 'us-west-2', '--model', 'openai.gpt-5.5', '--effort', 'medium', 'Hello']);
  assert.equal(r.code, 1);
  assert.equal(r.stdout, '');
  assert.match(r.stderr, /GPT-5\.5 \(openai\.gpt-5\.5\) is not served in us-west-2\. It is served in us-east-2\./);
  assert.match(r.stderr, /--region us-east-2/);
});

test('a Japanese developer prompt', async () => {
  const r = await run(['ask', '--effort', 'medium', '--instructions', '日本語で簡潔に回答してください。', 'Amazon Bedrock とは何ですか?']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /Amazon Bedrock とは何ですか\?/);
  const req = lastResponsesRequest();
  assert.deepEqual(req.input[0], { role: 'developer', content: '日本語で簡潔に回答してください。' });
});

test('TOKEN=$(bedrock-gpt token --region us-east-2), then curl with the seed body', async () => {
  const t = await run(['token', '--region', 'us-east-2'], { keepStdout: true });
  assert.equal(t.code, 0, t.stderr);
  assert.equal(t.stderr, '');
  assert.match(t.stdout, /^bedrock-api-key-[A-Za-z0-9+/=]+\n$/);
  const token = t.stdout.trim();
  tokens.push(token);
  assert.equal(verifyBearerToken(`Bearer ${token}`, { region: 'us-east-2' }).ok, true);

  const body = JSON.stringify({ model: 'openai.gpt-5.5', input: [{ role: 'user', content: 'What is the capital of Japan?' }], reasoning: { effort: 'low' } });
  const url = `${standin.url}/us-east-2/openai/v1/responses`;
  let text: string;
  if (hasCurl()) {
    // As the README shows it: the header comes in on stdin (-H @-), so the token is never in curl's arguments.
    const curl = execFile('curl', ['-s', url, '-H', 'Content-Type: application/json', '-H', '@-', '-d', body]);
    curl.stdin!.end(`Authorization: Bearer ${token}\n`);
    text = await new Promise<string>((ok, fail) => {
      let out = '';
      curl.stdout!.on('data', (d: Buffer) => { out += d; });
      curl.once('error', fail);
      curl.once('close', (code) => (code === 0 ? ok(out) : fail(new Error(`curl exited ${code}`))));
    });
  } else {
    text = await (await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body })).text();
  }
  const response = JSON.parse(text) as { model: string; status: string; reasoning: { effort: string }; usage: { output_tokens_details: { reasoning_tokens: number } } };
  assert.equal(response.model, 'openai.gpt-5.5');
  assert.equal(response.status, 'completed');
  assert.equal(response.reasoning.effort, 'low');
  assert.equal(typeof response.usage.output_tokens_details.reasoning_tokens, 'number');
});

test('token: --expires-in and session credentials; the token is for its region only', async () => {
  const t = await run(['token', '--profile', 'session', '--expires-in', '900'], { keepStdout: true });
  assert.equal(t.code, 0, t.stderr);
  const token = t.stdout.trim();
  tokens.push(token);
  assert.equal(verifyBearerToken(`Bearer ${token}`, { region: 'us-west-2' }).ok, true);
  assert.equal(verifyBearerToken(`Bearer ${token}`, { region: 'us-east-2' }).ok, false);
});

test('text piped on stdin is sent as context', async () => {
  const diff = 'diff --git a/app.ts b/app.ts\n-const a = 1;\n+const a = 2;\n';
  const r = await run(['ask', 'review this'], { input: diff });
  assert.equal(r.code, 0, r.stderr);
  const user = lastResponsesRequest().input.at(-1);
  assert.equal(user?.role, 'user');
  assert.ok(user?.content.startsWith('review this'));
  assert.ok(user?.content.includes(diff), user?.content);
  assert.match(user?.content ?? '', /```\n[\s\S]*```$/);
});

test('--no-stream, --endpoint and a Bedrock API key from AWS_BEARER_TOKEN_BEDROCK', async () => {
  const t = await run(['token'], { keepStdout: true });
  const key = t.stdout.trim();
  tokens.push(key);
  const env = baseEnv({ AWS_BEARER_TOKEN_BEDROCK: key, AWS_CONFIG_FILE: join(home, 'none'), AWS_SHARED_CREDENTIALS_FILE: join(home, 'none'), AWS_BEDROCK_BASE_URL: undefined });
  const r = await run(['ask', '--no-stream', '--endpoint', standin.endpointTemplate, 'Hi there'], { env });
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /Hi there/);
  assert.equal(lastResponsesRequest().stream, false);
});

test('models lists what the region serves and marks known models', async () => {
  const r = await run(['models', '--region', 'us-west-2']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^\* openai\.gpt-5\.4 +GPT-5\.4, 272K context, per 1M tokens: \$2\.75 in \/ \$0\.275 cached \/ \$16\.50 out\n$/);
  assert.match(r.stderr, /GPT-5\.5 \(openai\.gpt-5\.5\) is not served in us-west-2; try us-east-2/);
});

// --- usage errors: exit 2 --------------------------------------------------------------------------------

test('usage errors exit 2 with a hint', async () => {
  const cases: Array<[string[], RegExp]> = [
    [['ask', '--bogus', 'x'], /Unknown option '--bogus'/],
    [['ask', '--effort', 'extreme', 'x'], /--effort must be one of none, minimal, low, medium, high, xhigh/],
    [['ask'], /ask needs a prompt/],
    [['ask', '--max-output-tokens', '0', 'x'], /--max-output-tokens needs a whole number/],
    [['ask', '--max-output-tokens', '-5', 'x'], /argument is ambiguous/],
    [['token', '--expires-in', '0'], /lifetime of 0 s is not allowed/],
    [['token', '--expires-in', '43201'], /lifetime of 43201 s is not allowed/],
    [['token', '--expires-in', 'soon'], /--expires-in needs a whole number/],
    [['token', 'extra'], /token takes no arguments/],
    [['frobnicate'], /unknown command "frobnicate"/],
    [[], /a command is missing/],
  ];
  for (const [args, message] of cases) {
    const r = await run(args);
    assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, message);
    assert.match(r.stderr, /bedrock-gpt --help/);
    assert.equal(r.stdout, '');
  }
});

test('--help and --version', async () => {
  const help = await run(['--help']);
  assert.equal(help.code, 0);
  assert.match(help.stdout, /bedrock-gpt token  \[--profile P\]/);
  assert.match((await run(['ask', '--help'])).stdout, /--max-output-tokens N/);
  const v = await run(['--version']);
  assert.equal(v.stdout, `${version}\n`);
});

test('main() runs in-process with injected streams and environment', async () => {
  const io = () => {
    const stdout = new PassThrough();
    const stderr = new PassThrough();
    let out = '';
    let err = '';
    stdout.on('data', (d: Buffer) => (out += d.toString()));
    stderr.on('data', (d: Buffer) => (err += d.toString()));
    return { stdin: Readable.from(['def f():\n    return 1\n']), stdout, stderr, env: baseEnv(), get out() { return out; }, get err() { return err; } };
  };
  const v = io();
  assert.equal(await main(['--version'], v), 0);
  assert.equal(v.out, `${version}\n`);
  const bad = io();
  assert.equal(await main(['ask', '--effort', 'max', 'x'], bad), 2);
  assert.match(bad.err, /--effort must be one of/);
  const ok = io();
  assert.equal(await main(['ask', '--model', 'openai.gpt-5.4', 'explain'], ok), 0, ok.err);
  assert.match(lastResponsesRequest().input.at(-1)?.content ?? '', /return 1/);
  const cancelled = io();
  assert.equal(await main(['ask', 'x'], { ...cancelled, signal: AbortSignal.abort() }), 130);
  outputs.push(v.out, bad.err, ok.out, ok.err, cancelled.err);
});

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

test('no output of the suite holds a token, secret key or session token', () => {
  assert.ok(outputs.length > 40, `only ${outputs.length} outputs were collected`);
  assert.ok(tokens.length >= 3);
  const secrets = [...TEST_KEYS.flatMap((k) => [k.secretAccessKey, k.sessionToken ?? '']), ...tokens].filter(Boolean);
  for (const text of outputs) {
    assert.doesNotMatch(text, /bedrock-api-key-/);
    assert.doesNotMatch(text, /X-Amz-(Signature|Security-Token|Credential)/i);
    for (const secret of secrets) assert.ok(!text.includes(secret), 'an output holds a secret');
  }
});

function hasCurl(): boolean {
  try {
    execFileSync('curl', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}
