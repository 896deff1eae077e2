// A real VS Code for the tests: code-server 4.139.1 (VS Code 1.139.1) on Node 24, driven by Debian's chromium
// through playwright-core. How and why: ../shared/reference/real-vscode-offline.md. Installed by install.sh.
//
// The harness's front door: the scripts, the UI tests, the webview tests and the benches import from here.
//   installation.ts   where the harness is installed, and whether it is complete
//   sandbox.ts        a server's own folders, environment, port and process group
//   userSettings.ts   the user settings a server starts with (Workspace Trust on or off)
//   launch.ts         starting and stopping code-server, installing a .vsix, the workbench URL
//   chromium.ts       Debian's chromium through playwright-core
//   extensionTests.ts running an extension-host suite in code-server + chromium
export { assertHarnessInstalled, CHROMIUM, CODE_SERVER_ENTRY, HARNESS_DIR, NODE24, REPO_ROOT } from './installation';
export { freePort } from './sandbox';
export { DEFAULT_USER_SETTINGS } from './userSettings';
export { installVsix, startCodeServer, workbenchUrl, type CodeServer, type CodeServerOptions } from './launch';
export { CHROMIUM_ARGS, launchChromium } from './chromium';
export { CONSOLE_TAG_VARIABLE, runExtensionTests, type ExtensionTestOptions, type ExtensionTestResult } from './extensionTests';
