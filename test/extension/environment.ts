// Shared set-up for the extension-host suites: the Bedrock stand-in and AWS config files with the test keys.
//
// The runner may start the stand-in and pass BEDROCK_GPT_TEST_STANDIN_URL; otherwise one is started here, in the
// extension host's own process. The AWS files go to a temp folder, and AWS_CONFIG_FILE /
// AWS_SHARED_CREDENTIALS_FILE point at them unless the runner set them already. The extension reads
// process.env when it makes its first token, so this must run before that (every suite calls useTestEnvironment()).
import * as assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { TestApi } from '../../src/extension';
import { EXTENSION_ID, SECTION } from '../../src/vscode/constants';
import { SESSION_TEST_KEY, STATIC_TEST_KEY } from '../standin/keys';
import { startStandin, type Standin } from '../standin/server';

export const STANDIN_URL_ENV = 'BEDROCK_GPT_TEST_STANDIN_URL';

/** Profiles in the test AWS files. */
export const PROFILES = {
  static: 'standin-static',
  session: 'standin-session',
  /** credential_process that fails: "bad credentials" with a clear message. */
  broken: 'standin-broken',
  /** In neither file. */
  unknown: 'standin-nowhere',
} as const;

export interface TestEnvironment {
  /** http://127.0.0.1:<port> */
  standinUrl: string;
  /** http://127.0.0.1:<port>/{region}/openai/v1, also the user's bedrockGpt.endpoint during the suites */
  endpointTemplate: string;
  awsDir: string;
}

let env: Promise<TestEnvironment> | undefined;

export function useTestEnvironment(): Promise<TestEnvironment> {
  env ??= setUp();
  return env;
}

async function setUp(): Promise<TestEnvironment> {
  const awsDir = mkdtempSync(join(tmpdir(), 'bedrock-gpt-aws-'));
  // The extension host ends with the run; the stand-in started here ends with it.
  process.once('exit', () => rmSync(awsDir, { recursive: true, force: true }));
  if (!process.env.AWS_CONFIG_FILE) {
    const config = join(awsDir, 'config');
    writeFileSync(
      config,
      [
        `[profile ${PROFILES.static}]`, 'region = us-east-2', '',
        `[profile ${PROFILES.session}]`, 'region = us-east-2', '',
        `[profile ${PROFILES.broken}]`, 'credential_process = /bin/false', '',
      ].join('\n'),
    );
    process.env.AWS_CONFIG_FILE = config;
  }
  if (!process.env.AWS_SHARED_CREDENTIALS_FILE) {
    const credentials = join(awsDir, 'credentials');
    writeFileSync(
      credentials,
      [
        `[${PROFILES.static}]`,
        `aws_access_key_id = ${STATIC_TEST_KEY.accessKeyId}`,
        `aws_secret_access_key = ${STATIC_TEST_KEY.secretAccessKey}`, '',
        `[${PROFILES.session}]`,
        `aws_access_key_id = ${SESSION_TEST_KEY.accessKeyId}`,
        `aws_secret_access_key = ${SESSION_TEST_KEY.secretAccessKey}`,
        `aws_session_token = ${SESSION_TEST_KEY.sessionToken}`, '',
      ].join('\n'),
    );
    process.env.AWS_SHARED_CREDENTIALS_FILE = credentials;
  }
  // Nothing here may reach AWS: no instance metadata, no keys or key from the outer environment.
  process.env.AWS_EC2_METADATA_DISABLED = 'true';
  for (const k of ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_PROFILE', 'AWS_BEARER_TOKEN_BEDROCK']) delete process.env[k];

  let standinUrl = process.env[STANDIN_URL_ENV];
  if (!standinUrl) {
    const standin: Standin = await startStandin({ port: 0 });
    standinUrl = standin.url;
    process.env[STANDIN_URL_ENV] = standinUrl;
  }
  standinUrl = standinUrl.replace(/\/+$/, '');
  const endpointTemplate = `${standinUrl}/{region}/openai/v1`;
  // A refresh from the status bar asks the endpoint's /models: point it at the stand-in, never at AWS.
  await vscode.workspace.getConfiguration(SECTION).update('endpoint', endpointTemplate, vscode.ConfigurationTarget.Global);
  return { standinUrl, endpointTemplate, awsDir };
}

/** The activated extension's test API (activate() returns it only in ExtensionMode.Test). */
export async function extensionApi(): Promise<TestApi> {
  const ext = vscode.extensions.getExtension<TestApi | undefined>(EXTENSION_ID);
  if (!ext) throw new Error(`${EXTENSION_ID} is not installed in this extension host`);
  const api = ext.isActive ? ext.exports : await ext.activate();
  if (!api) throw new Error('activate() returned no test API: is the extension host in test mode?');
  return api;
}

/** Polls until `check` returns a value (not undefined/false), or fails after `timeoutMs`. */
export { waitFor } from '../support/waitFor';
import { waitFor } from '../support/waitFor';

type PanelApi = NonNullable<ReturnType<TestApi['chat']['panel']>>;

/** Opens the chat panel (closing every editor closes it too) and waits, up to `readyMs`, for its webview's `ready`. */
export async function openReadyPanel(api: TestApi, readyMs: number, what = 'the chat panel'): Promise<PanelApi> {
  await vscode.commands.executeCommand('bedrockGpt.openChat');
  const panel = await waitFor(what, () => api.chat.panel());
  await waitFor('the webview to say ready', () => panel.snapshot().ready, readyMs);
  return panel;
}

/** Asks the stand-in whether it accepts a token (GET /<region>/openai/v1/models). The token is never printed. */
export async function standinAccepts(e: TestEnvironment, token: string, region = 'us-east-2'): Promise<number> {
  const res = await fetch(`${e.standinUrl}/${region}/openai/v1/models`, { headers: { authorization: `Bearer ${token}` } });
  await res.arrayBuffer();
  return res.status;
}

/** Strips markdown escapes from a tooltip so tests can look for plain text in it. */
export function plain(markdown: string): string {
  return markdown.replace(/\\(.)/g, '$1');
}

/** Queues a failure in the stand-in (POST /__standin/faults). */
export async function queueFault(e: TestEnvironment, fault: Record<string, unknown>): Promise<void> {
  const res = await fetch(`${e.standinUrl}/__standin/faults`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(fault) });
  if (!res.ok) throw new Error(`the stand-in refused the fault: ${res.status} ${await res.text()}`);
}

/** Empties the stand-in's faults and request log. */
export async function resetStandin(e: TestEnvironment): Promise<void> {
  await (await fetch(`${e.standinUrl}/__standin/reset`, { method: 'POST' })).arrayBuffer();
}

/**
 * Waits until VS Code has asked the extension's language-model provider for its models after the last settings
 * change (the provider asks the region's /models then, and keeps the answer): call it before queueing a fault on
 * the `models` route that another request is meant to meet.
 */
export async function settleLanguageModels(): Promise<void> {
  await vscode.lm.selectChatModels({ vendor: 'bedrock-gpt' });
}

/**
 * The usual suite against the stand-in: the test environment and the extension's API before the suite, and before
 * each test the stand-in's endpoint, the static-key profile and us-east-2 in the user settings, an empty stand-in
 * log and a new chat. Read `env` and `api` inside tests (they are set in suiteSetup).
 */
/** The workspace folder the suite runs in (it fails when there is none). */
export function workspaceFolder(): string {
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath ?? process.env.BEDROCK_GPT_TEST_WORKSPACE ?? '';
  assert.ok(folder, 'the suite runs with a workspace folder');
  return folder;
}

/** Before each chat test: the stand-in's endpoint, the static profile, us-east-2, GPT-5.5, the stand-in reset, a new chat. */
export async function resetChat(api: TestApi, e: TestEnvironment): Promise<void> {
  await api.configuration.update('endpoint', e.endpointTemplate);
  await api.configuration.update('profile', PROFILES.static);
  await api.configuration.update('region', 'us-east-2');
  await api.configuration.update('model', 'openai.gpt-5.5');
  await resetStandin(e);
  await vscode.commands.executeCommand('bedrockGpt.newChat');
}

export function standinSuite(): { readonly env: TestEnvironment; readonly api: TestApi } {
  const ctx = {} as { env: TestEnvironment; api: TestApi };
  suiteSetup(async function () {
    this.timeout(30_000);
    ctx.env = await useTestEnvironment();
    ctx.api = await extensionApi();
  });
  setup(async () => {
    await ctx.api.configuration.update('endpoint', ctx.env.endpointTemplate);
    await ctx.api.configuration.update('profile', PROFILES.static);
    await ctx.api.configuration.update('region', 'us-east-2');
    await resetStandin(ctx.env);
    await ctx.api.chat.conversation.clear();
  });
  return ctx;
}
