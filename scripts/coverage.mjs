#!/usr/bin/env node
// `npm run coverage`: the plain-Node suite (`npm run test:unit`) under c8, then two numbers:
//   - the share of src/core/ lines the suite runs (the core is what plain Node is for: >= 90 % expected);
//   - the share of all src/ lines it reaches (every .ts file counts, loaded or not), i.e. how much of the
//     product's logic can be tested without VS Code or a browser.
// The per-folder table follows. Files that hold only types (nothing left once TypeScript is erased) are not logic
// and are left out of both numbers (they are listed). c8 writes coverage/coverage-summary.json and an HTML report.
import { transformSync } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const c8 = join(root, 'node_modules/.bin/c8');
const r = spawnSync(c8, [
  '--all', '--src', 'src', '--include', 'src/**/*.ts', '--exclude', 'src/**/*.d.ts',
  '--reporter', 'json-summary', '--reporter', 'html', '--report-dir', 'coverage', '--exclude-after-remap',
  process.execPath, 'scripts/test-all.mjs', 'unit',
], { cwd: root, stdio: ['ignore', 'inherit', 'inherit'] });
if (r.status !== 0) {
  console.error(`coverage: the unit suite failed (exit ${r.status ?? r.signal}); no numbers`);
  process.exit(r.status || 1);
}

const summary = JSON.parse(readFileSync(join(root, 'coverage/coverage-summary.json'), 'utf8'));
const groups = new Map();
const add = (name, lines) => {
  const g = groups.get(name) ?? { covered: 0, total: 0 };
  g.covered += lines.covered;
  g.total += lines.total;
  groups.set(name, g);
};
const typeOnly = [];
for (const [file, s] of Object.entries(summary)) {
  if (file === 'total') continue;
  const rel = relative(root, file).split('\\').join('/');
  if (!transformSync(readFileSync(file, 'utf8'), { loader: 'ts' }).code.trim()) {
    typeOnly.push(rel);
    continue;
  }
  const parts = rel.split('/');
  add(parts.length > 2 ? `${parts[0]}/${parts[1]}/` : rel, s.lines);
  add('src/', s.lines);
  if (rel.startsWith('src/core/')) add('src/core/ (all)', s.lines);
}
const pct = (g) => (g.total ? (100 * g.covered) / g.total : 0).toFixed(1);
const core = groups.get('src/core/ (all)') ?? { covered: 0, total: 0 };
const all = groups.get('src/') ?? { covered: 0, total: 0 };
console.log('\ncoverage of the plain-Node suite (lines):');
for (const [name, g] of [...groups].filter(([n]) => n !== 'src/' && n !== 'src/core/ (all)').sort()) {
  console.log(`  ${name.padEnd(28)} ${pct(g).padStart(5)} %  (${g.covered}/${g.total})`);
}
console.log(`  (type-only, not counted: ${typeOnly.join(', ') || 'none'})`);
console.log(`src/core lines covered: ${pct(core)} % (${core.covered}/${core.total})`);
console.log(`src/ lines reached by plain Node: ${pct(all)} % (${all.covered}/${all.total})`);
