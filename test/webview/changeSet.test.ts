/**
 * Change sets and Review Changes in the panel, in headless Chromium from the BUILT bundle: an answer whose code
 * blocks are labelled with workspace paths shows the files and one Review button (only once it is done), which
 * posts applyChangeSet with the turn's id and nothing else; an answer without labels shows none; the header's
 * Review changes posts reviewChanges. Run: `node esbuild.mjs && node --import tsx --test test/webview/changeSet.test.ts`.
 */
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { SETTINGS } from './fixtures/answers';
import { clearPosted, send, settle, waitForPosted } from './page';
import { assertClean, closeAll, open, turnStarted, usePanelBrowser } from './panel';

usePanelBrowser();

const ANSWER = ['Two files change:', '', '```ts src/cart.ts', 'export const a = 1;', '```', '', '**src/tax.ts**', '```ts', 'export const t = 2;', '```'].join('\n');

describe('chat panel webview: change sets', { concurrency: false }, () => {
  after(closeAll);

  it('a labelled answer offers one Review button for its files once done; it posts applyChangeSet', async () => {
    const o = await open();
    const { page } = o;
    await send(page, { type: 'state', settings: SETTINGS }, turnStarted('c1', 'Add tax', false), { type: 'start', requestId: 'c1' },
      { type: 'delta', requestId: 'c1', text: ANSWER });
    await settle(page);
    assert.equal(await page.locator('.turn[data-request-id="c1"] .change-set').count(), 0, 'not while streaming');
    await send(page, { type: 'done', requestId: 'c1' });
    await settle(page);
    const bar = page.locator('.turn[data-request-id="c1"] .change-set');
    assert.equal(await bar.locator('.change-set-files').textContent(), 'Changes to src/cart.ts, src/tax.ts');
    const button = bar.locator('.change-set-apply');
    assert.equal(await button.textContent(), 'Review changes (2 files)');
    await clearPosted(page);
    await button.click();
    assert.deepEqual(await waitForPosted(page, 'applyChangeSet'), [{ type: 'applyChangeSet', requestId: 'c1' }]);

    await send(page, turnStarted('c2', 'Explain', false), { type: 'start', requestId: 'c2' },
      { type: 'delta', requestId: 'c2', text: 'No files:\n\n```ts\nconst x = 1;\n```' }, { type: 'done', requestId: 'c2' });
    await settle(page);
    assert.equal(await page.locator('.turn[data-request-id="c2"] .change-set').count(), 0, 'unlabelled code is no change set');

    // Streamed word by word over many frames, a label line and its fence freeze in different frames: the bar is the
    // same (the panel reads the set from the blocks its renderer lexed, not from one parse of the whole answer).
    await send(page, turnStarted('c3', 'Add tax, streamed', false), { type: 'start', requestId: 'c3' });
    const words = `${ANSWER}\n\n**src/cart.ts**\n\n\`\`\`ts\nexport const a = 3;\n\`\`\`\n`.match(/\S+\s*|\s+/g) ?? [];
    for (const [i, text] of words.entries()) {
      await send(page, { type: 'delta', requestId: 'c3', text });
      if (i % 3 === 0) await settle(page);
    }
    await send(page, { type: 'done', requestId: 'c3' });
    await settle(page);
    const streamed = page.locator('.turn[data-request-id="c3"] .change-set');
    assert.equal(await streamed.locator('.change-set-files').textContent(), 'Changes to src/tax.ts, src/cart.ts', 'a path named twice takes its last block');
    assert.equal(await streamed.locator('.change-set-apply').textContent(), 'Review changes (2 files)');

    // The panel renders every turn again on a `state` (settings, theme, a reload): the bars stay.
    await send(page, { type: 'state', settings: SETTINGS });
    await settle(page);
    assert.equal(await page.locator('.turn[data-request-id="c1"] .change-set-apply').textContent(), 'Review changes (2 files)', 'after a state');
    await page.reload();
    await waitForPosted(page, 'ready');
    await settle(page);
    assert.equal(await page.locator('.turn[data-request-id="c3"] .change-set-files').textContent(), 'Changes to src/tax.ts, src/cart.ts', 'after a reload');

    await clearPosted(page);
    await page.locator('.header .review-changes').click();
    assert.deepEqual(await waitForPosted(page, 'reviewChanges'), [{ type: 'reviewChanges' }]);
    await assertClean(o);
  });
});
