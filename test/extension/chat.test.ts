// Asking about code in the real VS Code, against the Bedrock stand-in: a selection's question streams into the
// session and the panel; a follow-up carries the earlier turns; Find Bugs sends the problems VS Code reports; the
// panel restores the conversation and Export writes it. The suite's hooks and helpers: chatSupport.ts. Insert and
// Apply as diff: chatEdits.test.ts; Stop, failures and their recovery, the budget check: chatFaults.test.ts.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { EDITOR_INSTRUCTIONS } from '../../src/core/prompts';
import { SAMPLE, api, askAboutSelection, assertAnswered, openWithSelection, responsesRequests, useChatSuite } from './chatSupport';
import { openReadyPanel, waitFor } from './environment';

suite('chat: asking about code', () => {
  useChatSuite();

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
