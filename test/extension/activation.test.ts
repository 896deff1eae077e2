// Activation in a real VS Code: no SDKs loaded (as the extension saw it when activate() returned, so the suite
// may run in any order), every contributed command registered; the SDK bundle loads with the first token.
// Activation times are printed here; judging them is the bench's job (npm run bench).
import * as assert from 'node:assert/strict';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { TestApi } from '../../src/extension';
import { EXTENSION_ID } from '../../src/vscode/constants';
import { PROFILES, extensionApi, plain, useTestEnvironment } from './environment';

interface Contributed {
  contributes: { commands: { command: string; category?: string; title: string }[] };
}

/**
 * The extension host's own timing of an activation (performance marks VS Code records for every extension):
 * loading the extension's code, then its activate().
 */
function activationMarks(id: string): { load: number; activate: number } | undefined {
  const perf = (globalThis as { MonacoPerformanceMarks?: { getMarks(): { name: string; startTime: number }[] } }).MonacoPerformanceMarks;
  const marks = new Map((perf?.getMarks() ?? []).map((m) => [m.name, m.startTime]));
  const at = (what: string) => marks.get(`code/extHost/${what}/${id}`);
  const [willLoad, didLoad, willActivate, didActivate] = ['willLoadExtensionCode', 'didLoadExtensionCode', 'willActivateExtension', 'didActivateExtension'].map(at);
  if (willLoad === undefined || didLoad === undefined || willActivate === undefined || didActivate === undefined) return undefined;
  return { load: didLoad - willLoad, activate: didActivate - willActivate };
}

suite('activation', () => {
  let ext: vscode.Extension<TestApi | undefined>;
  let coreBundle: string;

  suiteSetup(async () => {
    await useTestEnvironment();
    const found = vscode.extensions.getExtension<TestApi | undefined>(EXTENSION_ID);
    assert.ok(found, `${EXTENSION_ID} is loaded`);
    ext = found;
    coreBundle = join(ext.extensionPath, 'dist', 'core.js');
  });

  test('activates without loading the SDK bundle', async () => {
    const wasActive = ext.isActive;
    const started = performance.now();
    const api = await ext.activate();
    const ms = performance.now() - started;
    assert.ok(api, 'activate() returns the test API in test mode');
    const marks = activationMarks(EXTENSION_ID);
    const how = wasActive ? 'activated by onStartupFinished before the suite began' : `ext.activate() took ${ms.toFixed(1)} ms here`;
    if (marks) {
      console.log(
        `  activation time: ${(marks.load + marks.activate).toFixed(1)} ms (VS Code's marks: code load ${marks.load.toFixed(1)} ms + ` +
          `activate() ${marks.activate.toFixed(1)} ms; ${how})`,
      );
    } else {
      console.log(`  activation time: ${api.activationMs.toFixed(1)} ms in activate() (${how}; no VS Code performance marks)`);
    }
    assert.deepEqual(api.loadedAtActivation, [], 'neither dist/core.js nor an SDK module was loaded when activate() returned');
    console.log(`  SDK bundle loaded at activation: no (${coreBundle} was not in require.cache when activate() returned)`);
  });

  test('before the first token the status bar invites a sign-in', async () => {
    const api = await extensionApi();
    const s = api.statusBar();
    assert.equal(s.text, '$(key) GPT-5.5');
    assert.match(plain(s.tooltip), /click to sign in/);
    assert.equal(s.command, 'bedrockGpt.refreshToken');
    assert.equal(s.background, undefined);
  });

  test('every command in package.json is registered, with the Bedrock GPT category', async () => {
    const manifest = ext.packageJSON as Contributed;
    const contributed = manifest.contributes.commands;
    assert.ok(contributed.length >= 8, 'at least the eight commands of issue 3');
    const registered = new Set(await vscode.commands.getCommands(true));
    const missing = contributed.map((c) => c.command).filter((id) => !registered.has(id));
    assert.deepEqual(missing, [], 'contributed but not registered');
    for (const c of contributed) {
      assert.ok(c.command.startsWith('bedrockGpt.'), `${c.command} is under the bedrockGpt. prefix`);
      assert.equal(c.category, 'Bedrock GPT', `${c.command} has the category`);
    }
    for (const id of ['refreshToken', 'selectModel', 'selectRegion', 'selectReasoningEffort', 'selectProfile', 'setApiKey', 'clearApiKey', 'showLog']) {
      assert.ok(registered.has(`bedrockGpt.${id}`), `bedrockGpt.${id} is registered`);
    }
    console.log(`  ${contributed.length} contributed commands, all registered`);
  });

  test('the SDK bundle loads with the first token', async () => {
    const api = await extensionApi();
    await api.configuration.update('profile', PROFILES.static);
    try {
      const started = performance.now();
      await vscode.commands.executeCommand('bedrockGpt.refreshToken');
      const state = api.tokens.state;
      assert.equal(state.kind, 'valid', `token state after refresh: ${state.kind}`);
      assert.ok(require.cache[coreBundle], `${coreBundle} is in require.cache after the first token`);
      console.log(`  first token (SDK bundle load + credentials + signing): ${(performance.now() - started).toFixed(0)} ms`);
    } finally {
      await api.configuration.update('profile', undefined);
    }
  });
});
