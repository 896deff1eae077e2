// The extension-host suite's entry (extensionTestsPath), the same under code-server and @vscode/test-electron.
// esbuild bundles this file into out-test/extension/index.js. Every test/extension/**/*.test.ts is pulled into
// the bundle by the glob import below, and loaded inside run(), after mocha's TDD globals exist: a new test
// file needs no registration here, only a rebuild (`node esbuild.mjs --tests`).
import { readdirSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { format } from 'node:util';
import Mocha from 'mocha'; // external: resolved from the repository's node_modules at run time

/** test/extension in the source tree (the bundle lives in out-test/extension). */
const SOURCE_DIR = resolve(__dirname, '../../test/extension');

function testFiles(dir: string): string[] {
  const found: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory() && e.name !== 'fixtures' && e.name !== 'node_modules') found.push(...testFiles(p));
    else if (e.isFile() && e.name.endsWith('.test.ts')) found.push(p);
  }
  return found.sort();
}

/**
 * Under code-server the extension host's console reaches the runner mixed with the workbench's own log lines:
 * the runner passes a tag in HARNESS_CONSOLE_TAG and keeps only the lines that start with it. VS Code makes
 * the console's methods read-only in the extension host, so the whole `console` global is swapped for the run
 * (and mocha's saved console.log with it). Returns the undo.
 */
function tagConsole(tag: string | undefined): () => void {
  if (!tag) return () => undefined;
  const original = globalThis.console;
  const tagged = Object.create(original) as Console;
  for (const m of ['log', 'info', 'warn', 'error', 'debug'] as const) {
    Object.defineProperty(tagged, m, { value: (...args: unknown[]) => original[m](tag + format(...args)) });
  }
  const base = Mocha.reporters.Base as unknown as { consoleLog: (...args: unknown[]) => void };
  const savedLog = base.consoleLog;
  base.consoleLog = tagged.log;
  globalThis.console = tagged;
  return () => {
    globalThis.console = original;
    base.consoleLog = savedLog;
  };
}

/** The repository root: a rejection whose stack runs through its bundles (out-test/, dist/) is the extension's or a test's. */
const ROOT = resolve(__dirname, '../..');

/**
 * Collects unhandled rejections from this repository's code while the suite runs (the extension host is shared with
 * VS Code's own extensions, whose rejections are theirs to answer for). Returns a function that stops listening and
 * gives what was seen.
 */
function watchRejections(): () => string[] {
  const seen: string[] = [];
  const onRejection = (reason: unknown) => {
    const stack = reason instanceof Error ? (reason.stack ?? '') : '';
    if (stack.includes(join(ROOT, 'out-test')) || stack.includes(join(ROOT, 'dist'))) seen.push(stack.split('\n').slice(0, 4).join(' | '));
  };
  process.on('unhandledRejection', onRejection);
  return () => {
    process.off('unhandledRejection', onRejection);
    return seen;
  };
}

export async function run(): Promise<void> {
  const untag = tagConsole(process.env.HARNESS_CONSOLE_TAG);
  const rejections = watchRejections();
  try {
    await runSuite();
  } finally {
    untag();
    const seen = rejections();
    if (seen.length) throw new Error(`${seen.length} unhandled rejection(s) during the extension-host suite:\n${seen.join('\n')}`);
  }
}

async function runSuite(): Promise<void> {
  const mocha = new Mocha({
    ui: 'tdd',
    color: false,
    reporter: 'spec',
    timeout: Number(process.env.BEDROCK_GPT_TEST_TIMEOUT_MS ?? 20_000),
    grep: process.env.BEDROCK_GPT_TEST_GREP || undefined,
  });
  // What mocha.addFile() + loadFiles() would do, for modules that are already in the bundle.
  mocha.suite.emit('pre-require', globalThis, 'bundle', mocha);
  const files = testFiles(SOURCE_DIR);
  if (!files.length) throw new Error(`no *.test.ts files under ${SOURCE_DIR}`);
  for (const file of files) {
    const rel = relative(SOURCE_DIR, file).split('\\').join('/').replace(/\.test\.ts$/, '');
    // A template import: esbuild bundles every file the pattern can match (a glob import).
    mocha.suite.emit('require', await import(`./${rel}.test.ts`), file, mocha);
  }
  mocha.suite.emit('post-require', globalThis, 'bundle', mocha);

  const failures = await new Promise<number>((done, fail) => {
    try {
      const runner = mocha.run((n) => done(n));
      runner.once('end', () => {
        const s = runner.stats!;
        console.log(`extension-host: ${s.passes} passed, ${s.failures} failed, ${s.pending} pending`);
      });
    } catch (e) {
      fail(e);
    }
  });
  if (failures > 0) throw new Error(`${failures} extension-host test(s) failed`);
}
