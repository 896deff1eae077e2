// The fault table (issue 9, "Must show"): one test per fault, each asking through the chat panel of the real VS Code
// against the Bedrock stand-in, and checking what the user gets: the message shown, the question kept, the partial
// answer kept (where one arrived), the Retry or the fix offered, and no secret in the message, the panel or the log.
// The rows it saw are written to out-test/fault-table.md (docs/fault-table.md is that file); the suite's hooks, the
// checks of a failed row and the table: faultTableSupport.ts.
// Run the whole table alone: BEDROCK_GPT_TEST_GREP='fault table' npm run test:extension
import * as assert from 'node:assert/strict';
import { chmodSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { ChatTurn, ExtensionMessage } from '../../src/shared/protocol';
import { STATIC_TEST_KEY } from '../standin/keys';
import { PROFILES, queueFault, waitFor } from './environment';
import { api, assertSecretFree, env, failedRow, folder, panelTurn, requests, rows, secrets, useFaultTable } from './faultTableSupport';

suite('fault table', () => {
  useFaultTable();
  let seq = 0;

  /** Asks through the panel (as its webview would post it) and gives the settled turn. */
  async function ask(prompt: string, extra: { model?: string; effort?: 'minimal' | 'low' | 'medium' | 'high' } = {}): Promise<ChatTurn> {
    const requestId = `fault-${++seq}`;
    await api.chat.receive({ type: 'ask', requestId, prompt, ...extra });
    const turn = api.chat.conversation.turn(requestId);
    assert.ok(turn, 'the ask made a turn');
    return turn;
  }

  test('fault table: empty selection', async () => {
    const shown: string[] = [];
    const listener = api.chat.onDidShowMessage((m) => shown.push(m.message));
    const file = join(folder, 'empty.ts');
    mkdirSync(folder, { recursive: true });
    writeFileSync(file, '');
    try {
      await vscode.window.showTextDocument(vscode.Uri.file(file), { preview: false });
      await vscode.commands.executeCommand('bedrockGpt.askAboutSelection', 'What does this do?');
    } finally {
      listener.dispose();
      rmSync(file, { force: true });
    }
    assert.deepEqual(shown, ['Nothing is selected, and empty.ts is empty.']);
    assert.equal(api.chat.conversation.turns.length, 0, 'no turn: nothing to ask about');
    assert.equal((await requests()).length, 0, 'nothing was sent');
    await secrets.remember(api);
    rows.push({ fault: 'empty selection (empty file)', message: shown[0], questionKept: 'n/a (refused before anything is typed; nothing sent)', partialKept: 'n/a', retryOffered: 'none: select code (with text in the file, "Use Whole File" is offered)', secretFree: assertSecretFree(api, secrets, shown[0]) });
  });

  test('fault table: huge selection', async function () {
    // It counts a 1.6-million-character question with the real tokenizer: seconds on a loaded machine.
    this.timeout(60_000);
    const file = join(folder, 'huge.ts');
    writeFileSync(file, `${'export const line = "0123456789012345678901234567890123456789";\n'.repeat(25_000)}`);
    const shown: string[] = [];
    const posted: ExtensionMessage[] = [];
    const listener = api.chat.onDidShowMessage((m) => shown.push(m.message));
    try {
      const editor = await vscode.window.showTextDocument(vscode.Uri.file(file), { preview: false });
      editor.selection = new vscode.Selection(0, 0, 25_000, 0);
      const size = editor.document.getText(editor.selection).length;
      // Over bedrockGpt.maxSelectionCharacters (100,000 by default): refused before a question is asked or kept.
      await vscode.commands.executeCommand('bedrockGpt.askAboutSelection', 'Review this');
      assert.deepEqual(shown, [`Not sent: the selection has ${size.toLocaleString('en-US')} characters, more than the limit of 100,000 (bedrockGpt.maxSelectionCharacters). Select less code, or raise the setting.`]);
      assert.equal(api.chat.conversation.turns.length, 0, 'no turn: nothing kept, nothing to lose');
      assert.equal((await requests()).length, 0, 'nothing reached the stand-in');
      await secrets.remember(api);
      rows.push({ fault: 'huge selection (25,000 lines, over the selection cap)', message: shown[0], questionKept: 'n/a (refused before the question is typed; nothing sent or kept)', partialKept: 'n/a', retryOffered: 'none: select less, or raise bedrockGpt.maxSelectionCharacters (Open settings)', secretFree: assertSecretFree(api, secrets, shown[0]) });

      // With the cap raised, the selection fits the cap but not the model's context: the budget refuses the turn.
      await api.configuration.update('maxSelectionCharacters', 2_000_000);
      await waitFor('the raised cap', () => api.configuration.get('maxSelectionCharacters') === 2_000_000);
      const posting = api.chat.conversation.onDidPost((m) => posted.push(m));
      try {
        await vscode.commands.executeCommand('bedrockGpt.askAboutSelection', 'Review this');
      } finally {
        posting.dispose();
      }
    } finally {
      listener.dispose();
      rmSync(file, { force: true });
      await api.configuration.update('maxSelectionCharacters', undefined);
    }
    // Counted before it is kept: the panel shows the question with the refusal; the conversation keeps nothing.
    assert.equal(api.chat.conversation.turns.length, 0, 'not kept, not saved');
    const [started, error] = posted;
    assert.ok(started?.type === 'turnStarted' && error?.type === 'error' && error.requestId === started.requestId, `posted ${posted.map((m) => m.type).join(', ')}`);
    assert.equal(started.question, 'Review this', 'the question stays on screen');
    assert.equal(started.code?.endLine, 25_000, 'with its selection');
    assert.match(error.message, /^Not sent: the question is too large for GPT-5\.5\. It is about [\d,]+ tokens \(estimated\); the limit is 144,000 tokens .*Select less code or start a new chat\.$/);
    assert.deepEqual(error.actions, []);
    assert.deepEqual(shown.slice(1), [error.message], 'said once');
    assert.equal((await requests()).length, 0, 'nothing reached the stand-in');
    await secrets.remember(api);
    rows.push({ fault: 'huge selection (25,000 lines, cap raised: over the context budget)', message: error.message, questionKept: 'yes ("Review this", shown in the panel with the refusal; never kept or saved)', partialKept: 'n/a (nothing sent)', retryOffered: 'Retry (the panel\'s own: counted again, refused again unless the settings changed); select less code or start a new chat', secretFree: assertSecretFree(api, secrets, error.message) });
  });

  test('fault table: unknown profile', async () => {
    await api.configuration.update('profile', PROFILES.unknown);
    const turn = await ask('Hello?');
    await failedRow('unknown profile', turn, { message: /standin-nowhere/, actions: ['selectProfile'], partial: false, question: 'Hello?' });
  });

  test('fault table: no credentials', async () => {
    await api.configuration.update('profile', undefined);
    const turn = await ask('Anyone?');
    await failedRow('no credentials (no profile, nothing in the default chain)', turn, { message: /credentials/i, actions: ['selectProfile', 'setApiKey'], partial: false, question: 'Anyone?' });
  });

  test('fault table: expired SSO', async () => {
    const config = process.env.AWS_CONFIG_FILE!;
    const original = readFileSync(config, 'utf8');
    try {
      writeFileSync(config, `${original}\n[profile standin-sso-table]\nsso_session = table-sso\nsso_account_id = 123456789012\nsso_role_name = BedrockUser\nregion = us-east-2\n[sso-session table-sso]\nsso_start_url = https://example.awsapps.com/start\nsso_region = us-east-1\n`);
      await api.configuration.update('profile', 'standin-sso-table');
      const turn = await ask('SSO?');
      await failedRow('expired SSO session', turn, {
        message: /^The AWS SSO session of profile "standin-sso-table" has expired or was never started\. Run `aws sso login --profile standin-sso-table` in a terminal, then try again\.$/,
        actions: ['ssoLogin', 'refreshToken'], partial: false, question: 'SSO?',
      });
    } finally {
      writeFileSync(config, original);
    }
  });

  test('fault table: bad region', async () => {
    // Without an endpoint override the host is bedrock-mantle.eu-central-9.api.aws, which does not resolve: the
    // same failure, from a host under .invalid (RFC 2606: never resolves, never leaves this machine's resolver).
    await api.configuration.update('endpoint', 'https://bedrock-mantle.{region}.invalid/openai/v1');
    await api.configuration.update('region', 'eu-central-9');
    const turn = await ask('Where am I?');
    await failedRow('bad region (eu-central-9: no bedrock-mantle there, so its host does not resolve)', turn, {
      message: /^Cannot reach .*bedrock-mantle\.eu-central-9\.invalid.*: the name does not resolve\. .*bedrock-mantle is not known in eu-central-9; it runs in us-east-2/,
      actions: ['openSettings', 'askAgain'], partial: false, question: 'Where am I?',
    });
  });

  test('fault table: bad effort', async () => {
    const turn = await ask('Think a little', { effort: 'minimal' });
    await failedRow('bad effort (minimal, refused by the model)', turn, { message: /minimal/, actions: ['selectEffort'], partial: false, question: 'Think a little' });
  });

  test('fault table: 400', async () => {
    await queueFault(env, { kind: 'status', status: 400, message: "Invalid value for 'input': expected a non-empty list.", code: 'invalid_value' });
    const turn = await ask('Bad request?');
    await failedRow('400 bad request', turn, { message: /Invalid value for 'input'/, actions: [], partial: false, question: 'Bad request?' });
  });

  test('fault table: 401, then recovered', async () => {
    await queueFault(env, { kind: 'status', status: 401, message: 'Bearer token expired' });
    const turn = await ask('Still there?');
    assert.equal(turn.status, 'done', `answered after a new token (${turn.error?.message ?? ''})`);
    assert.match(turn.answer, /answers question 1: "Still there\?"/);
    assert.deepEqual((await requests()).map((r) => r.status), [401, 200], 'one rejection, then the new token answered');
    assert.equal(panelTurn(api, turn.requestId)?.answer, turn.answer);
    await secrets.remember(api);
    rows.push({ fault: '401 (token rejected), then recovered', message: '(none: a new token was signed and the question sent again; the answer shows)', questionKept: 'yes ("Still there?")', partialKept: 'n/a (full answer)', retryOffered: 'automatic (one retry with a new token)', secretFree: assertSecretFree(api, secrets, turn.answer) });
  });

  test('fault table: 403', async () => {
    await queueFault(env, { kind: 'status', status: 403, message: 'User: arn:aws:iam::123456789012:user/dev is not authorized to perform: bedrock-mantle:CreateInference', code: 'permission_denied' });
    const turn = await ask('Allowed?');
    await failedRow('403 permission denied', turn, { message: /not authorized to perform: bedrock-mantle:CreateInference/, actions: ['selectProfile', 'refreshToken'], partial: false, question: 'Allowed?' });
    assert.equal((await requests()).length, 1, 'a 403 about permissions is not retried with a new token');
  });

  test('fault table: 404 wrong region', async () => {
    await api.configuration.update('region', 'us-west-2');
    const turn = await ask('Hello from Oregon');
    await failedRow('404: GPT-5.5 not served in us-west-2', turn, { message: /not served in us-west-2/, actions: ['switchRegion'], partial: false, question: 'Hello from Oregon' });
  });

  test('fault table: 429 with Retry-After', async () => {
    await queueFault(env, { kind: 'status', status: 429, retryAfter: 120, message: 'Too many tokens per minute.' });
    const turn = await ask('Busy?');
    await failedRow('429 with Retry-After: 120', turn, { message: /2 minutes|120 seconds/, actions: ['askAgain'], partial: false, question: 'Busy?' });
    assert.equal((await requests()).length, 1, 'a long Retry-After is shown at once, not waited out');
  });

  test('fault table: 500', async () => {
    await queueFault(env, { kind: 'status', status: 500, times: 3 });
    const turn = await ask('Will this work?');
    await failedRow('500 (three times: the SDK\'s two retries used up)', turn, { message: /service error \(500\)/, actions: ['askAgain'], partial: false, question: 'Will this work?' });
    assert.equal((await requests()).length, 3);
  });

  test('fault table: malformed SSE', async () => {
    await queueFault(env, { kind: 'malformed', afterDeltas: 3 });
    const turn = await ask('Stream me [[words:50]]');
    await failedRow('malformed SSE (a data line that is not JSON after 3 deltas)', turn, { message: /stream|malformed|JSON/i, actions: ['askAgain'], partial: true, question: 'Stream me [[words:50]]' });
  });

  test('fault table: stream cut mid-way', async () => {
    await queueFault(env, { kind: 'cut', afterDeltas: 3 });
    const turn = await ask('Cut me off [[words:50]]');
    await failedRow('stream cut mid-way (socket destroyed after 3 deltas)', turn, { message: /cut|ended|interrupted/i, actions: ['askAgain'], partial: true, question: 'Cut me off [[words:50]]' });
  });

  test('fault table: silent stream', async () => {
    await api.configuration.update('streamIdleTimeoutSeconds', 1);
    await queueFault(env, { kind: 'slowStream', delayMs: 600_000 });
    const turn = await ask('Are you there?');
    await failedRow('silent stream (no event for longer than the idle bound, 1 s here)', turn, {
      message: /^The answer stream sent nothing for 1 seconds, so it was stopped; what arrived is shown\. Try again, or raise the silence timeout \(the Bedrock GPT: Stream Idle Timeout Seconds setting\)\.$/,
      actions: ['askAgain'], partial: true, question: 'Are you there?',
    });
    await waitFor('the stand-in to see the request aborted', async () => (await requests()).at(-1)?.aborted === true);
  });

  test('fault table: DNS failure', async () => {
    await api.configuration.update('endpoint', 'https://bedrock-mantle.{region}.invalid/openai/v1');
    const turn = await ask('Reachable?');
    await failedRow('DNS failure (endpoint host bedrock-mantle.us-east-2.invalid)', turn, { message: /^Cannot reach .*bedrock-mantle\.us-east-2\.invalid.*: the name does not resolve\./, actions: ['openSettings', 'askAgain'], partial: false, question: 'Reachable?' });
  });

  test('fault table: cancel during a token refresh', async function () {
    this.timeout(40_000);
    const dir = join(env.awsDir, 'slow-process');
    mkdirSync(dir, { recursive: true });
    const release = join(dir, 'release');
    const script = join(dir, 'slow-credentials.sh');
    // A credential_process that waits (bounded, 30 s) until the test releases it, then prints the static test key.
    writeFileSync(script, [
      '#!/bin/sh',
      `for i in $(seq 300); do [ -f '${release}' ] && break; sleep 0.1; done`,
      `printf '{"Version":1,"AccessKeyId":"%s","SecretAccessKey":"%s"}' '${STATIC_TEST_KEY.accessKeyId}' '${STATIC_TEST_KEY.secretAccessKey}'`,
      '',
    ].join('\n'));
    chmodSync(script, 0o755);
    const config = process.env.AWS_CONFIG_FILE!;
    const original = readFileSync(config, 'utf8');
    try {
      writeFileSync(config, `${original}\n[profile standin-slow]\ncredential_process = ${script}\nregion = us-east-2\n`);
      await api.configuration.update('profile', 'standin-slow');
      const requestId = `fault-${++seq}`;
      const asking = api.chat.receive({ type: 'ask', requestId, prompt: 'Slow sign-in?' });
      await waitFor('the token refresh to start', () => api.tokens.state.kind === 'refreshing', 10_000);
      const started = Date.now();
      await api.chat.receive({ type: 'cancel', requestId });
      await asking;
      const cancelMs = Date.now() - started;
      const turn = api.chat.conversation.turn(requestId);
      assert.equal(turn?.status, 'stopped', 'the ask ended as stopped');
      assert.equal(panelTurn(api, requestId)?.question, 'Slow sign-in?', 'the question stays on screen');
      assert.equal((await requests()).length, 0, 'nothing was sent');
      writeFileSync(release, '');
      // The refresh goes on without the ask and ends with a valid token: the next ask needs no new sign-in.
      await waitFor('the refresh to end', () => api.tokens.state.kind === 'valid', 15_000);
      // Asking the kept question again now answers: nothing was left half-done.
      await api.chat.receive({ type: 'retry', requestId });
      assert.equal(api.chat.conversation.turn(requestId)?.status, 'done', 'asked again, it answers');
      await secrets.remember(api);
      const secretFree = assertSecretFree(api, secrets, '');
      console.log(`  cancel took ${cancelMs} ms while credential_process was still running`);
      rows.push({ fault: 'cancel during a token refresh (credential_process still running)', message: '(none: the turn shows as stopped)', questionKept: 'yes ("Slow sign-in?")', partialKept: 'n/a (nothing had arrived)', retryOffered: 'none needed (the user stopped it); asking it again answers', secretFree });
    } finally {
      writeFileSync(release, '');
      writeFileSync(config, original);
    }
  });

  test('fault table: two concurrent asks', async () => {
    await queueFault(env, { kind: 'slowStream', delayMs: 20, times: 2 });
    const [a, b] = await Promise.all([ask('First question'), ask('Second question')]);
    for (const [turn, q] of [[a, 'First question'], [b, 'Second question']] as const) {
      assert.equal(turn.status, 'done', `${q}: ${turn.error?.message ?? ''}`);
      assert.ok(turn.answer.includes(q), `each answer is its own question's (${turn.answer.slice(0, 80)})`);
      assert.equal(panelTurn(api, turn.requestId)?.question, q);
      await waitFor('the webview to have each answer whole', () => api.chat.panel()?.snapshot().answers[turn.requestId] === turn.answer);
    }
    const seen = await requests();
    assert.equal(seen.length, 2);
    assert.ok(seen.every((r) => r.status === 200));
    await secrets.remember(api);
    rows.push({ fault: 'two concurrent asks', message: '(none: both answered, each into its own turn)', questionKept: 'yes (both)', partialKept: 'n/a (both whole, none mixed)', retryOffered: 'n/a', secretFree: assertSecretFree(api, secrets, a.answer + b.answer) });
  });
});
