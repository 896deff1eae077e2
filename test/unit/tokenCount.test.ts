import { test } from 'node:test';
import assert from 'node:assert/strict';
import { countTokens as countO200k } from 'gpt-tokenizer/encoding/o200k_base';
import { countTokens } from '../../src/core/tokenCount';

test('countTokens uses the o200k_base encoding of GPT-5.x', () => {
  assert.equal(countTokens(''), 0);
  // o200k_base: "hello world" is two tokens, [24912, 2375]; cl100k would give the same count but other ids,
  // so check a string where the encodings differ in count too: Japanese is far denser in o200k.
  assert.equal(countTokens('hello world'), 2);
  const ja = 'こんにちは、世界。今日はいい天気ですね。';
  assert.ok(countTokens(ja) < ja.length, `o200k packs Japanese below one token per character (${countTokens(ja)})`);
});

test('countTokens: text longer than a piece counts as the whole (cut at whitespace), and a long run stays close', () => {
  const prose = 'The quick brown fox jumps over the lazy dog. '.repeat(400);
  assert.ok(prose.length > 4 * 2048);
  // The reference: the library's own count of the whole text at once (fast for text with spaces).
  assert.ok(Math.abs(countTokens(prose) - countO200k(prose)) <= 8, `${countTokens(prose)} vs ${countO200k(prose)}`);
  // One run of 1.2 million characters with no space (a question the budget check must refuse, not hang on).
  const run = 'x'.repeat(1_200_000);
  const n = countTokens(run);
  assert.ok(n > run.length / 16 && n < run.length, String(n));
  assert.equal(countTokens('𠮷'.repeat(3000)) > 0, true);
});
