import { test } from 'node:test';
import assert from 'node:assert/strict';
import { exportMarkdown, type ExportedConversation } from '../../src/core/exportMarkdown';
import type { ChatTurn, Conversation } from '../../src/shared/protocol';

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
    { question: 'And with a do/while?', answer: 'The same', context: [{ kind: 'file', path: 'src/loop.ts', startLine: 1, endLine: 9 }, { kind: 'problems', path: '' }], model: 'openai.gpt-5.4', region: 'us-west-2', status: 'stopped' },
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
  assert.match(md, /### Question\n\nAnd with a do\/while\?\n\nContext: `src\/loop\.ts:1-9`, `problems: workspace`\n/);
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
