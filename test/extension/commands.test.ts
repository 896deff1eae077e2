// The commands' handlers, driven with an answering fake of the pickers, over a stack of their own (in-memory
// secret storage, a captured log) that reads and writes the real settings. Also: the SSO login terminal, and
// that neither a token nor a key ever reaches the log.
import * as assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { Commands, type CommandUi } from '../../src/vscode/commands';
import { Configuration } from '../../src/vscode/configuration';
import { SECRET_API_KEY } from '../../src/vscode/constants';
import { ErrorUi } from '../../src/vscode/errorUi';
import { Log } from '../../src/vscode/log';
import { ApiKeyMissingError, TokenController } from '../../src/vscode/tokenController';
import { PROFILES, useTestEnvironment, waitFor } from './environment';

class MemorySecrets {
  readonly values = new Map<string, string>();
  private readonly emitter = new vscode.EventEmitter<vscode.SecretStorageChangeEvent>();
  readonly onDidChange = this.emitter.event;
  async get(key: string) {
    return this.values.get(key);
  }
  async store(key: string, value: string) {
    this.values.set(key, value);
    this.emitter.fire({ key });
  }
  async delete(key: string) {
    this.values.delete(key);
    this.emitter.fire({ key });
  }
  async keys() {
    return [...this.values.keys()];
  }
}

type Item = vscode.QuickPickItem & { value?: string };

/** Answers each picker with the first item `choose` accepts, and records what was offered. */
class FakeUi {
  offered: Item[][] = [];
  inputs: (string | undefined)[] = [];
  inputOptions: vscode.InputBoxOptions[] = [];
  messages: string[] = [];
  choose: (items: Item[]) => Item | undefined = () => undefined;
  answerMessage: string | undefined;

  readonly ui = {
    showQuickPick: async (items: readonly Item[] | Thenable<readonly Item[]>) => {
      const list = [...(await items)];
      this.offered.push(list);
      return this.choose(list);
    },
    showInputBox: async (options?: vscode.InputBoxOptions) => {
      this.inputOptions.push(options ?? {});
      const value = this.inputs.shift();
      if (value !== undefined && options?.validateInput) {
        const problem = await options.validateInput(value);
        if (problem) throw new Error(`the input box refused ${value}: ${String(problem)}`);
      }
      return value;
    },
    showInformationMessage: async (message: string) => {
      this.messages.push(message);
      return this.answerMessage;
    },
    showWarningMessage: async (message: string) => {
      this.messages.push(message);
      return this.answerMessage;
    },
  } as unknown as CommandUi;
}

suite('commands', () => {
  let lines: string[];
  let secrets: MemorySecrets;
  let fake: FakeUi;
  let config: Configuration;
  let tokens: TokenController;
  let errorUi: ErrorUi;
  let commands: Commands;
  let log: Log;
  const disposables: vscode.Disposable[] = [];

  suiteSetup(async () => {
    await useTestEnvironment();
    lines = [];
    const capture = (level: string) => (m: string) => lines.push(`${level} ${m}`);
    const channel = { info: capture('info'), warn: capture('warn'), error: capture('error'), show() {}, dispose() {} };
    log = new Log(channel as unknown as vscode.LogOutputChannel);
    secrets = new MemorySecrets();
    config = new Configuration();
    tokens = new TokenController(config, secrets as unknown as vscode.SecretStorage, log);
    errorUi = new ErrorUi(config, tokens, log);
    fake = new FakeUi();
    commands = new Commands(config, tokens, errorUi, secrets as unknown as vscode.SecretStorage, log, { ui: fake.ui, register: false });
    disposables.push(commands, errorUi, tokens, config, log);
  });

  suiteTeardown(async () => {
    for (const key of ['model', 'region', 'reasoningEffort', 'profile', 'authentication'] as const) await config.update(key, undefined);
    for (const d of disposables.reverse()) d.dispose();
  });

  setup(() => {
    fake.offered = [];
    fake.inputs = [];
    fake.messages = [];
    fake.answerMessage = undefined;
  });

  test('selectModel offers the known models and a custom id', async () => {
    fake.choose = (items) => items.find((i) => i.value === 'openai.gpt-5.4');
    assert.equal(await commands.selectModel(), 'openai.gpt-5.4');
    assert.equal(config.get('model'), 'openai.gpt-5.4');
    const labels = fake.offered[0].map((i) => i.label);
    assert.ok(labels.includes('GPT-5.5') && labels.includes('GPT-5.4') && labels.includes('Custom model id…'), labels.join(', '));

    fake.choose = (items) => items.find((i) => i.label === 'Custom model id…');
    fake.inputs = ['openai.gpt-oss-120b'];
    assert.equal(await commands.selectModel(), 'openai.gpt-oss-120b');
    assert.equal(config.get('model'), 'openai.gpt-oss-120b');
  });

  test('selectModel offers to switch to a region that serves the model', async () => {
    await config.update('region', 'eu-west-1');
    fake.choose = (items) => items.find((i) => i.value === 'openai.gpt-5.5');
    fake.answerMessage = 'Switch to us-east-2';
    await commands.selectModel();
    assert.match(fake.messages[0], /GPT-5\.5 is not served in eu-west-1/);
    assert.equal(config.get('region'), 'us-east-2');
  });

  test('selectRegion marks the regions that serve the chosen model', async () => {
    const marked = () => fake.offered.at(-1)!.filter((i) => i.label.startsWith('$(check)')).map((i) => i.value).sort();
    fake.choose = () => undefined;
    await config.update('model', 'openai.gpt-5.4');
    await commands.selectRegion();
    assert.deepEqual(marked(), ['us-east-2', 'us-west-2']);
    await config.update('model', 'openai.gpt-5.5');
    await commands.selectRegion();
    assert.deepEqual(marked(), ['us-east-2']);
    assert.ok(fake.offered.at(-1)!.some((i) => i.label === 'Other region…'));

    fake.choose = (items) => items.find((i) => i.value === 'us-west-2');
    assert.equal(await commands.selectRegion(), 'us-west-2');
    assert.equal(config.get('region'), 'us-west-2');
    fake.choose = (items) => items.find((i) => i.label === 'Other region…');
    fake.inputs = ['ap-northeast-1'];
    assert.equal(await commands.selectRegion(), 'ap-northeast-1');
    fake.inputs = ['evil.example#'];
    await assert.rejects(commands.selectRegion(), /refused/, 'a host name is not a region');
  });

  test('selectReasoningEffort offers the six efforts', async () => {
    fake.choose = (items) => items.find((i) => i.value === 'high');
    assert.equal(await commands.selectReasoningEffort(), 'high');
    assert.deepEqual(fake.offered[0].map((i) => i.value), ['none', 'minimal', 'low', 'medium', 'high', 'xhigh']);
    assert.equal(config.get('reasoningEffort'), 'high');
  });

  test('selectProfile lists the profiles of the AWS files and the default chain', async () => {
    fake.choose = (items) => items.find((i) => i.value === PROFILES.session);
    assert.equal(await commands.selectProfile(), PROFILES.session);
    const values = fake.offered[0].map((i) => i.value);
    assert.equal(fake.offered[0][0].label, 'Use AWS_PROFILE / default chain');
    assert.equal(values[0], '');
    for (const p of [PROFILES.static, PROFILES.session, PROFILES.broken]) assert.ok(values.includes(p), `${p} offered: ${values.join(', ')}`);
    assert.equal(config.get('profile'), PROFILES.session);
    await config.update('region', 'us-east-2');
    await waitFor('the region change', () => config.get('region') === 'us-east-2');
    await tokens.refresh();
    assert.equal(tokens.state.kind, 'valid');
  });

  test('setApiKey stores the key in secret storage and switches to it; clearApiKey removes it', async () => {
    const key = 'ABSKQmVkcm9ja0FQSUtleS1zdGFuZGluLXRlc3Qta2V5LW5vdC1yZWFs';
    fake.inputs = [key];
    assert.equal(await commands.setApiKey(), true);
    assert.equal(fake.inputOptions.at(-1)?.password, true, 'a password input box');
    assert.equal(secrets.values.get(SECRET_API_KEY), key);
    await waitFor('authentication = apiKey', () => config.get('authentication') === 'apiKey');
    assert.equal(await tokens.getToken(), key);
    const state = tokens.state;
    assert.ok(state.kind === 'valid' && state.source === 'apiKey');

    fake.answerMessage = 'Use AWS profile';
    await commands.clearApiKey();
    assert.equal(secrets.values.has(SECRET_API_KEY), false);
    assert.equal(config.get('authentication'), 'awsProfile');
  });

  test('apiKey authentication without a key explains how to set one', async () => {
    await config.update('authentication', 'apiKey');
    await waitFor('authentication = apiKey', () => config.get('authentication') === 'apiKey');
    await assert.rejects(tokens.getToken(), ApiKeyMissingError);
    const e = errorUi.explain((tokens.state as { error?: unknown }).error);
    assert.equal(e.code, 'api-key-missing');
    assert.deepEqual(e.actions, [{ kind: 'setApiKey' }]);
    await config.update('authentication', undefined);
  });

  test('"Run aws sso login" runs the CLI in a terminal and refreshes the token when it succeeds', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bedrock-gpt-aws-cli-'));
    const argsFile = join(dir, 'args');
    const cli = join(dir, 'aws');
    writeFileSync(cli, `#!/bin/sh\nprintf '%s\\n' "$@" > '${argsFile}'\nexit 0\n`);
    chmodSync(cli, 0o755);
    const sso = new ErrorUi(config, tokens, log, { awsCli: cli });
    try {
      await config.update('profile', PROFILES.static);
      await waitFor('the profile change', () => config.get('profile') === PROFILES.static);
      const before = tokens.state;
      const ok = await Promise.race([
        sso.ssoLogin(PROFILES.static),
        new Promise<never>((_, fail) => setTimeout(() => fail(new Error('the terminal did not finish')), 15_000)),
      ]);
      assert.equal(ok, true);
      assert.deepEqual(readFileSync(argsFile, 'utf8').trim().split('\n'), ['sso', 'login', '--profile', PROFILES.static]);
      const after = tokens.state;
      assert.equal(after.kind, 'valid');
      if (before.kind === 'valid' && after.kind === 'valid') assert.ok(after.expiresAt! >= before.expiresAt!);
    } finally {
      sso.dispose();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('the log never holds a token or a key', async () => {
    await config.update('profile', PROFILES.static);
    const token = await tokens.refresh();
    log.info(`a careless caller logged Authorization: Bearer ${token}`);
    log.error('and an error', new Error(`token ${token} and key ABSKQmVkcm9ja0FQSUtleS1zdGFuZGluLXRlc3Qta2V5LW5vdC1yZWFs`));
    const all = lines.join('\n');
    assert.ok(lines.length > 5, 'the log has lines');
    assert.equal(all.includes(token), false, 'no token in the log');
    assert.equal(all.includes('ABSKQmVkcm9ja0FQSUtleS1zdGFuZGluLXRlc3Qta2V5LW5vdC1yZWFs'), false, 'no API key in the log');
    assert.equal(/AKIA|ASIA/.test(all), false, 'no access key id in the log');
  });
});
