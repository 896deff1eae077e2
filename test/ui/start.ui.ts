// `npm start -- --demo` as a newcomer uses it: the command prints a URL; the URL opens a real workbench with the
// extension under development and the sample workspace; a question about a selection streams the demo's answer
// from the token-checking stand-in; Apply as diff + Accept changes the file; Ctrl-C stops everything it started.
// Takes the README's screenshot media/screenshots/demo.png.
//   npx tsx test/ui/start.ui.ts
import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync, readdirSync, readlinkSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT, freePort, launchChromium } from '../../scripts/harness/codeServer';
import { holdsWithin } from '../support/waitFor';
import { Checks, runUiTest } from './uiTest';
import { chatFrame, editorText, openFile, palette, selectLines } from './workbench';

const SCREENSHOT = join(REPO_ROOT, 'media/screenshots/demo.png');
const QUESTION = 'Why does the total come out wrong?';
const checks = new Checks();
const check: Checks['check'] = checks.check.bind(checks);

/** Resolves with the first match of `re` in the child's output, or fails after `ms` naming what it waited for. */
function waitForOutput(out: { text: string; onData: Set<() => void> }, re: RegExp, ms: number, what: string): Promise<RegExpExecArray> {
  return new Promise((ok, fail) => {
    const timer = setTimeout(() => { out.onData.delete(look); fail(new Error(`${what} not seen within ${ms / 1000} s; output:\n${out.text.slice(-2000)}`)); }, ms);
    const look = () => {
      const m = re.exec(out.text);
      if (m) { clearTimeout(timer); out.onData.delete(look); ok(m); }
    };
    out.onData.add(look);
    look();
  });
}

/** Processes (other than us) whose working folder is the repository and whose command line holds `needle`. */
function processesWith(needle: string): number[] {
  const found: number[] = [];
  for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    try {
      if (readlinkSync(`/proc/${pid}/cwd`) !== REPO_ROOT) continue;
      if (readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').includes(needle)) found.push(Number(pid));
    } catch { /* gone, or not ours to read */ }
  }
  return found.filter((p) => p !== process.pid);
}

async function main(): Promise<void> {
  const port = await freePort();
  const child = spawn('npm', ['start', '--', '--demo', '--port', String(port)], { cwd: REPO_ROOT, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  const out = { text: '', onData: new Set<() => void>() };
  let exited: number | null | undefined;
  const exit = new Promise<number | null>((r) => child.once('exit', (code, signal) => { exited = code ?? (signal ? 128 : null); r(exited); }));
  for (const s of [child.stdout, child.stderr]) s.on('data', (d: Buffer) => { out.text += d; for (const f of [...out.onData]) f(); });
  const browser = await launchChromium();
  try {
    const [, url] = await waitForOutput(out, /Open: (http:\/\/127\.0\.0\.1:\d+\/\S+)/, 120_000, '"Open: <url>" from npm start');
    check('npm start -- --demo prints the URL to open', url.startsWith(`http://127.0.0.1:${port}/?folder=`), url);

    const page = await browser.newPage({ viewport: { width: 1440, height: 860 } });
    await page.goto(url);
    await page.locator('.monaco-workbench').waitFor({ state: 'visible', timeout: 30_000 });
    const item = page.locator('.statusbar-item', { hasText: 'GPT-5.5' }).first();
    const itemShown = await item.waitFor({ state: 'visible', timeout: 30_000 }).then(() => true, () => false);
    check('the URL opens the workbench with the extension under development (its status-bar item shows)', itemShown);

    await openFile(page, 'cart.ts', 'cartTotal');
    await selectLines(page, 7, 13);
    await palette(page, 'Ask GPT about Selection');
    const box = page.locator('.quick-input-widget input.input');
    await page.locator('.quick-input-widget', { hasText: 'src/cart.ts, lines 7–13' }).waitFor({ state: 'visible', timeout: 10_000 });
    await box.fill(QUESTION);
    await box.press('Enter');

    const frame = chatFrame(page);
    const answer = frame.locator('.turn .answer').first();
    await answer.locator('pre code', { hasText: 'Reviewed in the bedrock-gpt demo' }).waitFor({ state: 'visible', timeout: 30_000 });
    await frame.locator('.turn .usage .usage-value').first().waitFor({ state: 'visible', timeout: 15_000 });
    const text = await answer.innerText();
    check('the question is answered by the demo stand-in, streamed into the panel', /demo/.test(text) && text.includes('cartTotal'), text.slice(0, 300));
    mkdirSync(join(REPO_ROOT, 'media/screenshots'), { recursive: true });
    await page.mouse.move(0, 0);
    await page.screenshot({ path: SCREENSHOT });
    console.log('  saved media/screenshots/demo.png');

    await frame.locator('.code-block .code-apply').first().click();
    const diffEditor = page.locator('.editor-instance .monaco-diff-editor');
    await diffEditor.waitFor({ state: 'visible', timeout: 15_000 });
    const accept = page.locator('.editor-actions .action-label[aria-label^="Accept Proposed Change"]');
    await accept.waitFor({ state: 'visible', timeout: 10_000 });
    await accept.click();
    await diffEditor.waitFor({ state: 'detached', timeout: 10_000 });
    const fileText = await editorText(page);
    check('Apply as diff, then Accept, puts the demo\'s change into the file', fileText.includes('// Reviewed in the bedrock-gpt demo'), fileText);
    await page.close();

    assert.ok(processesWith('esbuild.mjs --watch').length > 0, 'esbuild watches the sources while npm start runs');
    process.kill(-child.pid!, 'SIGINT'); // what Ctrl-C in the terminal sends: the whole foreground group
    const code = await Promise.race([exit, new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), 20_000))]);
    check('Ctrl-C stops npm start', code !== 'timeout', `still running 20 s after SIGINT; output:\n${out.text.slice(-1500)}`);
    // npm itself may exit before its children have finished stopping theirs: wait for each, with a bound.
    const healthz = () => fetch(`http://127.0.0.1:${port}/healthz`, { signal: AbortSignal.timeout(3000) }).then(() => false, () => true);
    check('… the workbench server with it', await holdsWithin(healthz, 10_000), `http://127.0.0.1:${port}/healthz still answers`);
    const watchGone = () => processesWith('esbuild.mjs --watch').length === 0;
    check('… and the watch build', await holdsWithin(watchGone, 10_000), `esbuild --watch still runs: ${processesWith('esbuild.mjs --watch').join(', ')}`);
  } finally {
    await browser.close().catch(() => undefined);
    // Still running after a failure: Ctrl-C first (so it stops its server and watcher), then the hard way.
    if (exited === undefined) {
      try { process.kill(-child.pid!, 'SIGINT'); } catch { /* gone */ }
      await Promise.race([exit, new Promise((r) => setTimeout(r, 10_000))]);
      if (exited === undefined) try { process.kill(-child.pid!, 'SIGKILL'); } catch { /* gone */ }
    }
  }
}

runUiTest('start-ui', checks, main);
