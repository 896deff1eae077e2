import assert from 'node:assert/strict';
import { test } from 'node:test';
import { cacheSavings, costOf, formatDollars, formatUsage } from '../../src/core/cost';
import type { Usage } from '../../src/core/types';

const usage = (inputTokens: number, cachedInputTokens: number, outputTokens: number, reasoningTokens = 0): Usage =>
  ({ inputTokens, cachedInputTokens, outputTokens, reasoningTokens, totalTokens: inputTokens + outputTokens });

const close = (a: number, b: number) => assert.ok(Math.abs(a - b) < 1e-12, `${a} ≈ ${b}`);

test('the seed call: GPT-5.5, 28 in / 31 out', () => {
  const c = costOf(usage(28, 0, 31), 'openai.gpt-5.5');
  assert.equal(c.known, true);
  close(c.dollars, (28 * 5.5 + 31 * 33) / 1e6);
});

test('cached input at the cached price, reasoning is already inside output', () => {
  close(costOf(usage(1_000_000, 400_000, 0), 'openai.gpt-5.4').dollars, 0.6 * 2.75 + 0.4 * 0.275);
  close(costOf(usage(16, 0, 51, 16), 'openai.gpt-5.4').dollars, (16 * 2.75 + 51 * 16.5) / 1e6);
  close(costOf(usage(0, 0, 1_000_000, 900_000), 'openai.gpt-5.5').dollars, 33);
});

test('cache savings: cached input at the input price less the cached price, never more than the input', () => {
  close(cacheSavings(usage(2048, 1024, 10), 'openai.gpt-5.5'), (1024 * (5.5 - 0.55)) / 1e6);
  close(cacheSavings(usage(1_000_000, 1_000_000, 0), 'openai.gpt-5.4'), 2.75 - 0.275);
  // What was saved and what was paid add up to the uncached price.
  const u = usage(5000, 4096, 300);
  close(costOf(u, 'openai.gpt-5.5').dollars + cacheSavings(u, 'openai.gpt-5.5'), costOf({ ...u, cachedInputTokens: 0 }, 'openai.gpt-5.5').dollars);
  assert.equal(cacheSavings(usage(100, 0, 10), 'openai.gpt-5.5'), 0);
  assert.equal(cacheSavings(usage(5000, 4096, 10), 'acme.model'), 0);
});

test('custom models have no price', () => {
  assert.deepEqual(costOf(usage(10, 0, 10), 'acme.model'), { dollars: 0, known: false });
});

test('formatDollars', () => {
  assert.equal(formatDollars(0), '$0.00');
  assert.equal(formatDollars(0.0012), '$0.0012');
  assert.equal(formatDollars(0.00123456), '$0.001235');
  assert.equal(formatDollars(0.5), '$0.50');
  assert.equal(formatDollars(12.345), '$12.35');
  assert.equal(formatDollars(1.2345e-7), '$0.0000001235');
});

test('formatUsage is one line with tokens and cost', () => {
  const line = formatUsage(usage(16, 4, 51, 16), 'openai.gpt-5.4');
  assert.equal(line, 'GPT-5.4 · 16 input tokens (4 cached) · 51 output (16 reasoning) · 67 total · $0.0008756');
  assert.ok(!line.includes('\n'));
  assert.match(formatUsage(usage(1, 0, 1), 'acme.model'), /cost unknown/);
});
