// Starts and stops code-server 4.139.1 (VS Code 1.139.1) on Node 24; codeServer.ts describes the harness as a whole.
//
// Every server gets its own folder (user data, extensions, XDG dirs, TMPDIR, HOME) and its own process group,
// so it touches nothing outside that folder and stop() leaves nothing running.
import { spawn, spawnSync } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { assertHarnessInstalled, CODE_SERVER_ENTRY, NODE24 } from './installation';
import { freePort, installExitHook, killGroup, layout, running } from './sandbox';
import { writeUserSettings } from './userSettings';

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
  writeUserSettings(l.userDataDir, opts.workspaceTrust, opts.userSettings);
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
