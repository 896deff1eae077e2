import { test } from 'node:test';
import assert from 'node:assert/strict';
import { countTokens } from '../../src/core/tokenCount';

test('countTokens uses the o200k_base encoding of GPT-5.x', () => {
  assert.equal(countTokens(''), 0);
  // o200k_base: "hello world" is two tokens, [24912, 2375]; cl100k would give the same count but other ids,
  // so check a string where the encodings differ in count too: Japanese is far denser in o200k.
  assert.equal(countTokens('hello world'), 2);
  const ja = 'こんにちは、世界。今日はいい天気ですね。';
  assert.ok(countTokens(ja) < ja.length, `o200k packs Japanese below one token per character (${countTokens(ja)})`);
});
