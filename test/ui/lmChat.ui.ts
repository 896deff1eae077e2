// UI test: VS Code's own Chat view with GPT-5.5 from Bedrock GPT. The packaged extension (bedrock-gpt.vsix) in
// code-server 1.139, the workbench driven in Chromium, no GitHub sign-in. The Chat view's model picker lists GPT-5.5
// from Bedrock GPT; a question asked there streams the stand-in's answer; in agent mode the stand-in's model asks
// for VS Code's built-in read_file tool, VS Code runs it, and the answer quotes the file it read.
// Saves media/screenshots/chat-view.png (used by the README).
//   npm run package && npx tsx test/ui/lmChat.ui.ts        exits non-zero on any failure
//
// What the built-in chat of VS Code 1.139 needs without a GitHub sign-in (found in code-server's workbench code):
// - `chat.disableAIFeatures: false` (the harness's default settings turn AI features off);
// - `chat.allowAnonymousAccess: true`: without it, and with no Copilot entitlement, the model picker offers only
//   "Sign in to use Copilot";
// - the built-in chat extension (GitHub.copilot-chat) enabled: on a new profile VS Code's "builtin chat extension
//   enablement migration" disables it because chat setup (a sign-in) was never completed, and the Chat view then
//   has no agent. "Extensions: Enable All Extensions" enables it again, after which the Chat view runs its agent
//   with the models of any language-model provider.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { launchChromium, REPO_ROOT, startCodeServer, workbenchUrl, type CodeServer } from '../../scripts/harness/codeServer';
import { EXTENSION_ID, STATUS_BAR_ITEM_ID } from '../../src/vscode/constants';
import { startStandin, type RecordedRequest, type Standin } from '../standin/server';
import { waitFor } from '../support/waitFor';
import { Checks, runUiTest, writeTestProfile } from './uiTest';

const VSIX = join(REPO_ROOT, 'bedrock-gpt.vsix');
const SCREENSHOT = join(REPO_ROOT, 'media/screenshots/chat-view.png');
const PROFILE = 'standin-static';
const REPLY = 'Bedrock GPT answers in the Chat view.';
const NOTE = 'The lighthouse keeper counts 42 ships.';

const checks = new Checks();
const check: Checks['check'] = checks.check.bind(checks);

/** Waits until `text` (read again every 200 ms; unreadable counts as empty) satisfies `ok`; a timeout shows the last text. */
function untilText(what: string, text: () => Promise<string>, ok: (t: string) => boolean, timeoutMs: number): Promise<true> {
  return waitFor(what, async () => ok(await text().catch(() => '')) || undefined, timeoutMs, 200, text);
}

async function runCommand(page: Page, title: string): Promise<void> {
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible', timeout: 10_000 });
  await input.fill(`>${title}`);
  await page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first().waitFor({ timeout: 10_000 });
  await page.keyboard.press('Enter');
}

const chatText = (page: Page) => page.locator('.interactive-list').first().innerText();

async function ask(page: Page, question: string): Promise<void> {
  await page.locator('.interactive-input-editor .monaco-editor').first().click();
  await page.keyboard.type(question);
  await page.keyboard.press('Enter');
}

async function main(): Promise<void> {
  const scratch = mkdtempSync(join(tmpdir(), 'bedrock-gpt-ui-'));
  let standin: Standin | undefined;
  let server: CodeServer | undefined;
  let browser: Browser | undefined;
  try {
    standin = await startStandin({ port: 0 });
    const workspace = join(scratch, 'workspace');
    mkdirSync(workspace);
    const notes = join(workspace, 'notes.txt');
    writeFileSync(notes, `${NOTE}\n`);
    server = await startCodeServer({
      workspace,
      installExtensions: [VSIX],
      env: writeTestProfile(join(scratch, 'aws'), PROFILE),
      userSettings: {
        'bedrockGpt.profile': PROFILE,
        'bedrockGpt.endpoint': standin.endpointTemplate,
        'chat.disableAIFeatures': false,
        'chat.allowAnonymousAccess': true,
      },
    });
    browser = await launchChromium();
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    await page.goto(workbenchUrl(server, server.workspace));
    await page.locator(`[id="${EXTENSION_ID}.${STATUS_BAR_ITEM_ID}"]`).waitFor({ state: 'visible', timeout: 60_000 });

    await runCommand(page, 'Extensions: Enable All Extensions');
    await page.keyboard.press('Control+Alt+KeyI'); // Chat: Open Chat
    const picker = page.locator('.interactive-input-part .model-picker-split').first();
    // The picker names a Bedrock GPT model once the chat extension runs and has asked our provider.
    await untilText('the Chat view to offer a Bedrock GPT model', () => picker.innerText(), (t) => /GPT-5\.[45]/.test(t), 60_000);

    await picker.click();
    await page.keyboard.type('GPT-5.5');
    const row = page.locator('.action-widget .monaco-list-row', { hasText: 'GPT-5.5' }).first();
    await row.waitFor({ timeout: 10_000 });
    const rowText = (await row.innerText()).replace(/\s+/g, ' ');
    check('the picker lists GPT-5.5 from Bedrock in us-east-2', rowText.includes('Bedrock · us-east-2'), `"${rowText}"`);
    console.log(`  model picker: "${rowText}"`);
    await page.keyboard.press('Enter');
    await untilText('GPT-5.5 to be the chosen model', () => picker.innerText(), (t) => t.includes('GPT-5.5'), 10_000);

    await ask(page, `[[reply]]${REPLY}[[/reply]]`);
    await untilText('the stand-in answer in the Chat view', () => chatText(page), (t) => t.split(REPLY).length > 2, 60_000);
    const first = standin.requests.find((r) => r.route === 'responses');
    check('the question reached the stand-in as GPT-5.5 with an accepted token', first?.status === 200 && first.model === 'openai.gpt-5.5', JSON.stringify(first && [first.status, first.model]));
    check('agent mode offered VS Code\'s tools, read_file among them', (first.tools?.length ?? 0) > 0 && first.tools!.includes('read_file'));
    console.log(`  answer streamed; the stand-in saw ${first.tools!.length} tools offered`);

    await ask(page, `Read the notes. [[tool:read_file {"filePath":${JSON.stringify(notes)},"startLine":1,"endLine":5}]]`);
    const quoted = 'read the result of read_file:';
    await untilText('the answer built on the read_file result', () => chatText(page), (t) => t.includes(quoted) && t.includes('lighthouse keeper'), 90_000);
    const answered = standin.requests.filter((r: RecordedRequest) => r.route === 'responses').at(-1)!;
    const output = answered.items?.find((i) => i.type === 'function_call_output');
    check('VS Code ran read_file and sent its result back', output?.output?.includes(NOTE), JSON.stringify(answered.items));
    check('the reasoning item of the call went back with it (stateless)', answered.items?.some((i) => i.type === 'reasoning'));
    console.log(`  agent mode: read_file ran; the answer quotes "${NOTE}"`);

    mkdirSync(join(REPO_ROOT, 'media/screenshots'), { recursive: true });
    await page.screenshot({ path: SCREENSHOT, clip: { x: 700, y: 0, width: 700, height: 900 } });
    console.log(`  screenshot: ${SCREENSHOT}`);
  } finally {
    await browser?.close().catch(() => undefined);
    await server?.stop();
    await standin?.close();
    rmSync(scratch, { recursive: true, force: true });
  }
}

runUiTest('chat-view-ui', checks, main);
