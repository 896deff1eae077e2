// The status-bar item follows the real TokenService of the activated extension, with tokens the Bedrock stand-in
// verifies: valid (time left) → near expiry → refreshed; expired; bad credentials → error with explainError's
// message; settings changes. Time is not slept through: a second StatusBar with a shifted clock shows what the
// item would show later, and a 4-second token lifetime gives a real near-expiry refresh.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { TestApi } from '../../src/extension';
import type { TokenState } from '../../src/core/tokenService';
import { describeError } from '../../src/vscode/errorActions';
import { StatusBar } from '../../src/vscode/statusBar';
import { PROFILES, extensionApi, plain, queueFault, resetStandin, settleLanguageModels, standinAccepts, useTestEnvironment, waitFor, type TestEnvironment } from './environment';

const WARNING = 'statusBarItem.warningBackground';

suite('status bar', () => {
  let env: TestEnvironment;
  let api: TestApi;

  suiteSetup(async () => {
    env = await useTestEnvironment();
    api = await extensionApi();
  });

  setup(async () => {
    // Another suite may have cleared it: a refresh from the status bar asks the endpoint, never AWS here.
    await api.configuration.update('endpoint', env.endpointTemplate);
    await api.configuration.update('profile', PROFILES.static);
    await api.configuration.update('tokenLifetimeSeconds', 900);
  });

  teardown(async () => {
    for (const key of ['profile', 'tokenLifetimeSeconds', 'model', 'reasoningEffort', 'region'] as const) await api.configuration.update(key, undefined);
  });

  async function refreshed(): Promise<Extract<TokenState, { kind: 'valid' }>> {
    await vscode.commands.executeCommand('bedrockGpt.refreshToken');
    const state = api.tokens.state;
    assert.equal(state.kind, 'valid', `state after refresh: ${state.kind}${state.kind === 'error' ? ` (${state.message})` : ''}`);
    return state as Extract<TokenState, { kind: 'valid' }>;
  }

  test('valid: model and time left, tooltip with profile, region, model, effort and the exact expiry', async () => {
    const state = await refreshed();
    assert.ok(state.expiresAt, 'a signed token has an expiry');
    const s = api.statusBar();
    assert.match(s.text, /^\$\(key\) GPT-5\.5 · 1[45]m$/);
    assert.equal(s.background, undefined);
    const tooltip = plain(s.tooltip);
    for (const part of [PROFILES.static, 'us-east-2', 'GPT-5.5 (openai.gpt-5.5)', 'medium', new Date(state.expiresAt).toISOString()]) {
      assert.ok(tooltip.includes(part), `tooltip names ${part}:\n${tooltip}`);
    }
    assert.equal(await standinAccepts(env, await api.tokens.getToken()), 200, 'the stand-in accepts the token');
    console.log(`  valid: ${s.text}`);
  });

  test('shows the spinner while refreshing, then the new expiry', async () => {
    const first = await refreshed();
    const texts: string[] = [];
    const sub = api.tokens.onDidChangeState((st) => texts.push(`${st.kind}: ${api.statusBar().text}`));
    try {
      await new Promise((r) => setTimeout(r, 1100)); // SigV4 dates have whole seconds
      const second = await refreshed();
      assert.ok(second.expiresAt! > first.expiresAt!, 'a new token with a later expiry');
    } finally {
      sub.dispose();
    }
    assert.equal(texts[0], 'refreshing: $(sync~spin) GPT-5.5');
    assert.match(texts[texts.length - 1], /^valid: \$\(key\) GPT-5\.5 · 1[45]m$/);
  });

  test('near expiry, expired, and refreshed again, following the clock', async () => {
    const state = await refreshed();
    let offset = 0;
    const later = new StatusBar(api.tokens, api.configuration, { now: () => Date.now() + offset });
    try {
      assert.match(later.snapshot().text, /^\$\(key\) GPT-5\.5 · 1[45]m$/);
      offset = state.expiresAt! - Date.now() - 150_000; // 2.5 minutes before expiry
      later.render();
      assert.match(later.snapshot().text, /^\$\(watch\) GPT-5\.5 · 2m$/);
      assert.match(plain(later.snapshot().tooltip), /expires soon/);
      offset = state.expiresAt! - Date.now() + 1000;
      later.render();
      assert.equal(later.snapshot().text, '$(circle-slash) GPT-5.5 · expired');
      assert.match(plain(later.snapshot().tooltip), /has expired/);
      offset = 0;
      await refreshed();
      assert.match(later.snapshot().text, /^\$\(key\) GPT-5\.5 · 1[45]m$/, 'the other item re-rendered on the state event');
    } finally {
      later.dispose();
    }
  });

  test('a short-lived token is shown as expiring and is replaced on the next use', async () => {
    await api.configuration.update('tokenLifetimeSeconds', 4);
    await waitFor('the lifetime change to reach the token service', () => api.tokens.state.kind === 'none' || undefined);
    const first = await refreshed();
    assert.match(api.statusBar().text, /^\$\(watch\) GPT-5\.5 · <1m$/);
    const token1 = await api.tokens.getToken();
    assert.equal(await standinAccepts(env, token1), 200);
    await new Promise((r) => setTimeout(r, 2600)); // the service refreshes half-way through a short lifetime
    const token2 = await api.tokens.getToken();
    assert.notEqual(token2, token1, 'a new token on the next use');
    const second = api.tokens.state;
    assert.equal(second.kind, 'valid');
    assert.ok(second.kind === 'valid' && second.expiresAt! > first.expiresAt!);
    assert.equal(await standinAccepts(env, token2), 200);
    // The status bar repaints by itself at the moment of expiry (no event, no click).
    await waitFor('the status bar to show the expiry', () => api.statusBar().text === '$(circle-slash) GPT-5.5 · expired' || undefined, 10_000);
    assert.ok([401, 403].includes(await standinAccepts(env, token2)), 'the stand-in refuses the expired token');
    assert.equal(api.tokens.state.kind, 'expired');
  });

  test('a click also asks the endpoint: accepted, refused, or the model not listed in the region', async () => {
    await resetStandin(env);
    await refreshed();
    assert.ok(api.tokens.lastCheck?.ok, 'the stand-in answered /models');
    assert.match(plain(api.statusBar().tooltip), /The endpoint in us-east-2 accepted it/);
    assert.equal(api.statusBar().background, undefined);

    await settleLanguageModels(); // so the fault below meets the click's request, not the provider's
    await queueFault(env, { kind: 'status', status: 403, route: 'models', message: 'not allowed here' });
    await refreshed();
    let s = api.statusBar();
    assert.match(s.text, /^\$\(warning\) GPT-5\.5 · 1[45]m$/);
    assert.equal(s.background, WARNING);
    assert.match(plain(s.tooltip), /The endpoint refused the token .*Access denied \(403\)/);

    await api.configuration.update('region', 'us-west-2');
    await waitFor('the region change to drop the token', () => api.tokens.state.kind === 'none' || undefined);
    await refreshed();
    s = api.statusBar();
    assert.match(s.text, /^\$\(warning\) GPT-5\.5 · 1[45]m$/);
    assert.match(plain(s.tooltip), /us-west-2 accepts the token but does not list openai\.gpt-5\.5/);
    await api.configuration.update('model', 'openai.gpt-5.4');
    await waitFor('the model change to clear the check', () => api.tokens.lastCheck === undefined || undefined);
    assert.match(api.statusBar().text, /^\$\(key\) GPT-5\.4 · 1[45]m$/);
  });

  test('bad credentials: error state with the explained message and the warning colour', async () => {
    for (const profile of [PROFILES.unknown, PROFILES.broken]) {
      await api.configuration.update('profile', profile);
      await vscode.commands.executeCommand('bedrockGpt.refreshToken');
      const state = await waitFor('the error state', () => (api.tokens.state.kind === 'error' ? api.tokens.state : undefined));
      const s = api.statusBar();
      assert.equal(s.text, '$(warning) GPT-5.5 · error');
      assert.equal(s.background, WARNING);
      const message = describeError(state.kind === 'error' ? state.error : undefined, api.configuration.snapshot()).message;
      assert.ok(message.length > 10);
      assert.ok(plain(s.tooltip).includes(message), `tooltip holds "${message}":\n${plain(s.tooltip)}`);
      assert.ok(plain(s.tooltip).includes(profile));
      console.log(`  ${profile}: ${message}`);
    }
    await api.configuration.update('profile', PROFILES.static);
    await refreshed();
    assert.equal(api.statusBar().background, undefined, 'a good token clears the warning');
  });

  test('follows settings: model and effort change the text and tooltip at once', async () => {
    await refreshed();
    await api.configuration.update('model', 'openai.gpt-5.4');
    await api.configuration.update('reasoningEffort', 'high');
    await waitFor('the status bar to show GPT-5.4', () => api.statusBar().text.includes('GPT-5.4') || undefined);
    assert.match(api.statusBar().text, /^\$\(key\) GPT-5\.4 · 1[45]m$/);
    assert.match(plain(api.statusBar().tooltip), /\| high \|/);
    await api.configuration.update('region', 'us-west-2');
    await waitFor('the region change to drop the token', () => api.tokens.state.kind === 'none' || undefined);
    assert.equal(api.statusBar().text, '$(key) GPT-5.4');
    assert.match(plain(api.statusBar().tooltip), /us-west-2/);
  });
});
