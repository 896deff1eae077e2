// Runs the extension-host suite (test/extension) in a real VS Code: code-server 4.139.1 + Debian chromium.
//   npx tsx scripts/test-extension-host.ts        (needs `bash scripts/harness/install.sh` once)
// After the whole suite, the display-language suite runs again in a Japanese VS Code: code-server reads a config
// file (CODE_SERVER_CONFIG) with `locale: ja`, and the server's user data holds the languagepacks.json that an
// installed Japanese language pack leaves there (VS Code falls back to English without one; this pack,
// test/extension/fixtures/language-pack-ja, has no translations of VS Code's own strings). The extension host
// is told to expect Japanese (BEDROCK_GPT_TEST_LOCALE), so a run that stayed English fails.
// Then the workspace-trust suite runs again with Workspace Trust on (no --disable-workspace-trust, the setting on, no
// startup prompt): the scratch folder is in no trusted list, so VS Code opens it in Restricted Mode, and the suite
// (told BEDROCK_GPT_TEST_TRUST=untrusted) checks that vscode.workspace.isTrusted is false and what the workspace's
// restricted settings can no longer do.
// Env: BEDROCK_GPT_TEST_GREP=<pattern> runs a subset (then the Japanese and untrusted passes run only if the pattern picks them); HARNESS_VERBOSE=1 echoes the server and workbench logs;
//      HARNESS_KEEP=1 keeps the server's folder (user data, logs) for a look afterwards.
// Fails (non-zero exit) when chromium or code-server is missing: it never skips.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, watch, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { assertHarnessInstalled, REPO_ROOT, runExtensionTests } from './harness/codeServer';

export const EXTENSION_TESTS_PATH = join(REPO_ROOT, 'out-test/extension/index.js');
const FIXTURES = join(REPO_ROOT, 'test/extension/fixtures');
const FIXTURE_WORKSPACE = join(FIXTURES, 'workspace');

/** Builds the extension and the suite bundle (out-test/extension/index.js). */
export function buildSuite(): void {
  const r = spawnSync(process.execPath, ['esbuild.mjs', '--tests'], { cwd: REPO_ROOT, stdio: 'inherit' });
  if (r.status !== 0) throw new Error(`node esbuild.mjs --tests failed (exit ${r.status ?? r.signal})`);
  if (!existsSync(EXTENSION_TESTS_PATH)) throw new Error(`the build did not write ${EXTENSION_TESTS_PATH}`);
}

/** A scratch copy of test/extension/fixtures/workspace (or an empty folder), and the variables the suite reads. */
export function prepareSuite(host: 'code-server' | 'electron'): { workspace: string; env: Record<string, string>; dispose(): void } {
  const scratch = mkdtempSync(join(tmpdir(), 'bedrock-gpt-ws-'));
  const workspace = join(scratch, 'workspace');
  if (existsSync(FIXTURE_WORKSPACE)) cpSync(FIXTURE_WORKSPACE, workspace, { recursive: true });
  else mkdirSync(workspace);
  return {
    workspace,
    env: { BEDROCK_GPT_TEST_HOST: host, BEDROCK_GPT_TEST_WORKSPACE: workspace },
    dispose: () => rmSync(scratch, { recursive: true, force: true }),
  };
}

/** "extension-host: N passed, N failed, N pending" as printed by test/extension/index.ts. */
export function parseSummary(output: string): { passed: number; failed: number; pending: number } | undefined {
  const m = /extension-host: (\d+) passed, (\d+) failed, (\d+) pending/.exec(output);
  return m ? { passed: Number(m[1]), failed: Number(m[2]), pending: Number(m[3]) } : undefined;
}

/** The suite that runs a second time in each extra display language. */
const DISPLAY_LANGUAGE_SUITE = 'display language';
const EXTRA_LOCALES = ['ja'];
/** The suite that runs a second time with Workspace Trust on and the folder untrusted (BEDROCK_GPT_TEST_TRUST). */
const WORKSPACE_TRUST_SUITE = 'workspace trust';

interface RunOptions {
  /** An extra display language (see prepareLocale). */
  locale?: string;
  /** Workspace Trust on: the test folder opens untrusted, in Restricted Mode. */
  untrusted?: boolean;
}

interface RunResult {
  /** en, ja, untrusted; and how long the run took. */
  name: string;
  seconds: number;
  exitCode: number;
  summary: { passed: number; failed: number; pending: number } | undefined;
}

/**
 * Starts watching `servers` (the TMPDIR the harness makes each server's folder in) and gives every new server a
 * languagepacks.json naming the locale's pack, in the shape VS Code's language-pack service writes. Returns the
 * code-server config file that asks for the locale, and the watcher to close.
 */
function prepareLocale(locale: string, scratch: string): { config: string; servers: string; close(): void } {
  const servers = join(scratch, 'servers');
  mkdirSync(servers, { recursive: true });
  const packs = JSON.stringify({
    [locale]: {
      hash: `test-${locale}`,
      extensions: [{ extensionIdentifier: { id: `bedrock-gpt-tests.language-pack-${locale}` }, version: '0.0.1' }],
      translations: { vscode: join(FIXTURES, `language-pack-${locale}`, 'main.i18n.json') },
      label: locale,
    },
  });
  const watcher = watch(servers, (_event, name) => {
    const userData = name && join(servers, String(name), 'user-data');
    if (!userData || !String(name).startsWith('bedrock-gpt-cs-')) return;
    mkdirSync(userData, { recursive: true });
    if (!existsSync(join(userData, 'languagepacks.json'))) writeFileSync(join(userData, 'languagepacks.json'), packs);
  });
  const config = join(scratch, 'config.yaml');
  writeFileSync(config, `locale: ${locale}\n`);
  return { config, servers, close: () => watcher.close() };
}

async function runOnce(env: Record<string, string>, { locale, untrusted }: RunOptions = {}): Promise<RunResult> {
  const suite = prepareSuite('code-server');
  const scratch = mkdtempSync(join(tmpdir(), 'bedrock-gpt-locale-'));
  const prepared = locale ? prepareLocale(locale, scratch) : undefined;
  const started = Date.now();
  const savedTmp = process.env.TMPDIR;
  try {
    if (prepared) {
      env = { ...env, CODE_SERVER_CONFIG: prepared.config };
      process.env.TMPDIR = prepared.servers;
    }
    const { exitCode, output } = await runExtensionTests({
      extensionDevelopmentPath: REPO_ROOT,
      extensionTestsPath: EXTENSION_TESTS_PATH,
      workspace: suite.workspace,
      env: { ...suite.env, ...env },
      // The harness's servers start with the Git extension off (DEFAULT_USER_SETTINGS); Review Changes reads
      // diffs through it, so the extension-host suite turns it on, as it is for users.
      userSettings: { 'git.enabled': true },
      workspaceTrust: untrusted,
      ...((locale || untrusted) && { prefix: `[ext-host ${locale ?? 'untrusted'}] ` }),
    });
    return { name: locale ?? (untrusted ? 'untrusted' : 'en'), seconds: (Date.now() - started) / 1000, exitCode, summary: parseSummary(output) };
  } finally {
    if (savedTmp === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = savedTmp;
    prepared?.close();
    rmSync(scratch, { recursive: true, force: true });
    suite.dispose();
  }
}

async function main(): Promise<number> {
  assertHarnessInstalled();
  buildSuite();
  const started = Date.now();
  const runs: RunResult[] = [await runOnce({})];
  const grep = process.env.BEDROCK_GPT_TEST_GREP;
  if (!grep || new RegExp(grep).test(DISPLAY_LANGUAGE_SUITE)) {
    for (const locale of EXTRA_LOCALES) {
      runs.push(await runOnce({ BEDROCK_GPT_TEST_LOCALE: locale, BEDROCK_GPT_TEST_GREP: DISPLAY_LANGUAGE_SUITE }, { locale }));
    }
  }
  if (!grep || new RegExp(grep).test(WORKSPACE_TRUST_SUITE)) {
    runs.push(await runOnce({ BEDROCK_GPT_TEST_TRUST: 'untrusted', BEDROCK_GPT_TEST_GREP: WORKSPACE_TRUST_SUITE }, { untrusted: true }));
  }
  const secs = ((Date.now() - started) / 1000).toFixed(1);
  const missing = runs.find((r) => !r.summary);
  if (missing) {
    console.log(`extension-host: no test summary (exit code ${missing.exitCode}, ${secs} s): the suite did not run to the end`);
    return missing.exitCode || 1;
  }
  // A run that matched no test (a suite renamed, a pattern gone stale) proves nothing: it fails.
  const empty = runs.find((r) => r.summary!.passed + r.summary!.failed === 0);
  if (empty) {
    console.log(`extension-host: the ${empty.name} run ran no test (its suite pattern matched nothing)`);
    return 1;
  }
  const total = runs.reduce((t, r) => ({ passed: t.passed + r.summary!.passed, failed: t.failed + r.summary!.failed, pending: t.pending + r.summary!.pending }), { passed: 0, failed: 0, pending: 0 });
  const exitCode = runs.find((r) => r.exitCode !== 0)?.exitCode ?? 0;
  console.log(`extension-host: ${total.passed} passed, ${total.failed} failed, ${total.pending} pending ` +
    `(VS Code in code-server, ${runs.length} run(s): ${runs.map((r) => `${r.name} ${r.seconds.toFixed(1)} s`).join(', ')}; exit code ${exitCode}, ${secs} s)`);
  return exitCode !== 0 ? exitCode : total.failed > 0 ? 1 : 0;
}

if (require.main === module) {
  main().then((code) => process.exit(code), (e) => {
    console.error(`extension-host: ${e instanceof Error ? e.message : e}`);
    process.exit(1);
  });
}
