// The commands' handlers over a stack of their own (in-memory secret storage, a captured log) that reads and writes
// the real settings, driven with an answering fake of the pickers. Call useCommandStack() inside a suite: it builds
// the stack before the suite, resets the fake before each test (and checks after it that the model picker was
// answered), and puts the settings back after the suite. The exported variables are live: read them inside tests.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { Commands } from '../../src/vscode/commands';
import { Configuration } from '../../src/vscode/configuration';
import { ErrorActions } from '../../src/vscode/errorActions';
import { Log } from '../../src/vscode/log';
import { TokenController } from '../../src/vscode/tokenController';
import { useTestEnvironment, waitFor, type TestEnvironment } from './environment';
import { FakeUi, MemorySecrets } from './fakes';

export let lines: string[];
export let secrets: MemorySecrets;
export let fake: FakeUi;
export let config: Configuration;
export let tokens: TokenController;
export let errorUi: ErrorActions;
export let commands: Commands;
export let log: Log;
export let testEnv: TestEnvironment;

export function useCommandStack(): void {
  const disposables: vscode.Disposable[] = [];

  suiteSetup(async () => {
    testEnv = await useTestEnvironment();
    lines = [];
    const capture = (level: string) => (m: string) => lines.push(`${level} ${m}`);
    const channel = { info: capture('info'), warn: capture('warn'), error: capture('error'), show() {}, dispose() {} };
    log = new Log(channel as unknown as vscode.LogOutputChannel);
    secrets = new MemorySecrets();
    config = new Configuration();
    // The model picker asks /models: the stand-in, never AWS (an earlier suite may have cleared the endpoint).
    await config.update('endpoint', testEnv.endpointTemplate);
    tokens = new TokenController(config, secrets as unknown as vscode.SecretStorage, log);
    errorUi = new ErrorActions(config, tokens, log);
    fake = new FakeUi();
    commands = new Commands(config, tokens, errorUi, secrets as unknown as vscode.SecretStorage, log, { ui: fake.ui, register: false });
    disposables.push(commands, errorUi, tokens, config, log);
  });

  suiteTeardown(async () => {
    for (const key of ['model', 'region', 'reasoningEffort', 'profile', 'authentication'] as const) await config.update(key, undefined);
    await config.update('endpoint', testEnv.endpointTemplate);
    for (const d of disposables.reverse()) d.dispose();
  });

  setup(() => {
    fake.offered = [];
    fake.opened = [];
    fake.picks = [];
    fake.acceptClosed = [];
    fake.pickerErrors = [];
    fake.answerWhen = (pick) => waitFor('the model list', () => !pick.busy, 20_000);
    fake.inputs = [];
    fake.messages = [];
    fake.answerMessage = undefined;
  });

  teardown(() => assert.deepEqual(fake.pickerErrors, [], 'the model picker was answered'));
}

/** Sets a setting and waits until the configuration reads it back. */
export async function set<K extends 'model' | 'region' | 'profile' | 'endpoint'>(key: K, value: string) {
  await config.update(key, value);
  await waitFor(`${key} = ${value}`, () => config.get(key) === value);
}
