import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MAX_DIFF_CHARS, checkReview, joinDiff, reviewPrompt, splitDiff } from '../../src/core/review';

const DIFF = [
  'diff --git a/src/cart.ts b/src/cart.ts',
  'index 1111111..2222222 100644',
  '--- a/src/cart.ts',
  '+++ b/src/cart.ts',
  '@@ -1,3 +1,3 @@',
  '-export const total = (a: number, b: number) => a - b;',
  '+export const total = (a: number, b: number) => a + b;',
  'diff --git a/old.ts b/old.ts',
  'deleted file mode 100644',
  '--- a/old.ts',
  '+++ /dev/null',
  '@@ -1 +0,0 @@',
  '-gone',
  'diff --git a/new.ts b/new.ts',
  'new file mode 100644',
  '--- /dev/null',
  '+++ b/new.ts',
  '@@ -0,0 +1 @@',
  '+fresh',
  '',
].join('\n');

test('splitDiff: one part per file, named by its new path (its old one when deleted); joinDiff puts it back', () => {
  const files = splitDiff(DIFF);
  assert.deepEqual(files.map((f) => f.path), ['src/cart.ts', 'old.ts', 'new.ts']);
  assert.ok(files[0].text.startsWith('diff --git a/src/cart.ts') && files[0].text.includes('a + b'));
  assert.equal(joinDiff(files), DIFF);
  assert.deepEqual(splitDiff(''), []);
  assert.deepEqual(splitDiff('@@ -1 +1 @@\n-a\n+b\n').map((f) => f.path), ['(diff)']);
});

test('the review prompt names the scope and files and asks for path:line findings', () => {
  const p = reviewPrompt({ kind: 'branch', base: 'main' }, splitDiff(DIFF));
  assert.match(p, /changes against main \(3 files: src\/cart\.ts, old\.ts, new\.ts\)/);
  assert.match(p, /`path:line`/);
  assert.match(reviewPrompt({ kind: 'staged' }, splitDiff(DIFF).slice(0, 1)), /staged changes \(1 file: src\/cart\.ts\)/);
});

test('checkReview: empty, fits, too large for the model (with its size and the limit), over the hard cap uncounted', () => {
  const count = (t: string) => t.length; // one token per character: the sizes below are exact
  assert.deepEqual(checkReview([], 'openai.gpt-5.5', count), { kind: 'empty' });
  assert.deepEqual(checkReview(splitDiff(DIFF), 'openai.gpt-5.5', count), { kind: 'ok', tokens: DIFF.length });
  const big = [{ path: 'big.ts', text: 'x'.repeat(2_000_000) }];
  const verdict = checkReview(big, 'openai.gpt-5.5', count, 1000);
  assert.equal(verdict.kind, 'tooLarge');
  assert.ok(verdict.kind === 'tooLarge' && verdict.tokens === 2_000_000 && verdict.limit > 0 && verdict.limit < 2_000_000 && verdict.bytes === 2_000_000);
  // Its size is in bytes of UTF-8, not characters: 'é' is two.
  const accented = checkReview([{ path: 'é.ts', text: 'é'.repeat(1_000_000) }], 'openai.gpt-5.5', count, 1000);
  assert.ok(accented.kind === 'tooLarge' && accented.bytes === 2_000_000, JSON.stringify(accented));
  let counted = false;
  const huge = checkReview([{ path: 'h', text: 'x'.repeat(MAX_DIFF_CHARS + 1) }], 'openai.gpt-5.5', () => { counted = true; return 0; });
  assert.equal(huge.kind, 'tooLarge');
  assert.equal(counted, false, 'a diff over the cap is not tokenized');
});

