// Runs an extension-host test suite in code-server, in chromium, and reports what the suite printed.
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Browser } from 'playwright-core';
import { launchChromium } from './chromium';
import { assertHarnessInstalled } from './installation';
import { startCodeServer, workbenchUrl } from './launch';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export interface ExtensionTestOptions {
  extensionDevelopmentPath: string;
  /** A module exporting `run(): Promise<void>` (a file, or a folder holding index.js). */
  extensionTestsPath: string;
  workspace?: string;
  env?: Record<string, string | undefined>;
  userSettings?: Record<string, unknown>;
  /** Workspace Trust on, the folder untrusted (CodeServerOptions.workspaceTrust). */
  workspaceTrust?: boolean;
  /** Prefix for the suite's console lines echoed to stdout; default '[ext-host] '. */
  prefix?: string;
  /** Whole-run limit; default 10 minutes (HARNESS_TEST_TIMEOUT_MS). */
  timeoutMs?: number;
  /** How long the suite's first line may take to arrive (the extension host starting); default 90 s. */
  startTimeoutMs?: number;
  /** How long the suite may print nothing once it started; default 90 s. */
  silenceTimeoutMs?: number;
  /** Also echo browser-side noise (workbench warnings, errors not from the suite). */
  verbose?: boolean;
}

export interface ExtensionTestResult {
  exitCode: number;
  /** The suite's console output (mocha's report), one entry per console message. */
  output: string;
}

/** The variable through which runExtensionTests asks the suite to tag its console lines (see test/extension/index.ts),
 *  so they can be told apart from the workbench's own log lines. */
export const CONSOLE_TAG_VARIABLE = 'HARNESS_CONSOLE_TAG';

/**
 * Runs an extension-host test suite (the module @vscode/test-electron would run) in code-server: the suite
 * is handed over in the smoke-test payload, and VS Code reports the exit code through window.codeAutomationExit.
 */
export async function runExtensionTests(o: ExtensionTestOptions): Promise<ExtensionTestResult> {
  assertHarnessInstalled();
  const testsPath = existsSync(join(o.extensionTestsPath, 'index.js')) ? join(o.extensionTestsPath, 'index.js') : o.extensionTestsPath;
  if (!existsSync(testsPath)) throw new Error(`no extension test module at ${o.extensionTestsPath}`);
  if (!existsSync(join(o.extensionDevelopmentPath, 'package.json'))) {
    throw new Error(`no extension manifest in ${o.extensionDevelopmentPath}`);
  }
  const prefix = o.prefix ?? '[ext-host] ';
  const timeoutMs = o.timeoutMs ?? Number(process.env.HARNESS_TEST_TIMEOUT_MS ?? 600_000);
  const verbose = o.verbose ?? process.env.HARNESS_VERBOSE === '1';

  const startMs = o.startTimeoutMs ?? 90_000;
  const silenceMs = o.silenceTimeoutMs ?? 90_000;
  let lastLineAt = Date.now();
  const tag = `\u27e6suite-${randomBytes(4).toString('hex')}\u27e7`;
  const server = await startCodeServer({
    workspace: o.workspace, env: { ...o.env, [CONSOLE_TAG_VARIABLE]: tag }, userSettings: o.userSettings, smokeTestDriver: true,
    workspaceTrust: o.workspaceTrust,
  });
  let browser: Browser | undefined;
  const lines: string[] = [];
  try {
    browser = await launchChromium();
    const page = await browser.newPage();
    let done!: (code: number) => void;
    const exitCode = new Promise<number>((r) => (done = r));
    await page.exposeFunction('codeAutomationExit', (code: number) => done(Number(code)));

    const recent: string[] = []; // the workbench's last lines, shown when the suite does not finish
    // Synchronous on purpose, so lines keep their order. The suite's lines arrive as one preformatted string
    // after VS Code's '%c INFO' prefix and its style: everything after the tag is the suite's own text.
    page.on('console', (msg) => {
      const text = msg.text();
      if (process.env.HARNESS_DEBUG_CONSOLE) process.stderr.write(`[console-raw] ${JSON.stringify(text)}\n`);
      const at = text.indexOf(tag);
      if (at >= 0) {
        const clean = text.slice(at + tag.length);
        lines.push(clean);
        lastLineAt = Date.now();
        process.stdout.write(clean.split('\n').map((l) => prefix + l).join('\n') + '\n');
        return;
      }
      const line = `[workbench:${msg.type()}] ${text.replace(/^%c\s*([A-Z]+)\s+color: #\w+\s*/, '$1 ')}`;
      recent.push(line);
      if (recent.length > 40) recent.shift();
      if (verbose) process.stderr.write(line + '\n');
    });
    page.on('pageerror', (e) => process.stderr.write(`[workbench:pageerror] ${e.message}\n`));

    const remote = (p: string) => `vscode-remote://127.0.0.1:${server.port}${resolve(p)}`;
    await page.goto(workbenchUrl(server, server.workspace, [
      ['extensionDevelopmentPath', remote(o.extensionDevelopmentPath)],
      ['extensionTestsPath', remote(testsPath)],
    ]));

    // Three bounds, each naming what it waited for: the suite's first line (the extension host started and
    // loaded the suite), a line at least every `silenceMs` (mocha reports each test; its own per-test timeout is
    // shorter), and the whole run.
    const startedAt = Date.now();
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, fail) => {
      timer = setInterval(() => {
        const now = Date.now();
        const last = lines.at(-1)?.split('\n').filter(Boolean).at(-1)?.trim();
        if (!lines.length && now - startedAt > startMs) {
          fail(new Error(`the extension host did not start the suite within ${startMs / 1000} s (no line of mocha's report arrived; server log: ${server.logFile})`));
        } else if (lines.length && now - lastLineAt > silenceMs) {
          fail(new Error(`the suite printed nothing for ${silenceMs / 1000} s after "${last}" (server log: ${server.logFile})`));
        } else if (now - startedAt > timeoutMs) {
          fail(new Error(`extension tests did not finish within ${timeoutMs / 1000} s (server log: ${server.logFile}; HARNESS_KEEP=1 keeps it)`));
        }
      }, 1000);
    });
    try {
      const code = await Promise.race([exitCode, timeout]).catch((e: Error) => {
        process.stderr.write(`${recent.join('\n')}\n`);
        throw e;
      });
      // The suite's console lines can arrive after the exit code: wait for its closing count (bounded).
      const summary = /: \d+ passed, \d+ failed/;
      for (const until = Date.now() + 5000; !lines.some((l) => summary.test(l)) && Date.now() < until;) await sleep(50);
      if (code !== 0 && !lines.length) process.stderr.write(`${recent.join('\n')}\n`);
      return { exitCode: code, output: lines.join('\n') };
    } finally {
      clearInterval(timer);
    }
  } finally {
    await browser?.close().catch(() => undefined);
    await server.stop();
  }
}
