// The commands' handlers (commandStack.ts): loading the core, the region, effort and profile pickers, the API key,
// the SSO login terminal, and that neither a token nor a key ever reaches the log. The model picker:
// commandsModelPicker.test.ts.
import * as assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { SECRET_API_KEY } from '../../src/vscode/constants';
import { ErrorActions } from '../../src/vscode/errorActions';
import { ApiKeyMissingError, TokenController } from '../../src/vscode/tokenController';
import { commands, config, errorUi, fake, lines, log, secrets, tokens, useCommandStack } from './commandStack';
import { PROFILES, waitFor } from './environment';

suite('commands', () => {
  useCommandStack();

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
