import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseWebviewMessage, wasOffered, WEBVIEW_LIMITS } from '../../src/core/webviewMessage';
import type { WebviewMessage } from '../../src/shared/protocol';

const CONTEXT = { models: ['openai.gpt-5.5', 'openai.gpt-5.4'] };

/** One valid message of every type: the Record makes typecheck fail when the protocol gains a type without one. */
const VALID: Record<WebviewMessage['type'], WebviewMessage> = {
  ready: { type: 'ready' },
  ask: { type: 'ask', requestId: 'r1', prompt: 'Why?', model: 'openai.gpt-5.4', effort: 'high',
    context: [{ kind: 'file', path: 'src/cart.ts', startLine: 10, endLine: 20 }, { kind: 'file', path: 'README.md' }, { kind: 'problems', path: '' }] },
  contextQuery: { type: 'contextQuery', source: 'file', query: 'cart' },
  cancel: { type: 'cancel', requestId: 'r1' },
  retry: { type: 'retry', requestId: 'r1' },
  copy: { type: 'copy', code: 'x' },
  insert: { type: 'insert', requestId: 'r1', code: 'x' },
  applyDiff: { type: 'applyDiff', requestId: 'r1', code: 'x' },
  applyChangeSet: { type: 'applyChangeSet', requestId: 'r1' },
  reviewChanges: { type: 'reviewChanges' },
  openLink: { type: 'openLink', href: 'https://example.com/a' },
  newChat: { type: 'newChat' },
  exportChat: { type: 'exportChat' },
  action: { type: 'action', requestId: 'r1', action: { kind: 'ssoLogin', profile: 'dev-sso' } },
  listHistory: { type: 'listHistory', query: 'cart' },
  openConversation: { type: 'openConversation', id: 'c1' },
  renameConversation: { type: 'renameConversation', id: 'c1', title: 'Cart bug' },
  deleteConversation: { type: 'deleteConversation', id: 'c1' },
  openLocation: { type: 'openLocation', path: 'src/cart.ts', line: 12, endLine: 14 },
  workspacePrompt: { type: 'workspacePrompt', hash: 'a'.repeat(64), allow: true },
};

test('every message type of the protocol is accepted when its fields are right', () => {
  for (const m of Object.values(VALID)) assert.deepEqual(parseWebviewMessage(m, CONTEXT), m, m.type);
});

test('a field of the wrong type, length or value is refused', () => {
  const bad: unknown[] = [
    null, 'ask', 42, {}, { type: 'nope' },
    { type: 'ask', requestId: 'r1', prompt: 7 },
    { type: 'ask', requestId: '', prompt: 'x' },
    { type: 'ask', requestId: 'r'.repeat(WEBVIEW_LIMITS.id + 1), prompt: 'x' },
    { type: 'ask', requestId: 'r1', prompt: 'x'.repeat(WEBVIEW_LIMITS.prompt + 1) },
    { type: 'ask', requestId: 'r1', prompt: 'x', model: 'evil.model' }, // not offered to the panel
    { type: 'ask', requestId: 'r1', prompt: 'x', effort: 'maximum' },
    { type: 'copy', code: { toString: () => 'x' } },
    { type: 'openLink', href: 'javascript:alert(1)' },
    { type: 'openLink', href: 'file:///etc/passwd' },
    { type: 'action', requestId: 'r1', action: { kind: 'ssoLogin', profile: 'x; rm -rf ~' } },
    { type: 'action', requestId: 'r1', action: { kind: 'switchRegion', region: 'attacker.example' } },
    { type: 'action', requestId: 'r1', action: { kind: 'openSettings', setting: 'http.proxy' } },
    { type: 'action', requestId: 'r1', action: { kind: 'selectEffort', values: ['low', 'evil'] } },
    { type: 'action', requestId: 'r1', action: { kind: 'runShell' } },
    { type: 'renameConversation', id: 'c1', title: '' },
    { type: 'openLocation', path: 'src/cart.ts', line: 0 },
    { type: 'openLocation', path: 'src/cart.ts', line: 1.5 },
    { type: 'workspacePrompt', hash: 'a'.repeat(63), allow: true },
    { type: 'workspacePrompt', hash: 'A'.repeat(64), allow: true },
    { type: 'workspacePrompt', hash: 'a'.repeat(64), allow: 'yes' },
    // `@` items: only workspace-relative paths, sane ranges, known kinds and sources, a bounded count.
    { type: 'ask', requestId: 'r1', prompt: 'x', context: [{ kind: 'file', path: '../secrets.txt' }] },
    { type: 'ask', requestId: 'r1', prompt: 'x', context: [{ kind: 'file', path: '/etc/passwd' }] },
    { type: 'ask', requestId: 'r1', prompt: 'x', context: [{ kind: 'file', path: 'C:/Windows/win.ini' }] },
    { type: 'ask', requestId: 'r1', prompt: 'x', context: [{ kind: 'file', path: 'file:///etc/passwd' }] },
    { type: 'ask', requestId: 'r1', prompt: 'x', context: [{ kind: 'file', path: 'src/./cart.ts' }] },
    { type: 'ask', requestId: 'r1', prompt: 'x', context: [{ kind: 'file', path: '' }] },
    { type: 'ask', requestId: 'r1', prompt: 'x', context: [{ kind: 'file', path: 'a.ts', startLine: 5, endLine: 4 }] },
    { type: 'ask', requestId: 'r1', prompt: 'x', context: [{ kind: 'file', path: 'a.ts', endLine: 4 }] },
    { type: 'ask', requestId: 'r1', prompt: 'x', context: [{ kind: 'file', path: 'a.ts', text: 'forged' }] },
    { type: 'ask', requestId: 'r1', prompt: 'x', context: [{ kind: 'shell', path: 'a.ts' }] },
    { type: 'ask', requestId: 'r1', prompt: 'x', context: [{ kind: 'problems', path: 'a.ts', startLine: 1, endLine: 2 }] },
    { type: 'ask', requestId: 'r1', prompt: 'x', context: { kind: 'file', path: 'a.ts' } },
    { type: 'ask', requestId: 'r1', prompt: 'x', context: Array.from({ length: 21 }, () => ({ kind: 'file', path: 'a.ts' })) },
    { type: 'contextQuery', source: 'terminal', query: '' },
    { type: 'contextQuery', source: 'file', query: 'x'.repeat(WEBVIEW_LIMITS.query + 1) },
    { type: 'contextQuery', source: 'file' },
    { type: 'applyChangeSet', requestId: 42 },
    { type: 'applyChangeSet' },
  ];
  for (const m of bad) assert.equal(parseWebviewMessage(m, CONTEXT), undefined, JSON.stringify(m)?.slice(0, 120));
});

test('an error action runs only when the turn offered it, whatever the key order', () => {
  const offered = [{ kind: 'switchRegion', region: 'us-east-2' } as const, { kind: 'askAgain' } as const];
  assert.equal(wasOffered({ region: 'us-east-2', kind: 'switchRegion' } as never, offered), true);
  assert.equal(wasOffered({ kind: 'switchRegion', region: 'us-west-2' }, offered), false);
  assert.equal(wasOffered({ kind: 'ssoLogin', profile: 'prod-admin' }, offered), false);
  assert.equal(wasOffered({ kind: 'askAgain' }, undefined), false);
});
