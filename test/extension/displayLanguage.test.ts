// Error messages in VS Code's display language: a wrong-region error, worded by the extension through
// vscode.l10n from explainError's code and parameters. scripts/test-extension-host.ts runs this suite a second
// time in a Japanese VS Code (BEDROCK_GPT_TEST_LOCALE=ja), where the message must be the Japanese one.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { TestApi } from '../../src/extension';
import { PROFILES, extensionApi, useTestEnvironment, type TestEnvironment } from './environment';

const EXPECTED: Record<string, { notServed: string; switchTo: string }> = {
  en: { notServed: 'GPT-5.5 (openai.gpt-5.5) is not served in us-west-2. It is served in us-east-2.', switchTo: 'Switch to us-east-2' },
  ja: { notServed: 'GPT-5.5 (openai.gpt-5.5) は us-west-2 では提供されていません。us-east-2 で提供されています。', switchTo: 'us-east-2 に切り替え' },
};

suite('display language: error messages', () => {
  let env: TestEnvironment;
  let api: TestApi;

  suiteSetup(async function () {
    this.timeout(30_000);
    env = await useTestEnvironment();
    api = await extensionApi();
  });

  teardown(async () => {
    for (const key of ['profile', 'region', 'model'] as const) await api.configuration.update(key, undefined);
    await api.configuration.update('endpoint', env.endpointTemplate);
  });

  test('VS Code runs in the language the run asked for', () => {
    const wanted = process.env.BEDROCK_GPT_TEST_LOCALE ?? 'en';
    assert.equal(vscode.env.language.split('-')[0], wanted);
  });

  test('a wrong-region error reads in the display language, with its button', async () => {
    const language = vscode.env.language.split('-')[0];
    const expected = EXPECTED[language];
    assert.ok(expected, `a language this test knows: ${vscode.env.language}`);
    await api.configuration.update('endpoint', env.endpointTemplate);
    await api.configuration.update('profile', PROFILES.static);
    await api.configuration.update('model', 'openai.gpt-5.5');
    await api.configuration.update('region', 'us-west-2');
    await vscode.commands.executeCommand('bedrockGpt.newChat');
    await api.chat.receive({ type: 'ask', requestId: 'lang-1', prompt: 'Hello from Oregon' });
    const turn = api.chat.conversation.turn('lang-1');
    assert.equal(turn?.status, 'error');
    assert.equal(turn?.error?.message, expected.notServed);
    assert.deepEqual(turn?.error?.actions, [{ kind: 'switchRegion', region: 'us-east-2' }]);
    // The button's label comes from the same bundle (the panel's strings).
    assert.equal(vscode.l10n.t('Switch to {0}', 'us-east-2'), expected.switchTo);
  });
});
