// When asking goes wrong, in the real VS Code against the Bedrock stand-in (chatSupport.ts): Stop aborts the request
// and keeps the partial answer; a 404 in the wrong region offers the switch, and taking it succeeds; a 401 is
// recovered; a silent stream is stopped at its bound; a failed answer is retried; the budget check refuses what
// cannot fit.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { ExtensionMessage } from '../../src/shared/protocol';
import { api, assertAnswered, responsesRequests, standin, useChatSuite } from './chatSupport';
import { waitFor } from './environment';

suite('chat: asking about code', () => {
  useChatSuite();

  test('Stop aborts the request at the stand-in at once and keeps the partial answer, marked stopped', async () => {
    await standin('POST', '/__standin/faults', { kind: 'slowStream', delayMs: 150 });
    const asking = api.chat.receive({ type: 'ask', requestId: 'stop-1', prompt: 'Tell me everything. [[words:400]]' });
    await waitFor('the first deltas', () => (api.chat.conversation.turn('stop-1')?.answer.length ?? 0) > 0, 10_000);
    const started = Date.now();
    await api.chat.receive({ type: 'cancel', requestId: 'stop-1' });
    const stopMs = Date.now() - started;
    const turn = api.chat.conversation.turn('stop-1');
    assert.ok(turn);
    assert.equal(turn.status, 'stopped');
    const partial = turn.answer;
    assert.ok(partial.length > 0, 'the partial answer is kept');
    await asking;
    // Once the stand-in has seen the client go away, nothing more can arrive: the answer is still the partial one.
    const recorded = await waitFor('the stand-in to record the abort', async () => (await responsesRequests()).find((r) => r.aborted));
    assert.equal(api.chat.conversation.turn('stop-1')?.answer, partial, 'nothing arrives after Stop');
    assert.equal(recorded.aborted, true);
    console.log(`  stopped in ${stopMs} ms after ${partial.length} characters; the stand-in saw the client go away`);
  });

  test('a 404 for GPT-5.5 in us-west-2 offers Switch to us-east-2, and taking it answers', async () => {
    await api.configuration.update('region', 'us-west-2');
    await api.chat.receive({ type: 'ask', requestId: 'region-1', prompt: 'Hello from Oregon' });
    const failed = api.chat.conversation.turn('region-1');
    assert.ok(failed);
    assert.equal(failed.status, 'error');
    assert.match(failed.error?.message ?? '', /not served in us-west-2/);
    assert.deepEqual(failed.error?.actions, [{ kind: 'switchRegion', region: 'us-east-2' }]);
    assert.equal(failed.question, 'Hello from Oregon', 'the question is kept');
    const [first] = await responsesRequests();
    assert.equal(first.region, 'us-west-2');
    assert.equal(first.status, 404);

    // A button the turn did not offer (a forged message) changes nothing.
    await api.chat.receive({ type: 'action', requestId: 'region-1', action: { kind: 'switchRegion', region: 'eu-west-1' } });
    assert.equal(api.configuration.get('region'), 'us-west-2', 'an action the panel was not offered is ignored');
    await api.chat.receive({ type: 'action', requestId: 'region-1', action: { kind: 'switchRegion', region: 'us-east-2' } });
    assert.equal(api.configuration.get('region'), 'us-east-2');
    assert.equal(vscode.workspace.getConfiguration('bedrockGpt').inspect('region')?.globalValue, 'us-east-2', 'written to the user settings');
    const retried = api.chat.conversation.turn('region-1');
    assertAnswered(retried);
    assert.equal(retried.region, 'us-east-2');
    assert.match(retried.answer, /openai\.gpt-5\.5 in us-east-2 answers/);
    const second = (await responsesRequests())[1];
    assert.equal(second.region, 'us-east-2');
    assert.equal(second.status, 200);
  });

  test('a 401 is recovered: a new token is signed and the question sent once more, without the user', async () => {
    await standin('POST', '/__standin/faults', { kind: 'status', status: 401, message: 'Bearer token expired' });
    await api.chat.receive({ type: 'ask', requestId: 'renew-1', prompt: 'Still there?' });
    assertAnswered(api.chat.conversation.turn('renew-1'));
    const statuses = (await responsesRequests()).map((r) => r.status);
    assert.deepEqual(statuses.slice(-2), [401, 200]);
  });

  test('a silent stream is stopped at the silence bound: question and partial answer kept, the message says why, Retry offered', async () => {
    await api.configuration.update('streamIdleTimeoutSeconds', 1);
    try {
      await standin('POST', '/__standin/faults', { kind: 'slowStream', delayMs: 600_000 });
      await api.chat.receive({ type: 'ask', requestId: 'silent-1', prompt: 'Are you there?' });
      const turn = api.chat.conversation.turn('silent-1');
      assert.equal(turn?.status, 'error');
      assert.equal(turn.question, 'Are you there?');
      assert.ok(turn.answer.length > 0, 'the text that arrived is kept');
      assert.match(turn.error?.message ?? '', /^The answer stream sent nothing for 1 seconds, so it was stopped; what arrived is shown\. Try again, or raise the silence timeout \(the Bedrock GPT: Stream Idle Timeout Seconds setting\)\.$/);
      assert.ok(turn.error?.actions.some((a) => a.kind === 'askAgain'), 'a Retry button');
      await waitFor('the stand-in to see the request aborted', async () => (await responsesRequests()).at(-1)?.aborted === true);
    } finally {
      await api.configuration.update('streamIdleTimeoutSeconds', undefined);
    }
  });

  test('a failed answer keeps its question, and Retry asks it again', async () => {
    // 500 three times: the first attempt and the SDK's two retries.
    await standin('POST', '/__standin/faults', { kind: 'status', status: 500, times: 3 });
    await api.chat.receive({ type: 'ask', requestId: 'retry-1', prompt: 'Will this work?' });
    const failed = api.chat.conversation.turn('retry-1');
    assert.equal(failed?.status, 'error');
    assert.match(failed?.error?.message ?? '', /service error \(500\)/);
    assert.ok(failed?.error?.actions.some((a) => a.kind === 'askAgain'), 'a Retry button');
    await api.chat.receive({ type: 'retry', requestId: 'retry-1' });
    const retried = api.chat.conversation.turn('retry-1');
    assertAnswered(retried);
    assert.equal(retried.question, 'Will this work?');
    assert.equal(api.chat.conversation.turns.length, 1, 'retried in place');
  });

  test('a question too large for the model is refused before sending: shown under the question, never kept or saved', async () => {
    const huge = 'x'.repeat(4 * 300_000);
    const posted: ExtensionMessage[] = [];
    const shown: string[] = [];
    const listeners = [api.chat.conversation.onDidPost((m) => posted.push(m)), api.chat.onDidShowMessage((m) => shown.push(m.message))];
    try {
      await api.chat.receive({ type: 'ask', requestId: 'huge-1', prompt: `Summarise ${huge}` });
      // The panel's Retry under it asks again: counted again, refused again (nothing changed).
      await api.chat.receive({ type: 'retry', requestId: 'huge-1' });
    } finally {
      for (const l of listeners) l.dispose();
    }
    assert.equal(api.chat.conversation.turn('huge-1'), undefined, 'not kept');
    assert.deepEqual(posted.map((m) => m.type), ['turnStarted', 'error', 'turnStarted', 'error'], 'the panel shows the question with the refusal, after Retry too');
    const error = posted[1];
    assert.ok(error.type === 'error');
    assert.match(error.message, /too large for GPT-5\.5.*about [\d,]+ tokens \(estimated\); the limit is 144,000 tokens/);
    assert.deepEqual(shown, [error.message, error.message], 'and says so once per ask');
    await api.chat.history.flush();
    assert.ok(!JSON.stringify(api.chat.history.current() ?? {}).includes('huge-1'), 'nothing saved');
    assert.equal((await responsesRequests()).length, 0, 'nothing reached the stand-in');
  });
});
