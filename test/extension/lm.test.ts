// GPT on Bedrock through VS Code's language-model API, in the real VS Code, against the Bedrock stand-in: the models
// per region, a streamed answer with a verified token, a whole tool call loop, Required mode, cancel, errors with
// explained messages, and token counts. Everything goes through vscode.lm as another extension would use it.
import * as assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import * as vscode from 'vscode';
import type { TestApi } from '../../src/extension';
import { chatModelsFor } from '../../src/core/chat/chatModels';
import { countTokens } from '../../src/core/tokenCount';
import { STATIC_TEST_KEY } from '../standin/keys';
import type { RecordedRequest } from '../standin/server';
import { PROFILES, extensionApi, plain, queueFault, resetStandin, useTestEnvironment, waitFor, type TestEnvironment } from './environment';

const VENDOR = 'bedrock-gpt';
const WEATHER: vscode.LanguageModelChatTool = {
  name: 'get_weather',
  description: 'The weather in a city.',
  inputSchema: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
};
const CLOCK: vscode.LanguageModelChatTool = { name: 'get_time', description: 'The time now.', inputSchema: { type: 'object', properties: {} } };

suite('language models: GPT on Bedrock through vscode.lm', () => {
  let env: TestEnvironment;
  let api: TestApi;

  const requests = async (): Promise<RecordedRequest[]> => (await fetch(`${env.standinUrl}/__standin/requests`)).json() as Promise<RecordedRequest[]>;
  const responses = async () => (await requests()).filter((r) => r.route === 'responses');

  /** The models for our vendor once VS Code has them (it asks the provider after a change event). */
  async function models(expected: number): Promise<vscode.LanguageModelChat[]> {
    return waitFor(`${expected} bedrock-gpt models`, async () => {
      const found = await vscode.lm.selectChatModels({ vendor: VENDOR });
      return found.length === expected ? found : undefined;
    }, 10_000, 100);
  }

  async function model(id = 'openai.gpt-5.5'): Promise<vscode.LanguageModelChat> {
    const [found] = await vscode.lm.selectChatModels({ vendor: VENDOR, id });
    assert.ok(found, `${id} is offered`);
    return found;
  }

  async function collect(response: vscode.LanguageModelChatResponse): Promise<unknown[]> {
    const parts: unknown[] = [];
    for await (const part of response.stream) parts.push(part);
    return parts;
  }
  const textOf = (parts: unknown[]) => parts.map((p) => (p instanceof vscode.LanguageModelTextPart ? p.value : '')).join('');
  const callsOf = (parts: unknown[]) => parts.filter((p): p is vscode.LanguageModelToolCallPart => p instanceof vscode.LanguageModelToolCallPart);

  async function rejection(p: Thenable<unknown>): Promise<Error> {
    try {
      await p;
    } catch (e) {
      return e as Error;
    }
    assert.fail('the request should have failed');
  }

  suiteSetup(async function () {
    this.timeout(30_000);
    env = await useTestEnvironment();
    api = await extensionApi();
  });

  setup(async () => {
    await api.configuration.update('endpoint', env.endpointTemplate);
    await api.configuration.update('profile', PROFILES.static);
    await api.configuration.update('region', 'us-east-2');
    await resetStandin(env);
  });

  suiteTeardown(async () => {
    await api.configuration.update('profile', undefined);
    await api.configuration.update('region', undefined);
    await api.configuration.update('authentication', undefined);
  });

  test('selectChatModels lists GPT-5.5 and GPT-5.4 in us-east-2 and only GPT-5.4 in us-west-2', async () => {
    await api.tokens.getToken(); // with a token, the provider asks the region's /models (before, the built-in table)
    const east = await models(2);
    assert.deepEqual(east.map((m) => m.id), ['openai.gpt-5.5', 'openai.gpt-5.4']);
    const [gpt55] = east;
    assert.deepEqual([gpt55.name, gpt55.vendor, gpt55.family, gpt55.version, gpt55.maxInputTokens], ['GPT-5.5', VENDOR, 'gpt-5.5', '5.5', 272_000]);

    const changed = new Promise<void>((resolve) => {
      const sub = vscode.lm.onDidChangeChatModels(() => {
        sub.dispose();
        resolve();
      });
    });
    await api.configuration.update('region', 'us-west-2');
    await changed;
    const west = await models(1);
    assert.deepEqual(west.map((m) => m.id), ['openai.gpt-5.4']);
    const asked = (await requests()).filter((r) => r.route === 'models' && r.region === 'us-west-2');
    assert.ok(asked.some((r) => r.status === 200), 'the list came from us-west-2\'s /models');
  });

  test('the model information names the region, the price, the limits and tool calling', async () => {
    const token = new vscode.CancellationTokenSource().token;
    const [info] = await api.languageModels.provider.provideLanguageModelChatInformation({ silent: true }, token);
    assert.equal(info.detail, 'Bedrock · us-east-2');
    assert.match(info.tooltip ?? '', /\$5\.50 input, \$0\.55 cached input, \$33\.00 output per 1M tokens/);
    assert.equal(info.maxOutputTokens, 128_000);
    assert.equal(info.capabilities.toolCalling, true);
  });

  test('sendRequest streams the stand-in answer, with a token the stand-in verified', async () => {
    const before = api.ledger.total('languageModel');
    const m = await model();
    const response = await m.sendRequest([vscode.LanguageModelChatMessage.User('Hello from VS Code')], {}, new vscode.CancellationTokenSource().token);
    const parts = await collect(response);
    assert.ok(parts.length > 3, `streamed in ${parts.length} parts`);
    assert.equal(textOf(parts), 'openai.gpt-5.5 in us-east-2 answers question 1: "Hello from VS Code"');
    const [seen] = await responses();
    assert.equal(seen.status, 200, 'the stand-in accepted the SigV4 bearer token');
    assert.equal(seen.model, 'openai.gpt-5.5');
    assert.equal(seen.effort, 'medium', 'the effort setting when the request gives none');
    await waitFor('the session cost to include the request', () => api.ledger.total('languageModel').requests === before.requests + 1);
    const spent = api.ledger.total('languageModel');
    assert.ok(spent.dollars > before.dollars);
    // The same session total feeds the status-bar tooltip and the panel header.
    const tooltip = plain(api.statusBar().tooltip);
    assert.match(tooltip, /Session cost \| \$[\d.]+ · [\d,]+ tokens \(\$[\d.]+ of it from VS Code Chat and other extensions\)/);
    const header = api.chat.panelState(false).elsewhere;
    assert.deepEqual(header, { tokens: spent.tokens, dollars: spent.dollars });
  });

  test('the reasoning effort comes from the request model options', async () => {
    const m = await model('openai.gpt-5.4');
    await collect(await m.sendRequest([vscode.LanguageModelChatMessage.User('Hi')], { modelOptions: { reasoningEffort: 'high' } }));
    assert.equal((await responses())[0].effort, 'high');
  });

  test('a tool call arrives as a LanguageModelToolCallPart, and its result completes the answer', async () => {
    const m = await model();
    const question = vscode.LanguageModelChatMessage.User('What is the weather? [[tool:get_weather {"city":"Oslo"}]]');
    const first = await collect(await m.sendRequest([question], { tools: [WEATHER, CLOCK] }));
    const [call] = callsOf(first);
    assert.ok(call, 'a tool call part');
    assert.equal(call.name, 'get_weather');
    assert.deepEqual(call.input, { city: 'Oslo' });
    assert.match(call.callId, /^call_/);
    assert.deepEqual((await responses())[0].tools, ['get_weather', 'get_time']);

    const answer = await collect(
      await m.sendRequest([
        question,
        vscode.LanguageModelChatMessage.Assistant([call]),
        vscode.LanguageModelChatMessage.User([new vscode.LanguageModelToolResultPart(call.callId, [new vscode.LanguageModelTextPart('rain, 4 °C')])]),
      ], { tools: [WEATHER, CLOCK] }),
    );
    assert.equal(textOf(answer), 'openai.gpt-5.5 in us-east-2 read the result of get_weather: "rain, 4 °C"');
    const second = (await responses())[1];
    assert.equal(second.status, 200);
    // Stateless: the encrypted reasoning of the first response goes back before the call it led to.
    assert.deepEqual(second.items?.map((i) => i.type), ['reasoning', 'function_call', 'function_call_output']);
    assert.equal(second.store, false);
  });

  test('a tool result rendered with prompt-tsx reaches the model as its text', async () => {
    const m = await model();
    const question = vscode.LanguageModelChatMessage.User('[[tool:get_time]]');
    const [call] = callsOf(await collect(await m.sendRequest([question], { tools: [CLOCK] })));
    // The JSON shape @vscode/prompt-tsx renders (a tree of elements with text leaves).
    const rendered = { node: { type: 1, ctor: 2, ctorName: 'ToolResult', children: [{ type: 2, priority: 1, text: 'It is ', lineBreakBefore: false }, { type: 2, priority: 1, text: '12:00 UTC', lineBreakBefore: false }] } };
    const answer = await collect(await m.sendRequest([
      question,
      vscode.LanguageModelChatMessage.Assistant([call]),
      vscode.LanguageModelChatMessage.User([new vscode.LanguageModelToolResultPart(call.callId, [new vscode.LanguageModelPromptTsxPart(rendered)])]),
    ], { tools: [CLOCK] }));
    assert.equal(textOf(answer), 'openai.gpt-5.5 in us-east-2 read the result of get_time: "It is 12:00 UTC"');
  });

  test('Required tool mode sends tool_choice "required"', async () => {
    const m = await model();
    const parts = await collect(await m.sendRequest([vscode.LanguageModelChatMessage.User('What time is it?')], {
      tools: [CLOCK, WEATHER],
      toolMode: vscode.LanguageModelChatToolMode.Required,
    }));
    assert.equal((await responses())[0].toolChoice, 'required');
    assert.deepEqual(callsOf(parts).map((c) => c.name), ['get_time']);
  });

  test('cancel aborts the request at the stand-in', async () => {
    await queueFault(env, { kind: 'slowStream', delayMs: 600_000 });
    const m = await model();
    const cts = new vscode.CancellationTokenSource();
    const response = await m.sendRequest([vscode.LanguageModelChatMessage.User('A long answer, please')], {}, cts.token);
    const seen: string[] = [];
    const reading = (async () => {
      for await (const part of response.text) {
        seen.push(part);
        cts.cancel();
      }
    })();
    await reading.catch(() => undefined);
    await waitFor('the stand-in to see the request aborted', async () => (await responses())[0]?.aborted === true);
    assert.equal(seen.length, 1, 'nothing after the cancel');
  });

  test('404, 401 and 429 come back as errors with the explained message', async () => {
    const m = await model();
    const ask = () => m.sendRequest([vscode.LanguageModelChatMessage.User('Hi')], {});
    const drain = async () => collect(await ask());

    await queueFault(env, { kind: 'status', status: 404, code: 'not_found_error', message: "The model 'openai.gpt-5.5' does not exist" });
    const notFound = await rejection(drain());
        assert.match(notFound.message, /was not found in us-east-2\. Check that model access is enabled/);

    // Twice: the first 401 is answered by a new token and one more attempt; the second is the answer.
    await queueFault(env, { kind: 'status', status: 401, message: 'Bearer token expired', times: 2 });
    const unauthorized = await rejection(drain());
    assert.match(unauthorized.message, /The Bedrock endpoint rejected the bearer token \(401\)\. The service said: Bearer token expired/);

    await queueFault(env, { kind: 'status', status: 429, retryAfter: 0, times: 3 });
    const throttled = await rejection(drain());
    assert.match(throttled.message, /Bedrock throttled the request \(429.*Try again in a minute/);
    for (const e of [notFound, unauthorized, throttled]) assert.doesNotMatch(e.message, /bedrock-api-key-|X-Amz-Signature/);
  });

  test('a model asked for in a region that does not serve it names the region that does', async () => {
    await api.configuration.update('region', 'us-west-2');
    const token = new vscode.CancellationTokenSource().token;
    // GPT-5.5 as VS Code knew it before the region changed (a caller may hold on to it).
    const [gpt55] = chatModelsFor('us-east-2');
    const noop = { report: () => undefined };
    const err = await rejection(api.languageModels.provider.provideLanguageModelChatResponse(gpt55, [vscode.LanguageModelChatMessage.User('Hi')], { toolMode: vscode.LanguageModelChatToolMode.Auto }, noop, token));
    assert.equal(err.message, 'GPT-5.5 (openai.gpt-5.5) is not served in us-west-2. It is served in us-east-2.');
  });

  test('the model information changes with region, profile and authentication, and when the token recovers', async () => {
    const provider = api.languageModels.provider;
    let fired = 0;
    const sub = provider.onDidChangeLanguageModelChatInformation(() => fired++);
    const credentials = process.env.AWS_SHARED_CREDENTIALS_FILE!;
    const original = readFileSync(credentials, 'utf8');
    try {
      await api.configuration.update('region', 'us-west-2');
      await waitFor('a change event for the region', () => fired === 1);
      await api.configuration.update('authentication', 'apiKey');
      await waitFor('a change event for the authentication', () => fired === 2);
      await api.configuration.update('authentication', undefined);
      await waitFor('a change event for the authentication back', () => fired === 3);
      await api.configuration.update('profile', 'standin-late');
      await waitFor('a change event for the profile', () => fired === 4);
      await assert.rejects(api.tokens.refresh());
      assert.equal(api.tokens.state.kind, 'error');
      writeFileSync(credentials, `${original}\n[standin-late]\naws_access_key_id = ${STATIC_TEST_KEY.accessKeyId}\naws_secret_access_key = ${STATIC_TEST_KEY.secretAccessKey}\n`);
      await api.tokens.refresh();
      await waitFor('a change event for the token that became valid', () => fired === 5);
    } finally {
      sub.dispose();
      writeFileSync(credentials, original);
    }
  });

  test('an expired SSO session fails the request with the explained message and raises the sso login notification', async () => {
    const config = process.env.AWS_CONFIG_FILE!;
    const original = readFileSync(config, 'utf8');
    const shown: unknown[] = [];
    const show = api.errorActions.show;
    api.errorActions.show = async (err: unknown) => void shown.push(err);
    try {
      writeFileSync(config, `${original}\n[profile standin-sso]\nsso_session = lm-sso\nsso_account_id = 123456789012\nsso_role_name = BedrockUser\nregion = us-east-2\n[sso-session lm-sso]\nsso_start_url = https://example.awsapps.com/start\nsso_region = us-east-1\n`);
      await api.configuration.update('profile', 'standin-sso');
      const m = await model();
      const err = await rejection(collect(await m.sendRequest([vscode.LanguageModelChatMessage.User('Hi')], {})));
      assert.equal(err.message, 'The AWS SSO session of profile "standin-sso" has expired or was never started. Run `aws sso login --profile standin-sso` in a terminal, then try again.');
      assert.equal(shown.length, 1, 'the notification with "Run aws sso login" was raised');
      assert.deepEqual(api.errorActions.describe(shown[0]).actions[0], { kind: 'ssoLogin', profile: 'standin-sso' });
    } finally {
      api.errorActions.show = show;
      writeFileSync(config, original);
    }
  });

  test('countTokens answers with o200k counts', async () => {
    const m = await model();
    const text = 'Amazon Bedrock serves GPT-5.5 in us-east-2.';
    assert.equal(await m.countTokens(text), countTokens(text));
    const message = await m.countTokens(vscode.LanguageModelChatMessage.User(text));
    assert.equal(message, countTokens(text) + 3, 'the text plus the message framing');
  });
});
