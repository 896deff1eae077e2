#!/usr/bin/env node
// Runs every test suite of the project in order and prints one closing line "N passed, N failed".
//   node scripts/test-all.mjs                 all suites (what `npm test` and CI run)
//   node scripts/test-all.mjs unit webview    only the named suites
// Suites that need Chromium or code-server fail (never skip) when those are missing.
import { spawn, spawnSync } from 'node:child_process';
import { readdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const tsx = join(root, 'node_modules/.bin/tsx');

/** Test files of a folder, sorted: Node 20's test runner does not expand globs itself. */
function testFiles(dir, suffix) {
  const full = join(root, dir);
  if (!existsSync(full)) return [];
  return readdirSync(full).filter((f) => f.endsWith(suffix)).sort().map((f) => join(dir, f));
}

/** Node's test runner prints "ℹ pass N" / "ℹ fail N" at the end (spec reporter). */
function nodeTestCounts(out) {
  const pass = [...out.matchAll(/^ℹ pass (\d+)$/gm)].pop();
  const fail = [...out.matchAll(/^ℹ fail (\d+)$/gm)].pop();
  return pass && fail ? { passed: Number(pass[1]), failed: Number(fail[1]) } : undefined;
}

/** Our own runners print "<suite>: N passed, N failed". */
function summaryCounts(out) {
  const m = [...out.matchAll(/^[\w-]+: (\d+) passed, (\d+) failed/gm)];
  if (m.length === 0) return undefined;
  return m.reduce((a, x) => ({ passed: a.passed + Number(x[1]), failed: a.failed + Number(x[2]) }), { passed: 0, failed: 0 });
}

const none = () => ({ passed: 0, failed: 0 });
/** Seconds a suite may take in all; the harness's first install and the real-VS-Code suites get more. */
const DEFAULT_LIMIT_S = 600;
const suites = {
  // Idempotent: installs chromium, Node 24 and code-server into .harness/ once, then takes under a second.
  harness: { limitS: 1500, cmd: 'bash', args: ['scripts/harness/install.sh'], counts: none },
  build: { cmd: process.execPath, args: ['esbuild.mjs', '--tests'], counts: none },
  lint: { cmd: 'npm', args: ['run', '-s', 'lint'], counts: none },
  typecheck: { cmd: 'npm', args: ['run', '-s', 'typecheck'], counts: none },
  unit: {
    cmd: process.execPath,
    args: ['--import', 'tsx', '--test', '--test-concurrency=1', '--test-reporter=spec', ...testFiles('test/unit', '.test.ts')],
    counts: nodeTestCounts,
  },
  webview: {
    needs: 'chromium',
    cmd: process.execPath,
    args: ['--import', 'tsx', '--test', '--test-concurrency=1', '--test-reporter=spec', ...testFiles('test/webview', '.test.ts')],
    counts: nodeTestCounts,
  },
  'extension-host': { needs: 'all', limitS: 900, cmd: tsx, args: ['scripts/test-extension-host.ts'], counts: summaryCounts },
  package: { cmd: 'npm', args: ['run', '-s', 'package'], counts: none },
  ui: { needs: 'all', limitS: 1200, cmd: tsx, args: ['scripts/test-ui.ts'], counts: summaryCounts },
};

const wanted = process.argv.slice(2);
const order = wanted.length ? wanted : Object.keys(suites);
for (const name of order) if (!suites[name]) { console.error(`unknown suite: ${name} (known: ${Object.keys(suites).join(', ')})`); process.exit(2); }

// Each suite runs in its own process group (so a hung one can be stopped whole): pass a Ctrl-C on to it.
let current;
for (const sig of ['SIGINT', 'SIGTERM']) {
  process.on(sig, () => {
    if (current) { try { process.kill(-current.pid, sig); } catch { /* gone */ } }
    process.exit(sig === 'SIGINT' ? 130 : 143);
  });
}

/** A suite that needs Chromium or code-server fails at once, in one line, when they are missing or half-installed. */
function preflight(s) {
  if (!s.needs) return undefined;
  const r = spawnSync(tsx, ['scripts/harness/check.ts', s.needs], { cwd: root, encoding: 'utf8', timeout: 30_000 });
  return r.status === 0 ? undefined : (r.stderr || r.stdout || `harness check failed (${r.status ?? r.signal})`).trim();
}

function run(name) {
  const s = suites[name];
  return new Promise((resolve) => {
    const started = Date.now();
    console.log(`\n=== ${name} ===`);
    const missing = preflight(s);
    if (missing) {
      console.error(`${name}: ${missing}`);
      resolve({ name, code: 1, counts: undefined, seconds: ((Date.now() - started) / 1000).toFixed(1), out: missing });
      return;
    }
    const child = spawn(s.cmd, s.args, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'], env: process.env, detached: true });
    current = child;
    // A bound for the whole suite, over the bounds each runner keeps itself: a hang ends the suite, named.
    const limitS = s.limitS ?? DEFAULT_LIMIT_S;
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      console.error(`${name}: did not finish within ${limitS} s; stopping it`);
      try { process.kill(-child.pid, 'SIGTERM'); } catch { /* gone */ }
      setTimeout(() => { try { process.kill(-child.pid, 'SIGKILL'); } catch { /* gone */ } }, 10_000).unref();
    }, limitS * 1000);
    let out = '';
    child.stdout.on('data', (d) => { out += d; process.stdout.write(d); });
    child.stderr.on('data', (d) => { out += d; process.stderr.write(d); });
    child.on('close', (exitCode) => {
      clearTimeout(timer);
      const code = timedOut ? 124 : exitCode;
      const counts = s.counts(out);
      const seconds = ((Date.now() - started) / 1000).toFixed(1);
      resolve({ name, code, counts, seconds, out });
    });
  });
}

/**
 * Whatever a suite printed (test names, logs, the extension host's console, the CLI's output) must hold no
 * bearer token and none of the stand-in's test secrets: one more check over the whole run.
 */
const SECRET_SHAPES = [
  /bedrock-api-key-[A-Za-z0-9+/=]{16,}/,
  /standin(?:Static|Session)SecretKey/,
  /StandinSessionToken/,
  /X-Amz-Signature=[0-9a-f]{16,}/,
  /X-Amz-Security-Token=[^\s&]{8,}/,
];

let passed = 0;
let failed = 0;
const report = [];
const leaks = [];
let outputChars = 0;
for (const name of order) {
  const r = await run(name);
  outputChars += r.out.length;
  for (const re of SECRET_SHAPES) if (re.test(r.out)) leaks.push(`${re} (${name})`);
  if (r.counts) { passed += r.counts.passed; failed += r.counts.failed; }
  // A suite that exits non-zero fails even when it printed no count (a crash, a missing browser).
  const broken = r.code !== 0 && (!r.counts || r.counts.failed === 0);
  if (broken) failed += 1;
  report.push(`${r.name.padEnd(15)} ${r.code === 0 ? 'ok    ' : 'FAILED'} ${r.counts ? `${r.counts.passed} passed, ${r.counts.failed} failed` : ''}${broken ? ' (exited ' + r.code + ')' : ''}  ${r.seconds}s`);
}
if (leaks.length) {
  failed += 1;
  report.push(`${'secrets'.padEnd(15)} FAILED the output shows ${leaks.join(', ')}`);
} else {
  passed += 1;
  report.push(`${'secrets'.padEnd(15)} ok     no token or test secret in ${outputChars} characters of output`);
}
console.log('\n=== summary ===');
for (const line of report) console.log(line);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
