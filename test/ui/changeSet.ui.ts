// A multi-file change set in a real workbench (code-server in Chromium), driven like a user would: ask from the
// palette, get an answer whose code blocks are labelled with workspace paths, click the panel's "Review changes",
// look at a diff per file (one of them a new file), then Accept All from a diff editor's title bar.
// Saves media/screenshots/change-set.png (used by the README).
//
//   npx tsx test/ui/changeSet.ui.ts   (needs `npm run package` and `bash scripts/harness/install.sh`)
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from '../../scripts/harness/codeServer';
import { Checks, runUiTest } from './uiTest';
import { withWorkbench } from './session';
import { chatFrame, editorText, openFile, palette } from './workbench';
import { holdsWithin } from '../support/waitFor';
import { EXTENSION_ID, STATUS_BAR_ITEM_ID } from '../../src/vscode/constants';

const SCREENSHOT = join(REPO_ROOT, 'media/screenshots/change-set.png');

const CART = [
  'export interface Item {',
  '  price: number;',
  '  quantity: number;',
  '}',
  '',
  'export function cartTotal(items: Item[]): number {',
  '  return items.reduce((sum, item) => sum + item.price * item.quantity, 0);',
  '}',
  '',
].join('\n');

const TAX = [
  'export const VAT_RATE = 0.2;',
  '',
  '/** The amount with VAT, rounded to cents. */',
  'export function withVat(amount: number, rate = VAT_RATE): number {',
  '  return Math.round(amount * (1 + rate) * 100) / 100;',
  '}',
].join('\n');

/** The answer: two files, labelled two ways (the fence's info string, and a path line before the fence). */
const REPLY = [
  'Put the rate in its own module and use it in the total:',
  '',
  '```ts src/cart.ts',
  "import { withVat } from './tax';",
  '',
  ...CART.trimEnd().split('\n').slice(0, 5),
  'export function cartTotal(items: Item[]): number {',
  '  return withVat(items.reduce((sum, item) => sum + item.price * item.quantity, 0));',
  '}',
  '```',
  '',
  '**src/tax.ts**',
  '```ts',
  TAX,
  '```',
].join('\n');

const checks = new Checks();
const check: Checks['check'] = checks.check.bind(checks);

async function main(): Promise<void> {
  await withWorkbench({
    name: 'change-set',
    reply: REPLY,
    files: { 'src/cart.ts': CART },
    settings: { 'workbench.colorTheme': 'Default Dark Modern', 'diffEditor.renderSideBySide': false },
  }, async ({ page, workspace }) => {
    await page.locator(`[id="${EXTENSION_ID}.${STATUS_BAR_ITEM_ID}"]`).waitFor({ state: 'visible', timeout: 30_000 });
    await palette(page, 'View: Close Secondary Side Bar').catch(() => page.keyboard.press('Escape'));
    await openFile(page, 'cart.ts', 'cartTotal');
    await palette(page, 'View: Close Primary Side Bar');

    await palette(page, 'Ask GPT…');
    const box = page.locator('.quick-input-widget input.input');
    await box.fill('Add VAT to the cart total, with the rate in its own module.');
    await box.press('Enter');

    const frame = chatFrame(page);
    const review = frame.locator('.turn .change-set-apply').first();
    await review.waitFor({ state: 'visible', timeout: 30_000 });
    const files = await frame.locator('.turn .change-set-files').first().innerText();
    check('the answer offers one review for its two files', files.includes('src/cart.ts, src/tax.ts'), files);
    await review.click();

    const diffEditor = page.locator('.editor-instance .monaco-diff-editor');
    await diffEditor.waitFor({ state: 'visible', timeout: 15_000 });
    const tabs = page.locator('.tabs-container .tab');
    await page.locator('.tabs-container .tab', { hasText: 'tax.ts (new file)' }).waitFor({ state: 'visible', timeout: 10_000 });
    check('a diff tab per file, the new file marked', (await tabs.filter({ hasText: '↔ proposed' }).count()) === 2, await tabs.allInnerTexts().then((t) => t.join(' | ')));
    const acceptAll = page.locator('.editor-actions .action-label[aria-label^="Accept All Proposed Changes"]');
    await acceptAll.waitFor({ state: 'visible', timeout: 10_000 });
    check('nothing is written before Accept', !existsSync(join(workspace, 'src/tax.ts')) && readFileSync(join(workspace, 'src/cart.ts'), 'utf8') === CART);

    mkdirSync(join(REPO_ROOT, 'media/screenshots'), { recursive: true });
    await page.mouse.move(0, 0);
    await page.locator('.monaco-hover:visible').waitFor({ state: 'detached', timeout: 5_000 }).catch(() => undefined);
    await page.screenshot({ path: SCREENSHOT });
    console.log('  saved media/screenshots/change-set.png');

    await acceptAll.click();
    await diffEditor.waitFor({ state: 'detached', timeout: 10_000 });
    const tax = join(workspace, 'src/tax.ts');
    check('Accept All creates the new file', await holdsWithin(() => existsSync(tax), 10_000) && readFileSync(tax, 'utf8') === `${TAX}\n`);
    await openFile(page, 'cart.ts', 'withVat(items.reduce');
    check('… and changes src/cart.ts', (await editorText(page)).includes("import { withVat } from './tax';"));
  });
}

runUiTest('change-set-ui', checks, main);
