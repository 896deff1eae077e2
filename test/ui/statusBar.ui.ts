// UI test: the packaged extension (bedrock-gpt.vsix) installed into code-server, the workbench driven in Chromium.
// Clicking the status-bar item makes a token from the test AWS profile and checks it against the Bedrock stand-in;
// the item's text then shows the time left. Saves media/screenshots/status-bar.png (used by the README).
//   npm run package && npx tsx test/ui/statusBar.ui.ts        exits non-zero on any failure
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
import { launchChromium, REPO_ROOT, startCodeServer, workbenchUrl, type CodeServer } from '../../scripts/harness/codeServer';
import { EXTENSION_ID, STATUS_BAR_ITEM_ID } from '../../src/vscode/constants';
import { startStandin, type Standin } from '../standin/server';
import { waitFor } from '../support/waitFor';
import { Checks, runUiTest, writeTestProfile } from './uiTest';

const VSIX = join(REPO_ROOT, 'bedrock-gpt.vsix');
const SCREENSHOT = join(REPO_ROOT, 'media/screenshots/status-bar.png');
const PROFILE = 'standin-static';
const ITEM_ID = `${EXTENSION_ID}.${STATUS_BAR_ITEM_ID}`;

const checks = new Checks();
const check: Checks['check'] = checks.check.bind(checks);

async function itemText(item: Locator): Promise<string> {
  return ((await item.textContent().catch(() => '')) ?? '').replace(/\s+/g, ' ').trim();
}

async function waitForText(item: Locator, pattern: RegExp, timeoutMs: number): Promise<string> {
  return waitFor(`the status-bar item to show ${pattern}`, async () => {
    const text = await itemText(item);
    return pattern.test(text) && text;
  }, timeoutMs, 100, async () => `"${await itemText(item)}"`);
}

async function statusItem(page: Page): Promise<Locator> {
  // VS Code gives an extension's item the id `<extension id>.<item id>`.
  const byId = page.locator(`[id="${ITEM_ID}"]`);
  await byId.waitFor({ state: 'visible', timeout: 60_000 });
  return byId;
}

async function main(): Promise<void> {
  const scratch = mkdtempSync(join(tmpdir(), 'bedrock-gpt-ui-'));
  let standin: Standin | undefined;
  let server: CodeServer | undefined;
  let browser: Browser | undefined;
  try {
    standin = await startStandin({ port: 0 });
    server = await startCodeServer({
      installExtensions: [VSIX],
      env: writeTestProfile(join(scratch, 'aws'), PROFILE),
      userSettings: {
        'bedrockGpt.profile': PROFILE,
        'bedrockGpt.endpoint': standin.endpointTemplate,
        'workbench.colorTheme': 'Default Dark Modern',
      },
    });
    browser = await launchChromium();
    const page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
    await page.goto(workbenchUrl(server, server.workspace));

    const item = await statusItem(page);
    const before = await waitForText(item, /^GPT-5\.5$/, 30_000);
    check('before the first token the item shows the key icon', (await item.locator('.codicon-key').count()) === 1);
    console.log(`  before: "${before}" (no token yet)`);
    check('nothing reached the endpoint before the click', standin.requests.length === 0);

    await item.click();
    const after = await waitForText(item, /^GPT-5\.5 · 1[12]h \d+m$/, 30_000);
    check('a valid token shows the key icon', (await item.locator('.codicon-key').count()) === 1);
    const models = standin.requests.filter((r) => r.route === 'models');
    check('the click checked the token at the stand-in', models.length === 1 && models[0].status === 200, `requests: ${JSON.stringify(standin.requests.map((r) => [r.route, r.status]))}`);
    console.log(`  after click: "${after}" (the stand-in accepted the token: GET /${models[0].region}/openai/v1/models → 200)`);

    // The tooltip names profile, region, model, effort and expiry: show it in the screenshot.
    // The click left the pointer on the item (and a click dismisses its hover): leave and come back.
    await page.mouse.move(640, 300);
    await item.hover();
    const hover = page.locator('.monaco-hover, .workbench-hover').filter({ hasText: PROFILE }).first();
    await hover.waitFor({ state: 'visible', timeout: 10_000 });
    const tooltip = ((await hover.textContent()) ?? '').replace(/\s+/g, ' ');
    for (const part of [PROFILE, 'us-east-2', 'openai.gpt-5.5', 'medium', 'accepted']) check(`the tooltip mentions ${part}`, tooltip.includes(part), tooltip);
    mkdirSync(join(REPO_ROOT, 'media/screenshots'), { recursive: true });
    const box = (await hover.boundingBox())!;
    const x = Math.max(0, Math.min(box.x - 40, 1280 - 760));
    const y = Math.max(0, box.y - 20);
    await page.screenshot({ path: SCREENSHOT, clip: { x, y, width: 1280 - x, height: 720 - y } });
    console.log(`  screenshot: ${SCREENSHOT}`);
  } finally {
    await browser?.close().catch(() => undefined);
    await server?.stop();
    await standin?.close();
    rmSync(scratch, { recursive: true, force: true });
  }
}

runUiTest('status-bar-ui', checks, main);
