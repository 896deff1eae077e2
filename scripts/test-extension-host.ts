// Runs the extension-host suite (test/extension) in a real VS Code: code-server 4.139.1 + Debian chromium.
//   npx tsx scripts/test-extension-host.ts        (needs `bash scripts/harness/install.sh` once)
// Env: BEDROCK_GPT_TEST_GREP=<pattern> runs a subset; HARNESS_VERBOSE=1 echoes the server and workbench logs;
//      HARNESS_KEEP=1 keeps the server's folder (user data, logs) for a look afterwards.
// Fails (non-zero exit) when chromium or code-server is missing: it never skips.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { assertHarnessInstalled, REPO_ROOT, runExtensionTests } from './harness/codeServer';

export const EXTENSION_TESTS_PATH = join(REPO_ROOT, 'out-test/extension/index.js');
const FIXTURE_WORKSPACE = join(REPO_ROOT, 'test/extension/fixtures/workspace');

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

async function main(): Promise<number> {
  assertHarnessInstalled();
  buildSuite();
  const suite = prepareSuite('code-server');
  const started = Date.now();
  try {
    const { exitCode, output } = await runExtensionTests({
      extensionDevelopmentPath: REPO_ROOT,
      extensionTestsPath: EXTENSION_TESTS_PATH,
      workspace: suite.workspace,
      env: suite.env,
    });
    const s = parseSummary(output);
    const secs = ((Date.now() - started) / 1000).toFixed(1);
    if (!s) {
      console.log(`extension-host: no test summary (exit code ${exitCode}, ${secs} s): the suite did not run to the end`);
      return exitCode || 1;
    }
    console.log(`extension-host: ${s.passed} passed, ${s.failed} failed, ${s.pending} pending ` +
      `(VS Code in code-server, exit code ${exitCode}, ${secs} s)`);
    return exitCode !== 0 ? exitCode : s.failed > 0 ? 1 : 0;
  } finally {
    suite.dispose();
  }
}

if (require.main === module) {
  main().then((code) => process.exit(code), (e) => {
    console.error(`extension-host: ${e instanceof Error ? e.message : e}`);
    process.exit(1);
  });
}
