// What every row of the fault table checks, and the table it writes (out-test/fault-table.md, pasted into
// docs/fault-table.md): the message shown, the question kept, the partial answer kept, the retry or fix offered,
// and that no secret (a test key, session token, or bearer token) is in the panel, the message or the log. The
// table's one suite (faultTable.test.ts) calls useFaultTable() for its hooks, and records its rows through
// failedRow() or `rows`; the exported variables are live: read them inside tests.
import * as assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import * as vscode from 'vscode';
import type { TestApi } from '../../src/extension';
import type { ErrorAction } from '../../src/core/errors/types';
import { UI_STRINGS_EN, type ChatTurn } from '../../src/shared/protocol';
import { actionLabel } from '../../src/shared/uiStrings';
import { LOG_CHANNEL_NAME } from '../../src/vscode/constants';
import { SESSION_TEST_KEY, STATIC_TEST_KEY } from '../standin/keys';
import type { RecordedRequest } from '../standin/server';
import { extensionApi, openReadyPanel, resetChat, useTestEnvironment, waitFor, workspaceFolder, type TestEnvironment } from './environment';

export interface Row {
  fault: string;
  message: string;
  questionKept: string;
  partialKept: string;
  retryOffered: string;
  secretFree: string;
}

const BEARER_PREFIX = 'bedrock-api-key-';

/** The secrets no output may hold: the test keys, and every bearer token the extension made during the table. */
export class Secrets {
  private readonly values = new Set<string>(
    [STATIC_TEST_KEY.secretAccessKey, SESSION_TEST_KEY.secretAccessKey, SESSION_TEST_KEY.sessionToken ?? '', STATIC_TEST_KEY.accessKeyId, SESSION_TEST_KEY.accessKeyId].filter(Boolean),
  );

  /** Remembers the extension's current token (full, and its base64 without the prefix), if it has a valid one. */
  async remember(api: TestApi): Promise<void> {
    if (api.tokens.state.kind !== 'valid') return;
    const token = await api.tokens.getToken();
    this.values.add(token);
    if (token.startsWith(BEARER_PREFIX)) this.values.add(token.slice(BEARER_PREFIX.length, BEARER_PREFIX.length + 60));
  }

  get count(): number {
    return this.values.size;
  }

  /** Fails naming where a secret was found (never the secret itself). */
  assertAbsent(where: string, text: string): void {
    for (const secret of this.values) {
      const encoded = encodeURIComponent(secret);
      if (text.includes(secret) || text.includes(encoded)) assert.fail(`a secret (${secret.length} characters) is in ${where}`);
    }
  }
}

/** The output channel's log file (VS Code writes `<logUri>/<channel name>.log`); '' before anything was logged. */
export function readLog(api: TestApi): string {
  const file = join(api.logDir, `${LOG_CHANNEL_NAME}.log`);
  if (existsSync(file)) return readFileSync(file, 'utf8');
  // Some VS Code builds put output channels one folder further down: take whatever .log files are there.
  if (!existsSync(api.logDir)) return '';
  return readdirSync(api.logDir, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.log'))
    .map((f) => readFileSync(join(api.logDir, f), 'utf8'))
    .join('\n');
}

/** Everything the user can see or the extension wrote about a turn: panel state, delivered answers, the log. */
export function assertSecretFree(api: TestApi, secrets: Secrets, message: string): string {
  secrets.assertAbsent('the message shown', message);
  secrets.assertAbsent('the panel state', JSON.stringify(api.chat.panelState(true)));
  const panel = api.chat.panel()?.snapshot();
  if (panel) secrets.assertAbsent('what the webview was sent', JSON.stringify(panel.answers));
  const log = readLog(api);
  secrets.assertAbsent('the output channel log', log);
  return `yes (${secrets.count} secrets checked in message, panel state, webview, log)`;
}

/** The buttons the panel paints under an error, with its words (turnView.ts adds Retry to an error that has none). */
export function describeActions(actions: readonly ErrorAction[] | undefined): string {
  const labels = (actions ?? []).map((a) => actionLabel(a, UI_STRINGS_EN));
  if (!actions?.some((a) => a.kind === 'askAgain')) labels.push(`${UI_STRINGS_EN.retry} (the panel's own)`);
  return labels.join(', ');
}

/** The question and the partial answer as the panel would paint them after a reload (the `state` message). */
export function panelTurn(api: TestApi, requestId: string): ChatTurn | undefined {
  return api.chat.panelState(true).conversation?.turns.find((t) => t.requestId === requestId);
}

const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

/** Writes the rows as a markdown table under out-test/ (the repository root is two folders above the bundle). */
export function writeTable(rows: Row[]): string {
  const dir = resolve(__dirname, '..');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, 'fault-table.md');
  const lines = [
    '| fault | message shown | question kept | partial kept | retry offered | secret-free |',
    '| --- | --- | --- | --- | --- | --- |',
    ...rows.map((r) => `| ${[r.fault, r.message, r.questionKept, r.partialKept, r.retryOffered, r.secretFree].map(cell).join(' | ')} |`),
  ];
  writeFileSync(file, `${lines.join('\n')}\n`);
  return file;
}

export let env: TestEnvironment;
export let api: TestApi;
export let folder: string;
export let rows: Row[];
export let secrets: Secrets;

/**
 * The table's hooks: the environment, the API and the workspace folder before the suite; before each test the
 * stand-in's endpoint, the static-key profile, us-east-2, GPT-5.5, an empty stand-in, a new chat and the panel
 * open and listening; after each test the settings put back; after the suite the log checked and the table written.
 */
export function useFaultTable(): void {
  rows = [];
  secrets = new Secrets();

  suiteSetup(async function () {
    this.timeout(40_000);
    env = await useTestEnvironment();
    api = await extensionApi();
    folder = workspaceFolder();
  });

  setup(async () => {
    await resetChat(api, env);
    // Teardown closes every editor, the panel too: open it again, with its webview listening.
    await openReadyPanel(api, 20_000);
  });

  teardown(async () => {
    await api.chat.conversation.cancelAll();
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    for (const key of ['profile', 'region', 'model', 'reasoningEffort', 'streamIdleTimeoutSeconds'] as const) await api.configuration.update(key, undefined);
    await api.configuration.update('endpoint', env.endpointTemplate);
  });

  suiteTeardown(async () => {
    // The log as it ends the table: no row's secret reached it, however late a line was written.
    const log = await waitFor('the log file to hold the table\'s asks', () => /Ask fault-\d+/.test(readLog(api)) && readLog(api), 10_000);
    secrets.assertAbsent('the output channel log at the end of the table', log);
    const file = writeTable(rows);
    console.log(`  fault table: ${rows.length} rows written to ${file}`);
  });
}

export const requests = async () => {
  const res = await fetch(`${env.standinUrl}/__standin/requests`);
  return ((await res.json()) as RecordedRequest[]).filter((r) => r.route === 'responses');
};

/**
 * The checks of every failed row: the exact message (or its key part), the question on screen, the partial
 * answer on screen (or none arrived), the actions offered, no secret anywhere. Records the row.
 */
export async function failedRow(fault: string, turn: ChatTurn, o: { message: RegExp; actions: string[]; partial: boolean; question: string }): Promise<void> {
  assert.equal(turn.status, 'error', `${fault}: the turn failed (status ${turn.status}, answer ${turn.answer.slice(0, 80)})`);
  const message = turn.error?.message ?? '';
  assert.match(message, o.message);
  const shown = panelTurn(api, turn.requestId);
  assert.equal(shown?.question, o.question, 'the question stays on screen');
  assert.equal(shown?.error?.message, message, 'the panel shows the message');
  assert.deepEqual(turn.error?.actions.map((a) => a.kind), o.actions, `${fault}: the actions offered`);
  let partialKept = 'n/a (nothing had arrived)';
  if (o.partial) {
    assert.ok(turn.answer.length > 0, 'a partial answer had arrived');
    assert.equal(shown?.answer, turn.answer, 'the partial answer stays in the panel state');
    await waitFor('the webview to have been sent the partial answer', () => api.chat.panel()?.snapshot().answers[turn.requestId] === turn.answer);
    partialKept = `yes (${turn.answer.length} chars, in the panel)`;
  } else {
    assert.equal(turn.answer, '', 'no answer text was made up');
  }
  await secrets.remember(api);
  const secretFree = assertSecretFree(api, secrets, message);
  rows.push({ fault, message, questionKept: `yes ("${o.question}")`, partialKept, retryOffered: describeActions(turn.error?.actions), secretFree });
}
