// The packaged extension in a real workbench (code-server in Chromium), driven like a user would: open a file,
// select lines, run "Ask GPT about Selection" from the palette (F1), type a question, and read the streamed answer
// inside the webview's frame. Screenshots in the light and the dark theme go to media/screenshots/ for the README.
//
//   npx tsx test/ui/ask.ui.ts        (needs `npm run package` and `bash scripts/harness/install.sh`)
// Env: BEDROCK_GPT_VSIX=<file> tests another package; HARNESS_VERBOSE=1 echoes the server's log.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from '../../scripts/harness/codeServer';
import type { RecordedRequest } from '../standin/server';
import { Checks, runUiTest } from './uiTest';
import { withWorkbench } from './session';
import { chatFrame, editorText, openFile, palette, selectLines } from './workbench';
import { waitFor } from '../support/waitFor';
import { EXTENSION_ID, STATUS_BAR_ITEM_ID } from '../../src/vscode/constants';

const SCREENSHOTS = join(REPO_ROOT, 'media/screenshots');
const QUESTION = 'Why does the total come out wrong?';

/** What the stand-in answers: a short explanation and a fenced fix, so the screenshot shows the code toolbar. */
const REPLY = [
  'The loop starts at `1`, so the first item is never added: `total` misses `items[0].price * items[0].quantity`.',
  '',
  'Start at `0` (or use `reduce`):',
  '',
  '```ts',
  'export function cartTotal(items: Item[]): number {',
  '  return items.reduce(',
  '    (sum, item) => sum + item.price * item.quantity,',
  '    0,',
  '  );',
  '}',
  '```',
].join('\n');

const SAMPLE = [
  'export interface Item {',
  '  name: string;',
  '  price: number;',
  '  quantity: number;',
  '}',
  '',
  'export function cartTotal(items: Item[]): number {',
  '  let total = 0;',
  '  for (let i = 1; i < items.length; i++) {',
  '    total += items[i].price * items[i].quantity;',
  '  }',
  '  return total;',
  '}',
  '',
].join('\n');

const checks = new Checks();
const check: Checks['check'] = checks.check.bind(checks);

/** Reads `read` until `ok` holds (the webview repaints when the extension's state arrives) or time is up; the text
 *  it read last, for the check that follows to judge and show. */
async function settled(read: () => Promise<string>, ok: (text: string) => boolean, timeoutMs = 10_000): Promise<string> {
  const text = () => read().catch((e: unknown) => `(unreadable: ${e instanceof Error ? e.message : String(e)})`);
  return waitFor('', async () => { const t = await text(); return ok(t) && t; }, timeoutMs, 200).catch(text);
}

async function main(): Promise<void> {
  await withWorkbench({
    name: 'ask',
    reply: REPLY,
    files: { 'src/cart.ts': SAMPLE },
    settings: { 'workbench.colorTheme': 'Default Light Modern', 'editor.renderWhitespace': 'none', 'editor.lightbulb.enabled': 'off' },
  }, async ({ page, standin }) => {
    // The extension's status-bar item appears when the packaged extension has activated (onStartupFinished).
    const tokenItem = page.locator(`[id="${EXTENSION_ID}.${STATUS_BAR_ITEM_ID}"]`);
    await tokenItem.waitFor({ state: 'visible', timeout: 30_000 });
    check('the workbench loads with the packaged extension active', /GPT-5\.5/.test(await tokenItem.innerText()), await tokenItem.innerText());
    await palette(page, 'View: Close Secondary Side Bar').catch(() => page.keyboard.press('Escape'));

    // Open src/cart.ts with Quick Open and select lines 7–13 (the function).
    await openFile(page, 'cart.ts', 'cartTotal');
    const selectFunction = () => selectLines(page, 7, 13);
    await selectFunction();
    const selection = await settled(() => page.locator('[id="status.editor.selection"]').innerText(), (t) => /Ln 14, Col 1 \(\d+ selected\)/.test(t));
    check('src/cart.ts is open with lines 7–13 selected', /Ln 14, Col 1 \(\d+ selected\)/.test(selection), selection);

    await palette(page, 'Ask GPT about Selection');
    const box = page.locator('.quick-input-widget input.input');
    const named = await settled(() => page.locator('.quick-input-widget').innerText(), (t) => t.includes('src/cart.ts, lines 7–13'));
    check('the input box names the file and the lines', named.includes('src/cart.ts, lines 7–13 (typescript)'), named);
    await box.fill(QUESTION);
    await box.press('Enter');

    // The answer, read inside the webview's frame.
    const frame = chatFrame(page);
    const answer = frame.locator('.turn .answer').first();
    await answer.locator('pre code').first().waitFor({ state: 'visible', timeout: 30_000 });
    await frame.locator('.turn .usage .usage-value').first().waitFor({ state: 'visible', timeout: 15_000 });
    const text = await answer.innerText();
    check('the streamed answer arrives in the panel', text.includes('The loop starts at 1'), text.slice(0, 200));
    const code = await answer.locator('pre code').first().innerText();
    check('its code block is rendered as code', code.includes('(sum, item) => sum + item.price * item.quantity'), code);
    check('the code block has Copy, Insert and Apply', (await frame.locator('.code-block .code-action').count()) >= 3);
    const question = await frame.locator('.turn .question-text').first().innerText();
    check('the question is shown', question === QUESTION, question);
    const usage = await frame.locator('.turn .usage').first().innerText();
    check('usage, cost and times are shown under the answer', /\$/.test(usage), usage);

    const requests = (await (await fetch(`${standin.url}/__standin/requests`)).json()) as RecordedRequest[];
    const sent = requests.find((r) => r.route === 'responses');
    check('the stand-in received the selected code with the question', !!sent && /From src\/cart\.ts, lines 7–13:\n```typescript\nexport function cartTotal/.test(sent.input.at(-1)?.content ?? ''));

    // Light theme: the webview's body follows the workbench's theme.
    const bodyClass = async () => (await frame.locator('body').getAttribute('class')) ?? '';
    check('the panel is light in the light theme', /vscode-light/.test(await bodyClass()), await bodyClass());
    mkdirSync(SCREENSHOTS, { recursive: true });
    await page.mouse.move(0, 0);
    await page.locator('.monaco-hover:visible').waitFor({ state: 'detached', timeout: 5_000 }).catch(() => undefined);
    await page.screenshot({ path: join(SCREENSHOTS, 'ask-light.png') });
    console.log(`  saved ${join('media/screenshots', 'ask-light.png')}`);

    await selectFunction(); // focus back in the editor, with the same selection as in the light shot
    await palette(page, 'Preferences: Toggle between Light/Dark Themes');
    const dark = await settled(bodyClass, (t) => /vscode-dark/.test(t));
    check('the panel turns dark with the dark theme', /vscode-dark/.test(dark), dark);
    // The workbench itself has switched too (its root carries the theme's type) before the shot is taken.
    await page.locator('.monaco-workbench.vs-dark').waitFor({ state: 'visible', timeout: 10_000 });
    await page.screenshot({ path: join(SCREENSHOTS, 'ask-dark.png') });
    console.log(`  saved ${join('media/screenshots', 'ask-dark.png')}`);

    // A window reload: the serializer revives the panel and the conversation comes back from workspaceState.
    // "Developer: Reload Window" shuts the workbench down properly (its layout saved), as a user's reload does.
    const reloaded = page.waitForEvent('framenavigated', { predicate: (f) => f === page.mainFrame(), timeout: 30_000 });
    await palette(page, 'Developer: Reload Window');
    await reloaded;
    await page.locator('.monaco-workbench').waitFor({ state: 'visible', timeout: 30_000 });
    const revived = chatFrame(page).locator('.turn .answer pre code').first();
    await revived.waitFor({ state: 'visible', timeout: 30_000 });
    const revivedCode = await settled(() => revived.innerText(), (t) => t.includes('sum + item.price * item.quantity'));
    check('after a window reload the panel is back with the conversation', revivedCode.includes('sum + item.price * item.quantity'), revivedCode);
    const revivedQuestion = await settled(() => chatFrame(page).locator('.turn .question-text').first().innerText(), (t) => t === QUESTION);
    check('… and the question', revivedQuestion === QUESTION, revivedQuestion);

    // Apply as diff from the webview's code toolbar, then Accept from the diff editor's title bar.
    await chatFrame(page).locator('.code-block .code-apply').first().click();
    const diffEditor = page.locator('.editor-instance .monaco-diff-editor');
    await diffEditor.waitFor({ state: 'visible', timeout: 15_000 });
    const proposedSide = await settled(() => diffEditor.locator('.editor.modified .view-lines:not(.line-delete)').innerText(), (t) => t.includes('item.quantity'));
    check('Apply as diff opens the diff editor with the proposed code', proposedSide.replace(/\u00a0/g, ' ').includes('sum + item.price * item.quantity'), proposedSide);
    const accept = page.locator('.editor-actions .action-label[aria-label^="Accept Proposed Change"]');
    await accept.waitFor({ state: 'visible', timeout: 10_000 });
    await accept.click();
    await diffEditor.waitFor({ state: 'detached', timeout: 10_000 });
    const fileText = await editorText(page);
    check('Accept replaces the selection in the file', fileText.includes('return items.reduce(') && !fileText.includes('let total = 0;'), fileText);
  });
}

runUiTest('ask-ui', checks, main);
