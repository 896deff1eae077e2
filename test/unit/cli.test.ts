/**
 * The built command line (dist/cli.js) as a child process against the Bedrock stand-in: every flow of the seed
 * article, piped context, usage errors, and no secret in any output. Failures and Ctrl-C: cliFailures.test.ts.
 * Set BEDROCK_GPT_CLI_PREBUILT=1 to skip the build when dist/ is already fresh.
 */
import assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { test } from 'node:test';
import { Readable } from 'node:stream';
import { capturedIo } from '../support/capturedIo';
import { version } from '../../package.json';
import { main } from '../../src/cli';
import { verifyBearerToken } from '../standin/verifyToken';
import { baseEnv, home, lastResponsesRequest, outputs, run, standin, testNoSecretInOutputs, tokens } from './cliSupport';

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
  const io = () => capturedIo({ stdin: Readable.from(['def f():\n    return 1\n']), env: baseEnv() });
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


// --- secrets ---------------------------------------------------------------------------------------------

testNoSecretInOutputs(40, 3);

function hasCurl(): boolean {
  try {
    execFileSync('curl', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}
