// `@file`'s search: search.exclude patterns as VS Code applies them (folders hide what is under them), and the
// fuzzy ranking (fuzzysort) of workspace paths.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { enabledPatterns, isExcluded, rankFiles } from '../../src/core/fileSearch';

const PATHS = ['README.md', 'src/cart.ts', 'src/checkout/cartView.ts', 'src/core/contextItems.ts', 'test/cart.test.ts', 'vendor/lib/cart.min.js'];

test('only the patterns that are on count; a `when` clause is left to VS Code', () => {
  assert.deepEqual(enabledPatterns({ '**/node_modules': true, '**/dist': false, '**/*.js': { when: '$(basename).ts' } }), ['**/node_modules']);
  assert.deepEqual(enabledPatterns(undefined), []);
  assert.deepEqual(enabledPatterns('**/x'), []);
});

test('a pattern excludes matching files and everything under matching folders', () => {
  assert.equal(isExcluded('node_modules/pkg/index.js', ['**/node_modules']), true);
  assert.equal(isExcluded('packages/a/node_modules/pkg/index.js', ['**/node_modules']), true);
  assert.equal(isExcluded('vendor/lib/cart.min.js', ['vendor']), true);
  assert.equal(isExcluded('src/cart.ts', ['**/node_modules', 'vendor']), false);
  assert.equal(isExcluded('a/b.code-search', ['**/*.code-search']), true);
  assert.equal(isExcluded('.env', ['**/.env']), true, 'dot files match');
  assert.equal(isExcluded('src/cart.ts', []), false);
});

test('fuzzy matches rank the closest path first and leave out what does not match', () => {
  assert.equal(rankFiles(PATHS, 'cart')[0], 'src/cart.ts');
  assert.equal(rankFiles(PATHS, 'ctxitems')[0], 'src/core/contextItems.ts');
  assert.equal(rankFiles(PATHS, 'chkcartv')[0], 'src/checkout/cartView.ts');
  assert.ok(!rankFiles(PATHS, 'cart').includes('README.md'));
  assert.deepEqual(rankFiles(PATHS, 'zzzz'), []);
});

test('an empty query offers the files in order, and the count is capped', () => {
  assert.deepEqual(rankFiles(PATHS, ''), PATHS);
  const many = Array.from({ length: 500 }, (_, i) => `src/file${i}.ts`);
  assert.equal(rankFiles(many, 'file', 50).length, 50);
  assert.equal(rankFiles(many, '', 50).length, 50);
});
