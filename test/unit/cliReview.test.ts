/**
 * `bedrock-gpt review` in a temp git repository against the Bedrock stand-in: the unstaged, staged and branch
 * diffs reach the request with the review prompt; paths narrow the diff; usage errors, an empty diff, a folder
 * that is no repository and a diff too large for the model each get their message and exit code.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { Readable } from 'node:stream';
import { capturedIo } from '../support/capturedIo';
import { main } from '../../src/cli';
import { gitDiffArgs } from '../../src/cli/review';
import { STATIC_TEST_KEY } from '../standin/keys';
import { startStandin, type Standin } from '../standin/server';

let standin: Standin;
let home: string;
let repo: string;

const git = (...args: string[]) => execFileSync('git', ['-c', 'user.name=Test', '-c', 'user.email=test@example.invalid', '-c', 'commit.gpgsign=false', ...args], { cwd: repo, encoding: 'utf8' });

before(async () => {
  standin = await startStandin({ port: 0 });
  home = mkdtempSync(join(tmpdir(), 'bedrock-gpt-review-'));
  writeFileSync(join(home, 'credentials'), ['[default]', `aws_access_key_id = ${STATIC_TEST_KEY.accessKeyId}`, `aws_secret_access_key = ${STATIC_TEST_KEY.secretAccessKey}`, ''].join('\n'));
  writeFileSync(join(home, 'config'), ['[default]', 'region = us-east-2', ''].join('\n'));
  repo = join(home, 'repo');
  mkdirSync(join(repo, 'src'), { recursive: true });
  git('init', '-q', '-b', 'main');
  writeFileSync(join(repo, 'src', 'cart.ts'), 'export const total = (a: number, b: number) => a + b;\n');
  writeFileSync(join(repo, 'src', 'tax.ts'), 'export const rate = 0.2;\n');
  git('add', '.');
  git('commit', '-q', '-m', 'first');
  git('checkout', '-q', '-b', 'feature');
  writeFileSync(join(repo, 'src', 'tax.ts'), 'export const rate = 0.25;\n');
  git('commit', '-q', '-am', 'tax up');
  // Staged: cart.ts; unstaged on top: tax.ts.
  writeFileSync(join(repo, 'src', 'cart.ts'), 'export const total = (a: number, b: number) => a - b;\n');
  git('add', 'src/cart.ts');
  writeFileSync(join(repo, 'src', 'tax.ts'), 'export const rate = 2.5;\n');
});

after(async () => {
  await standin?.close();
  if (home) rmSync(home, { recursive: true, force: true });
});

function io(cwd = repo) {
  const env = {
    PATH: process.env.PATH, HOME: home, AWS_CONFIG_FILE: join(home, 'config'), AWS_SHARED_CREDENTIALS_FILE: join(home, 'credentials'),
    AWS_EC2_METADATA_DISABLED: 'true', AWS_BEDROCK_BASE_URL: standin.endpointTemplate,
  };
  return capturedIo({ stdin: Readable.from([]), env, cwd });
}

function lastQuestion(): string {
  const r = standin.requests.filter((x) => x.route === 'responses').at(-1);
  assert.ok(r, 'the stand-in saw no request');
  return r.input.at(-1)?.content ?? '';
}

test('git diff arguments: never a shell, a range only from a checked ref, paths after --', () => {
  assert.deepEqual(gitDiffArgs({ kind: 'staged' }, []), ['diff', '--no-color', '--no-ext-diff', '--cached', '--']);
  assert.deepEqual(gitDiffArgs({ kind: 'branch', base: 'main' }, ['src']), ['diff', '--no-color', '--no-ext-diff', 'main...HEAD', '--', 'src']);
  assert.deepEqual(gitDiffArgs({ kind: 'unstaged' }, []), ['diff', '--no-color', '--no-ext-diff', '--']);
});

test('review --staged sends the staged diff (and only it) with the review prompt; the answer is printed', async () => {
  const run = io();
  assert.equal(await main(['review', '--staged'], run), 0, run.err);
  const q = lastQuestion();
  assert.match(q, /Review these staged changes \(1 file: src\/cart\.ts\)/);
  assert.match(q, /`path:line`/);
  assert.match(q, /From git diff --cached:\n```diff\n/);
  assert.match(q, /^\+export const total = \(a: number, b: number\) => a - b;$/m);
  assert.doesNotMatch(q, /rate = 2\.5/, 'the unstaged change is not in it');
  assert.ok(run.out.trim().length > 0, 'the answer is printed');
  assert.match(run.err, /tokens/, 'usage goes to stderr');
});

test('review (unstaged by default) and review --base main (the branch\'s commits)', async () => {
  const unstaged = io();
  assert.equal(await main(['review', '--no-stream'], unstaged), 0, unstaged.err);
  assert.match(lastQuestion(), /unstaged changes \(1 file: src\/tax\.ts\)/);
  assert.match(lastQuestion(), /^\+export const rate = 2\.5;$/m);
  const branch = io();
  assert.equal(await main(['review', '--base', 'main'], branch), 0, branch.err);
  const q = lastQuestion();
  assert.match(q, /changes against main \(1 file: src\/tax\.ts\)/);
  assert.match(q, /^\+export const rate = 0\.25;$/m, 'the committed change of the branch');
  assert.doesNotMatch(q, /a - b/, 'not the staged change');
});

test('paths narrow the diff; an empty diff, no repository and bad flags are refused with their message', async () => {
  const narrowed = io();
  const before = standin.requests.length;
  assert.equal(await main(['review', '--staged', '--', 'src/tax.ts'], narrowed), 1);
  assert.match(narrowed.err, /nothing to review: there are no staged changes in those paths/);
  assert.equal(standin.requests.length, before, 'nothing was sent');

  const notRepo = io(home);
  assert.equal(await main(['review'], notRepo), 1);
  assert.match(notRepo.err, /git diff failed: .*not a git repository/i);

  const both = io();
  assert.equal(await main(['review', '--staged', '--base', 'main'], both), 2);
  assert.match(both.err, /--staged or --base REF, not both/);
  const option = io();
  assert.equal(await main(['review', '--base', '--output=/tmp/x'], option), 2, 'a base that is an option is refused');
  const badRef = io();
  assert.equal(await main(['review', '--base', 'main;rm -rf ~'], badRef), 2);
  assert.match(badRef.err, /--base needs a branch, tag or commit/);
});

test('a diff too large for the model is refused with its size and the files to narrow it to', async () => {
  writeFileSync(join(repo, 'src', 'big.ts'), `${Array.from({ length: 20_000 }, (_, i) => `export const v${i} = ${i} * ${i + 1};`).join('\n')}\n`);
  git('add', 'src/big.ts');
  try {
    const run = io();
    const before = standin.requests.length;
    // GPT-5.4's budget: 272k context less 128k kept for the answer; the 20,000-line file is about 240k tokens.
    assert.equal(await main(['review', '--staged', '--model', 'openai.gpt-5.4', '--max-output-tokens', '128000'], run), 1);
    assert.match(run.err, /too large to review at once: about [\d,]+ tokens \([\d.]+ [KM]iB\); openai\.gpt-5\.4 takes at most [\d,]+/);
    assert.match(run.err, /bedrock-gpt review --staged -- PATH/);
    assert.match(run.err, /src\/big\.ts {2}[\d.]+ [KM]iB/);
    assert.equal(standin.requests.length, before, 'nothing was sent');
  } finally {
    git('rm', '-q', '--cached', 'src/big.ts');
  }
});
