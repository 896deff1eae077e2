import assert from 'node:assert/strict';
import { test } from 'node:test';
import { withProblems } from '../../src/core/diagnostics';
import { locate, matchTrailingNewline, replaceSpan } from '../../src/core/textEdits';

const text = 'line one\nfunction f() {\n  return 1;\n}\nline five\n';
const start = text.indexOf('function');
const end = text.indexOf('line five');

test('locate: the span while it holds the text; else where the text moved; else nothing', () => {
  const expected = text.slice(start, end);
  assert.deepEqual(locate(text, { start, end }, expected), { start, end });
  assert.deepEqual(locate(text, { start, end }, undefined), { start, end });
  const moved = `// added\n${text}`;
  assert.deepEqual(locate(moved, { start, end }, expected), { start: start + 9, end: end + 9 });
  assert.equal(locate(text.replace('return 1', 'return 2'), { start, end }, expected), undefined);
});

test('locate: a text that moved and now appears twice is not guessed at', () => {
  const expected = text.slice(start, end);
  const twice = `${expected}// copy\n${text}`;
  assert.equal(locate(twice, { start, end }, expected), undefined, 'two copies: neither is taken');
  assert.deepEqual(locate(twice, { start: 0, end: expected.length }, expected), { start: 0, end: expected.length }, 'the span still holds it');
});

test('matchTrailingNewline keeps the file\'s shape, CRLF included', () => {
  assert.equal(matchTrailingNewline('x = 1', 'y = 2\n'), 'x = 1\n');
  assert.equal(matchTrailingNewline('x = 1', 'y = 2\r\n'), 'x = 1\r\n');
  assert.equal(matchTrailingNewline('x = 1\n', 'y = 2'), 'x = 1');
  assert.equal(matchTrailingNewline('x = 1\r\n', 'y = 2'), 'x = 1');
  assert.equal(matchTrailingNewline('x = 1\n', ''), 'x = 1\n', 'an empty selection takes the code as it is');
  assert.equal(matchTrailingNewline('x = 1\n', 'y\n'), 'x = 1\n');
});

test('replaceSpan replaces exactly the span', () => {
  assert.equal(replaceSpan('abcdef', { start: 2, end: 4 }, 'XY'), 'abXYef');
  assert.equal(replaceSpan('abc', { start: 3, end: 3 }, '!'), 'abc!');
});

test('withProblems: the prompt alone without problems; else a heading and one line each', () => {
  assert.equal(withProblems('Find bugs.', [], 'Problems:', (n) => `line ${n}`), 'Find bugs.');
  const out = withProblems(
    'Find bugs.',
    [
      { line: 11, severity: 0, source: 'ts', code: 2322, message: "Type 'string' is not assignable to type 'number'." },
      { line: 3, severity: 1, message: 'Unused variable.' },
      { line: 0, severity: 7, source: '', code: '', message: 'Odd.' },
    ],
    'Problems:',
    (n) => `Zeile ${n}`,
  );
  assert.equal(out, "Find bugs.\n\nProblems:\n- Zeile 12: error (ts 2322): Type 'string' is not assignable to type 'number'.\n- Zeile 4: warning: Unused variable.\n- Zeile 1: info: Odd.");
});
