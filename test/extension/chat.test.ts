// Asking about code in the real VS Code, against the Bedrock stand-in: a selection's question streams into the
// session and the panel; a follow-up carries the earlier turns; Stop aborts the request at the stand-in and keeps
// the partial answer; a 404 in the wrong region offers the switch, and taking it succeeds; Insert and Apply as diff
// change the document; the budget check refuses what cannot fit; the panel restores the conversation.
import * as assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { TestApi } from '../../src/extension';
import { EDITOR_INSTRUCTIONS } from '../../src/core/prompts';
import type { ChatTurn, ExtensionMessage } from '../../src/shared/protocol';
import { PROPOSED_SCHEME } from '../../src/vscode/constants';
import type { RecordedRequest } from '../standin/server';
import { PROFILES, extensionApi, openReadyPanel, useTestEnvironment, waitFor, type TestEnvironment } from './environment';

const SAMPLE = [
  '// A sample for the chat tests.',
  'export function add(a: number, b: number) {',
  '  return a - b;',
  '}',
  '',
  'export const answer = 42;',
  '',
].join('\n');

suite('chat: asking about code', () => {
  let env: TestEnvironment;
  let api: TestApi;
  let folder: string;

  suiteSetup(async function () {
    this.timeout(30_000);
    env = await useTestEnvironment();
    api = await extensionApi();
    folder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath ?? process.env.BEDROCK_GPT_TEST_WORKSPACE ?? '';
    assert.ok(folder, 'the suite runs with a workspace folder');
  });

  setup(async () => {
    await api.configuration.update('endpoint', env.endpointTemplate);
    await api.configuration.update('profile', PROFILES.static);
    await api.configuration.update('region', 'us-east-2');
    await api.configuration.update('model', 'openai.gpt-5.5');
    await standin('POST', '/__standin/reset');
    await vscode.commands.executeCommand('bedrockGpt.newChat');
  });

  teardown(async () => {
    await api.chat.conversation.cancelAll();
    await api.chat.discardDiff();
    // Nothing dirty may be left, or closing the editors would ask whether to save.
    for (const doc of vscode.workspace.textDocuments.filter((d) => d.isDirty)) {
      if (doc.isUntitled) {
        await vscode.window.showTextDocument(doc);
        await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
      } else {
        await doc.save();
      }
    }
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    for (const key of ['profile', 'region', 'model', 'reasoningEffort'] as const) await api.configuration.update(key, undefined);
    // Back to the stand-in, never to the derived AWS endpoint: a later suite must not be able to reach AWS.
    await api.configuration.update('endpoint', env.endpointTemplate);
  });

  async function standin<T = unknown>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
    const res = await fetch(`${env.standinUrl}${path}`, {
      method,
      ...(body !== undefined && { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
    });
    assert.ok(res.ok, `${method} ${path} → ${res.status}`);
    const text = await res.text();
    return (text ? JSON.parse(text) : undefined) as T;
  }

  const responsesRequests = async () => (await standin<RecordedRequest[]>('GET', '/__standin/requests')).filter((r) => r.route === 'responses');

  /** A file in the workspace, open in an editor, with lines `from`..`to` (1-based, inclusive) selected. */
  async function openWithSelection(name: string, from: number, to: number): Promise<vscode.TextEditor> {
    const file = join(folder, name);
    mkdirSync(folder, { recursive: true });
    writeFileSync(file, SAMPLE);
    const doc = await vscode.workspace.openTextDocument(vscode.Uri.file(file));
    const editor = await vscode.window.showTextDocument(doc, { viewColumn: vscode.ViewColumn.One, preview: false });
    editor.selection = new vscode.Selection(from - 1, 0, to, 0);
    return editor;
  }

  async function askAboutSelection(question: string): Promise<ChatTurn> {
    const before = api.chat.conversation.turns.length;
    await vscode.commands.executeCommand('bedrockGpt.askAboutSelection', question);
    const turn = api.chat.conversation.turns[before];
    assert.ok(turn, 'the command added a turn');
    return turn;
  }

  function assertAnswered(turn: ChatTurn | undefined): asserts turn is ChatTurn {
    assert.ok(turn, 'the turn exists');
    assert.equal(turn.status, 'done', `turn status ${turn.status}${turn.error ? `: ${turn.error.message}` : ''}`);
  }

  test('asks about a selection: the code, path, language and lines go out; the answer streams into the session and panel', async () => {
    await openWithSelection('sample.ts', 2, 4);
    const turn = await askAboutSelection('Why does add subtract?');
    assertAnswered(turn);
    assert.deepEqual(
      { fileName: turn.code?.fileName, languageId: turn.code?.languageId, startLine: turn.code?.startLine, endLine: turn.code?.endLine },
      { fileName: 'sample.ts', languageId: 'typescript', startLine: 2, endLine: 4 },
    );
    assert.equal(turn.code?.text, SAMPLE.split('\n').slice(1, 4).join('\n') + '\n');
    assert.match(turn.answer, /^openai\.gpt-5\.5 in us-east-2 answers question 1: "Why does add subtract\? From sample\.ts, lines 2–4:/);
    assert.ok(turn.usage && turn.usage.usage.outputTokens > 0 && turn.usage.dollars > 0, 'usage and cost under the answer');
    assert.ok(turn.usage.firstTokenMs !== undefined && turn.usage.firstTokenMs <= turn.usage.totalMs, 'time to first token and total time');

    const [request] = await responsesRequests();
    assert.equal(request.region, 'us-east-2');
    assert.equal(request.model, 'openai.gpt-5.5');
    assert.equal(request.stream, true);
    const user = request.input.at(-1);
    assert.equal(user?.role, 'user');
    assert.match(user?.content ?? '', /^Why does add subtract\?\n\nFrom sample\.ts, lines 2–4:\n```typescript\nexport function add/);

    // The panel opened beside the editor; its webview (in Chromium) says ready and is given the answer.
    const panel = await waitFor('the chat panel', () => api.chat.panel());
    await waitFor('the webview to say ready', () => panel.snapshot().ready, 15_000);
    await waitFor('the panel to hold the answer', () => panel.snapshot().answers[turn.requestId] === turn.answer);

    // The page it was given: a strict CSP with a fresh crypto nonce, and only the built webview folder readable.
    const { csp, localResourceRoots } = panel.snapshot();
    assert.match(csp, /^default-src 'none'; script-src 'nonce-[A-Za-z0-9+/]{24}'; style-src [^;]+; img-src [^;]+ data:; font-src [^;]+$/, csp);
    assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/);
    console.log(`  CSP: ${csp.replace(/nonce-[^']+/, 'nonce-…')}`);
    const ext = vscode.extensions.getExtension('bedrock-gpt.bedrock-gpt');
    assert.deepEqual(localResourceRoots, [vscode.Uri.joinPath(ext!.extensionUri, 'dist', 'webview').toString()]);
  });

  test('a follow-up carries the earlier turns', async () => {
    await openWithSelection('sample.ts', 2, 4);
    const first = await askAboutSelection('What does add do?');
    assertAnswered(first);
    await api.chat.receive({ type: 'ask', requestId: 'follow-up-1', prompt: 'And how do I fix it?' });
    const second = api.chat.conversation.turn('follow-up-1');
    assertAnswered(second);
    assert.match(second.answer, /answers question 2: "And how do I fix it\?"/);

    const requests = await responsesRequests();
    assert.equal(requests.length, 2);
    const input = requests[1].input;
    assert.deepEqual(input.map((m) => m.role), ['developer', 'user', 'assistant', 'user']);
    assert.equal(input[0].content, EDITOR_INSTRUCTIONS);
    assert.match(input[1].content, /^What does add do\?\n\nFrom sample\.ts, lines 2–4:\n```typescript\n/);
    assert.equal(input[2].content, first.answer);
    assert.equal(input[3].content, 'And how do I fix it?');
  });

  test('Stop aborts the request at the stand-in at once and keeps the partial answer, marked stopped', async () => {
    await standin('POST', '/__standin/faults', { kind: 'slowStream', delayMs: 150 });
    const asking = api.chat.receive({ type: 'ask', requestId: 'stop-1', prompt: 'Tell me everything. [[words:400]]' });
    await waitFor('the first deltas', () => (api.chat.conversation.turn('stop-1')?.answer.length ?? 0) > 0, 10_000);
    const started = Date.now();
    await api.chat.receive({ type: 'cancel', requestId: 'stop-1' });
    const stopMs = Date.now() - started;
    const turn = api.chat.conversation.turn('stop-1');
    assert.ok(turn);
    assert.equal(turn.status, 'stopped');
    const partial = turn.answer;
    assert.ok(partial.length > 0, 'the partial answer is kept');
    await asking;
    // Once the stand-in has seen the client go away, nothing more can arrive: the answer is still the partial one.
    const recorded = await waitFor('the stand-in to record the abort', async () => (await responsesRequests()).find((r) => r.aborted));
    assert.equal(api.chat.conversation.turn('stop-1')?.answer, partial, 'nothing arrives after Stop');
    assert.equal(recorded.aborted, true);
    console.log(`  stopped in ${stopMs} ms after ${partial.length} characters; the stand-in saw the client go away`);
  });

  test('a 404 for GPT-5.5 in us-west-2 offers Switch to us-east-2, and taking it answers', async () => {
    await api.configuration.update('region', 'us-west-2');
    await api.chat.receive({ type: 'ask', requestId: 'region-1', prompt: 'Hello from Oregon' });
    const failed = api.chat.conversation.turn('region-1');
    assert.ok(failed);
    assert.equal(failed.status, 'error');
    assert.match(failed.error?.message ?? '', /not served in us-west-2/);
    assert.deepEqual(failed.error?.actions, [{ kind: 'switchRegion', region: 'us-east-2' }]);
    assert.equal(failed.question, 'Hello from Oregon', 'the question is kept');
    const [first] = await responsesRequests();
    assert.equal(first.region, 'us-west-2');
    assert.equal(first.status, 404);

    // A button the turn did not offer (a forged message) changes nothing.
    await api.chat.receive({ type: 'action', requestId: 'region-1', action: { kind: 'switchRegion', region: 'eu-west-1' } });
    assert.equal(api.configuration.get('region'), 'us-west-2', 'an action the panel was not offered is ignored');
    await api.chat.receive({ type: 'action', requestId: 'region-1', action: { kind: 'switchRegion', region: 'us-east-2' } });
    assert.equal(api.configuration.get('region'), 'us-east-2');
    assert.equal(vscode.workspace.getConfiguration('bedrockGpt').inspect('region')?.globalValue, 'us-east-2', 'written to the user settings');
    const retried = api.chat.conversation.turn('region-1');
    assertAnswered(retried);
    assert.equal(retried.region, 'us-east-2');
    assert.match(retried.answer, /openai\.gpt-5\.5 in us-east-2 answers/);
    const second = (await responsesRequests())[1];
    assert.equal(second.region, 'us-east-2');
    assert.equal(second.status, 200);
  });

  test('Find Bugs sends the selection with the problems VS Code reports in it', async () => {
    const editor = await openWithSelection('bugs.ts', 2, 4);
    const diagnostics = vscode.languages.createDiagnosticCollection('chat-test');
    try {
      diagnostics.set(editor.document.uri, [
        Object.assign(new vscode.Diagnostic(new vscode.Range(2, 9, 2, 14), 'Suspicious subtraction in add()', vscode.DiagnosticSeverity.Warning), { source: 'lint', code: 'no-minus' }),
        new vscode.Diagnostic(new vscode.Range(5, 0, 5, 6), 'Outside the selection', vscode.DiagnosticSeverity.Error),
      ]);
      await vscode.commands.executeCommand('bedrockGpt.findBugs');
    } finally {
      diagnostics.dispose();
    }
    const turn = api.chat.conversation.turns.at(-1);
    assertAnswered(turn);
    assert.match(turn.question, /^Find bugs in this code/);
    assert.match(turn.question, /- line 3: warning \(lint no-minus\): Suspicious subtraction in add\(\)/);
    assert.doesNotMatch(turn.question, /Outside the selection/);
    const [request] = await responsesRequests();
    assert.match(request.input.at(-1)?.content ?? '', /Suspicious subtraction in add\(\)[\s\S]*```typescript\nexport function add/);
  });

  test('a 401 is recovered: a new token is signed and the question sent once more, without the user', async () => {
    await standin('POST', '/__standin/faults', { kind: 'status', status: 401, message: 'Bearer token expired' });
    await api.chat.receive({ type: 'ask', requestId: 'renew-1', prompt: 'Still there?' });
    assertAnswered(api.chat.conversation.turn('renew-1'));
    const statuses = (await responsesRequests()).map((r) => r.status);
    assert.deepEqual(statuses.slice(-2), [401, 200]);
  });

  test('a silent stream is stopped at the silence bound: question and partial answer kept, the message says why, Retry offered', async () => {
    await api.configuration.update('streamIdleTimeoutSeconds', 1);
    try {
      await standin('POST', '/__standin/faults', { kind: 'slowStream', delayMs: 600_000 });
      await api.chat.receive({ type: 'ask', requestId: 'silent-1', prompt: 'Are you there?' });
      const turn = api.chat.conversation.turn('silent-1');
      assert.equal(turn?.status, 'error');
      assert.equal(turn.question, 'Are you there?');
      assert.ok(turn.answer.length > 0, 'the text that arrived is kept');
      assert.match(turn.error?.message ?? '', /^The answer stream sent nothing for 1 seconds, so it was stopped; what arrived is shown\. Try again, or raise the silence timeout \(the Bedrock GPT: Stream Idle Timeout Seconds setting\)\.$/);
      assert.ok(turn.error?.actions.some((a) => a.kind === 'askAgain'), 'a Retry button');
      await waitFor('the stand-in to see the request aborted', async () => (await responsesRequests()).at(-1)?.aborted === true);
    } finally {
      await api.configuration.update('streamIdleTimeoutSeconds', undefined);
    }
  });

  test('a failed answer keeps its question, and Retry asks it again', async () => {
    // 500 three times: the first attempt and the SDK's two retries.
    await standin('POST', '/__standin/faults', { kind: 'status', status: 500, times: 3 });
    await api.chat.receive({ type: 'ask', requestId: 'retry-1', prompt: 'Will this work?' });
    const failed = api.chat.conversation.turn('retry-1');
    assert.equal(failed?.status, 'error');
    assert.match(failed?.error?.message ?? '', /service error \(500\)/);
    assert.ok(failed?.error?.actions.some((a) => a.kind === 'askAgain'), 'a Retry button');
    await api.chat.receive({ type: 'retry', requestId: 'retry-1' });
    const retried = api.chat.conversation.turn('retry-1');
    assertAnswered(retried);
    assert.equal(retried.question, 'Will this work?');
    assert.equal(api.chat.conversation.turns.length, 1, 'retried in place');
  });

  test('Insert puts the code at the cursor of the editor the question came from', async () => {
    const editor = await openWithSelection('insert.ts', 2, 4);
    const turn = await askAboutSelection('Give me a helper [[reply]]```ts\nexport const double = (n: number) => 2 * n;\n```[[/reply]]');
    assertAnswered(turn);
    const code = /```ts\n([\s\S]*?)\n```/.exec(turn.answer)?.[1];
    assert.equal(code, 'export const double = (n: number) => 2 * n;');
    // Focus elsewhere, cursor at the start of line 6: Insert goes to that editor, at that cursor.
    editor.selection = new vscode.Selection(5, 0, 5, 0);
    await vscode.commands.executeCommand('workbench.action.focusSecondEditorGroup');
    await api.chat.receive({ type: 'insert', requestId: turn.requestId, code: `${code}\n` });
    assert.equal(editor.document.lineAt(5).text, 'export const double = (n: number) => 2 * n;');
    assert.equal(editor.document.lineAt(6).text, 'export const answer = 42;');
  });

  test('Apply as diff shows the proposed change and Accept replaces the selection', async () => {
    const editor = await openWithSelection('apply.ts', 2, 4);
    const fixed = 'export function add(a: number, b: number) {\n  return a + b;\n}';
    const turn = await askAboutSelection(`Fix it [[reply]]\`\`\`ts\n${fixed}\n\`\`\`[[/reply]]`);
    assertAnswered(turn);
    await api.chat.receive({ type: 'applyDiff', requestId: turn.requestId, code: fixed });

    const diff = await waitFor('the diff editor', () =>
      vscode.window.tabGroups.all.flatMap((g) => g.tabs).find((t) => t.input instanceof vscode.TabInputTextDiff && t.input.modified.scheme === PROPOSED_SCHEME));
    const input = diff.input as vscode.TabInputTextDiff;
    assert.equal(input.original.toString(), editor.document.uri.toString(), 'the left side is the file itself');
    const proposed = await vscode.workspace.openTextDocument(input.modified);
    assert.equal(proposed.getText(), SAMPLE.replace('return a - b;', 'return a + b;'));
    assert.equal(editor.document.getText(), SAMPLE, 'nothing changes before Accept');

    assert.equal(await api.chat.acceptDiff(), true);
    assert.equal(editor.document.getText(), SAMPLE.replace('return a - b;', 'return a + b;'));
    await waitFor('the diff editor to close', () =>
      !vscode.window.tabGroups.all.flatMap((g) => g.tabs).some((t) => t.input instanceof vscode.TabInputTextDiff && t.input.modified.scheme === PROPOSED_SCHEME));
  });

  test('a question too large for the model is refused before sending: shown under the question, never kept or saved', async () => {
    const huge = 'x'.repeat(4 * 300_000);
    const posted: ExtensionMessage[] = [];
    const shown: string[] = [];
    const listeners = [api.chat.conversation.onDidPost((m) => posted.push(m)), api.chat.onDidShowMessage((m) => shown.push(m.message))];
    try {
      await api.chat.receive({ type: 'ask', requestId: 'huge-1', prompt: `Summarise ${huge}` });
      // The panel's Retry under it asks again: counted again, refused again (nothing changed).
      await api.chat.receive({ type: 'retry', requestId: 'huge-1' });
    } finally {
      for (const l of listeners) l.dispose();
    }
    assert.equal(api.chat.conversation.turn('huge-1'), undefined, 'not kept');
    assert.deepEqual(posted.map((m) => m.type), ['turnStarted', 'error', 'turnStarted', 'error'], 'the panel shows the question with the refusal, after Retry too');
    const error = posted[1];
    assert.ok(error.type === 'error');
    assert.match(error.message, /too large for GPT-5\.5.*about [\d,]+ tokens \(estimated\); the limit is 144,000 tokens/);
    assert.deepEqual(shown, [error.message, error.message], 'and says so once per ask');
    await api.chat.history.flush();
    assert.ok(!JSON.stringify(api.chat.history.current() ?? {}).includes('huge-1'), 'nothing saved');
    assert.equal((await responsesRequests()).length, 0, 'nothing reached the stand-in');
  });

  test('the panel restores the conversation when it is closed and opened again; Export writes Markdown', async () => {
    await openWithSelection('sample.ts', 2, 4);
    const turn = await askAboutSelection('What is answer?');
    assertAnswered(turn);
    const firstCsp = api.chat.panel()?.snapshot().csp;
    api.chat.panel()?.dispose();
    const panel = await openReadyPanel(api, 15_000, 'the reopened panel');
    assert.notEqual(panel.snapshot().csp, firstCsp, 'a new nonce for every page');
    assert.equal(panel.snapshot().answers[turn.requestId], turn.answer);

    await vscode.commands.executeCommand('bedrockGpt.exportChat');
    const doc = vscode.window.activeTextEditor?.document;
    assert.equal(doc?.languageId, 'markdown');
    const text = doc?.getText() ?? '';
    assert.match(text, /## 1\. What is answer\?/);
    assert.match(text, /\*\*sample\.ts, lines 2–4\*\*\n\n```typescript\nexport function add/);
    assert.ok(text.includes(turn.answer));
  });
});
