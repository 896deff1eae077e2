// The same extension-host suite under @vscode/test-electron, for machines that can download VS Code (or have
// one: VSCODE_EXECUTABLE=/path/to/code). Here, offline, use scripts/test-extension-host.ts (code-server) instead.
//   npx tsx scripts/test-electron.ts             VSCODE_TEST_VERSION=stable|insiders|1.139.1 (default stable)
// On a Linux machine without a display, run it under xvfb-run.
import { runTests } from '@vscode/test-electron';
import { REPO_ROOT } from './harness/codeServer';
import { buildSuite, EXTENSION_TESTS_PATH, prepareSuite } from './test-extension-host';

async function main(): Promise<number> {
  buildSuite();
  const suite = prepareSuite('electron');
  try {
    const exitCode = await runTests({
      extensionDevelopmentPath: REPO_ROOT,
      extensionTestsPath: EXTENSION_TESTS_PATH,
      extensionTestsEnv: suite.env,
      launchArgs: [suite.workspace, '--disable-extensions', '--disable-workspace-trust', '--skip-welcome', '--skip-release-notes'],
      ...(process.env.VSCODE_EXECUTABLE
        ? { vscodeExecutablePath: process.env.VSCODE_EXECUTABLE }
        : { version: process.env.VSCODE_TEST_VERSION ?? 'stable' }),
    });
    console.log(`extension-host (electron): exit code ${exitCode}`);
    return exitCode;
  } finally {
    suite.dispose();
  }
}

main().then((code) => process.exit(code), (e) => {
  // runTests rejects with TestRunFailedError when the suite fails, or with the download's error offline.
  console.error(`extension-host (electron): ${e instanceof Error ? e.message : e}`);
  process.exit(1);
});
