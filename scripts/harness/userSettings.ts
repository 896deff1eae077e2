// The user settings a test server starts with, Workspace Trust on or off, written where code-server reads them.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

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

/** Writes <userDataDir>/User/settings.json: the defaults, then Workspace Trust's when it is on, then the caller's. */
export function writeUserSettings(userDataDir: string, workspaceTrust: boolean | undefined, userSettings: Record<string, unknown> | undefined): void {
  mkdirSync(join(userDataDir, 'User'), { recursive: true });
  const trust = workspaceTrust ? TRUST_ON_SETTINGS : {};
  writeFileSync(join(userDataDir, 'User/settings.json'),
    JSON.stringify({ ...DEFAULT_USER_SETTINGS, ...trust, ...userSettings }, null, 2));
}
