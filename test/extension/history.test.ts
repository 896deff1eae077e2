// Every conversation kept, in the real VS Code against the Bedrock stand-in: each is a file in the extension's
// workspace storage; a new store on the same folder (what a window reload does) finds them and resumes the last;
// New chat starts another file; opening one from the list brings its turns back; delete removes the file.
import * as assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { dirname } from 'node:path';
import * as vscode from 'vscode';
import type { TestApi } from '../../src/extension';
import { ConversationStore } from '../../src/core/conversationStore';
import { PROFILES, extensionApi, useTestEnvironment, waitFor, type TestEnvironment } from './environment';

suite('chat: every conversation kept', () => {
  let env: TestEnvironment;
  let api: TestApi;

  suiteSetup(async function () {
    this.timeout(30_000);
    env = await useTestEnvironment();
    api = await extensionApi();
  });

  setup(async () => {
    await api.configuration.update('endpoint', env.endpointTemplate);
    await api.configuration.update('profile', PROFILES.static);
    await vscode.commands.executeCommand('bedrockGpt.newChat');
  });

  teardown(async () => {
    await api.chat.conversation.cancelAll();
    await api.configuration.update('profile', undefined);
    await api.configuration.update('endpoint', env.endpointTemplate);
  });

  test('history survives a reload of the store, Open brings a conversation back, and delete removes its file', async () => {
    await api.chat.receive({ type: 'ask', requestId: 'h-1', prompt: 'How does the cart total work?' });
    assert.equal(api.chat.conversation.turn('h-1')?.status, 'done', api.chat.conversation.turn('h-1')?.error?.message);
    const first = api.chat.conversation.id;
    await vscode.commands.executeCommand('bedrockGpt.newChat');
    await api.chat.receive({ type: 'ask', requestId: 'h-2', prompt: 'Why is login slow?' });
    const second = api.chat.conversation.id;
    assert.notEqual(first, second);
    await api.chat.history.flush();

    const file = api.chat.history.file(first);
    assert.ok(existsSync(file), `${file} exists`);
    const storage = dirname(file);
    assert.ok(storage.includes('workspaceStorage') || storage.includes('globalStorage'), `kept in the extension's storage: ${storage}`);

    // What the next window sees: a new store on the same folder.
    const reloaded = new ConversationStore(storage, () => ({ maxConversations: 100, maxBytes: 50 * 1024 * 1024 }));
    assert.equal(reloaded.current()?.conversation.id, second, 'the last conversation is resumed');
    const titles = reloaded.list().map((s) => s.title);
    assert.ok(titles.includes('How does the cart total work?') && titles.includes('Why is login slow?'), titles.join(' | '));
    const summary = reloaded.list().find((s) => s.id === first)!;
    assert.equal(summary.model, 'openai.gpt-5.5');
    assert.ok(summary.dollars > 0);

    await api.chat.receive({ type: 'renameConversation', id: first, title: 'Cart totals' });
    assert.equal(new ConversationStore(storage, () => ({ maxConversations: 100, maxBytes: 50 * 1024 * 1024 })).list().find((s) => s.id === first)?.title, 'Cart totals');

    await api.chat.receive({ type: 'openConversation', id: first });
    assert.equal(api.chat.conversation.id, first);
    assert.equal(api.chat.conversation.turns[0].question, 'How does the cart total work?');

    assert.equal(await api.chat.deleteConversation(first), true);
    await waitFor('the file to go', () => !existsSync(file));
    assert.notEqual(api.chat.conversation.id, first, 'deleting the open conversation starts a new one');
    assert.equal(api.chat.history.list().some((s) => s.id === first), false);
    assert.ok(existsSync(api.chat.history.file(second)), 'the other conversation stays');
  });
});
