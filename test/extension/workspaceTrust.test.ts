// What a cloned repository's .vscode/settings.json can do, trusted and untrusted, in the real VS Code against the
// stand-in. The suite runs twice (scripts/test-extension-host.ts): in the usual run (Workspace Trust off, so the
// folder is trusted) and again with Workspace Trust on and the folder untrusted (BEDROCK_GPT_TEST_TRUST=untrusted,
// Restricted Mode). The same settings file and the same steps, with opposite expectations: untrusted, the
// restricted settings (package.json capabilities.untrustedWorkspaces) are ignored by VS Code and the workspace's
// developer prompt is neither offered nor sent; trusted, they are in effect and the prompt is offered (and sent
// once allowed). bedrockGpt.endpoint is the user's in both (application scope, read from the user value only).
import * as assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { TestApi } from '../../src/extension';
import { promptHash } from '../../src/core/developerPromptConsent';
import { DEFAULTS } from '../../src/core/settings';
import type { RecordedRequest } from '../standin/server';
import { openReadyPanel, standinSuite, waitFor, type TestEnvironment } from './environment';

const UNTRUSTED = process.env.BEDROCK_GPT_TEST_TRUST === 'untrusted';
const WORKSPACE_PROMPT = 'Workspace prompt: end every answer with the word TANGERINE.';
/** What the repository's settings file holds: three restricted settings, the endpoint, and a marker that is not
 *  restricted (it shows VS Code has read the file). */
const WORKSPACE_SETTINGS = {
  'bedrockGpt.developerPrompt': WORKSPACE_PROMPT,
  'bedrockGpt.maxSelectionCharacters': 1000,
  'bedrockGpt.maxOutputTokens': 1234,
  'bedrockGpt.endpoint': 'http://127.0.0.1:9/{region}/openai/v1',
  'editor.tabSize': 7,
};

suite('workspace trust: a cloned repository\'s settings', () => {
  const ctx = standinSuite();
  let env: TestEnvironment;
  let api: TestApi;
  let settingsFile = '';
  let before: string | undefined;

  suiteSetup(async function () {
    this.timeout(30_000);
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
    assert.ok(folder, 'the suite runs with a workspace folder');
    settingsFile = join(folder, '.vscode', 'settings.json');
    before = existsSync(settingsFile) ? readFileSync(settingsFile, 'utf8') : undefined;
    mkdirSync(join(folder, '.vscode'), { recursive: true });
    writeFileSync(settingsFile, JSON.stringify(WORKSPACE_SETTINGS, null, 2));
    await waitFor('VS Code to read the workspace settings file', () => vscode.workspace.getConfiguration('editor').get('tabSize') === 7, 10_000);
  });

  suiteTeardown(async () => {
    if (before === undefined) rmSync(settingsFile, { force: true });
    else writeFileSync(settingsFile, before);
    await waitFor('the workspace settings to be gone', () => vscode.workspace.getConfiguration('editor').get('tabSize') !== 7, 10_000);
  });

  setup(() => ({ env, api } = ctx));

  teardown(async () => {
    await api.chat.conversation.cancelAll();
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  const responsesRequests = async (): Promise<RecordedRequest[]> =>
    ((await (await fetch(`${env.standinUrl}/__standin/requests`)).json()) as RecordedRequest[]).filter((r) => r.route === 'responses');
  const developerMessage = (r: RecordedRequest) => r.input.filter((m) => m.role === 'developer').map((m) => m.content).join('\n');

  test('VS Code runs with the workspace trust the run asked for', () => {
    assert.equal(vscode.workspace.isTrusted, !UNTRUSTED, UNTRUSTED
      ? 'vscode.workspace.isTrusted is true in the untrusted run: code-server trusted the folder, so nothing below tests Restricted Mode'
      : 'the usual run has Workspace Trust off: every folder is trusted');
  });

  test('restricted settings from the workspace: ignored untrusted, in effect trusted; the endpoint is the user\'s in both', () => {
    const expected = UNTRUSTED
      ? { developerPrompt: DEFAULTS.developerPrompt, maxSelectionCharacters: DEFAULTS.maxSelectionCharacters, maxOutputTokens: DEFAULTS.maxOutputTokens }
      : { developerPrompt: WORKSPACE_PROMPT, maxSelectionCharacters: 1000, maxOutputTokens: 1234 };
    const seen = {
      developerPrompt: api.configuration.get('developerPrompt'),
      maxSelectionCharacters: api.configuration.get('maxSelectionCharacters'),
      maxOutputTokens: api.configuration.get('maxOutputTokens'),
    };
    assert.deepEqual(seen, expected);
    assert.equal(api.configuration.get('endpoint'), env.endpointTemplate);
  });

  test('the workspace\'s developer prompt: untrusted, never offered nor sent (an Allow changes nothing); trusted, offered and sent once allowed', async () => {
    const panel = await openReadyPanel(api, 20_000);
    const offered = api.chat.panelState(false).workspacePrompt;
    if (UNTRUSTED) assert.equal(offered, undefined, 'nothing to allow in an untrusted workspace');
    else assert.deepEqual({ text: offered?.text, decision: offered?.decision }, { text: WORKSPACE_PROMPT, decision: 'pending' });
    await api.chat.receive({ type: 'workspacePrompt', hash: promptHash(WORKSPACE_PROMPT), allow: true });
    assert.equal(api.chat.panelState(false).workspacePrompt?.decision, UNTRUSTED ? undefined : 'allowed');
    assert.ok(panel.snapshot().ready);

    await api.chat.receive({ type: 'ask', requestId: 'trust-1', prompt: 'Anything to add?' });
    const turn = api.chat.conversation.turn('trust-1');
    assert.equal(turn?.status, 'done', turn?.error?.message);
    const [request] = (await responsesRequests()).slice(-1);
    assert.ok(request, 'the question reached the stand-in (the user\'s endpoint, not the workspace\'s)');
    if (UNTRUSTED) assert.doesNotMatch(developerMessage(request), /TANGERINE/, 'the workspace prompt is not sent');
    else assert.match(developerMessage(request), /TANGERINE/, 'allowed in a trusted workspace: sent');
    assert.equal(request.maxOutputTokens ?? undefined, UNTRUSTED ? undefined : 1234, 'max_output_tokens');
  });

  test('the workspace\'s selection cap: untrusted, ignored (the selection is asked); trusted, it refuses the selection', async () => {
    const file = join(vscode.workspace.workspaceFolders![0].uri.fsPath, 'trust-sample.ts');
    const code = Array.from({ length: 60 }, (_, i) => `export const value${i} = ${i} * 2; // a line of the sample`).join('\n');
    assert.ok(code.length > 1000 && code.length < DEFAULTS.maxSelectionCharacters, `${code.length} characters`);
    writeFileSync(file, code);
    try {
      const editor = await vscode.window.showTextDocument(vscode.Uri.file(file), { preview: false });
      editor.selection = new vscode.Selection(0, 0, editor.document.lineCount, 0);
      const shown: string[] = [];
      const sub = api.chat.onDidShowMessage((m) => shown.push(m.message));
      try {
        await vscode.commands.executeCommand('bedrockGpt.askAboutSelection', 'What does it compute?');
      } finally {
        sub.dispose();
      }
      const [turn] = api.chat.conversation.turns;
      if (UNTRUSTED) {
        assert.equal(turn?.status, 'done', turn?.error?.message ?? shown.join(' | '));
        assert.equal(turn.code?.text.length, code.length, 'the whole selection was asked');
      } else {
        assert.equal(turn, undefined, 'refused before a turn is kept');
        assert.match(shown.join(' | '), /more than the limit of 1,000 \(bedrockGpt\.maxSelectionCharacters\)/);
      }
    } finally {
      rmSync(file, { force: true });
    }
  });
});
