// Review Changes in the real VS Code: a git repository made by the test (git init in a folder of the workspace),
// a staged change read through VS Code's built-in Git extension, and the review request at the Bedrock stand-in
// with the diff and the review prompt. Also: the Git extension is there and enabled in this VS Code.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { TestApi } from '../../src/extension';
import type { PickFn, ReviewUi } from '../../src/vscode/chat/reviewChanges';
import type { GitExtension } from '../../src/vscode/git/git';
import type { RecordedRequest } from '../standin/server';
import { PROFILES, extensionApi, useTestEnvironment, waitFor, type TestEnvironment } from './environment';

suite('chat: Review Changes', () => {
  let env: TestEnvironment;
  let api: TestApi;
  let repoDir: string;

  const git = (...args: string[]) => execFileSync('git', ['-c', 'user.name=Test', '-c', 'user.email=test@example.invalid', '-c', 'commit.gpgsign=false', ...args], { cwd: repoDir, encoding: 'utf8', timeout: 20_000 });

  suiteSetup(async function () {
    this.timeout(60_000);
    env = await useTestEnvironment();
    api = await extensionApi();
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath ?? '';
    assert.ok(folder, 'the suite runs with a workspace folder');
    repoDir = join(folder, 'review-repo');
    mkdirSync(join(repoDir, 'src'), { recursive: true });
    git('init', '-q', '-b', 'main');
    writeFileSync(join(repoDir, 'src', 'cart.ts'), 'export const total = (a: number, b: number) => a + b;\n');
    git('add', '.');
    git('commit', '-q', '-m', 'first');
    // The staged change to review, and an unstaged one that must not be in it.
    writeFileSync(join(repoDir, 'src', 'cart.ts'), 'export const total = (a: number, b: number) => a - b;\n');
    git('add', 'src/cart.ts');
    writeFileSync(join(repoDir, 'src', 'unstaged.ts'), 'export const notStaged = 1;\n');
  });

  teardown(async () => {
    for (const key of ['profile', 'region'] as const) await api.configuration.update(key, undefined);
    await api.configuration.update('endpoint', env.endpointTemplate);
  });

  test('the built-in Git extension is installed and enabled in this VS Code', async () => {
    const ext = vscode.extensions.getExtension<GitExtension>('vscode.git');
    assert.ok(ext, 'vscode.git is installed');
    const exports = ext.isActive ? ext.exports : await ext.activate();
    assert.equal(exports.enabled, true, 'git.enabled');
    const gitApi = exports.getAPI(1);
    const repo = await gitApi.openRepository(vscode.Uri.file(repoDir));
    assert.ok(repo, 'the Git extension opens the repository made by the test');
  });

  test('Review Changes over the staged diff reaches the stand-in with the diff and the review prompt', async () => {
    await api.configuration.update('endpoint', env.endpointTemplate);
    await api.configuration.update('profile', PROFILES.static);
    await api.configuration.update('region', 'us-east-2');
    await vscode.commands.executeCommand('bedrockGpt.newChat');
    // The Git extension scans the workspace when it starts; a repository made since is opened (as the SCM view would).
    const ext = vscode.extensions.getExtension<GitExtension>('vscode.git');
    await (ext?.isActive ? ext.exports : await ext?.activate())?.getAPI(1).openRepository(vscode.Uri.file(repoDir));
    await fetch(`${env.standinUrl}/__standin/reset`, { method: 'POST' });

    const before = api.chat.conversation.turns.length;
    await vscode.commands.executeCommand('bedrockGpt.reviewChanges', { scope: 'staged' });
    const turn = api.chat.conversation.turns[before];
    assert.ok(turn, 'Review Changes asked a question');
    await waitFor('the review answer', () => turn.status !== 'streaming');
    assert.equal(turn.status, 'done', turn.error?.message);

    const requests = (await (await fetch(`${env.standinUrl}/__standin/requests`)).json() as RecordedRequest[]).filter((r) => r.route === 'responses');
    assert.equal(requests.length, 1);
    const user = requests[0].input.at(-1)?.content ?? '';
    assert.match(user, /Review these staged changes \(1 file: src\/cart\.ts\)/);
    assert.match(user, /`path:line`/);
    assert.match(user, /```diff\n/);
    assert.match(user, /^-export const total = \(a: number, b: number\) => a \+ b;$/m);
    assert.match(user, /^\+export const total = \(a: number, b: number\) => a - b;$/m);
    assert.doesNotMatch(user, /notStaged/, 'the unstaged file is not part of the staged review');
  });

  test('a staged diff too large for the model is refused with its size, then narrowed to the file the user picks', async function () {
    this.timeout(60_000);
    await api.configuration.update('endpoint', env.endpointTemplate);
    await api.configuration.update('profile', PROFILES.static);
    await api.configuration.update('region', 'us-east-2');
    await api.configuration.update('maxOutputTokens', 128_000); // GPT-5.5: 272k context, 144k left for the question
    await vscode.commands.executeCommand('bedrockGpt.newChat');
    // About 190k tokens: over the budget alone.
    writeFileSync(join(repoDir, 'src', 'big.ts'), `${Array.from({ length: 16_000 }, (_, i) => `export const v${i} = ${i} * ${i + 1};`).join('\n')}\n`);
    git('add', 'src/big.ts');
    try {
      await fetch(`${env.standinUrl}/__standin/reset`, { method: 'POST' });
      const warnings: string[] = [];
      const offered: string[][] = [];
      const ui = {
        showInformationMessage: async (message: string) => { warnings.push(message); return undefined; },
        showWarningMessage: async (message: string, ...buttons: unknown[]) => { warnings.push(message); return buttons.find((b) => b === 'Pick Files'); },
      } as unknown as ReviewUi;
      const pick = (async (items: readonly vscode.QuickPickItem[]) => {
        offered.push(items.map((i) => `${i.label} ${i.description}`));
        return items.filter((i) => i.label === 'src/cart.ts');
      }) as unknown as PickFn;
      const turn = await api.chat.reviewChanges({ scope: 'staged' }, { ui, pick });
      assert.ok(turn, 'the narrowed review was sent');
      assert.equal(turn.status, 'done', turn.error?.message);
      assert.match(warnings[0] ?? '', /too large to review at once: about [\d,]+ tokens \([\d.]+ KiB\); the model takes at most 144,000/);
      assert.equal(offered.length, 1, 'one quick pick of the changed files');
      assert.deepEqual(offered[0].map((o) => o.replace(/ [\d.]+ (B|KiB)$/, '')), ['src/big.ts', 'src/cart.ts'], 'each with its size');
      const requests = (await (await fetch(`${env.standinUrl}/__standin/requests`)).json() as RecordedRequest[]).filter((r) => r.route === 'responses');
      assert.equal(requests.length, 1);
      const user = requests[0].input.at(-1)?.content ?? '';
      assert.match(user, /staged changes \(1 file: src\/cart\.ts\)/);
      assert.doesNotMatch(user, /export const v1 = /, 'the big file is left out');
    } finally {
      git('rm', '-q', '--cached', 'src/big.ts');
      await api.configuration.update('maxOutputTokens', undefined);
    }
  });
});
