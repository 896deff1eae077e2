// A conversation that outgrew the model's context, in the real VS Code against the stand-in: the oldest questions
// stop being sent (core historyWindow), the newest and the current one still go, the panel is told how many were
// left out, and the stand-in answers instead of refusing with 400 context_length_exceeded. Every request this
// large passes the budget's "Send it?" confirmation first: the test answers those dialogs through the test API
// (withDialogAnswers), so the confirmation itself is exercised, not skipped.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { TestApi } from '../../src/extension';
import { CONFIRM_ABOVE_TOKENS, inputLimit } from '../../src/core/contextBudget';
import type { ChatUi } from '../../src/vscode/chat/editorTarget';
import type { RecordedRequest } from '../standin/server';
import { openReadyPanel, standinSuite, type TestEnvironment } from './environment';

const MODEL = 'openai.gpt-5.5';

/** A pasted log of `lines` lines, about 15.5 o200k tokens a line; `tag` starts every line, so each question is findable. */
function pastedLog(tag: string, lines: number): string {
  const out = [`${tag}: what does this log say?`];
  for (let i = 0; i < lines; i++) out.push(`${tag} line ${i}: the request to the model returned an answer`);
  return out.join('\n');
}

// GPT-5.5's input limit is 144,000 tokens (272K context less 128K kept for the answer); the history may be cut
// once per quarter of it (36,000). Q1 and Q2 (~24K each) stay under one quarter alone but pass it together; with
// Q3 and Q4 (~40K each) everything still fits at the fourth question (~128K); the fifth (~40K) makes ~168K, so the
// two oldest are left out and ~120K is sent.
const QUESTIONS = [['Q1', 1550], ['Q2', 1550], ['Q3', 2600], ['Q4', 2600], ['Q5', 2600]] as const;

suite('chat: a conversation that outgrew the context', () => {
  const ctx = standinSuite();
  let env: TestEnvironment;
  let api: TestApi;
  setup(async () => {
    ({ env, api } = ctx);
    await api.configuration.update('model', MODEL);
  });

  teardown(async () => {
    await api.chat.conversation.clear();
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    for (const key of ['profile', 'region', 'model'] as const) await api.configuration.update(key, undefined);
  });

  test('the oldest questions stop being sent, the panel is told how many, and the stand-in answers', async function () {
    this.timeout(90_000);
    const panel = await openReadyPanel(api, 20_000);
    const { countTokens } = await api.tokens.core();
    const limit = inputLimit(MODEL);
    assert.equal(limit, 144_000);
    const questions = QUESTIONS.map(([tag, lines]) => ({ tag, prompt: pastedLog(tag, lines) }));
    const sizes = questions.map((q) => countTokens(q.prompt));
    console.log(`  question sizes (o200k tokens): ${sizes.join(', ')}; input limit ${limit}`);
    assert.ok(sizes[0] < limit / 4 && sizes[0] + sizes[1] > limit / 4, 'Q1 alone is under a quarter of the limit, Q1+Q2 over it');
    assert.ok(sizes.slice(0, 4).reduce((a, b) => a + b) < limit - 4_000, 'the first four questions fit together');
    assert.ok(sizes.reduce((a, b) => a + b) > limit + 4_000, 'all five do not');

    const confirmations: string[] = [];
    const answers: Partial<ChatUi> = {
      showWarningMessage: (async (message: string, _options: vscode.MessageOptions, ...items: string[]) => {
        confirmations.push(message);
        return /Send it\?/.test(message) ? items.find((i) => i === 'Send') : undefined;
      }) as ChatUi['showWarningMessage'],
    };
    await api.chat.withDialogAnswers(answers, async () => {
      for (const [i, q] of questions.entries()) {
        await api.chat.receive({ type: 'ask', requestId: `outgrown-${i + 1}`, prompt: q.prompt });
        const turn = api.chat.conversation.turn(`outgrown-${i + 1}`);
        assert.equal(turn?.status, 'done', `${q.tag}: ${turn?.status} ${turn?.error?.message ?? ''}`);
      }
    });
    // Every question was over the confirmation threshold on its own: each one was confirmed, none went unasked.
    assert.ok(sizes.every((n) => n > CONFIRM_ABOVE_TOKENS));
    assert.equal(confirmations.length, questions.length, confirmations.join(' | '));
    for (const c of confirmations) assert.match(c, /^This question is large: about [\d,]+ tokens \(estimated\)\. Its input alone will cost about \$[\d.]+ with GPT-5\.5\. Send it\?$/);

    const requests = (await (await fetch(`${env.standinUrl}/__standin/requests`)).json() as RecordedRequest[]).filter((r) => r.route === 'responses');
    assert.deepEqual(requests.map((r) => r.status), [200, 200, 200, 200, 200], 'no 400 context_length_exceeded, nothing else either');
    const carries = (r: RecordedRequest, tag: string) => r.input.some((m) => m.role === 'user' && m.content.startsWith(`${tag}: what does this log say?`));
    assert.deepEqual(['Q1', 'Q2', 'Q3'].filter((t) => carries(requests[3], t)), ['Q1', 'Q2', 'Q3'], 'the fourth question still carries every earlier one');
    const last = requests[4];
    assert.deepEqual(last.input.map((m) => m.role), ['developer', 'user', 'assistant', 'user', 'assistant', 'user']);
    assert.deepEqual(['Q1', 'Q2'].filter((t) => carries(last, t)), [], 'the two oldest questions are no longer sent');
    assert.ok(carries(last, 'Q3') && carries(last, 'Q4'), 'the two newest earlier questions are');
    assert.equal(last.input.at(-1)?.content, questions[4].prompt, 'the current question goes last, whole');
    assert.match(last.input[2].content, /answers question 3: "Q3: what does this log say\?/, 'with their answers');

    // The panel (its webview, in Chromium) was told: 2 earlier questions are no longer sent; the state agrees.
    assert.equal(panel.snapshot().delivered.contextNotice, 1, 'one notice, when the cut first fell');
    assert.equal(panel.snapshot().droppedTurns, 2);
    assert.equal(api.chat.panelState(true).conversation?.droppedTurns, 2, 'kept with the conversation (a reloaded panel shows it again)');

    // Outside the scope the dialogs are VS Code's again: in an extension-host test run the workbench refuses to show
    // a modal one, so the next (large, with its history) question is not sent.
    await api.chat.receive({ type: 'ask', requestId: 'outgrown-after', prompt: 'And what did Q5 say?' });
    assert.equal(api.chat.conversation.turn('outgrown-after')?.status, 'error');
    assert.equal(confirmations.length, questions.length, 'the test no longer answers');
    const after = (await (await fetch(`${env.standinUrl}/__standin/requests`)).json() as RecordedRequest[]).filter((r) => r.route === 'responses');
    assert.equal(after.length, requests.length, 'nothing more reached the stand-in');
  });
});
