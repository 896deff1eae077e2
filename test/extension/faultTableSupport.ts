// What every row of the fault table checks, and the table it writes (out-test/fault-table.md, pasted into
// docs/fault-table.md): the message shown, the question kept, the partial answer kept, the retry or fix offered,
// and that no secret (a test key, session token, or bearer token) is in the panel, the message or the log.
import * as assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { TestApi } from '../../src/extension';
import type { ErrorAction } from '../../src/core/errors/types';
import { UI_STRINGS_EN, type ChatTurn } from '../../src/shared/protocol';
import { actionLabel } from '../../src/shared/uiStrings';
import { LOG_CHANNEL_NAME } from '../../src/vscode/constants';
import { SESSION_TEST_KEY, STATIC_TEST_KEY } from '../standin/keys';

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
