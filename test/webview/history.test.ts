/**
 * The chat panel's history list in headless Chromium, from the BUILT bundle under the panel's CSP: it asks for
 * the list when opened, shows title, date, model, cost; Open, Rename in place (Enter keeps, Escape cancels),
 * Delete and search post what the extension needs. Run: `node esbuild.mjs && node --import tsx --test test/webview/history.test.ts`.
 */
import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import { after, describe, it } from 'node:test';
import { SETTINGS } from './fixtures/answers';
import { clearPosted, posted, send, settle, waitForPosted } from './page';
import { assertClean, closeAll, fullAnswer, open, usePanelBrowser } from './panel';
import type { ConversationSummary } from '../../src/shared/protocol';

usePanelBrowser();

const at = new Date(2026, 11, 1, 9, 5).getTime();
const KEPT: ConversationSummary[] = [
  { id: 'c2', title: 'Why is login slow?', createdAt: at, updatedAt: at + 60_000, model: 'openai.gpt-5.5', dollars: 0.0123, turns: 3, bytes: 2000 },
  { id: 'c1', title: 'How does the cart total work?', createdAt: at - 86_400_000, updatedAt: at - 86_400_000, model: 'openai.gpt-5.4', dollars: 0.5, turns: 1, bytes: 900 },
];

describe('chat panel webview: history list', { concurrency: false }, () => {
  after(closeAll);

  it('opens on History, asks for the list, and shows title, date, model, cost and questions per conversation', async () => {
    const o = await open();
    await send(o.page, { type: 'state', settings: SETTINGS });
    const pane = o.page.locator('.history');
    assert.equal(await pane.isVisible(), false, 'hidden until asked for');
    await clearPosted(o.page);
    await o.page.locator('.history-toggle').click();
    assert.deepEqual(await waitForPosted(o.page, 'listHistory'), [{ type: 'listHistory' }]);
    assert.equal(await o.page.locator('.history-toggle').getAttribute('aria-expanded'), 'true');
    await send(o.page, { type: 'history', conversations: KEPT, currentId: 'c2' });
    await settle(o.page);
    const items = o.page.locator('.history-item');
    assert.equal(await items.count(), 2);
    assert.deepEqual(await o.page.locator('.history-title').allTextContents(), ['Why is login slow?', 'How does the cart total work?']);
    assert.equal(await items.nth(0).locator('.history-meta').textContent(), '2026-12-01 09:06 · openai.gpt-5.5 · $0.0123 · 3 questions');
    assert.equal(await items.nth(1).locator('.history-meta').textContent(), '2026-11-30 09:05 · openai.gpt-5.4 · $0.50 · 1 questions');
    assert.match(await items.nth(0).getAttribute('class') ?? '', /\bcurrent\b/);
    assert.equal(await o.page.locator('.history-empty').isVisible(), false);
    await send(o.page, { type: 'history', conversations: [], currentId: 'c3' });
    await settle(o.page);
    assert.equal(await o.page.locator('.history-empty').textContent(), 'No conversations kept yet.');
    await assertClean(o);
  });

  it('Open, Rename (Enter keeps, Escape cancels), Delete and search post the right messages', async () => {
    const o = await open();
    const { page } = o;
    await send(page, { type: 'state', settings: SETTINGS });
    await page.locator('.history-toggle').click();
    await send(page, { type: 'history', conversations: KEPT, currentId: 'c2' });
    await settle(page);
    await clearPosted(page);

    const second = page.locator('.history-item[data-id="c1"]');
    await second.locator('.history-rename').click();
    const input = second.locator('.history-rename-input');
    assert.equal(await input.inputValue(), 'How does the cart total work?');
    await input.fill('Cart pricing');
    await input.press('Enter');
    assert.deepEqual(await waitForPosted(page, 'renameConversation'), [{ type: 'renameConversation', id: 'c1', title: 'Cart pricing' }]);
    assert.equal(await second.locator('.history-title').textContent(), 'Cart pricing');

    await clearPosted(page);
    await second.locator('.history-rename').click();
    await second.locator('.history-rename-input').fill('Not this');
    await second.locator('.history-rename-input').press('Escape');
    await settle(page);
    assert.equal(await second.locator('.history-title').textContent(), 'Cart pricing', 'Escape keeps the old title');
    assert.deepEqual(await posted(page), []);

    await second.locator('.history-delete').click();
    assert.deepEqual(await waitForPosted(page, 'deleteConversation'), [{ type: 'deleteConversation', id: 'c1' }]);

    await clearPosted(page);
    await page.locator('.history-search').fill('login');
    assert.deepEqual(await waitForPosted(page, 'listHistory'), [{ type: 'listHistory', query: 'login' }]);
    // A late answer to an earlier (empty) search is dropped; the one for "login" is shown.
    await send(page, { type: 'history', conversations: KEPT, currentId: 'c2' }, { type: 'history', conversations: [KEPT[0]], currentId: 'c2', query: 'login' });
    await settle(page);
    assert.deepEqual(await page.locator('.history-title').allTextContents(), ['Why is login slow?']);

    await clearPosted(page);
    await page.locator('.history-item[data-id="c2"] .history-open').click();
    assert.deepEqual(await waitForPosted(page, 'openConversation'), [{ type: 'openConversation', id: 'c2' }]);
    assert.equal(await page.locator('.history').isVisible(), false, 'the list closes on Open');
    await assertClean(o);
  });

  it('screenshot of the history list for the README', async () => {
    await mkdir('test-results', { recursive: true });
    const o = await open({ theme: 'dark', width: 760, height: 700 });
    await fullAnswer(o.page);
    await o.page.locator('.history-toggle').click();
    await send(o.page, { type: 'history', conversations: KEPT, currentId: 'c2' });
    await settle(o.page);
    await o.page.screenshot({ path: 'test-results/webview-history.png' });
    await assertClean(o);
  });
});
