// Runs each workbench UI test (test/ui/*.ui.ts) in its own process: each drives the packaged .vsix in
// code-server through Chromium and exits 0 only when everything it checked held.
import { spawnSync } from 'node:child_process';
import { readdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { assertHarnessInstalled } from './harness/codeServer';

const root = join(__dirname, '..');
const vsix = join(root, 'bedrock-gpt.vsix');
try {
  assertHarnessInstalled();
} catch (e) {
  console.error(`ui: ${(e as Error).message}`);
  process.exit(1);
}
if (!existsSync(vsix)) {
  console.error('ui: bedrock-gpt.vsix is missing: run `npm run package` first.');
  process.exit(1);
}
const LIMIT_MS = 5 * 60_000;
const files = readdirSync(join(root, 'test/ui')).filter((f) => f.endsWith('.ui.ts')).sort();
if (files.length === 0) {
  console.error('ui: no test/ui/*.ui.ts found');
  process.exit(1);
}
let passed = 0;
let failed = 0;
for (const f of files) {
  console.log(`--- ${f}`);
  // Each script bounds its own waits; this bound is for a script that hangs regardless.
  const r = spawnSync(join(root, 'node_modules/.bin/tsx'), [join('test/ui', f)], { cwd: root, stdio: 'inherit', timeout: LIMIT_MS, killSignal: 'SIGINT' });
  if (r.status === 0) passed++;
  else {
    failed++;
    const why = r.error && (r.error as NodeJS.ErrnoException).code === 'ETIMEDOUT' ? `did not finish within ${LIMIT_MS / 1000} s` : `exit ${r.status ?? r.signal}`;
    console.error(`ui: ${f} failed (${why})`);
  }
}
console.log(`ui: ${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
