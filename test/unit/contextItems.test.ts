// The `@` items of a question: queries with line ranges, which refs the panel may name, binary and oversize
// refusals, line slicing, labels, and where the items go in the request (last, and byte for byte again as history).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildInput, userMessage } from '../../src/core/ask';
import { askOptions } from '../../src/core/chatRequest';
import { checkBudget, inputTokens } from '../../src/core/contextBudget';
import { formatBytes } from '../../src/core/byteSize';
import { contextLabel, fileItem, isContextRef, isRefusal, looksBinary, MAX_CONTEXT_FILE_BYTES, parseFileQuery, withContext } from '../../src/core/contextItems';
import { problemList } from '../../src/core/diagnostics';
import { DEFAULTS } from '../../src/core/settings';
import { countTokens } from '../../src/core/tokenCount';
import type { ChatTurn, TurnContextItem } from '../../src/shared/protocol';

const utf8 = (s: string) => new TextEncoder().encode(s);
const CART = Array.from({ length: 30 }, (_, i) => `export const line${i + 1} = ${i + 1};`).join('\n') + '\n';

test('a file query may end in a line or a line range', () => {
  assert.deepEqual(parseFileQuery('src/cart.ts:10-20'), { query: 'src/cart.ts', startLine: 10, endLine: 20 });
  assert.deepEqual(parseFileQuery('cart:12'), { query: 'cart', startLine: 12, endLine: 12 });
  assert.deepEqual(parseFileQuery('cart'), { query: 'cart' });
  assert.deepEqual(parseFileQuery('cart.ts:20-10'), { query: 'cart.ts' }, 'a backwards range is no range');
  assert.deepEqual(parseFileQuery('cart.ts:0'), { query: 'cart.ts' });
});

test('refs name workspace-relative paths and sane ranges only', () => {
  assert.ok(isContextRef({ kind: 'file', path: 'src/cart.ts', startLine: 1, endLine: 3 }));
  assert.ok(isContextRef({ kind: 'problems', path: '' }));
  assert.ok(isContextRef({ kind: 'problems', path: 'src/cart.ts' }));
  for (const bad of [
    { kind: 'file', path: '' }, { kind: 'file', path: '../x' }, { kind: 'file', path: 'a/../../x' }, { kind: 'file', path: '/etc/passwd' },
    { kind: 'file', path: 'C:\\x' }, { kind: 'file', path: 'vscode-remote://h/x' }, { kind: 'file', path: 'a\\b.ts' },
    { kind: 'file', path: 'a.ts', startLine: 2 }, { kind: 'file', path: 'a.ts', startLine: 0, endLine: 1 }, { kind: 'file', path: 'a.ts', extra: 1 },
  ]) assert.equal(isContextRef(bad), false, JSON.stringify(bad));
});

test('NUL bytes or non-UTF-8 in the first bytes make a file binary; UTF-8 text (a character cut at the window too) does not', () => {
  assert.equal(looksBinary(utf8('plain text\n')), false);
  assert.equal(looksBinary(Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00])), true, 'a PNG header');
  assert.equal(looksBinary(Uint8Array.from([0x61, 0xff, 0xfe, 0x62])), true, 'not UTF-8');
  const cut = utf8(`${'a'.repeat(7999)}é and more`); // é's two bytes straddle byte 8000
  assert.equal(looksBinary(cut), false);
  assert.equal(looksBinary(utf8(`${'a'.repeat(9000)}\0`)), false, 'only the start is sniffed, as editors do');
});

test('a file item is refused when binary or oversize, with its size and the limit; a range takes its lines', () => {
  const png = fileItem({ kind: 'file', path: 'logo.png' }, Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 1]));
  assert.deepEqual(png, { kind: 'binary', path: 'logo.png', bytes: 7 });
  const big = fileItem({ kind: 'file', path: 'big.log' }, utf8('x'.repeat(MAX_CONTEXT_FILE_BYTES + 1)));
  assert.deepEqual(big, { kind: 'tooLarge', path: 'big.log', bytes: MAX_CONTEXT_FILE_BYTES + 1, limit: MAX_CONTEXT_FILE_BYTES });
  assert.equal(formatBytes(MAX_CONTEXT_FILE_BYTES), '256.0 KiB (262,144 bytes)');
  const range = fileItem({ kind: 'file', path: 'src/cart.ts', startLine: 10, endLine: 12 }, utf8(CART), 'typescript');
  assert.ok(!isRefusal(range));
  assert.equal(range.text, 'export const line10 = 10;\nexport const line11 = 11;\nexport const line12 = 12;');
  assert.deepEqual([range.startLine, range.endLine, range.languageId], [10, 12, 'typescript']);
  const clipped = fileItem({ kind: 'file', path: 'src/cart.ts', startLine: 29, endLine: 99 }, utf8(CART));
  assert.ok(!isRefusal(clipped) && clipped.endLine === 30, 'an end past the last line ends at the last line');
  assert.deepEqual(fileItem({ kind: 'file', path: 'src/cart.ts', startLine: 31, endLine: 40 }, utf8(CART)), { kind: 'badRange', path: 'src/cart.ts', startLine: 31, lines: 30 });
  const whole = fileItem({ kind: 'file', path: 'src/cart.ts' }, utf8(CART));
  assert.ok(!isRefusal(whole) && whole.text === CART && whole.startLine === undefined);
});

test('labels carry the path and the lines', () => {
  assert.equal(contextLabel({ kind: 'file', path: 'src/cart.ts', startLine: 10, endLine: 20 }), 'src/cart.ts:10-20');
  assert.equal(contextLabel({ kind: 'file', path: 'src/cart.ts', startLine: 7, endLine: 7 }), 'src/cart.ts:7');
  assert.equal(contextLabel({ kind: 'file', path: 'README.md' }), 'README.md');
  assert.equal(contextLabel({ kind: 'problems', path: '' }), 'problems: workspace');
  assert.equal(contextLabel({ kind: 'problems', path: 'src/a.ts' }), 'problems: src/a.ts');
});

test('problems are listed one a line with path, line and column, errors first', () => {
  const text = problemList([
    { path: 'src/b.ts', line: 4, column: 0, severity: 1, message: 'Unused x', source: 'ts', code: 6133 },
    { path: 'src/a.ts', line: 11, column: 4, severity: 0, message: "Type 'string'\n  is not assignable", source: 'ts', code: 2322 },
  ]);
  assert.equal(text, "src/a.ts:12:5 error (ts 2322): Type 'string' is not assignable\nsrc/b.ts:5:1 warning (ts 6133): Unused x");
});

const ITEMS: TurnContextItem[] = [
  { kind: 'file', path: 'src/cart.ts', startLine: 10, endLine: 11, text: 'export const line10 = 10;\nexport const line11 = 11;', languageId: 'typescript' },
  { kind: 'problems', path: '', text: 'src/a.ts:1:1 error: boom' },
];

function turn(question: string, o: Partial<ChatTurn> = {}): ChatTurn {
  return { requestId: question, question, model: 'openai.gpt-5.5', region: 'us-east-2', answer: '', reasoning: '', status: 'done', ...o };
}

test('each item goes in the user message after the question, labelled with its path and lines', () => {
  const text = withContext('Why is the total wrong?', ITEMS);
  assert.equal(text, [
    'Why is the total wrong?', 'Context the user attached:',
    'From src/cart.ts, lines 10–11:\n```typescript\nexport const line10 = 10;\nexport const line11 = 11;\n```',
    'Problems VS Code reports in the workspace:\n```text\nsrc/a.ts:1:1 error: boom\n```',
  ].join('\n\n'));
  assert.equal(withContext('Plain', undefined), 'Plain');
});

test('the request keeps the cache order: earlier turns byte for byte as sent, the new question with its items last', () => {
  const first = turn('Why is the total wrong?', { context: ITEMS, answer: 'Because line 10 adds tax twice.' });
  const next = turn('And how do I fix it?', { status: 'streaming', context: [ITEMS[1]] });
  const o1 = askOptions({ ...first, status: 'streaming', answer: '' }, [], DEFAULTS, { userMessage });
  const o2 = askOptions(next, [first], DEFAULTS, { userMessage });
  const [sent1, sent2] = [buildInput(o1), buildInput(o2)];
  assert.equal(sent2[1].content, sent1[sent1.length - 1].content, 'the first question goes out again exactly as it was sent');
  assert.match(sent2[sent2.length - 1].content, /^And how do I fix it\?\n\nContext the user attached:\n\nProblems VS Code reports in the workspace:/);
  assert.deepEqual(sent2.map((m) => m.role), ['developer', 'user', 'assistant', 'user']);
});

test('the budget counts the question and every item', () => {
  const bigItems: TurnContextItem[] = Array.from({ length: 3 }, (_, i) => ({ kind: 'file', path: `src/f${i}.ts`, text: 'const a = 1; '.repeat(12_000) }));
  const t = turn('Review these', { status: 'streaming', context: bigItems });
  const alone = inputTokens(buildInput(askOptions(turn('Review these', { status: 'streaming' }), [], DEFAULTS, { userMessage })), countTokens);
  const whole = inputTokens(buildInput(askOptions(t, [], DEFAULTS, { userMessage })), countTokens);
  assert.ok(whole > alone + 3 * 12_000 * 4, `every item is counted (${alone} → ${whole})`);
  const verdict = checkBudget({ model: 'openai.gpt-5.5', inputTokens: whole, maxOutputTokens: 128_000 });
  assert.equal(verdict.kind, 'refuse', 'three files of 36k tokens each do not fit where one would');
  const one = inputTokens(buildInput(askOptions({ ...t, context: bigItems.slice(0, 1) }, [], DEFAULTS, { userMessage })), countTokens);
  assert.notEqual(checkBudget({ model: 'openai.gpt-5.5', inputTokens: one, maxOutputTokens: 128_000 }).kind, 'refuse');
});
