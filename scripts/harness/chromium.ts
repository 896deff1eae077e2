// Debian's chromium, driven through playwright-core, with a HOME of its own and no network of its own making.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type LaunchOptions } from 'playwright-core';
import { assertHarnessInstalled, CHROMIUM } from './installation';

/** Flags that keep chromium off the (closed) network and working as root in a container. */
export const CHROMIUM_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];

/** Debian's chromium through playwright-core (never `playwright install`: that download cannot work here). */
export async function launchChromium(opts: LaunchOptions = {}): Promise<Browser> {
  assertHarnessInstalled('chromium');
  // Its own HOME and XDG dirs: Debian's chromium otherwise keeps crash reports and caches under ~/.config.
  const home = mkdtempSync(join(tmpdir(), 'bedrock-gpt-chromium-'));
  const env: NodeJS.ProcessEnv = { ...process.env, HOME: home, XDG_CONFIG_HOME: join(home, '.config'), XDG_CACHE_HOME: join(home, '.cache') };
  delete env.XDG_RUNTIME_DIR;
  try {
    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      env,
      ...opts,
      args: [...CHROMIUM_ARGS, ...(opts.args ?? [])],
    });
    browser.once('disconnected', () => rmSync(home, { recursive: true, force: true }));
    return browser;
  } catch (e) {
    rmSync(home, { recursive: true, force: true });
    throw e;
  }
}
