// Using an answer's code in the real VS Code (chatSupport.ts): Insert puts it at the cursor of the editor the
// question came from; Apply as diff shows the proposed change and Accept replaces the selection.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { PROPOSED_SCHEME } from '../../src/vscode/constants';
import { SAMPLE, api, askAboutSelection, assertAnswered, openWithSelection, useChatSuite } from './chatSupport';
import { waitFor } from './environment';

suite('chat: asking about code', () => {
  useChatSuite();

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
});
