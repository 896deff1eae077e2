// Proposed changes in the real VS Code, against the Bedrock stand-in: two Apply-as-diff proposals in two tabs,
// each accepted from its own tab; a closed tab frees its proposal; a target edited after the diff opened is
// refused with a message. A two-file change set (one file changed, one created) is reviewed, applied by
// Accept All in one WorkspaceEdit and reverted by one undo; a file edited after the review opened is refused.
import * as assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { TestApi } from '../../src/extension';
import type { ChatTurn } from '../../src/shared/protocol';
import type { ShownMessage } from '../../src/vscode/chat/observedUi';
import { PROPOSED_SCHEME } from '../../src/vscode/constants';
import { PROFILES, extensionApi, useTestEnvironment, waitFor, type TestEnvironment } from './environment';

const SAMPLE = ['// A sample.', 'export function add(a: number, b: number) {', '  return a - b;', '}', ''].join('\n');
const FIXED_ADD = 'export function add(a: number, b: number) {\n  return a + b;\n}';

suite('chat: proposed changes and change sets', () => {
  let env: TestEnvironment;
  let api: TestApi;
  let folder: string;
  let shown: ShownMessage[] = [];
  let listener: vscode.Disposable | undefined;

  suiteSetup(async function () {
    this.timeout(30_000);
    env = await useTestEnvironment();
    api = await extensionApi();
    folder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath ?? '';
    assert.ok(folder, 'the suite runs with a workspace folder');
    listener = api.chat.onDidShowMessage((m) => shown.push(m));
  });

  suiteTeardown(() => listener?.dispose());

  setup(async () => {
    shown = [];
    await api.configuration.update('endpoint', env.endpointTemplate);
    await api.configuration.update('profile', PROFILES.static);
    await api.configuration.update('region', 'us-east-2');
    await vscode.commands.executeCommand('bedrockGpt.newChat');
  });

  teardown(async () => {
    await api.chat.discardDiff();
    for (const doc of vscode.workspace.textDocuments.filter((d) => d.isDirty && !d.isUntitled)) await doc.save();
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    for (const key of ['profile', 'region'] as const) await api.configuration.update(key, undefined);
    await api.configuration.update('endpoint', env.endpointTemplate);
  });

  function write(rel: string, text: string): vscode.Uri {
    const file = join(folder, rel);
    mkdirSync(join(file, '..'), { recursive: true });
    writeFileSync(file, text);
    return vscode.Uri.file(file);
  }

  async function openWithSelection(rel: string, from: number, to: number): Promise<vscode.TextEditor> {
    const doc = await vscode.workspace.openTextDocument(write(rel, SAMPLE));
    const editor = await vscode.window.showTextDocument(doc, { viewColumn: vscode.ViewColumn.One, preview: false });
    editor.selection = new vscode.Selection(from - 1, 0, to, 0);
    return editor;
  }

  /** Asks through `command` (the question box's text given as its argument) and returns the finished turn. */
  async function askWith(command: 'bedrockGpt.ask' | 'bedrockGpt.askAboutSelection', question: string): Promise<ChatTurn> {
    const before = api.chat.conversation.turns.length;
    await vscode.commands.executeCommand(command, question);
    const turn = api.chat.conversation.turns[before];
    assert.ok(turn, 'the command added a turn');
    await waitFor('the answer', () => turn.status !== 'streaming');
    assert.equal(turn.status, 'done', turn.error?.message);
    return turn;
  }
  const ask = (question: string) => askWith('bedrockGpt.ask', question);
  const askAboutSelection = (question: string) => askWith('bedrockGpt.askAboutSelection', question);

  const proposedTabs = () => vscode.window.tabGroups.all.flatMap((g) => g.tabs)
    .filter((t) => t.input instanceof vscode.TabInputTextDiff && t.input.modified.scheme === PROPOSED_SCHEME);

  /** Applies the turn's code as a diff and returns the URI of the new proposal (its tab's right side). */
  async function applyDiff(turn: ChatTurn, code: string): Promise<vscode.Uri> {
    const before = new Set(api.chat.pendingDiffs());
    await api.chat.receive({ type: 'applyDiff', requestId: turn.requestId, code });
    const key = api.chat.pendingDiffs().find((k) => !before.has(k));
    assert.ok(key, 'a new proposal is pending');
    await waitFor('its diff tab', () => proposedTabs().some((t) => (t.input as vscode.TabInputTextDiff).modified.toString() === key));
    return vscode.Uri.parse(key);
  }

  test('two proposals in two tabs: Accept in the first tab applies the first change, not the latest; closing a tab frees its proposal', async () => {
    const first = await openWithSelection('proposals/first.ts', 2, 4);
    const t1 = await askAboutSelection(`Fix it [[reply]]\`\`\`ts\n${FIXED_ADD}\n\`\`\`[[/reply]]`);
    const second = await openWithSelection('proposals/second.ts', 1, 1);
    const t2 = await askAboutSelection('Reword [[reply]]```ts\n// The second sample.\n```[[/reply]]');
    const u1 = await applyDiff(t1, FIXED_ADD);
    const u2 = await applyDiff(t2, '// The second sample.');
    assert.equal(proposedTabs().length, 2, 'two diff tabs are open');

    assert.equal(await api.chat.acceptDiff(u1), true, 'accepted from the first tab');
    assert.equal(first.document.getText(), SAMPLE.replace('return a - b;', 'return a + b;'), 'the first change is applied');
    assert.equal(second.document.getText(), SAMPLE, 'the second file is untouched');
    assert.deepEqual(api.chat.pendingDiffs(), [u2.toString()], 'the second proposal is still pending');
    assert.equal(await api.chat.acceptDiff(u1), false, 'a second click on the freed proposal accepts nothing else');
    assert.equal(second.document.getText(), SAMPLE);

    const tab = proposedTabs().find((t) => (t.input as vscode.TabInputTextDiff).modified.toString() === u2.toString());
    assert.ok(tab, 'the second diff tab is still open');
    await vscode.window.tabGroups.close(tab);
    await waitFor('the closed tab\'s proposal to be freed', () => api.chat.pendingDiffs().length === 0);
    assert.equal(second.document.getText(), SAMPLE, 'closing a tab writes nothing');
    const proposed = await vscode.workspace.openTextDocument(u2);
    assert.equal(proposed.getText(), '', 'its proposed text is freed');
  });

  test('a target edited after the diff opened is refused with a message, and nothing is replaced', async () => {
    const editor = await openWithSelection('proposals/edited.ts', 2, 4);
    const turn = await askAboutSelection(`Fix it [[reply]]\`\`\`ts\n${FIXED_ADD}\n\`\`\`[[/reply]]`);
    const uri = await applyDiff(turn, FIXED_ADD);
    const edit = new vscode.WorkspaceEdit();
    edit.replace(editor.document.uri, new vscode.Range(2, 0, 2, 15), '  return a * b;');
    assert.ok(await vscode.workspace.applyEdit(edit));
    assert.equal(await api.chat.acceptDiff(uri), false);
    assert.ok(shown.some((m) => m.severity === 'warning' && /edited\.ts has changed since the diff was opened/.test(m.message)), JSON.stringify(shown));
    assert.equal(editor.document.lineAt(2).text, '  return a * b;', 'the edit stays; nothing was replaced');
  });

  const CART = 'export const total = (items: number[]) => items.reduce((a, b) => a - b, 0);\n';
  const NEW_CART = 'import { tax } from \'./tax\';\n\nexport const total = (items: number[]) => tax(items.reduce((a, b) => a + b, 0));';
  const TAX = 'export const tax = (n: number) => n * 1.2;';
  /** An answer changing <dir>/cart.ts and creating <dir>/tax.ts (each test its own folder: no open document is shared). */
  const changeSetAnswer = (dir: string) => ['Two files change.', '', `\`\`\`ts ${dir}/cart.ts`, NEW_CART, '```', '', `**${dir}/tax.ts**`, '```ts', TAX, '```'].join('\n');

  test('a two-file change set: a diff per file, nothing written before Accept; Accept All writes both in one edit and one undo reverts it', async () => {
    const cart = write('set1/cart.ts', CART);
    const tax = vscode.Uri.file(join(folder, 'set1/tax.ts'));
    const turn = await ask(`Add tax [[reply]]${changeSetAnswer('set1')}[[/reply]]`);
    await api.chat.receive({ type: 'applyChangeSet', requestId: turn.requestId });
    await waitFor('two diff tabs', () => proposedTabs().length === 2);
    const inputs = proposedTabs().map((t) => t.input as vscode.TabInputTextDiff);
    assert.deepEqual(inputs.map((i) => i.original.scheme).sort(), [PROPOSED_SCHEME, 'file'], 'the file, and an empty left side for the new one');
    assert.equal(readFileSync(cart.fsPath, 'utf8'), CART, 'nothing is written before Accept');
    assert.equal(existsSync(tax.fsPath), false, 'the new file is not created before Accept');

    assert.equal(await api.chat.acceptAllChanges(inputs[0].modified), true);
    const cartDoc = await vscode.workspace.openTextDocument(cart);
    assert.equal(cartDoc.getText(), `${NEW_CART}\n`);
    assert.equal(readFileSync(tax.fsPath, 'utf8'), `${TAX}\n`, 'the new file is created with its content');
    await waitFor('the review tabs to close', () => proposedTabs().length === 0);
    assert.deepEqual(api.chat.pendingDiffs(), []);

    await vscode.window.showTextDocument(cartDoc);
    await vscode.commands.executeCommand('undo');
    await waitFor('one undo to revert both files', () => cartDoc.getText() === CART && !existsSync(tax.fsPath));
  });

  test('a change set whose file was edited after the review opened is refused whole, with a message', async () => {
    const cart = write('set2/cart.ts', CART);
    const turn = await ask(`Add tax [[reply]]${changeSetAnswer('set2')}[[/reply]]`);
    await api.chat.receive({ type: 'applyChangeSet', requestId: turn.requestId });
    await waitFor('two diff tabs', () => proposedTabs().length === 2);
    const doc = await vscode.workspace.openTextDocument(cart);
    const edit = new vscode.WorkspaceEdit();
    edit.insert(cart, new vscode.Position(0, 0), '// edited by hand\n');
    assert.ok(await vscode.workspace.applyEdit(edit));

    assert.equal(await api.chat.acceptAllChanges(), false, 'Accept All from the palette, with the review tab active');
    assert.ok(shown.some((m) => m.severity === 'warning' && /set2\/cart\.ts changed since the review opened/.test(m.message)), JSON.stringify(shown));
    assert.equal(doc.getText(), `// edited by hand\n${CART}`, 'the hand edit stays');
    assert.equal(existsSync(join(folder, 'set2/tax.ts')), false, 'nothing of the set is written');
  });

  test('a file edited between the question and Apply is left out of the review, with a message', async () => {
    const cart = write('set3/cart.ts', CART);
    const turn = await ask(`Add tax [[reply]]${changeSetAnswer('set3')}[[/reply]]`);
    const doc = await vscode.workspace.openTextDocument(cart);
    const edit = new vscode.WorkspaceEdit();
    edit.insert(cart, new vscode.Position(0, 0), '// edited after the question\n');
    assert.ok(await vscode.workspace.applyEdit(edit));
    await api.chat.receive({ type: 'applyChangeSet', requestId: turn.requestId });
    await waitFor('the review to open', () => api.chat.pendingDiffs().length > 0);
    assert.ok(shown.some((m) => /set3\/cart\.ts \(changed since the question was asked\)/.test(m.message)), JSON.stringify(shown));
    assert.deepEqual(api.chat.pendingDiffs().map((k) => k.replace(/^.*\//, '')), ['tax.ts'], 'only the new file is in the review');
    assert.equal(doc.getText(), `// edited after the question\n${CART}`);
  });
});
