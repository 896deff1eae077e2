// Workspace locations from answers in the real VS Code: `openLocation` opens a workspace file at its line (and
// selects a range); a path out of the workspace, or one that does not exist, opens nothing.
import * as assert from 'node:assert/strict';
import { mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import * as vscode from 'vscode';
import type { TestApi } from '../../src/extension';
import { extensionApi, useTestEnvironment } from './environment';

suite('chat: workspace locations in answers', () => {
  let api: TestApi;
  let folder: string;

  suiteSetup(async function () {
    this.timeout(30_000);
    await useTestEnvironment();
    api = await extensionApi();
    folder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath ?? '';
    assert.ok(folder, 'the suite runs with a workspace folder');
    mkdirSync(join(folder, 'loc'), { recursive: true });
    writeFileSync(join(folder, 'loc', 'cart.ts'), Array.from({ length: 30 }, (_, i) => `export const line${i + 1} = ${i + 1};`).join('\n'));
    // A file beside the workspace folder: reachable by `..`, which must not work.
    mkdirSync(dirname(folder), { recursive: true });
    writeFileSync(join(dirname(folder), 'outside.ts'), 'export const secret = 1;\n');
    // A link inside the workspace that points out of it.
    rmSync(join(folder, 'loc', 'link.ts'), { force: true });
    symlinkSync(join(dirname(folder), 'outside.ts'), join(folder, 'loc', 'link.ts'));
  });

  teardown(() => vscode.commands.executeCommand('workbench.action.closeAllEditors'));

  test('opens the file at the line, and selects a line range', async () => {
    await api.chat.receive({ type: 'openLocation', path: 'loc/cart.ts', line: 12 });
    const editor = vscode.window.activeTextEditor;
    assert.equal(editor?.document.uri.fsPath, join(folder, 'loc', 'cart.ts'));
    assert.equal(editor?.selection.active.line, 11);
    await api.chat.receive({ type: 'openLocation', path: 'loc/cart.ts', line: 20, endLine: 22 });
    const range = vscode.window.activeTextEditor!.selection;
    assert.deepEqual([range.start.line, range.end.line], [19, 21]);
  });

  test('a path out of the workspace, a link pointing out of it, or a missing file opens nothing', async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await api.chat.receive({ type: 'openLocation', path: '../outside.ts', line: 1 });
    await api.chat.receive({ type: 'openLocation', path: 'loc/missing.ts', line: 1 });
    await api.chat.receive({ type: 'openLocation', path: join(dirname(folder), 'outside.ts'), line: 1 });
    await api.chat.receive({ type: 'openLocation', path: 'loc/link.ts', line: 1 });
    assert.equal(vscode.window.activeTextEditor, undefined);
    assert.ok(!vscode.workspace.textDocuments.some((d) => d.uri.fsPath.endsWith('outside.ts')), 'the file outside was never opened');
  });
});
