// Shared by the 'chat: asking about code' files (chat.test.ts, chatEdits.test.ts, chatFaults.test.ts): the suite's
// hooks and the helpers its tests use. Call useChatSuite() inside the suite: before the suite it takes the test
// environment, the extension's API and the workspace folder; before each test the stand-in's endpoint, the
// static-key profile, us-east-2, GPT-5.5, an empty stand-in and a new chat; after each test nothing dirty or open
// is left and the settings are put back. `api` is live: read it inside tests.
import * as assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { TestApi } from '../../src/extension';
import type { ChatTurn } from '../../src/shared/protocol';
import type { RecordedRequest } from '../standin/server';
import { extensionApi, resetChat, useTestEnvironment, workspaceFolder, type TestEnvironment } from './environment';

export const SAMPLE = [
  '// A sample for the chat tests.',
  'export function add(a: number, b: number) {',
  '  return a - b;',
  '}',
  '',
  'export const answer = 42;',
  '',
].join('\n');

let env: TestEnvironment;
export let api: TestApi;
let folder: string;

export function useChatSuite(): void {
  suiteSetup(async function () {
    this.timeout(30_000);
    env = await useTestEnvironment();
    api = await extensionApi();
    folder = workspaceFolder();
  });

  setup(async () => {
    await resetChat(api, env);
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
}

export async function standin<T = unknown>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
  const res = await fetch(`${env.standinUrl}${path}`, {
    method,
    ...(body !== undefined && { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
  });
  assert.ok(res.ok, `${method} ${path} → ${res.status}`);
  const text = await res.text();
  return (text ? JSON.parse(text) : undefined) as T;
}

export const responsesRequests = async () => (await standin<RecordedRequest[]>('GET', '/__standin/requests')).filter((r) => r.route === 'responses');

/** A file in the workspace, open in an editor, with lines `from`..`to` (1-based, inclusive) selected. */
export async function openWithSelection(name: string, from: number, to: number): Promise<vscode.TextEditor> {
  const file = join(folder, name);
  mkdirSync(folder, { recursive: true });
  writeFileSync(file, SAMPLE);
  const doc = await vscode.workspace.openTextDocument(vscode.Uri.file(file));
  const editor = await vscode.window.showTextDocument(doc, { viewColumn: vscode.ViewColumn.One, preview: false });
  editor.selection = new vscode.Selection(from - 1, 0, to, 0);
  return editor;
}

export async function askAboutSelection(question: string): Promise<ChatTurn> {
  const before = api.chat.conversation.turns.length;
  await vscode.commands.executeCommand('bedrockGpt.askAboutSelection', question);
  const turn = api.chat.conversation.turns[before];
  assert.ok(turn, 'the command added a turn');
  return turn;
}

export function assertAnswered(turn: ChatTurn | undefined): asserts turn is ChatTurn {
  assert.ok(turn, 'the turn exists');
  assert.equal(turn.status, 'done', `turn status ${turn.status}${turn.error ? `: ${turn.error.message}` : ''}`);
}
