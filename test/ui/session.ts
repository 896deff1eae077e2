// One workbench for a UI test that asks the panel a question: a scratch folder, the stand-in behind a proxy that
// gives every question the test's answer, a workspace holding the test's files, code-server with the packaged
// extension and the test's settings, and a Chromium page on the workbench. On a failure a screenshot of the
// workbench goes to test-results/<name>-failure.png; whatever happens, everything is stopped and removed after.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { Page } from 'playwright-core';
import { REPO_ROOT, launchChromium, startCodeServer, workbenchUrl, type CodeServer } from '../../scripts/harness/codeServer';
import { startReplyProxy, type ReplyProxy } from '../standin/replyProxy';
import { startStandin, type Standin } from '../standin/server';
import { writeTestProfile } from './uiTest';

const VSIX = process.env.BEDROCK_GPT_VSIX ?? join(REPO_ROOT, 'bedrock-gpt.vsix');
const PROFILE = 'standin-ui';
/** A quiet workbench for screenshots: no minimap, activity bar, command center or secondary side bar. */
const QUIET_SETTINGS = {
  'editor.minimap.enabled': false,
  'workbench.activityBar.location': 'hidden',
  'window.commandCenter': false,
  'editor.fontSize': 14,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
};

export interface WorkbenchOptions {
  /** Names the scratch folder and the failure screenshot. */
  name: string;
  /** What the stand-in answers to every question. */
  reply: string;
  /** Workspace-relative path → text. */
  files: Record<string, string>;
  /** User settings beyond the profile, the endpoint and the quiet workbench. */
  settings: Record<string, unknown>;
}

export interface Workbench {
  page: Page;
  workspace: string;
  standin: Standin;
}

export async function withWorkbench(o: WorkbenchOptions, run: (w: Workbench) => Promise<void>): Promise<void> {
  const scratch = mkdtempSync(join(tmpdir(), `bedrock-gpt-ui-${o.name}-`));
  let standin: Standin | undefined;
  let proxy: ReplyProxy | undefined;
  let server: CodeServer | undefined;
  const browser = await launchChromium();
  try {
    standin = await startStandin({ port: 0 });
    proxy = await startReplyProxy(standin.url, o.reply);
    const workspace = join(scratch, 'shop');
    for (const [path, text] of Object.entries(o.files)) {
      mkdirSync(dirname(join(workspace, path)), { recursive: true });
      writeFileSync(join(workspace, path), text);
    }
    server = await startCodeServer({
      workspace,
      installExtensions: [VSIX],
      env: writeTestProfile(join(scratch, 'aws'), PROFILE),
      userSettings: { 'bedrockGpt.endpoint': proxy.endpointTemplate, 'bedrockGpt.profile': PROFILE, ...QUIET_SETTINGS, ...o.settings },
    });
    const page = await browser.newPage({ viewport: { width: 1440, height: 860 } });
    page.on('pageerror', (e) => process.stderr.write(`[workbench:pageerror] ${e.message}\n`));
    await page.goto(workbenchUrl(server, workspace));
    await page.locator('.monaco-workbench').waitFor({ state: 'visible', timeout: 30_000 });
    await run({ page, workspace, standin });
  } catch (e) {
    // What the workbench looked like when it failed (test-results/ is git-ignored).
    const page = browser.contexts()[0]?.pages()[0];
    if (page) {
      mkdirSync(join(REPO_ROOT, 'test-results'), { recursive: true });
      await page.screenshot({ path: join(REPO_ROOT, `test-results/${o.name}-ui-failure.png`) }).catch(() => undefined);
      console.error(`  screenshot of the failure: test-results/${o.name}-ui-failure.png`);
    }
    throw e;
  } finally {
    await browser.close().catch(() => undefined);
    await server?.stop();
    await proxy?.close();
    await standin?.close();
    rmSync(scratch, { recursive: true, force: true });
  }
}
