/**
 * What the CLI test files share: the built command line (dist/cli.js) run as a child process against a Bedrock
 * stand-in, with AWS files of its own (a static [default] and a [session] profile), and every output collected
 * for the closing secrets check. Importing this module builds dist/ (unless BEDROCK_GPT_CLI_PREBUILT=1) and
 * starts the stand-in around the file's tests.
 */
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, test } from 'node:test';
import { SESSION_TEST_KEY, STATIC_TEST_KEY, TEST_KEYS } from '../standin/keys';
import { startStandin, type Standin } from '../standin/server';

export const ROOT = resolve(__dirname, '../..');
export const CLI = join(ROOT, 'dist/cli.js');

export let standin: Standin;
export let home: string;
/** Every stdout and stderr the suite saw, except the stdout of `token` (whose job is to print one). */
export const outputs: string[] = [];
export const tokens: string[] = [];

export interface Run { code: number | null; stdout: string; stderr: string }

export function baseEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
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

export function run(args: string[], o: { env?: NodeJS.ProcessEnv; input?: string; keepStdout?: boolean } = {}): Promise<Run> {
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

export function lastResponsesRequest() {
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

/**
 * The file's last test: no output it collected holds a token, a secret key or a session token. It first checks
 * that the file collected more than `minOutputs` outputs and at least `minTokens` printed tokens, so it cannot
 * pass on nothing.
 */
export function testNoSecretInOutputs(minOutputs: number, minTokens: number): void {
  test('no output of the suite holds a token, secret key or session token', () => {
    assert.ok(outputs.length > minOutputs, `only ${outputs.length} outputs were collected`);
    assert.ok(tokens.length >= minTokens);
    const secrets = [...TEST_KEYS.flatMap((k) => [k.secretAccessKey, k.sessionToken ?? '']), ...tokens].filter(Boolean);
    for (const text of outputs) {
      assert.doesNotMatch(text, /bedrock-api-key-/);
      assert.doesNotMatch(text, /X-Amz-(Signature|Security-Token|Credential)/i);
      for (const secret of secrets) assert.ok(!text.includes(secret), 'an output holds a secret');
    }
  });
}
