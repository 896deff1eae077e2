// `npm start`: the extension, built in watch mode, running in a real VS Code in the browser (the harness's
// code-server 1.139) with a sample workspace. It prints the URL to open; Ctrl-C stops everything it started.
//   npm start                     your own AWS profile and the real Bedrock endpoint (as the settings say)
//   npm start -- --demo           the project's Bedrock stand-in on 127.0.0.1 with test credentials: no AWS account
//   npm start -- --port 8391 --workspace ~/src/app
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { REPO_ROOT, assertHarnessInstalled, startCodeServer, workbenchUrl } from './harness/codeServer';
import { demoReply } from '../test/standin/demoReply';
import { startReplyProxy } from '../test/standin/replyProxy';
import { startStandin } from '../test/standin/server';
import { writeTestProfile } from '../test/ui/uiTest';

const USAGE = 'usage: npm start [-- [--demo] [--port N] [--workspace DIR]]';
const DEFAULT_PORT = 8391;
const DEMO_PROFILE = 'bedrock-gpt-demo';

interface StartOptions { demo: boolean; port: number; workspace?: string }

function parseArgs(argv: string[]): StartOptions {
  const o: StartOptions = { demo: false, port: DEFAULT_PORT };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--demo') o.demo = true;
    else if (a === '--port') {
      o.port = Number(argv[++i]);
      if (!Number.isInteger(o.port) || o.port < 1 || o.port > 65535) fail(`--port takes a number from 1 to 65535. ${USAGE}`);
    } else if (a === '--workspace') {
      if (!argv[i + 1]) fail(`--workspace takes a folder. ${USAGE}`);
      o.workspace = resolve(argv[++i]);
    } else if (a === '--help' || a === '-h') {
      console.log(USAGE);
      process.exit(0);
    } else fail(`unknown argument ${JSON.stringify(a)}. ${USAGE}`);
  }
  return o;
}

function fail(message: string): never {
  console.error(`npm start: ${message}`);
  process.exit(2);
}

/** Whatever this process started, stopped synchronously: it runs on Ctrl-C, on errors and on a normal exit. */
const cleanups: Array<() => void> = [];
process.on('exit', () => { for (const c of cleanups.reverse()) { try { c(); } catch { /* keep going */ } } });
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(sig, () => process.exit(sig === 'SIGINT' ? 130 : 143));

function killGroup(child: ChildProcess): void {
  try { process.kill(-child.pid!, 'SIGKILL'); } catch { /* already gone */ }
}

async function portIsFree(port: number): Promise<boolean> {
  try {
    await fetch(`http://127.0.0.1:${port}/`, { signal: AbortSignal.timeout(2000) });
    return false;
  } catch (e) {
    return (e as { cause?: { code?: string } }).cause?.code === 'ECONNREFUSED';
  }
}

async function main(): Promise<void> {
  const o = parseArgs(process.argv.slice(2));
  assertHarnessInstalled();
  if (!(await portIsFree(o.port))) fail(`port ${o.port} on 127.0.0.1 is in use: stop what holds it, or pick another: npm start -- --port N`);

  // One build first, so the workbench never loads a half-written bundle; then esbuild watches (own process group).
  const build = spawnSync(process.execPath, ['esbuild.mjs'], { cwd: REPO_ROOT, stdio: 'inherit' });
  if (build.status !== 0) fail('the build failed (see above)');
  const scratch = mkdtempSync(join(tmpdir(), 'bedrock-gpt-start-'));
  if (process.env.HARNESS_KEEP !== '1') cleanups.push(() => rmSync(scratch, { recursive: true, force: true }));
  // --exit-with-stdin: the watcher also ends when this process does, however it ends (even SIGKILL closes the pipe).
  const watch = spawn(process.execPath, ['esbuild.mjs', '--watch', '--exit-with-stdin'], { cwd: REPO_ROOT, stdio: ['pipe', 'inherit', 'inherit'], detached: true });
  cleanups.push(() => killGroup(watch));
  let workspace = o.workspace;
  if (!workspace) {
    workspace = join(scratch, 'demo-workspace');
    cpSync(join(REPO_ROOT, 'samples/demo-workspace'), workspace, { recursive: true });
  }

  let env: Record<string, string | undefined>;
  let userSettings: Record<string, unknown> = { 'workbench.colorTheme': 'Default Dark Modern' };
  if (o.demo) {
    const standin = await startStandin({ port: 0 });
    const proxy = await startReplyProxy(standin.url, demoReply);
    env = writeTestProfile(join(scratch, 'aws'), DEMO_PROFILE);
    userSettings = { ...userSettings, 'bedrockGpt.endpoint': proxy.endpointTemplate, 'bedrockGpt.profile': DEMO_PROFILE };
  } else {
    // Your own ~/.aws (config, credentials, SSO cache): the server's HOME is yours, its other folders its own.
    env = { HOME: homedir() };
  }
  // The extension is this checkout itself, linked into the server's extensions folder: VS Code loads dist/ from
  // here, so a rebuild is picked up by a window reload. (The web workbench honours an extensionDevelopmentPath
  // payload only with the smoke-test driver on, which is for tests.)
  const rootDir = join(scratch, 'code-server');
  const { publisher, name, version } = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as Record<string, string>;
  mkdirSync(join(rootDir, 'extensions'), { recursive: true });
  symlinkSync(REPO_ROOT, join(rootDir, 'extensions', `${publisher}.${name}-${version}`));
  const server = await startCodeServer({ port: o.port, workspace, env, userSettings, rootDir });
  cleanups.push(() => { void server.stop(); });
  void server.exited.then(() => {
    const tail = readFileSync(server.logFile, 'utf8').split('\n').slice(-20).join('\n');
    console.error(`npm start: the VS Code server stopped on its own. The end of its log:\n${tail}`);
    process.exit(1);
  });

  const url = workbenchUrl(server, workspace);
  console.log([
    '',
    `Bedrock GPT in VS Code (code-server 1.139) — ${o.demo
      ? 'demo: answers come from the Bedrock stand-in on 127.0.0.1, signed with test credentials'
      : 'your AWS profile (Bedrock GPT: Select AWS Profile) and the real Bedrock endpoint'}`,
    `  Open: ${url}`,
    `  Workspace: ${workspace}`,
    '  The extension rebuilds when you save; run "Developer: Reload Window" in the browser to load the new build.',
    '  Press Ctrl-C to stop.',
    '',
  ].join('\n'));
  await new Promise(() => undefined); // until a signal
}

main().catch((e: unknown) => {
  console.error(`npm start: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
});
