/** Workspace locations in answers: which text is one, and which paths may be opened. Run: node --import tsx --test test/unit/location.test.ts */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { findLocations, toLocation, workspaceRelative } from '../../src/core/location';

const paths = (text: string) => findLocations(text).map((l) => [l.path, l.line, l.endLine]);

test('finds path:line and path:line-line with their offsets; a column is ignored', () => {
  const text = 'See src/cart.ts:12 and test/cart.test.ts:40-52, or lib/a.js:3:7.';
  assert.deepEqual(paths(text), [['src/cart.ts', 12, undefined], ['test/cart.test.ts', 40, 52], ['lib/a.js', 3, undefined]]);
  const [first] = findLocations(text);
  assert.equal(text.slice(first.start, first.end), 'src/cart.ts:12');
  assert.deepEqual(paths('README.md:1'), [['README.md', 1, undefined]]);
});

test('no location: no extension, no line, a URL, a time, a path out of the workspace or absolute', () => {
  assert.deepEqual(paths('at 12:30, version 1.2:3, https://example.com/a.ts:12, host:8080'), []);
  assert.deepEqual(paths('../etc/passwd.txt:1 /etc/hosts.txt:1 src/../../x.ts:1'), []);
  assert.deepEqual(paths('src/cart.ts:0'), []);
});

test('workspaceRelative normalises and refuses what could leave the workspace', () => {
  assert.equal(workspaceRelative('./src//cart.ts'), 'src/cart.ts');
  assert.equal(workspaceRelative('src\\cart.ts'), 'src/cart.ts');
  for (const bad of ['', '/etc/passwd', 'C:/x.ts', 'a/../../b.ts', '..', 'file:///x.ts', 'a\0b.ts']) assert.equal(workspaceRelative(bad), undefined, bad);
  assert.deepEqual(toLocation('src/a.ts', 5, 3), undefined, 'an end before the start');
  assert.deepEqual(toLocation('src/a.ts', 5, 5), { path: 'src/a.ts', line: 5 });
});
