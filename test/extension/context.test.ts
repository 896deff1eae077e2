// The panel's `@` context in the real VS Code, against the Bedrock stand-in: `@file` finds workspace files
// (fuzzy, with a line range), honouring files.exclude and search.exclude; `@open` lists the open editors,
// `@problems` the diagnostics, `@selection` the selection; each chosen item reaches the request labelled with its
// path and lines. A binary file, an oversize file, an excluded file, a link out of the workspace and items over the
// model's context budget together are refused with a message, and nothing is sent or kept.
import * as assert from 'node:assert/strict';
import { mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import * as vscode from 'vscode';
import type { TestApi } from '../../src/extension';
import type { ContextOption, ContextRef, ContextSource } from '../../src/shared/protocol';
import type { ChatPanel } from '../../src/vscode/chat/chatPanel';
import type { RecordedRequest } from '../standin/server';
import { extensionApi, openReadyPanel, resetChat, useTestEnvironment, waitFor, type TestEnvironment } from './environment';

const CART = Array.from({ length: 30 }, (_, i) => `export const line${i + 1} = ${i + 1};`).join('\n') + '\n';

suite('chat: @ context in the panel', () => {
  let env: TestEnvironment;
  let api: TestApi;
  let folder: string;
  let panel: ChatPanel;
  let seq = 0;

  suiteSetup(async function () {
    this.timeout(60_000);
    env = await useTestEnvironment();
    api = await extensionApi();
    folder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath ?? '';
    assert.ok(folder, 'the suite runs with a workspace folder');
    const dir = join(folder, 'ctx');
    mkdirSync(join(dir, 'skipped'), { recursive: true });
    writeFileSync(join(dir, 'cart.ts'), CART);
    writeFileSync(join(dir, 'other.ts'), 'export const other = true;\n');
    writeFileSync(join(dir, 'cart.generated.ts'), 'export const generated = 1;\n');
    writeFileSync(join(dir, 'skipped', 'cartSkipped.ts'), 'export const skipped = 1;\n');
    writeFileSync(join(dir, 'logo.png'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d]));
    writeFileSync(join(dir, 'big.txt'), 'x'.repeat(300 * 1024));
    writeFileSync(join(dirname(folder), 'outside-secret.ts'), 'export const secret = "do not send";\n');
    rmSync(join(dir, 'link.ts'), { force: true });
    symlinkSync(join(dirname(folder), 'outside-secret.ts'), join(dir, 'link.ts'));
  });

  setup(async () => {
    await resetChat(api, env);
    // The panel tells the webview (entries, refusals) only once it is ready; closing all editors closes it too.
    panel = await openReadyPanel(api, 15_000);
  });

  teardown(() => vscode.commands.executeCommand('workbench.action.closeAllEditors'));

  suiteTeardown(async () => {
    for (const section of ['files', 'search']) await vscode.workspace.getConfiguration(section).update('exclude', undefined, vscode.ConfigurationTarget.Workspace);
    for (const key of ['profile', 'region', 'model'] as const) await api.configuration.update(key, undefined);
    await api.configuration.update('endpoint', env.endpointTemplate);
  });

  const responsesRequests = async () => {
    const res = await fetch(`${env.standinUrl}/__standin/requests`);
    return ((await res.json()) as RecordedRequest[]).filter((r) => r.route === 'responses');
  };

  /** What the picker would offer for `@source query`, through the panel's message path. */
  async function offered(source: ContextSource, query: string): Promise<ContextOption[]> {
    await api.chat.receive({ type: 'contextQuery', source, query });
    const options = panel.snapshot().context.options;
    assert.ok(options && options.source === source && options.query === query, 'the panel was told the entries');
    return options.options;
  }

  /** Asks from the panel with `refs`; the settled turn, or the refusal when nothing was sent. */
  async function askWith(prompt: string, context: ContextRef[]) {
    const requestId = `ctx-${++seq}`;
    const before = api.chat.conversation.turns.length;
    await api.chat.receive({ type: 'ask', requestId, prompt, context });
    const refused = panel.snapshot().context.refused;
    const turn = api.chat.conversation.turn(requestId);
    if (refused?.requestId === requestId) {
      assert.equal(turn, undefined, 'a refused question leaves no turn');
      assert.equal(api.chat.conversation.turns.length, before);
      return { refusal: refused.message };
    }
    assert.ok(turn, 'the question became a turn');
    return { turn };
  }

  /** A column other than the panel's, so the editor and the panel are both visible. */
  function besidePanel(): vscode.ViewColumn {
    const group = vscode.window.tabGroups.all.find((g) => g.tabs.some((t) => t.input instanceof vscode.TabInputWebview));
    return group?.viewColumn === vscode.ViewColumn.One ? vscode.ViewColumn.Two : vscode.ViewColumn.One;
  }

  /** Reveals the panel with the focus, as when the user types in it, and waits until its webview is ready. */
  async function focusPanel(): Promise<void> {
    panel.reveal(false);
    await waitFor('the panel to show', () => panel.snapshot().visible, 10_000);
    await waitFor('the webview to say ready', () => panel.snapshot().ready, 15_000);
  }

  const lastUser = (r: RecordedRequest) => r.input.at(-1)?.content ?? '';

  test('@file with a line range: fuzzy search finds the file, and its lines reach the request labelled with path and range', async () => {
    const options = await offered('file', 'ctxcart:10-12');
    assert.equal(options[0]?.label, 'ctx/cart.ts:10-12', JSON.stringify(options.map((o) => o.label)));
    assert.deepEqual(options[0].ref, { kind: 'file', path: 'ctx/cart.ts', startLine: 10, endLine: 12 });
    const { turn } = await askWith('What do these lines do?', [options[0].ref]);
    assert.equal(turn?.status, 'done', turn?.error?.message);
    assert.deepEqual(turn?.context?.map((c) => [c.path, c.startLine, c.endLine]), [['ctx/cart.ts', 10, 12]]);
    const [request] = await responsesRequests();
    const user = lastUser(request);
    assert.match(user, /^What do these lines do\?\n\nContext the user attached:\n\nFrom ctx\/cart\.ts, lines 10–12:\n```ts\nexport const line10 = 10;\nexport const line11 = 11;\nexport const line12 = 12;\n```$/);
    assert.ok(!user.includes('line9 ') && !user.includes('line13 '), 'only the range is sent');
  });

  test('files.exclude and search.exclude hide files from @file, and a forged ref to one is refused', async () => {
    const before = (await offered('file', 'ctx/cart')).map((o) => o.ref.path);
    assert.ok(before.includes('ctx/cart.generated.ts') && before.includes('ctx/skipped/cartSkipped.ts'), `offered before the settings: ${before.join(', ')}`);
    await vscode.workspace.getConfiguration('files').update('exclude', { '**/*.generated.ts': true }, vscode.ConfigurationTarget.Workspace);
    await vscode.workspace.getConfiguration('search').update('exclude', { '**/skipped': true }, vscode.ConfigurationTarget.Workspace);
    try {
      const after = await waitFor('the exclusions to apply', async () => {
        const paths = (await offered('file', 'ctx/cart')).map((o) => o.ref.path);
        return !paths.includes('ctx/cart.generated.ts') && !paths.includes('ctx/skipped/cartSkipped.ts') ? paths : undefined;
      }, 15_000);
      assert.ok(after.includes('ctx/cart.ts'), 'the rest is still offered');
      const { refusal } = await askWith('Read it anyway', [{ kind: 'file', path: 'ctx/cart.generated.ts' }]);
      assert.match(refusal ?? '', /ctx\/cart\.generated\.ts is excluded by files\.exclude or search\.exclude/);
      assert.equal((await responsesRequests()).length, 0, 'nothing was sent');
    } finally {
      await vscode.workspace.getConfiguration('files').update('exclude', undefined, vscode.ConfigurationTarget.Workspace);
      await vscode.workspace.getConfiguration('search').update('exclude', undefined, vscode.ConfigurationTarget.Workspace);
    }
  });

  test('a binary file, an oversize file and a link out of the workspace are refused with why; nothing is sent or kept', async () => {
    const saved = api.chat.history.list().length;
    const binary = await askWith('What is this image?', [{ kind: 'file', path: 'ctx/cart.ts' }, { kind: 'file', path: 'ctx/logo.png' }]);
    assert.match(binary.refusal ?? '', /^Not sent: ctx\/logo\.png is a binary file \(12 bytes\); only text files can go with a question\./);
    const big = await askWith('Summarise', [{ kind: 'file', path: 'ctx/big.txt' }]);
    assert.match(big.refusal ?? '', /ctx\/big\.txt is too large to attach \(300\.0 KiB \(307,200 bytes\)\); the limit is 256\.0 KiB \(262,144 bytes\)\. Attach a line range instead/);
    const link = await askWith('And this?', [{ kind: 'file', path: 'ctx/link.ts' }]);
    assert.match(link.refusal ?? '', /ctx\/link\.ts is not a file in this workspace/);
    assert.equal((await responsesRequests()).length, 0, 'nothing reached the stand-in');
    await api.chat.history.flush();
    assert.equal(api.chat.history.list().length, saved, 'nothing new was kept');
    // A range of the oversize file fits.
    const part = await askWith('Summarise the start', [{ kind: 'file', path: 'ctx/cart.ts', startLine: 1, endLine: 1 }]);
    assert.equal(part.turn?.status, 'done');
  });

  test('items that fit one by one but not together are refused by the context budget, once; nothing is sent or kept', async () => {
    // Two files under the 256 KiB cap, of distinct words (a repeated word would merge into few tokens): over 144,000 tokens together.
    const refs: ContextRef[] = [1, 2].map((n) => {
      const words = Array.from({ length: 28_000 }, (_, i) => `f${n}w${i.toString(36)}`);
      writeFileSync(join(folder, 'ctx', `part${n}.txt`), words.join(' '));
      return { kind: 'file', path: `ctx/part${n}.txt` };
    });
    const saved = api.chat.history.list().length;
    const shown: string[] = [];
    const listener = api.chat.onDidShowMessage((m) => shown.push(m.message));
    try {
      const { refusal } = await askWith('Compare these', refs);
      assert.match(refusal ?? '', /^Not sent: the question is too large for GPT-5\.5\. It is about [\d,]+ tokens \(estimated\); the limit is 144,000 tokens/);
      assert.deepEqual(shown, [], 'said once, in the panel (the question stays in its box, with the refusal as its notice)');
    } finally {
      listener.dispose();
    }
    assert.equal((await responsesRequests()).length, 0, 'nothing reached the stand-in');
    await api.chat.history.flush();
    assert.equal(api.chat.history.list().length, saved, 'nothing new was kept');
  });

  test('@open offers the open editors, and each chosen one reaches the request with its path', async () => {
    for (const name of ['cart.ts', 'other.ts']) {
      await vscode.window.showTextDocument(vscode.Uri.file(join(folder, 'ctx', name)), { preview: false, viewColumn: besidePanel() });
    }
    await focusPanel();
    const options = await offered('open', '');
    const paths = options.map((o) => o.ref.path);
    assert.ok(paths.includes('ctx/cart.ts') && paths.includes('ctx/other.ts'), paths.join(', '));
    const { turn } = await askWith('How do these relate?', options.filter((o) => o.ref.path.startsWith('ctx/')).map((o) => o.ref));
    assert.equal(turn?.status, 'done', turn?.error?.message);
    const user = lastUser((await responsesRequests())[0]);
    assert.match(user, /From ctx\/cart\.ts:\n```typescript\nexport const line1 = 1;/);
    assert.match(user, /From ctx\/other\.ts:\n```typescript\nexport const other = true;\n```/);
  });

  test('@problems of the active file and @selection reach the request with their paths and lines', async () => {
    const editor = await vscode.window.showTextDocument(vscode.Uri.file(join(folder, 'ctx', 'cart.ts')), { viewColumn: besidePanel() });
    editor.selection = new vscode.Selection(4, 0, 6, 10);
    // The user types in the panel: it has the focus, and the editor is the one active before.
    await focusPanel();
    const diagnostics = vscode.languages.createDiagnosticCollection('context-test');
    try {
      diagnostics.set(editor.document.uri, [
        Object.assign(new vscode.Diagnostic(new vscode.Range(2, 4, 2, 9), 'Total is off by one', vscode.DiagnosticSeverity.Error), { source: 'ctx', code: 'E1' }),
      ]);
      const problems = await offered('problems', '');
      assert.deepEqual(problems.map((o) => o.ref), [{ kind: 'problems', path: 'ctx/cart.ts' }, { kind: 'problems', path: '' }]);
      assert.equal(problems[0].detail, '1 problems');
      const [selection] = await offered('selection', '');
      assert.deepEqual(selection?.ref, { kind: 'file', path: 'ctx/cart.ts', startLine: 5, endLine: 7 });
      const { turn } = await askWith('Fix it', [problems[0].ref, selection.ref]);
      assert.equal(turn?.status, 'done', turn?.error?.message);
      const user = lastUser((await responsesRequests())[0]);
      assert.match(user, /Problems VS Code reports in ctx\/cart\.ts:\n```text\nctx\/cart\.ts:3:5 error \(ctx E1\): Total is off by one\n```/);
      assert.match(user, /From ctx\/cart\.ts, lines 5–7:\n```typescript\nexport const line5 = 5;\nexport const line6 = 6;\nexport const line7 = 7;\n```$/);
    } finally {
      diagnostics.dispose();
    }
  });
});
