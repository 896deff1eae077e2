import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildInput, userMessage } from '../../src/core/ask';
import { askOptions } from '../../src/core/chatRequest';
import { CONFIRM_ABOVE_TOKENS, checkBudget, checkSelection, inputTokens } from '../../src/core/contextBudget';
import { costOf } from '../../src/core/cost';
import { modelInfo } from '../../src/core/models';
import { DEFAULTS, SELECTION_RANGE_CHARACTERS, sanitizeSetting } from '../../src/core/settings';
import { countTokens } from '../../src/core/tokenCount';
import type { ChatTurn } from '../../src/shared/protocol';

const turn = (question: string, code?: string): ChatTurn => ({
  requestId: 'r', question, ...(code !== undefined && { code: { text: code, languageId: 'typescript', fileName: 'a.ts', startLine: 1, endLine: 3 } }),
  model: 'openai.gpt-5.5', region: 'us-east-2', answer: '', reasoning: '', status: 'streaming',
});

/** The tokens of what would be sent for a question with `code`, counted as the budget check counts them. */
function tokensOf(question: string, code?: string, history: ChatTurn[] = []): number {
  return inputTokens(buildInput(askOptions(turn(question, code), history, DEFAULTS, { userMessage })), countTokens);
}

test('inputTokens counts every message that is sent, with the real tokenizer and the framing of each', () => {
  const messages = buildInput(askOptions(turn('Explain this code', 'let x = 1;'), [], DEFAULTS, { userMessage }));
  assert.deepEqual(messages.map((m) => m.role), ['developer', 'user']);
  const exact = messages.reduce((n, m) => n + countTokens(m.content), 0);
  const counted = inputTokens(messages, countTokens);
  assert.ok(counted > exact && counted <= exact + 3 * messages.length + 3, `${counted} vs ${exact}`);
  // History goes out too, so it is counted too.
  const answered: ChatTurn = { ...turn('Earlier', 'const y = 2;'), requestId: 'e', answer: 'It sets y.', status: 'done' };
  assert.ok(tokensOf('Explain this code', 'let x = 1;', [answered]) > counted + countTokens('It sets y.'));
});

test('checkBudget: a small question is ok', () => {
  const v = checkBudget({ model: 'openai.gpt-5.5', inputTokens: tokensOf('Explain this code', 'let x = 1;') });
  assert.equal(v.kind, 'ok');
  assert.ok(v.estimatedTokens > 0 && v.estimatedTokens < 400, String(v.estimatedTokens));
});

test('checkBudget: large but legal asks for confirmation with the input cost', () => {
  const code = 'const value = compute(index, offset);\n'.repeat(4_000);
  const v = checkBudget({ model: 'openai.gpt-5.5', inputTokens: tokensOf('What does this do?', code), maxOutputTokens: 4096 });
  assert.equal(v.kind, 'confirm');
  if (v.kind !== 'confirm') return;
  assert.ok(v.estimatedTokens > CONFIRM_ABOVE_TOKENS);
  assert.equal(v.priceKnown, true);
  const expected = costOf({ inputTokens: v.estimatedTokens, cachedInputTokens: 0, outputTokens: 0, reasoningTokens: 0, totalTokens: v.estimatedTokens }, 'openai.gpt-5.5').dollars;
  assert.ok(Math.abs(v.estimatedDollars - expected) < 1e-9);
});

test('checkBudget: the threshold can be moved', () => {
  assert.equal(checkBudget({ model: 'openai.gpt-5.4', inputTokens: 600, confirmAboveTokens: 500 }).kind, 'confirm');
  assert.equal(checkBudget({ model: 'openai.gpt-5.4', inputTokens: 400, confirmAboveTokens: 500 }).kind, 'ok');
});

test('checkBudget: over the context minus the reserved output is refused, with the limit', () => {
  const info = modelInfo('openai.gpt-5.4');
  assert.ok(info);
  const limit = info.contextTokens - Math.min(8000, info.maxOutputTokens);
  const v = checkBudget({ model: 'openai.gpt-5.4', inputTokens: limit + 1, maxOutputTokens: 8000 });
  assert.equal(v.kind, 'refuse');
  if (v.kind !== 'refuse') return;
  assert.equal(v.limit, limit);
  assert.equal(checkBudget({ model: 'openai.gpt-5.4', inputTokens: limit, maxOutputTokens: 8000 }).kind, 'confirm', 'at the limit: confirmed, not refused');
});

test('checkBudget: a custom model id is never refused locally, and its price is unknown', () => {
  const v = checkBudget({ model: 'my.custom-model', inputTokens: 2_000_000 });
  assert.equal(v.kind, 'confirm');
  if (v.kind !== 'confirm') return;
  assert.equal(v.priceKnown, false);
  assert.equal(v.estimatedDollars, 0);
});

test('checkSelection: code over bedrockGpt.maxSelectionCharacters is refused with its size and the limit', () => {
  assert.deepEqual(checkSelection('x'.repeat(1000), 1000), { kind: 'ok' }, 'the limit itself is allowed');
  assert.deepEqual(checkSelection('x'.repeat(1001), 1000), { kind: 'refuse', characters: 1001, limit: 1000 });
  assert.deepEqual(checkSelection('', DEFAULTS.maxSelectionCharacters), { kind: 'ok' });
  // A hand-edited cap is brought inside the range package.json declares (no way to turn the cap off).
  assert.equal(sanitizeSetting('maxSelectionCharacters', 10), SELECTION_RANGE_CHARACTERS.min);
  assert.equal(sanitizeSetting('maxSelectionCharacters', 1e12), SELECTION_RANGE_CHARACTERS.max);
  assert.equal(sanitizeSetting('maxSelectionCharacters', 'lots'), DEFAULTS.maxSelectionCharacters);
});
