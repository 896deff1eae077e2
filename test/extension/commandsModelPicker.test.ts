// The model picker (commands.selectModel, over commandStack.ts): the built-in models at once, then what the
// region's /models serves, a region that serves the chosen model, custom ids, and a cancel.
import * as assert from 'node:assert/strict';
import { DEFAULT_CATALOG } from '../standin/catalog';
import type { RecordedRequest } from '../standin/server';
import { startStandin } from '../standin/server';
import { commands, config, fake, lines, set, testEnv, tokens, useCommandStack } from './commandStack';
import { PROFILES, queueFault, resetStandin, settleLanguageModels, waitFor } from './environment';
import { itemFor, modelIds, reasonItem } from './fakes';

suite('commands', () => {
  useCommandStack();

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

});
