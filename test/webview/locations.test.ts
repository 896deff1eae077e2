/**
 * Workspace locations in answers, in headless Chromium from the BUILT bundle: `src/cart.ts:12` in text or inline
 * code becomes a link that posts openLocation (Enter works too); code blocks, URLs and paths out of the workspace
 * stay text; the model cannot forge one. Run: `node esbuild.mjs && node --import tsx --test test/webview/locations.test.ts`.
 */
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { SETTINGS } from './fixtures/answers';
import { clearPosted, posted, send, settle, waitForPosted } from './page';
import { assertClean, closeAll, open, turnStarted, usePanelBrowser } from './panel';

usePanelBrowser();

const ANSWER = [
  'The total is computed in src/cart.ts:12 and tested in `test/cart.test.ts:40-52`.',
  '',
  '```ts',
  '// src/cart.ts:99 stays text inside a code block',
  '```',
  '',
  'Not these: ../secret.txt:1, /etc/hosts.txt:1, [a link](https://example.com/src/cart.ts:12).',
  '',
  '<span class="md-location" data-path="../escape.ts" data-line="1">forged</span>',
].join('\n');

describe('chat panel webview: workspace locations', { concurrency: false }, () => {
  after(closeAll);

  it('renders locations as links that post openLocation; nothing else becomes one', async () => {
    const o = await open();
    const { page } = o;
    await send(page, { type: 'state', settings: SETTINGS }, turnStarted('l1', 'Where?', false), { type: 'start', requestId: 'l1' },
      { type: 'delta', requestId: 'l1', text: ANSWER }, { type: 'done', requestId: 'l1' });
    await settle(page);
    const links = page.locator('.turn[data-request-id="l1"] .answer .md-location');
    assert.deepEqual(await links.allTextContents(), ['src/cart.ts:12', 'test/cart.test.ts:40-52']);
    assert.equal(await page.locator('.answer code .md-location').count(), 1, 'inside inline code too');
    assert.equal(await page.locator('.answer pre .md-location').count(), 0);
    assert.match(await page.locator('.answer').textContent() ?? '', /forged/, 'a forged span keeps its text');

    await clearPosted(page);
    await links.nth(0).click();
    assert.deepEqual(await waitForPosted(page, 'openLocation'), [{ type: 'openLocation', path: 'src/cart.ts', line: 12 }]);
    await clearPosted(page);
    await links.nth(1).focus();
    await page.keyboard.press('Enter');
    assert.deepEqual(await waitForPosted(page, 'openLocation'), [{ type: 'openLocation', path: 'test/cart.test.ts', line: 40, endLine: 52 }]);
    assert.equal((await posted(page)).filter((m) => m.type === 'openLink').length, 0);
    await assertClean(o);
  });
});
