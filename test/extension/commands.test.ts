// The commands' handlers, driven with an answering fake of the pickers, over a stack of their own (in-memory
// secret storage, a captured log) that reads and writes the real settings. Also: the SSO login terminal, and
// that neither a token nor a key ever reaches the log.
import * as assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { Commands } from '../../src/vscode/commands';
import { Configuration } from '../../src/vscode/configuration';
import { SECRET_API_KEY } from '../../src/vscode/constants';
import { ErrorActions } from '../../src/vscode/errorActions';
import { Log } from '../../src/vscode/log';
import { ApiKeyMissingError, TokenController } from '../../src/vscode/tokenController';
import { DEFAULT_CATALOG } from '../standin/catalog';
import type { RecordedRequest } from '../standin/server';
import { startStandin } from '../standin/server';
import { PROFILES, queueFault, resetStandin, settleLanguageModels, useTestEnvironment, waitFor, type TestEnvironment } from './environment';
import { FakeUi, MemorySecrets, itemFor, modelIds, reasonItem } from './fakes';

suite('commands', () => {
  let lines: string[];
  let secrets: MemorySecrets;
  let fake: FakeUi;
  let config: Configuration;
  let tokens: TokenController;
  let errorUi: ErrorActions;
  let commands: Commands;
  let log: Log;
  let testEnv: TestEnvironment;
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

  /** Sets a setting and waits until the configuration reads it back. */
  async function set<K extends 'model' | 'region' | 'profile' | 'endpoint'>(key: K, value: string) {
    await config.update(key, value);
    await waitFor(`${key} = ${value}`, () => config.get(key) === value);
  }

  test('a failed load of the core bundle is tried again on the next use', async () => {
    let loads = 0;
    const controller = new TokenController(config, secrets as unknown as vscode.SecretStorage, log, {
      loadCore: async () => {
        if (++loads === 1) throw new Error('Cannot find module dist/core.js');
        return import('../../src/core/index');
      },
    });
    try {
      await assert.rejects(controller.core(), /Cannot find module/);
      assert.equal(typeof (await controller.core()).createClient, 'function');
      assert.equal(loads, 2);
    } finally {
      controller.dispose();
    }
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

  test('selectModel opens at once with the built-in models, busy, then marks what us-east-2 serves', async () => {
    await set('profile', PROFILES.static);
    await set('region', 'us-east-2');
    await set('model', 'openai.gpt-5.4');
    fake.choose = () => undefined;
    assert.equal(await commands.selectModel(), undefined);
    const opened = fake.opened[0];
    assert.equal(opened.busy, true, 'busy while the endpoint is asked');
    assert.deepEqual(modelIds(opened.items), ['openai.gpt-5.5', 'openai.gpt-5.4'], 'the built-in list before any answer');
    assert.ok(opened.items.some((i) => i.label === 'Custom model id…'));
    assert.equal(opened.active[0]?.value, 'openai.gpt-5.4', 'the current model is highlighted');

    const listed = fake.offered[0];
    assert.deepEqual(modelIds(listed), ['openai.gpt-5.5', 'openai.gpt-5.4'], 'us-east-2 serves both');
    assert.equal(listed.filter((i) => /not served/.test(i.description ?? '')).length, 0);
    assert.equal(reasonItem(listed), undefined);
    assert.match(itemFor(listed, 'openai.gpt-5.4').description!, /\$\(check\)/, 'the current model is marked');
    assert.doesNotMatch(itemFor(listed, 'openai.gpt-5.5').description!, /\$\(check\)/);
    assert.equal(fake.picks[0].activeItems[0]?.value, 'openai.gpt-5.4', 'still highlighted after the update');
    assert.equal(fake.picks[0].busy, false);
    assert.ok(listed.some((i) => i.label === 'Custom model id…'));
    assert.ok(lines.some((l) => l === 'info Models served in us-east-2: openai.gpt-5.4, openai.gpt-5.5.'), lines.join('\n'));
  });

  test('selectModel in us-west-2: GPT-5.5 is described as not served and sorts last', async () => {
    await set('profile', PROFILES.static);
    await set('region', 'us-west-2');
    await set('model', 'openai.gpt-5.5');
    fake.choose = (items) => itemFor(items, 'openai.gpt-5.4');
    assert.equal(await commands.selectModel(), 'openai.gpt-5.4');
    const listed = fake.offered[0];
    assert.deepEqual(modelIds(listed), ['openai.gpt-5.4', 'openai.gpt-5.5']);
    assert.match(itemFor(listed, 'openai.gpt-5.5').description!, /^openai\.gpt-5\.5 \$\(check\) · not served in us-west-2$/);
    assert.doesNotMatch(itemFor(listed, 'openai.gpt-5.4').description!, /not served/);
    assert.deepEqual(fake.messages, [], 'GPT-5.4 is served here: no offer to switch');

    // Choosing what the region does not serve still works, with the offer to switch.
    fake.choose = (items) => itemFor(items, 'openai.gpt-5.5');
    assert.equal(await commands.selectModel(), 'openai.gpt-5.5');
    assert.deepEqual(fake.messages, ['GPT-5.5 is not served in us-west-2.']);
    assert.equal(config.get('region'), 'us-west-2', 'the offer was not taken');
  });

  test('selectModel offers the ids a region lists that are not built in', async () => {
    // A stand-in of its own: the shared one keeps the default catalog other suites rely on.
    const extra = 'openai.gpt-oss-120b';
    const standin = await startStandin({
      port: 0,
      catalog: { regions: { 'us-east-2': ['openai.gpt-5.4', extra, 'openai.gpt-5.5'] }, efforts: DEFAULT_CATALOG.efforts, contextTokens: DEFAULT_CATALOG.contextTokens },
    });
    try {
      await set('endpoint', standin.endpointTemplate);
      await set('profile', PROFILES.static);
      await set('region', 'us-east-2');
      await set('model', 'openai.gpt-5.5');
      fake.choose = (items) => itemFor(items, extra);
      assert.equal(await commands.selectModel(), extra);
      assert.deepEqual(modelIds(fake.opened[0].items), ['openai.gpt-5.5', 'openai.gpt-5.4'], 'not listed before the answer');
      const listed = fake.offered[0];
      assert.deepEqual(modelIds(listed), ['openai.gpt-5.5', 'openai.gpt-5.4', extra]);
      assert.equal(itemFor(listed, extra).label, extra);
      assert.equal(itemFor(listed, extra).description, 'served in us-east-2');
      assert.equal(config.get('model'), extra);
      assert.deepEqual(fake.messages, []);
      assert.ok(standin.requests.some((r) => r.route === 'models' && r.status === 200), 'asked this stand-in');

      // Now the current model: marked, and not offered twice as "current custom model".
      fake.choose = () => undefined;
      await commands.selectModel();
      const again = fake.offered.at(-1)!;
      assert.deepEqual(modelIds(again), ['openai.gpt-5.5', 'openai.gpt-5.4', extra]);
      assert.equal(itemFor(again, extra).description, '$(check) served in us-east-2');
      assert.equal(fake.picks.at(-1)!.activeItems[0]?.value, extra);
    } finally {
      await set('endpoint', testEnv.endpointTemplate);
      await standin.close();
    }
  });

  test('selectModel keeps the built-in list and says why when the endpoint cannot be asked', async () => {
    // Bad credentials: the profile's credential_process fails.
    await set('region', 'us-east-2');
    await set('model', 'openai.gpt-5.4');
    await set('profile', PROFILES.broken);
    fake.choose = (items) => reasonItem(items);
    assert.equal(await commands.selectModel(), undefined, 'the reason is information, not a choice');
    assert.deepEqual(fake.acceptClosed, [false], 'accepting the reason leaves the picker open');
    let listed = fake.offered[0];
    assert.deepEqual(modelIds(listed), ['openai.gpt-5.5', 'openai.gpt-5.4'], 'the built-in list');
    assert.equal(listed.filter((i) => /not served/.test(i.description ?? '')).length, 0);
    let reason = reasonItem(listed)!;
    assert.equal(reason.label, '$(warning) Could not ask us-east-2 which models it serves');
    assert.match(reason.detail!, /The credential_process of AWS profile "standin-broken" failed/);
    assert.equal(fake.picks[0].busy, false);
    assert.equal(config.get('model'), 'openai.gpt-5.4');

    // Offline, the picker still works.
    fake.choose = (items) => itemFor(items, 'openai.gpt-5.5');
    assert.equal(await commands.selectModel(), 'openai.gpt-5.5');
    assert.equal(config.get('model'), 'openai.gpt-5.5');

    // Unreachable: the stand-in drops connections for a region it does not serve, as DNS would fail for AWS.
    await set('profile', PROFILES.static);
    await set('region', 'eu-west-1');
    fake.choose = () => undefined;
    await commands.selectModel();
    listed = fake.offered.at(-1)!;
    assert.deepEqual(modelIds(listed), ['openai.gpt-5.5', 'openai.gpt-5.4']);
    reason = reasonItem(listed)!;
    assert.equal(reason.label, '$(warning) Could not ask eu-west-1 which models it serves');
    assert.match(reason.detail!, /^Cannot reach the endpoint/);
    const token = await tokens.getToken();
    for (const item of listed) assert.equal(`${item.label} ${item.description} ${item.detail}`.includes(token), false, 'no token in the picker');
  });

  test('hiding the model picker cancels the request to /models', async () => {
    await set('profile', PROFILES.static);
    await set('region', 'us-east-2');
    await tokens.getToken();
    await settleLanguageModels(); // so the fault below meets the picker's request, not the provider's
    await resetStandin(testEnv);
    await queueFault(testEnv, { kind: 'slowFirstByte', delayMs: 10_000, route: 'models' });
    const modelRequests = async () =>
      ((await (await fetch(`${testEnv.standinUrl}/__standin/requests`)).json()) as RecordedRequest[]).filter((r) => r.route === 'models');
    // The user closes the picker while the endpoint is still answering.
    fake.answerWhen = () => waitFor('the request to /models', async () => (await modelRequests()).length > 0, 10_000);
    fake.choose = () => undefined;
    const before = lines.length;
    try {
      const started = Date.now();
      assert.equal(await commands.selectModel(), undefined);
      assert.ok(Date.now() - started < 8_000, 'did not wait for the answer');
      const [request] = await waitFor('the aborted request', async () => {
        const r = await modelRequests();
        return r.length && r[0].endedAt ? r : undefined;
      });
      assert.equal(request.aborted, true, 'the client went away before the answer');
      assert.ok(request.endedAt! - request.startedAt < 8_000);
      assert.equal(fake.picks[0].busy, true, 'hidden while busy, and not updated afterwards');
      assert.deepEqual(modelIds(fake.picks[0].items), ['openai.gpt-5.5', 'openai.gpt-5.4']);
      assert.deepEqual(lines.slice(before).filter((l) => l.startsWith('error')), [], 'a cancel is not an error');
    } finally {
      await resetStandin(testEnv);
    }
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
    const e = errorUi.describe((tokens.state as { error?: unknown }).error);
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
    const sso = new ErrorActions(config, tokens, log, { awsCli: cli });
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
