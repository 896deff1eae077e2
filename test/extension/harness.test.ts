// Proves the pipeline itself: a real VS Code, the workspace we asked for, the extension under development
// loaded, and the runner's environment reaching the extension host.
import * as assert from 'node:assert/strict';
import { realpathSync } from 'node:fs';
import * as vscode from 'vscode';

const host = process.env.BEDROCK_GPT_TEST_HOST;

suite('harness', () => {
  test('runs in the VS Code the runner started', () => {
    assert.ok(host === 'code-server' || host === 'electron', `BEDROCK_GPT_TEST_HOST did not reach the extension host: ${host}`);
    if (host === 'code-server') {
      assert.match(vscode.version, /^1\.139\./, `code-server 4.139.1 is VS Code 1.139, got ${vscode.version}`);
      assert.equal(process.versions.node.split('.')[0], '24');
    }
    console.log(`  VS Code ${vscode.version} (${vscode.env.appName}, ${vscode.env.uiKind === vscode.UIKind.Web ? 'web' : 'desktop'}), Node ${process.versions.node}`);
  });

  test('opens the test workspace', () => {
    const folders = vscode.workspace.workspaceFolders ?? [];
    assert.equal(folders.length, 1, 'one workspace folder');
    const expected = process.env.BEDROCK_GPT_TEST_WORKSPACE;
    assert.ok(expected, 'BEDROCK_GPT_TEST_WORKSPACE is set');
    assert.equal(realpathSync(folders[0].uri.fsPath), realpathSync(expected));
  });

  test('loads the extension under development', () => {
    const ext = vscode.extensions.getExtension('bedrock-gpt.bedrock-gpt');
    assert.ok(ext, 'bedrock-gpt.bedrock-gpt is known to the extension host');
    assert.equal(ext.packageJSON.name, 'bedrock-gpt');
  });
});
