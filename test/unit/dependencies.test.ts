// Every runtime dependency is imported by the code that ships (src/): a dependency nothing imports only adds to
// the install and to what an audit must read.
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';

const ROOT = join(__dirname, '../..');

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sources(join(dir, e.name)) : /\.(ts|mjs|js)$/.test(e.name) ? [join(dir, e.name)] : []);
}

test('every dependency in package.json is imported by src/', () => {
  const { dependencies } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
  const code = sources(join(ROOT, 'src')).map((f) => readFileSync(f, 'utf8')).join('\n');
  const unused = Object.keys(dependencies).filter((name) => {
    const spec = name.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
    return !new RegExp(`(?:from\\s+|import\\(\\s*|require\\(\\s*)['"]${spec}(?:/[^'"]*)?['"]`).test(code);
  });
  assert.deepEqual(unused, [], 'dependencies that nothing in src/ imports');
});
