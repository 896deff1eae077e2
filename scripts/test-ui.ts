// Runs each workbench UI test (test/ui/*.ui.ts) in its own process: each drives the packaged .vsix in
// code-server through Chromium and exits 0 only when everything it checked held.
import { spawnSync } from 'node:child_process';
import { readdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';

const root = join(__dirname, '..');
const vsix = join(root, 'bedrock-gpt.vsix');
if (!existsSync(vsix)) {
  console.error('ui: bedrock-gpt.vsix is missing: run `npm run package` first.');
  process.exit(1);
}
const files = readdirSync(join(root, 'test/ui')).filter((f) => f.endsWith('.ui.ts')).sort();
if (files.length === 0) {
  console.error('ui: no test/ui/*.ui.ts found');
  process.exit(1);
}
let passed = 0;
let failed = 0;
for (const f of files) {
  console.log(`--- ${f}`);
  const r = spawnSync(join(root, 'node_modules/.bin/tsx'), [join('test/ui', f)], { cwd: root, stdio: 'inherit', timeout: 10 * 60_000 });
  if (r.status === 0) passed++;
  else {
    failed++;
    console.error(`ui: ${f} failed (exit ${r.status ?? r.signal})`);
  }
}
console.log(`ui: ${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
