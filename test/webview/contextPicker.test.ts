/**
 * The `@` picker and the context chips in headless Chromium, from the BUILT bundle under the panel's CSP: `@`
 * lists the sources, typing filters them, arrows and Enter choose, Escape closes; `@file` asks the extension for
 * files as the query changes and drops stale answers; a chosen entry becomes a chip (× and Backspace remove it);
 * a question with chips carries their refs and waits for the extension, which starts it or refuses it (the
 * refusal is shown, the question and chips stay). Run: `node esbuild.mjs && node --import tsx --test test/webview/contextPicker.test.ts`.
 */
import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import { after, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { SETTINGS } from './fixtures/answers';
import { clearPosted, posted, send, settle, waitForPosted, type PageState } from './page';
import { assertClean, closeAll, fullAnswer, open, usePanelBrowser } from './panel';
import type { ContextOption } from '../../src/shared/protocol';

usePanelBrowser();

const FILES: ContextOption[] = [
  { ref: { kind: 'file', path: 'src/cart.ts', startLine: 10, endLine: 20 }, label: 'src/cart.ts:10-20' },
  { ref: { kind: 'file', path: 'src/checkout/cartView.ts', startLine: 10, endLine: 20 }, label: 'src/checkout/cartView.ts:10-20' },
];
const PROBLEMS: ContextOption[] = [
  { ref: { kind: 'problems', path: 'src/cart.ts' }, label: 'problems: src/cart.ts', detail: '2 problems' },
  { ref: { kind: 'problems', path: '' }, label: 'problems: workspace', detail: '5 problems' },
];

const options = (page: Page) => page.locator('.context-picker [role="option"]');
const chips = (page: Page) => page.locator('.context-chips .context-chip-label').allTextContents();

/** Types `@file <query>` through the picker and answers the query with `answer`. */
async function pickFile(page: Page, query: string, answer: ContextOption[], index = 0): Promise<void> {
  await page.locator('.prompt-input').focus();
  await page.keyboard.type('@fi');
  await page.keyboard.press('Enter'); // @file
  await page.keyboard.type(query);
  await page.waitForFunction((q) => (globalThis as unknown as { __posted: Array<{ type: string; query?: string }> }).__posted
    .some((m) => m.type === 'contextQuery' && m.query === q), query);
  await send(page, { type: 'contextOptions', source: 'file', query, options: answer });
  await settle(page);
  for (let i = 0; i < index; i++) await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Enter');
  await settle(page);
}

describe('chat panel webview: the @ context picker and chips', { concurrency: false }, () => {
  after(closeAll);

  it('@ lists the sources, typing filters them, arrows move, Escape closes, and an accessible listbox says which is active', async () => {
    const o = await open();
    const { page } = o;
    await send(page, { type: 'state', settings: SETTINGS });
    const input = page.locator('.prompt-input');
    await input.focus();
    await page.keyboard.type('Why is @');
    assert.equal(await page.locator('.context-picker').isVisible(), true);
    assert.equal(await input.getAttribute('aria-expanded'), 'true');
    assert.equal(await input.getAttribute('role'), 'combobox');
    assert.equal(await page.locator('.context-picker').getAttribute('role'), 'listbox');
    assert.deepEqual(await page.locator('.context-option-label').allTextContents(), ['@file', '@open', '@problems', '@selection']);
    assert.equal(await input.getAttribute('aria-activedescendant'), 'context-picker-0');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    assert.equal(await input.getAttribute('aria-activedescendant'), 'context-picker-2');
    assert.equal(await options(page).nth(2).getAttribute('aria-selected'), 'true');
    await page.keyboard.press('ArrowUp');
    await page.keyboard.press('ArrowUp');
    await page.keyboard.press('ArrowUp'); // wraps to the last
    assert.equal(await options(page).nth(3).getAttribute('aria-selected'), 'true');
    await page.keyboard.type('pr');
    assert.deepEqual(await page.locator('.context-option-label').allTextContents(), ['@problems']);
    await page.keyboard.press('Escape');
    assert.equal(await page.locator('.context-picker').isVisible(), false);
    assert.equal(await input.getAttribute('aria-expanded'), 'false');
    await page.keyboard.type('x');
    assert.equal(await page.locator('.context-picker').isVisible(), false, 'stays closed after Escape while in the same @ word');
    await page.keyboard.type(' @');
    assert.equal(await page.locator('.context-picker').isVisible(), true, 'a new @ opens it again');
    await page.keyboard.type('zz');
    assert.deepEqual(await options(page).allTextContents(), ['Nothing matches']);
    assert.deepEqual((await posted(page)).filter((m) => m.type === 'ask'), [], 'Enter and typing in the picker never sent the question');
    await assertClean(o);
  });

  it('@file asks for files as the query changes, drops stale answers, and Enter on a file adds its chip with path and range', async () => {
    const o = await open();
    const { page } = o;
    await send(page, { type: 'state', settings: SETTINGS });
    await page.locator('.prompt-input').focus();
    await page.keyboard.type('Explain @fi');
    await clearPosted(page);
    await page.keyboard.press('Enter');
    assert.equal(await page.locator('.prompt-input').inputValue(), 'Explain @file ');
    assert.deepEqual(await waitForPosted(page, 'contextQuery'), [{ type: 'contextQuery', source: 'file', query: '' }]);
    await page.keyboard.type('cart:10-20');
    await page.waitForFunction(() => (globalThis as unknown as { __posted: Array<{ query?: string }> }).__posted.some((m) => m.query === 'cart:10-20'));
    // An answer to an earlier query arrives late: it is not shown.
    await send(page, { type: 'contextOptions', source: 'file', query: 'cart:10-2', options: [{ ref: { kind: 'file', path: 'stale.ts' }, label: 'stale.ts' }] });
    await settle(page);
    assert.ok(!(await options(page).allTextContents()).some((t) => t.includes('stale.ts')));
    await send(page, { type: 'contextOptions', source: 'file', query: 'cart:10-20', options: FILES });
    await settle(page);
    assert.deepEqual(await page.locator('.context-option-label').allTextContents(), ['src/cart.ts:10-20', 'src/checkout/cartView.ts:10-20']);
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    await settle(page);
    assert.deepEqual(await chips(page), ['src/checkout/cartView.ts:10-20']);
    assert.equal(await page.locator('.prompt-input').inputValue(), 'Explain ', 'the @ word leaves the question');
    assert.equal(await page.locator('.context-picker').isVisible(), false);
    assert.deepEqual((await posted(page)).filter((m) => m.type === 'ask'), []);
    await assertClean(o);
  });

  it('chips are removed by × and by Backspace at the start of the input; a question with chips carries their refs', async () => {
    const o = await open();
    const { page } = o;
    await send(page, { type: 'state', settings: SETTINGS });
    await pickFile(page, 'cart:10-20', FILES);
    await pickFile(page, 'view', FILES, 1);
    await page.keyboard.type('@pro');
    await page.keyboard.press('Enter');
    await waitForPosted(page, 'contextQuery');
    await send(page, { type: 'contextOptions', source: 'problems', query: '', options: PROBLEMS });
    await settle(page);
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    await settle(page);
    assert.deepEqual(await chips(page), ['src/cart.ts:10-20', 'src/checkout/cartView.ts:10-20', 'problems: workspace']);
    assert.equal(await page.locator('.context-chip-remove').nth(1).getAttribute('aria-label'), 'Remove src/checkout/cartView.ts:10-20');
    await page.locator('.context-chip-remove').nth(1).click();
    assert.deepEqual(await chips(page), ['src/cart.ts:10-20', 'problems: workspace']);
    const input = page.locator('.prompt-input');
    await input.fill('Why is the total wrong?');
    await input.press('Home');
    await input.press('Backspace');
    assert.deepEqual(await chips(page), ['src/cart.ts:10-20'], 'Backspace at the start removes the last chip');
    await input.press('End');
    await input.press('Backspace');
    assert.deepEqual(await chips(page), ['src/cart.ts:10-20'], 'Backspace elsewhere edits the text');
    assert.equal(await input.inputValue(), 'Why is the total wrong');

    await clearPosted(page);
    await page.locator('.send').click();
    const [ask] = await waitForPosted(page, 'ask');
    assert.equal(ask.prompt, 'Why is the total wrong');
    assert.deepEqual(ask.context, [{ kind: 'file', path: 'src/cart.ts', startLine: 10, endLine: 20 }]);
    assert.equal(await page.locator('.turn').count(), 0, 'no turn until the extension has read the items');
    assert.equal(await input.inputValue(), 'Why is the total wrong', 'the question stays while it waits');
    await page.locator('.send').click();
    assert.equal((await posted(page)).filter((m) => m.type === 'ask').length, 1, 'no second question while one waits');

    await send(page, {
      type: 'turnStarted', requestId: ask.requestId, question: ask.prompt, model: 'openai.gpt-5.5', region: 'us-east-2',
      context: [{ kind: 'file', path: 'src/cart.ts', startLine: 10, endLine: 20, text: 'const total = 1;' }],
    }, { type: 'start', requestId: ask.requestId });
    await settle(page);
    assert.equal(await page.locator('.turn').count(), 1);
    assert.deepEqual(await page.locator('.turn .turn-context .context-chip').allTextContents(), ['src/cart.ts:10-20']);
    assert.equal(await input.inputValue(), '');
    assert.deepEqual(await chips(page), []);
    await assertClean(o);
  });

  it('a refused question (binary, oversize, over the budget) shows why and keeps the question and its chips', async () => {
    const o = await open();
    const { page } = o;
    await send(page, { type: 'state', settings: SETTINGS });
    await pickFile(page, 'cart', FILES);
    const input = page.locator('.prompt-input');
    await input.fill('Review all of it');
    await clearPosted(page);
    await input.press('Enter');
    const [ask] = await waitForPosted(page, 'ask');
    const message = 'Not sent: the question is too large for GPT-5.5. It is about 300,123 tokens (estimated); the limit is 144,000 tokens (the context minus the room kept for the answer). Select less code or start a new chat.';
    await send(page, { type: 'askRefused', requestId: ask.requestId, message });
    await settle(page);
    const notice = page.locator('.context-notice');
    assert.equal(await notice.isVisible(), true);
    assert.equal(await notice.getAttribute('role'), 'alert');
    assert.equal(await notice.textContent(), message);
    assert.equal(await input.inputValue(), 'Review all of it');
    assert.deepEqual(await chips(page), ['src/cart.ts:10-20']);
    assert.equal(await page.locator('.turn').count(), 0, 'nothing was added to the conversation');
    // After removing the item the question can go again, and the notice goes.
    await page.locator('.context-chip-remove').click();
    assert.equal(await notice.isVisible(), false);
    await clearPosted(page);
    await input.press('Enter');
    const [again] = await waitForPosted(page, 'ask');
    assert.equal(again.context, undefined);
    assert.equal(await page.locator('.turn').count(), 1, 'a question without items shows at once, as before');
    await assertClean(o);
  });

  it('a new conversation while a question with chips is being read: it stops waiting, keeps the question and chips, sends again', async () => {
    const o = await open();
    const { page } = o;
    await send(page, { type: 'state', settings: SETTINGS });
    await pickFile(page, 'cart', FILES);
    const input = page.locator('.prompt-input');
    await input.fill('Read this file');
    await clearPosted(page);
    await input.press('Enter');
    const [ask] = await waitForPosted(page, 'ask');
    assert.equal(await page.locator('.context-chip-remove').isDisabled(), true, 'waiting: the chips are locked');
    // New Chat meanwhile: the extension sends the new, empty conversation and never answers the question.
    await send(page, { type: 'state', settings: SETTINGS, conversation: { id: 'new', turns: [] } });
    await settle(page);
    assert.equal(await input.inputValue(), 'Read this file');
    assert.deepEqual(await chips(page), ['src/cart.ts:10-20']);
    assert.equal(await page.locator('.context-chip-remove').isDisabled(), false, 'no longer waiting');
    await clearPosted(page);
    await input.press('Enter');
    const [again] = await waitForPosted(page, 'ask');
    assert.notEqual(again.requestId, ask.requestId);
    assert.deepEqual(again.context, ask.context, 'sent again with its chips');
    await assertClean(o);
  });

  it('the chips come back with the draft after the webview is reloaded (a hidden panel is torn down)', async () => {
    const o = await open();
    const { page } = o;
    await send(page, { type: 'state', settings: SETTINGS });
    await pickFile(page, 'cart', FILES);
    await page.locator('.prompt-input').fill('Half a question');
    await page.waitForFunction(() => {
      const state = (globalThis as unknown as PageState).__savedState();
      return state?.draft === 'Half a question' && state.chips?.length === 1;
    }, undefined, { timeout: 10_000 });
    await page.reload();
    await waitForPosted(page, 'ready');
    await settle(page);
    assert.deepEqual(await chips(page), ['src/cart.ts:10-20']);
    assert.equal(await page.locator('.prompt-input').inputValue(), 'Half a question');
    await clearPosted(page);
    await page.locator('.send').click();
    const [ask] = await waitForPosted(page, 'ask');
    assert.deepEqual(ask.context, [FILES[0].ref]);
    await assertClean(o);
  });

  it('screenshot of the @ picker and chips for the README', async () => {
    await mkdir('test-results', { recursive: true });
    const o = await open({ theme: 'dark', width: 760, height: 520 });
    const { page } = o;
    await fullAnswer(page);
    await pickFile(page, 'cart:10-20', FILES);
    await page.keyboard.type('Why is the total wrong here? @file cart');
    await page.waitForFunction(() => (globalThis as unknown as { __posted: Array<{ query?: string }> }).__posted.some((m) => m.query === 'cart'));
    await send(page, { type: 'contextOptions', source: 'file', query: 'cart', options: [
      { ref: { kind: 'file', path: 'src/cart.ts' }, label: 'src/cart.ts' },
      { ref: { kind: 'file', path: 'src/checkout/cartView.ts' }, label: 'src/checkout/cartView.ts' },
      { ref: { kind: 'file', path: 'test/cart.test.ts' }, label: 'test/cart.test.ts' },
    ] });
    await settle(page);
    await page.keyboard.press('ArrowDown');
    assert.equal(await page.locator('.context-picker').isVisible(), true);
    await page.screenshot({ path: 'test-results/webview-context.png' });
    await assertClean(o);
  });
});
