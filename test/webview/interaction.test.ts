/**
 * The chat panel's webview in headless Chromium: what the user does with it (code buttons, links, scrolling,
 * Stop, error buttons, follow-ups) and how it survives a reload. Run: `node esbuild.mjs && node --import tsx --test test/webview/interaction.test.ts`.
 */
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { ANSWER_MD, longMarkdown, PY_CODE, SETTINGS, TS_CODE } from './fixtures/answers';
import { clearPosted, posted, send, settle, waitForPosted, type PageState } from './page';
import { assertClean, closeAll, fullAnswer, open, stream, turnStarted, usePanelBrowser, type PageDom } from './panel';

usePanelBrowser();

describe('chat panel webview: interaction', { concurrency: false }, () => {
  after(closeAll);

  it('Copy, Insert and Apply post the exact code of their block', async () => {
    const o = await open();
    await fullAnswer(o.page);
    await clearPosted(o.page);
    const ts = o.page.locator('.answer .code-block[data-language="typescript"]');
    const py = o.page.locator('.answer .code-block[data-language="python"]');
    await ts.locator('button.code-copy').click();
    await ts.locator('button.code-insert').click();
    await py.locator('button.code-apply').click();
    assert.deepEqual(await posted(o.page), [
      { type: 'copy', code: TS_CODE },
      { type: 'insert', requestId: 'r1', code: TS_CODE },
      { type: 'applyDiff', requestId: 'r1', code: PY_CODE },
    ]);
    assert.equal(await ts.locator('button.code-copy').textContent(), 'Copied');
    await assertClean(o);
  });

  it('links post openLink and never navigate', async () => {
    const o = await open();
    await fullAnswer(o.page);
    await clearPosted(o.page);
    const before = o.page.url();
    const links = o.page.locator('.answer a');
    assert.equal(await links.count(), 2);
    for (let i = 0; i < 2; i++) {
      assert.equal(await links.nth(i).getAttribute('href'), null, 'no href: the webview cannot navigate');
      await links.nth(i).click();
    }
    assert.deepEqual(await posted(o.page), [
      { type: 'openLink', href: 'https://developer.mozilla.org/docs/Web/JavaScript/Reference/Global_Objects/Math/min' },
      { type: 'openLink', href: 'https://example.com/docs' },
    ]);
    assert.equal(o.page.url(), before);
    await assertClean(o);
  });

  it('follows the stream only at the bottom; scrolling up stops it and shows Jump to latest', async () => {
    const o = await open({ height: 500 });
    const { page } = o;
    const log = page.locator('.log');
    const jump = page.locator('.jump-latest');
    const distanceFromBottom = (): Promise<number> => log.evaluate((e) => e.scrollHeight - e.scrollTop - e.clientHeight);
    await send(page, { type: 'state', settings: SETTINGS }, turnStarted('f', 'Long answer', false), { type: 'start', requestId: 'f' });
    const md = longMarkdown(3000);
    const third = Math.floor(md.length / 3);
    await stream(page, 'f', md.slice(0, third), 20, 20);
    assert.ok(await log.evaluate((e) => e.scrollHeight > e.clientHeight * 3), 'the answer overflows');
    assert.ok(await distanceFromBottom() <= 8, 'at the bottom while streaming');
    assert.equal(await jump.isVisible(), false);

    // The reader scrolls up: the view stays put while more arrives.
    await log.hover();
    await page.mouse.wheel(0, -600);
    await page.waitForFunction(() => {
      const doc = (globalThis as unknown as PageDom).document;
      return doc.querySelector('.log').scrollTop > 0 && !doc.querySelector('.jump-latest').hidden;
    });
    await settle(page);
    const top = await log.evaluate((e) => e.scrollTop);
    await stream(page, 'f', md.slice(third, 2 * third), 20, 20);
    assert.equal(await log.evaluate((e) => e.scrollTop), top, 'scrolled-up reader is not moved');
    assert.ok(await distanceFromBottom() > 500);
    assert.equal(await jump.isVisible(), true, 'Jump to latest appears');
    assert.equal(await jump.textContent(), 'Jump to latest ↓');

    // Jump to latest resumes following.
    await jump.click();
    await settle(page);
    assert.ok(await distanceFromBottom() <= 8);
    assert.equal(await jump.isVisible(), false);
    await stream(page, 'f', md.slice(2 * third), 20, 20);
    assert.ok(await distanceFromBottom() <= 8, 'following again');
    await assertClean(o);
  });

  it('Jump to latest after a long stream read elsewhere lands at the bottom (parts never shown take their height)', async () => {
    const o = await open({ height: 500 });
    const { page } = o;
    const log = page.locator('.log');
    const distanceFromBottom = (): Promise<number> => log.evaluate((e) => e.scrollHeight - e.scrollTop - e.clientHeight);
    await send(page, { type: 'state', settings: SETTINGS }, turnStarted('j', 'Long answer', false), { type: 'start', requestId: 'j' });
    const md = longMarkdown(9000);
    await stream(page, 'j', md.slice(0, 2000));
    await log.hover();
    await page.mouse.wheel(0, -400);
    await page.waitForFunction(() => !(globalThis as unknown as PageDom).document.querySelector('.jump-latest').hidden);
    // Far more than a screen arrives while the reader is away: whole segments of it are never on screen.
    await stream(page, 'j', md.slice(2000), 40, 24);
    await send(page, { type: 'done', requestId: 'j' });
    await settle(page);
    assert.ok(await distanceFromBottom() > 5_000, 'the reader stayed where they were');
    await page.locator('.jump-latest').click();
    await settle(page);
    await settle(page);
    assert.ok(await distanceFromBottom() <= 8, `at the bottom (${await distanceFromBottom()} px away)`);
    await assertClean(o);
  });

  it('Stop posts cancel with the request id, keeps the partial answer and marks it stopped', async () => {
    const o = await open();
    const { page } = o;
    await send(page, { type: 'state', settings: SETTINGS }, turnStarted('x'), { type: 'start', requestId: 'x' });
    await stream(page, 'x', ANSWER_MD.slice(0, 200));
    const turn = page.locator('.turn[data-request-id="x"]');
    assert.equal(await page.locator('.composer .send').isVisible(), false, 'composer shows Stop while streaming');
    await clearPosted(page);
    await turn.locator('.turn-status button.stop').click();
    assert.deepEqual(await posted(page), [{ type: 'cancel', requestId: 'x' }]);
    assert.equal(await turn.locator('.stopped-badge').textContent(), 'Stopped');
    assert.match(await turn.getAttribute('class') ?? '', /\bis-stopped\b/);
    assert.equal(await turn.locator('.answer h1').textContent(), 'Review of clamp', 'partial answer kept');
    // Late deltas after the stop are ignored; the extension's done { stopped } changes nothing.
    await send(page, { type: 'delta', requestId: 'x', text: '\n\nLATE TEXT' }, { type: 'done', requestId: 'x', stopped: true });
    await settle(page);
    assert.doesNotMatch(await turn.locator('.answer').textContent() ?? '', /LATE TEXT/);
    assert.equal(await page.locator('.composer .send').isVisible(), true);
    assert.equal(await turn.locator('.turn-status button.stop').count(), 0);
    // The composer's Stop posts the same.
    await send(page, turnStarted('y', 'again', false), { type: 'start', requestId: 'y' }, { type: 'delta', requestId: 'y', text: 'partial' });
    await settle(page);
    await clearPosted(page);
    await page.locator('.composer .composer-stop').click();
    assert.deepEqual(await posted(page), [{ type: 'cancel', requestId: 'y' }]);
    await assertClean(o);
  });

  it('renders errors where the answer would be, with action buttons and Retry; the question stays', async () => {
    const o = await open();
    const { page } = o;
    await send(page, { type: 'state', settings: SETTINGS }, turnStarted('e', 'Why is this slow?'), { type: 'start', requestId: 'e' },
      { type: 'error', requestId: 'e', message: 'openai.gpt-5.5 is not served in us-west-2. It is served in us-east-2.', actions: [{ kind: 'switchRegion', region: 'us-east-2' }, { kind: 'ssoLogin', profile: 'dev' }] });
    await settle(page);
    const turn = page.locator('.turn[data-request-id="e"]');
    assert.equal(await turn.locator('.question-text').textContent(), 'Why is this slow?');
    assert.equal(await turn.locator('.turn-error').getAttribute('role'), 'alert');
    assert.equal(await turn.locator('.error-message').textContent(), 'openai.gpt-5.5 is not served in us-west-2. It is served in us-east-2.');
    assert.deepEqual(await turn.locator('.error-actions button').allTextContents(), ['Switch to us-east-2', 'Run aws sso login --profile dev', 'Retry']);
    await clearPosted(page);
    await turn.locator('.error-actions button').nth(0).click();
    await turn.locator('.error-actions button').nth(1).click();
    await turn.locator('.error-actions button').nth(2).click();
    assert.deepEqual(await posted(page), [
      { type: 'action', requestId: 'e', action: { kind: 'switchRegion', region: 'us-east-2' } },
      { type: 'action', requestId: 'e', action: { kind: 'ssoLogin', profile: 'dev' } },
      { type: 'retry', requestId: 'e' },
    ]);
    // The retry streams into the same turn.
    await send(page, { type: 'start', requestId: 'e' }, { type: 'delta', requestId: 'e', text: 'It is **fine** now.' }, { type: 'done', requestId: 'e' });
    await settle(page);
    assert.equal(await turn.locator('.turn-error').isVisible(), false);
    assert.equal(await turn.locator('.answer strong').textContent(), 'fine');
    await assertClean(o);
  });

  it('sends follow-ups with Enter (Shift+Enter is a new line) and the per-ask model/effort override', async () => {
    const o = await open();
    const { page } = o;
    await send(page, { type: 'state', settings: SETTINGS });
    assert.deepEqual(await page.locator('.model-picker option').allTextContents(), ['GPT-5.5 (default)', 'GPT-5.4']);
    const input = page.locator('.prompt-input');
    await input.click();
    await page.keyboard.type('first line');
    await page.keyboard.press('Shift+Enter');
    await page.keyboard.type('second line');
    await page.keyboard.press('Enter');
    await page.locator('.model-picker').selectOption('openai.gpt-5.4');
    await page.locator('.effort-picker').selectOption('low');
    await input.fill('and now?');
    await page.keyboard.press('Enter'); // ignored while the first is streaming
    const asks = await waitForPosted(page, 'ask');
    assert.equal(asks.length, 1);
    assert.equal(asks[0].prompt, 'first line\nsecond line');
    assert.equal(asks[0].model, undefined, 'default model is not an override');
    const id = asks[0].requestId;
    assert.equal(await page.locator(`.turn[data-request-id="${id}"] .question-text`).textContent(), 'first line\nsecond line');
    await send(page, { type: 'done', requestId: id });
    await settle(page);
    await input.press('Enter');
    const second = (await waitForPosted(page, 'ask'))[1];
    assert.ok(second);
    assert.deepEqual({ prompt: second.prompt, model: second.model, effort: second.effort }, { prompt: 'and now?', model: 'openai.gpt-5.4', effort: 'low' });
    assert.equal(await page.locator('.model-picker').inputValue(), '', 'the override is per ask');
    await clearPosted(page);
    await page.locator('.new-chat').click();
    await page.locator('.export-chat').click();
    assert.deepEqual(await posted(page), [{ type: 'newChat' }, { type: 'exportChat' }]);
    await assertClean(o);
  });

  it('restores the conversation from getState after a reload', async () => {
    const o = await open();
    const { page } = o;
    await fullAnswer(page);
    await send(page, turnStarted('s2', 'Second question', false), { type: 'start', requestId: 's2' });
    await stream(page, 's2', 'Partial *answer*');
    await page.locator('.turn[data-request-id="s2"] button.stop').click();
    await page.locator('.prompt-input').fill('a draft');
    // The draft is saved with the (debounced) state: wait for the write that holds it.
    await page.waitForFunction(() => (globalThis as unknown as PageState).__savedState()?.draft === 'a draft', undefined, { timeout: 10_000 });
    const before = await page.locator('.log').innerText();
    await page.reload();
    await waitForPosted(page, 'ready');
    await settle(page);
    assert.equal(await page.locator('.log').innerText(), before);
    assert.equal(await page.locator('.turn').count(), 2);
    assert.equal(await page.locator('.turn[data-request-id="r1"] .code-block').count(), 2);
    assert.equal(await page.locator('.turn[data-request-id="s2"] .stopped-badge').textContent(), 'Stopped');
    assert.equal(await page.locator('.prompt-input').inputValue(), 'a draft');
    assert.equal(await page.locator('.session-total').textContent(), 'Session: 1,801 tokens · $0.0123');
    // The extension's own copy wins when it has one.
    await send(page, { type: 'state', settings: SETTINGS, conversation: { id: 'new', turns: [] } });
    assert.equal(await page.locator('.turn').count(), 0);
    assert.equal(await page.locator('.empty-hint').isVisible(), true);
    await assertClean(o);
  });

  it('saves no state for text as it streams (a save is the whole conversation): the answer\'s end saves it', async () => {
    const o = await open();
    const { page } = o;
    await send(page, { type: 'state', settings: SETTINGS }, turnStarted('long'), { type: 'start', requestId: 'long' });
    const writes = (): Promise<number> => page.evaluate(() => (globalThis as unknown as PageState).__stateWrites);
    const answer = (): Promise<string | undefined> => page.evaluate(() => (globalThis as unknown as PageState).__savedState()?.conversation?.turns[0]?.answer);
    // The turn's start is saved at once.
    await page.waitForFunction(() => (globalThis as unknown as PageState).__savedState()?.conversation?.turns.length === 1, undefined, { timeout: 10_000 });
    const atStart = await writes();
    const md = longMarkdown(6000);
    const started = Date.now();
    await stream(page, 'long', md, 7, 6);
    // Long enough that a save every second (what the panel did before) would have written several times.
    const streamedMs = Date.now() - started;
    assert.ok(streamedMs > 2000, `the stream took ${streamedMs} ms`);
    assert.equal(await writes(), atStart, 'no state written while the answer streamed');
    assert.equal(await answer(), '');
    await send(page, { type: 'done', requestId: 'long' });
    await page.waitForFunction((n) => (globalThis as unknown as PageState).__stateWrites > n, atStart, { timeout: 10_000 });
    assert.equal(await answer(), md, 'the end saves the whole answer');
    await assertClean(o);
  });

  it('saves a draft within a second or two, after however long an answer', async () => {
    const o = await open();
    const { page } = o;
    await send(page, { type: 'state', settings: SETTINGS }, turnStarted('big'), { type: 'start', requestId: 'big' });
    // 120,000 characters streamed: the panel once waited 1 ms per 10 of them (12 s) before saving a draft.
    const md = longMarkdown(21_000);
    assert.ok(md.length > 120_000, `${md.length} characters`);
    await stream(page, 'big', md, 400, 20);
    await send(page, { type: 'done', requestId: 'big' });
    await page.locator('.prompt-input').fill('typed after a long answer');
    await page.waitForFunction(() => (globalThis as unknown as PageState).__savedState()?.draft === 'typed after a long answer', undefined, { timeout: 3_000 });
    await assertClean(o);
  });

  it('a question refused before it became a turn is shown but left out of the saved state; other failures are kept', async () => {
    const o = await open();
    const { page } = o;
    await send(page, { type: 'state', settings: SETTINGS }, turnStarted('big'), { type: 'error', requestId: 'big', message: 'Not sent: too large.', actions: [], notKept: true },
      turnStarted('denied', 'Denied question', false), { type: 'start', requestId: 'denied' }, { type: 'error', requestId: 'denied', message: 'Access denied (403).', actions: [] });
    await settle(page);
    assert.equal(await page.locator('.turn[data-request-id="big"] .error-message').textContent(), 'Not sent: too large.', 'shown');
    const saved = (): Promise<string[] | undefined> =>
      page.evaluate(() => (globalThis as unknown as PageState).__savedState()?.conversation?.turns.map((t) => t.requestId));
    await page.waitForFunction(() => (globalThis as unknown as PageState).__savedState() !== undefined, undefined, { timeout: 10_000 });
    assert.deepEqual(await saved(), ['denied'], 'the refused question (and its code) is not saved');
    // Retried and answered, it is an ordinary turn again, and saved.
    await send(page, { type: 'start', requestId: 'big' }, { type: 'delta', requestId: 'big', text: 'Now it fits.' }, { type: 'done', requestId: 'big' });
    await page.waitForFunction(() => ((globalThis as unknown as PageState).__savedState()?.conversation?.turns.length ?? 0) === 2, undefined, { timeout: 10_000 });
    assert.deepEqual(await saved(), ['big', 'denied']);
    await assertClean(o);
  });

  it('picks up a stream that was in flight when the panel was hidden', async () => {
    const o = await open();
    await send(o.page, {
      type: 'state', settings: SETTINGS,
      conversation: { id: 'c', turns: [{ requestId: 'h', question: 'q', model: 'm', region: 'r', answer: '# Title\n\nHello **wor', reasoning: '', status: 'streaming' }] },
    });
    await settle(o.page);
    const answer = o.page.locator('.turn[data-request-id="h"] .answer');
    assert.equal(await answer.locator('h1').textContent(), 'Title', 'the partial answer shows at once');
    await send(o.page, { type: 'delta', requestId: 'h', text: 'ld** again.' }, { type: 'done', requestId: 'h' });
    await settle(o.page);
    assert.equal(await answer.locator('strong').textContent(), 'world');
    assert.equal(await answer.locator('p').textContent(), 'Hello world again.');
    await assertClean(o);
  });

});
