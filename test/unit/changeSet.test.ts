import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Lexer } from 'marked';
import { ChangeSetScanner, MAX_CHANGE_SET_FILES, fitToFile, parseChangeSet, workspacePath } from '../../src/core/changeSet';

const fence = (info: string, body: string) => `\`\`\`${info}\n${body}\n\`\`\``;

test('a path in the fence\'s info string labels the block; a language alone does not', () => {
  const answer = ['Two changes:', fence('ts src/cart.ts', 'export const a = 1;'), '', fence('ts', 'not a file'), '', fence('src/util/x.py', 'print(1)')].join('\n\n');
  assert.deepEqual(parseChangeSet(answer), [
    { path: 'src/cart.ts', language: 'ts', content: 'export const a = 1;' },
    { path: 'src/util/x.py', language: 'py', content: 'print(1)' },
  ]);
});

test('a first-line `file:` comment labels the block and is left out of the content', () => {
  const answer = [fence('ts', '// file: src/a.ts\nexport {};'), fence('python', '# file: tools/b.py\nx = 1'), fence('html', '<!-- file: web/index.html -->\n<p></p>')].join('\n\n');
  assert.deepEqual(parseChangeSet(answer).map((c) => [c.path, c.content]), [
    ['src/a.ts', 'export {};'], ['tools/b.py', 'x = 1'], ['web/index.html', '<p></p>'],
  ]);
});

test('a line that is only a path, right before the fence, labels it (bold, code, heading, File:, a colon)', () => {
  const answer = [
    '**src/a.ts**', fence('ts', 'a'), '',
    '`src/b.ts`:', fence('ts', 'b'), '',
    '### src/c.ts', '', fence('ts', 'c'), '',
    'File: `src/d.ts`', fence('ts', 'd'), '',
    'Here is the fix for the cart:', fence('ts', 'not labelled: the line before is a sentence'),
  ].join('\n');
  assert.deepEqual(parseChangeSet(answer).map((c) => `${c.path}=${c.content}`), ['src/a.ts=a', 'src/b.ts=b', 'src/c.ts=c', 'src/d.ts=d']);
});

test('blocks inside a list are found; a path named twice takes its last block', () => {
  const answer = ['1. First:', '', '   ```ts src/a.ts', '   one', '   ```', '', fence('ts src/a.ts', 'two')].join('\n');
  assert.deepEqual(parseChangeSet(answer), [{ path: 'src/a.ts', language: 'ts', content: 'two' }]);
});

test('only relative paths inside the workspace: no `..`, no absolute, no drive, no backslash, no home', () => {
  for (const bad of ['../x.ts', 'src/../../x.ts', '/etc/passwd', 'C:/x.ts', 'src\\x.ts', '~/x.ts', 'src/x .ts', '']) {
    assert.equal(workspacePath(bad), undefined, bad);
  }
  assert.equal(workspacePath('./src/x.ts'), 'src/x.ts');
  assert.equal(workspacePath('src//./x.ts'), 'src/x.ts', 'normalised');
  const answer = [fence('ts ../outside.ts', 'x'), fence('ts /abs.ts', 'y'), fence('ts', '// file: ../z.ts\nz')].join('\n\n');
  assert.deepEqual(parseChangeSet(answer), []);
});

test('indented code and unlabelled fences are no change set; the set is capped', () => {
  assert.deepEqual(parseChangeSet('    // file: src/a.ts\n    x\n'), []);
  const many = Array.from({ length: MAX_CHANGE_SET_FILES + 5 }, (_, i) => fence(`ts f${i}.ts`, String(i))).join('\n\n');
  assert.equal(parseChangeSet(many).length, MAX_CHANGE_SET_FILES);
});

test('fitToFile keeps the file\'s line endings and final newline; a new file ends with one', () => {
  assert.equal(fitToFile('a\nb', 'x\r\ny\r\n'), 'a\r\nb\r\n');
  assert.equal(fitToFile('a\nb\n', 'x'), 'a\nb');
  assert.equal(fitToFile('a', undefined), 'a\n');
  assert.equal(fitToFile('a\r\nb', 'x\n'), 'a\nb\n');
});

test('the scanner fed the top-level blocks in pieces finds what one parse of the whole answer finds', () => {
  const answer = [
    'Intro.', '**src/a.ts**', fence('ts', 'a'), '',
    '1. In a list:', '', '   ```ts src/b.ts', '   b', '   ```', '',
    '### src/c.ts', '', fence('ts', 'c'), '', fence('ts', '// file: src/d.ts\nd'), '', fence('ts src/a.ts', 'a again'),
  ].join('\n');
  const whole = parseChangeSet(answer);
  assert.deepEqual(whole.map((c) => `${c.path}=${c.content}`), ['src/b.ts=b', 'src/c.ts=c', 'src/d.ts=d', 'src/a.ts=a again']);
  const tokens = new Lexer().lex(answer);
  for (let size = 1; size <= tokens.length; size++) {
    const scanner = new ChangeSetScanner();
    for (let i = 0; i < tokens.length; i += size) scanner.add(tokens.slice(i, i + size));
    assert.deepEqual(scanner.files(), whole, `pieces of ${size}`);
  }
  const scanner = new ChangeSetScanner();
  scanner.add(tokens);
  scanner.reset();
  assert.deepEqual(scanner.files(), [], 'reset forgets every block');
});
