import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CONFIRM_ABOVE_TOKENS, checkBudget, estimateTokens, exportMarkdown, type ExportedConversation } from '../../src/core/contextBudget';
import { costOf } from '../../src/core/cost';
import { modelInfo } from '../../src/core/models';
import type { ChatTurn, Conversation } from '../../src/shared/protocol';

test('estimateTokens: about four characters a token for Latin text and code', () => {
  assert.equal(estimateTokens(''), 0);
  assert.equal(estimateTokens(undefined), 0);
  assert.equal(estimateTokens('abcd'), 1);
  assert.equal(estimateTokens('abcde'), 2);
  const code = 'function add(a, b) {\n  return a + b;\n}\n'.repeat(100);
  assert.equal(estimateTokens(code), Math.ceil(code.length / 4));
});

test('estimateTokens: one token per CJK character, not a quarter', () => {
  assert.equal(estimateTokens('日本語のテキスト'), 8);
  assert.equal(estimateTokens('한국어'), 3);
  // Mixed: 4 wide + 8 Latin characters (2 tokens).
  assert.equal(estimateTokens('漢字 abc かな de'), 4 + 2);
  // A character outside the BMP counts once, not twice.
  assert.equal(estimateTokens('𠮷'), 1);
});

test('checkBudget: a small question is ok', () => {
  const v = checkBudget({ model: 'openai.gpt-5.5', promptText: 'Explain this code', code: 'let x = 1;' });
  assert.equal(v.kind, 'ok');
  assert.ok(v.estimatedTokens > 0 && v.estimatedTokens < 100);
});

test('checkBudget: large but legal asks for confirmation with the input cost', () => {
  const code = 'x'.repeat(4 * 30_000);
  const v = checkBudget({ model: 'openai.gpt-5.5', promptText: 'What does this do?', code, maxOutputTokens: 4096 });
  assert.equal(v.kind, 'confirm');
  if (v.kind !== 'confirm') return;
  assert.ok(v.estimatedTokens > CONFIRM_ABOVE_TOKENS);
  assert.equal(v.priceKnown, true);
  const expected = costOf({ inputTokens: v.estimatedTokens, cachedInputTokens: 0, outputTokens: 0, reasoningTokens: 0, totalTokens: v.estimatedTokens }, 'openai.gpt-5.5').dollars;
  assert.ok(Math.abs(v.estimatedDollars - expected) < 1e-9);
  // ~30k tokens at $5.50 per million input tokens.
  assert.ok(v.estimatedDollars > 0.1 && v.estimatedDollars < 0.25, String(v.estimatedDollars));
});

test('checkBudget: the threshold can be moved', () => {
  const v = checkBudget({ model: 'openai.gpt-5.4', promptText: 'q', code: 'y'.repeat(4000), confirmAboveTokens: 500 });
  assert.equal(v.kind, 'confirm');
});

test('checkBudget: over the context minus the reserved output is refused, with the limit', () => {
  const info = modelInfo('openai.gpt-5.4');
  assert.ok(info);
  const code = 'z'.repeat(4 * info.contextTokens);
  const v = checkBudget({ model: 'openai.gpt-5.4', promptText: 'q', code, maxOutputTokens: 8000 });
  assert.equal(v.kind, 'refuse');
  if (v.kind !== 'refuse') return;
  assert.equal(v.limit, info.contextTokens - Math.min(8000, info.maxOutputTokens));
  assert.ok(v.estimatedTokens > v.limit);
});

test('checkBudget: just under the limit is confirmed, not refused', () => {
  const info = modelInfo('openai.gpt-5.4');
  assert.ok(info);
  const limit = info.contextTokens - 1000;
  const code = 'z'.repeat(4 * (limit - 200));
  const v = checkBudget({ model: 'openai.gpt-5.4', promptText: 'q', code, maxOutputTokens: 1000 });
  assert.equal(v.kind, 'confirm');
});

test('checkBudget: a custom model id is never refused locally, and its price is unknown', () => {
  const v = checkBudget({ model: 'my.custom-model', promptText: 'q', code: 'z'.repeat(4 * 2_000_000) });
  assert.equal(v.kind, 'confirm');
  if (v.kind !== 'confirm') return;
  assert.equal(v.priceKnown, false);
  assert.equal(v.estimatedDollars, 0);
});

const conversation: ExportedConversation = {
  turns: [
    {
      question: 'Why does this loop never end?',
      code: { text: 'while (i < 10) {\n  console.log(i);\n}\n', languageId: 'typescript', fileName: 'src/loop.ts', startLine: 3, endLine: 5 },
      answer: 'Because `i` never changes.\n\n```ts\nfor (let i = 0; i < 10; i++) console.log(i);\n```',
      model: 'openai.gpt-5.5', region: 'us-east-2', effort: 'medium', status: 'done',
      usage: { usage: { inputTokens: 120, cachedInputTokens: 0, outputTokens: 80, reasoningTokens: 40, totalTokens: 200 }, dollars: 0.00330, firstTokenMs: 900, totalMs: 2400 },
      reasoning: 'Looked at the condition.',
    },
    { question: 'And with a do/while?', answer: 'The same', model: 'openai.gpt-5.4', region: 'us-west-2', status: 'stopped' },
    { question: 'Third', answer: '', model: 'openai.gpt-5.5', region: 'us-west-2', status: 'error', error: { message: 'The model openai.gpt-5.5 is not served in us-west-2.' } },
  ],
};

test('exportMarkdown: questions, code with its language, answers, settings and usage', () => {
  const md = exportMarkdown(conversation, new Date(Date.UTC(2026, 10, 25, 13, 0, 0)));
  assert.match(md, /^# Bedrock GPT conversation\n/);
  assert.match(md, /## 1\. Why does this loop never end\?/);
  assert.match(md, /\*\*src\/loop\.ts, lines 3–5\*\*\n\n```typescript\nwhile \(i < 10\) \{\n  console\.log\(i\);\n\}\n```/);
  assert.match(md, /Model: `openai\.gpt-5\.5` · Region: `us-east-2` · Effort: `medium`/);
  assert.match(md, /Because `i` never changes\./);
  assert.match(md, /input 120 \(cached 0\) · output 80 \(reasoning 40\) · \$0\.0033 · first token 0\.9 s · total 2\.4 s/);
  assert.match(md, /<details><summary>Reasoning summary<\/summary>/);
  assert.match(md, /## 2\. And with a do\/while\?[\s\S]*_\(stopped\)_/);
  assert.match(md, /> \*\*Error:\*\* The model openai\.gpt-5\.5 is not served in us-west-2\./);
  assert.match(md, /Session total: \$0\.0033/);
});

test('exportMarkdown: code that holds a fence gets a longer fence', () => {
  const md = exportMarkdown({ turns: [{ question: 'q', code: { text: 'const s = "```";\n', languageId: 'javascript' }, answer: 'a', model: 'm', region: 'r', status: 'done' }] });
  assert.match(md, /````javascript\nconst s = "```";\n````/);
});

test('exportMarkdown: the protocol\'s ChatTurn is accepted as it is', () => {
  const turn: ChatTurn = {
    requestId: 'r1', question: 'q', model: 'openai.gpt-5.4', region: 'us-east-2', effort: 'low', answer: 'a', reasoning: '', status: 'done',
    code: { text: 'x', languageId: 'python', fileName: 'a.py', startLine: 1, endLine: 1 },
    usage: { usage: { inputTokens: 1, cachedInputTokens: 0, outputTokens: 1, reasoningTokens: 0, totalTokens: 2 }, dollars: 0, costKnown: true, totalMs: 5 },
    error: undefined,
  };
  const conv: Conversation = { id: 'c', turns: [turn] };
  const md = exportMarkdown(conv);
  assert.match(md, /\*\*a\.py, line 1\*\*\n\n```python\nx\n```/);
});

test('exportMarkdown: an empty conversation is still a document', () => {
  const md = exportMarkdown({ turns: [] });
  assert.match(md, /^# Bedrock GPT conversation/);
  assert.doesNotMatch(md, /Session total/);
});
