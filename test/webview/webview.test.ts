/**
 * The chat panel's webview in headless Chromium (playwright-core + Debian chromium), loaded from the BUILT bundle
 * under the panel's CSP. Run: `node esbuild.mjs && node --import tsx --test test/webview/webview.test.ts`.
 */
import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import { after, before, describe, it } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { ExtensionMessage } from '../../src/shared/protocol';
import { ANSWER_MD, chunk, longMarkdown, PY_CODE, REASONING_MD, SETTINGS, TS_CODE } from './fixtures/answers';
import { XSS_PAYLOADS } from './fixtures/xss';
import { clearPosted, cspViolations, launchChromium, posted, send, settle, startPageServer, waitForPosted, type PageServer } from './page';

/** The few page globals the callbacks below use (the root tsconfig has no DOM library). */
interface PageDom {
  document: {
    body: { className: string; classList: { replace(from: string, to: string): boolean } };
    querySelector(selector: string): { scrollTop: number; hidden: boolean };
  };
  getComputedStyle(element: unknown): { color: string; fontWeight: string };
}

let server: PageServer;
let browser: Browser;
const contexts: BrowserContext[] = [];

before(async () => {
  server = await startPageServer();
  browser = await launchChromium();
});
after(async () => {
  await browser?.close();
  await server?.close();
});

interface Opened {
  page: Page;
  /** Requests to anything but the page's own origin (each is also aborted). */
  remote: string[];
  errors: string[];
  dialogs: string[];
}

async function open(o: { theme?: 'light' | 'dark'; csp?: boolean; width?: number; height?: number } = {}): Promise<Opened> {
  const context = await browser.newContext({ viewport: { width: o.width ?? 820, height: o.height ?? 700 } });
  contexts.push(context);
  const opened: Opened = { page: await context.newPage(), remote: [], errors: [], dialogs: [] };
  await context.route('**', (route) => {
    const url = route.request().url();
    if (url.startsWith(`${server.origin}/`)) return route.continue();
    opened.remote.push(url);
    return route.abort();
  });
  opened.page.on('request', (r) => {
    if (!r.url().startsWith(`${server.origin}/`) && !opened.remote.includes(r.url())) opened.remote.push(r.url());
  });
  opened.page.on('pageerror', (e) => opened.errors.push(String(e)));
  opened.page.on('console', (m) => { if (m.type() === 'error') opened.errors.push(m.text()); });
  opened.page.on('dialog', (d) => { opened.dialogs.push(d.message()); void d.dismiss(); });
  await opened.page.goto(server.url({ theme: o.theme, csp: o.csp }));
  await waitForPosted(opened.page, 'ready');
  return opened;
}

/** Nothing ran, nothing was fetched from elsewhere, nothing broke the CSP. */
async function assertClean(o: Opened): Promise<void> {
  assert.deepEqual(o.remote, [], 'remote requests');
  assert.deepEqual(o.errors.filter((e) => !e.includes('favicon')), [], 'page errors');
  assert.deepEqual(o.dialogs, [], 'dialogs');
  assert.deepEqual(await cspViolations(o.page), [], 'CSP violations');
}

async function closeAll(): Promise<void> {
  for (const c of contexts.splice(0)) await c.close();
}

const turnStarted = (requestId: string, question = 'Review this function', withCode = true): ExtensionMessage => ({
  type: 'turnStarted', requestId, question, model: 'openai.gpt-5.5', region: 'us-east-2', effort: 'high',
  ...(withCode ? { code: { text: TS_CODE, languageId: 'typescript', fileName: 'src/math/clamp.ts', startLine: 10, endLine: 13 } } : {}),
});

/** Streams `markdown` as small deltas, a few per frame, the way the extension forwards a model stream. */
async function stream(page: Page, requestId: string, markdown: string, size = 7, perBatch = 12): Promise<void> {
  const deltas = chunk(markdown, size).map((text): ExtensionMessage => ({ type: 'delta', requestId, text }));
  for (let i = 0; i < deltas.length; i += perBatch) {
    await send(page, ...deltas.slice(i, i + perBatch));
    if ((i / perBatch) % 4 === 0) await settle(page);
  }
  await settle(page);
}

async function fullAnswer(page: Page, requestId = 'r1'): Promise<void> {
  await send(page, { type: 'state', settings: SETTINGS }, turnStarted(requestId), { type: 'start', requestId });
  await send(page, ...chunk(REASONING_MD, 5).map((text): ExtensionMessage => ({ type: 'reasoningDelta', requestId, text })));
  await stream(page, requestId, ANSWER_MD);
  await send(page,
    { type: 'usage', requestId, usage: { inputTokens: 1234, cachedInputTokens: 1024, outputTokens: 567, reasoningTokens: 128, totalTokens: 1801 }, dollars: 0.0123, firstTokenMs: 840, totalMs: 4210 },
    { type: 'done', requestId });
  await settle(page);
}

/** The answer's rendered blocks, without the streaming wrappers (frozen segments, live tail). */
async function answerBlocks(page: Page, requestId: string): Promise<string[]> {
  return page.locator(`.turn[data-request-id="${requestId}"] .answer`).evaluate((answer) =>
    [...answer.querySelectorAll('.md-segment > *, .md-live > *')].map((e) => e.outerHTML));
}

describe('chat panel webview', { concurrency: false }, () => {
  after(closeAll);

  it('posts ready once it listens, and nothing before', async () => {
    const o = await open();
    assert.deepEqual(await posted(o.page), [{ type: 'ready' }]);
    await assertClean(o);
  });

  it('renders streamed Markdown: headings, lists, tables, highlighted code, question, meta, usage', async () => {
    const o = await open();
    const { page } = o;
    await fullAnswer(page);
    const turn = page.locator('.turn[data-request-id="r1"]');
    assert.equal(await turn.locator('.question-text').textContent(), 'Review this function');
    assert.equal(await turn.locator('.turn-meta').textContent(), 'openai.gpt-5.5 · us-east-2 · high');
    const context = turn.locator('details.code-context');
    assert.equal(await context.getAttribute('open'), null, 'the code asked about is collapsed');
    assert.equal(await context.locator('summary').textContent(), 'src/math/clamp.ts, lines 10–13');
    assert.equal(await context.locator('code').textContent(), TS_CODE);

    const answer = turn.locator('.answer');
    assert.equal(await answer.locator('h1').textContent(), 'Review of clamp');
    assert.equal(await answer.locator('h2').textContent(), 'Issues');
    assert.equal(await answer.locator('ul > li').count(), 2);
    assert.equal(await answer.locator('ul ol > li').count(), 2, 'nested ordered list');
    assert.deepEqual(await answer.locator('table th').allTextContents(), ['Input', 'Expected', 'Actual']);
    assert.equal(await answer.locator('table td').count(), 6);
    assert.equal(await answer.locator('table th').nth(1).getAttribute('align'), 'center');
    assert.equal(await answer.locator('table td').nth(2).getAttribute('align'), 'right');
    assert.equal(await answer.locator('strong').first().textContent(), 'mostly right');
    assert.equal(await answer.locator('blockquote').count(), 1);

    const ts = answer.locator('.code-block[data-language="typescript"] pre > code');
    assert.equal(await ts.count(), 1);
    assert.equal(await ts.textContent(), TS_CODE, 'code text is exact');
    assert.match(await ts.getAttribute('class') ?? '', /\bhljs\b.*\blanguage-typescript\b/);
    assert.ok(await ts.locator('span.hljs-keyword').count() >= 4, 'keywords highlighted');
    assert.ok(await ts.locator('span.hljs-string').count() >= 1, 'strings highlighted');
    assert.ok(await ts.locator('span.hljs-comment').count() >= 1, 'comments highlighted');
    assert.equal(await answer.locator('.code-block[data-language="python"] pre > code').textContent(), PY_CODE);
    assert.ok(await answer.locator('.code-block[data-language="python"] span.hljs-keyword').count() >= 2);

    const reasoning = turn.locator('details.reasoning');
    assert.equal(await reasoning.isVisible(), true);
    assert.equal(await reasoning.getAttribute('open'), null, 'reasoning is collapsed');
    assert.equal(await reasoning.locator('.reasoning-body strong').textContent(), 'review');

    const usage = turn.locator('.usage');
    assert.equal(await usage.locator('.usage-input .usage-value').textContent(), '1,234');
    assert.equal(await usage.locator('.usage-cached .usage-value').textContent(), '1,024');
    assert.equal(await usage.locator('.usage-output .usage-value').textContent(), '567');
    assert.equal(await usage.locator('.usage-reasoning .usage-value').textContent(), '128');
    assert.equal(await usage.locator('.usage-cost .usage-value').textContent(), '$0.0123');
    assert.equal(await usage.locator('.usage-first-token .usage-value').textContent(), '0.84 s');
    assert.equal(await usage.locator('.usage-total-time .usage-value').textContent(), '4.21 s');
    assert.equal(await page.locator('.session-total').textContent(), 'Session: 1,801 tokens · $0.0123');
    assert.equal(await turn.locator('.turn-status').isVisible(), false, 'no spinner or stop once done');
    await assertClean(o);
  });

  it('renders the same blocks streamed in tiny deltas as rendered whole', async () => {
    const o = await open();
    await send(o.page, { type: 'state', settings: SETTINGS }, turnStarted('s'), { type: 'start', requestId: 's' });
    const md = `${ANSWER_MD}\n${longMarkdown(600)}`;
    await stream(o.page, 's', md, 3, 40);
    await send(o.page, { type: 'done', requestId: 's' });
    await settle(o.page);
    const streamed = await answerBlocks(o.page, 's');
    await send(o.page, {
      type: 'state', settings: SETTINGS,
      conversation: { id: 'c', turns: [{ requestId: 'w', question: 'q', model: 'm', region: 'r', answer: md, reasoning: '', status: 'done' }] },
    });
    await settle(o.page);
    const whole = await answerBlocks(o.page, 'w');
    assert.ok(whole.length > 40);
    assert.deepEqual(streamed, whole);
    await assertClean(o);
  });

  it('follows the theme: keyword colours differ between vscode-dark, vscode-light and high contrast', async () => {
    const o = await open({ theme: 'dark' });
    await fullAnswer(o.page);
    const keyword = o.page.locator('.answer .code-block[data-language="typescript"] .hljs-keyword').first();
    const colour = (): Promise<string> => keyword.evaluate((e) => (globalThis as unknown as PageDom).getComputedStyle(e).color);
    const dark = await colour();
    await o.page.evaluate(() => (globalThis as unknown as PageDom).document.body.classList.replace('vscode-dark', 'vscode-light'));
    const light = await colour();
    await o.page.evaluate(() => (globalThis as unknown as PageDom).document.body.classList.replace('vscode-light', 'vscode-high-contrast'));
    const hc = await colour();
    assert.equal(dark, 'rgb(86, 156, 214)');
    assert.equal(light, 'rgb(0, 0, 255)');
    assert.notEqual(hc, light);
    const weight = await keyword.evaluate((e) => (globalThis as unknown as PageDom).getComputedStyle(e).fontWeight);
    assert.equal(weight, '700', 'high contrast keywords are bold');
    // The `theme` field of `state` switches the class too.
    await send(o.page, { type: 'state', settings: SETTINGS, theme: 'light' });
    assert.equal(await o.page.evaluate(() => (globalThis as unknown as PageDom).document.body.className), 'vscode-light');
    await assertClean(o);
  });

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
      { type: 'applyDiff', requestId: 'r1', code: PY_CODE, language: 'python' },
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
    await page.waitForFunction(() => (globalThis as unknown as { __stateWrites: number }).__stateWrites > 0);
    await page.waitForTimeout(1100);
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

  it('takes its strings from the extension', async () => {
    const o = await open();
    await send(o.page, { type: 'state', settings: SETTINGS, strings: { newChat: '新しいチャット', stop: '停止', jumpToLatest: '最新へ' } }, turnStarted('j'), { type: 'start', requestId: 'j' });
    await settle(o.page);
    assert.equal(await o.page.locator('.new-chat').textContent(), '新しいチャット');
    assert.equal(await o.page.locator('.turn .stop').textContent(), '停止');
    assert.equal(await o.page.locator('.export-chat').textContent(), 'Export', 'missing keys fall back to English');
    await assertClean(o);
  });

  it('the session total includes what VS Code\'s Chat spent through the provider', async () => {
    const o = await open();
    await fullAnswer(o.page);
    await send(o.page, { type: 'state', settings: SETTINGS, elsewhere: { tokens: 1000, dollars: 0.0377 } });
    await settle(o.page);
    const total = o.page.locator('.session-total');
    assert.equal(await total.textContent(), 'Session: 2,801 tokens · $0.05');
    assert.equal(await total.getAttribute('title'), 'This chat: $0.0123; VS Code Chat and other extensions: $0.0377');
    await assertClean(o);
  });

  it('screenshots (light and dark) for a visual check', async () => {
    await mkdir('test-results', { recursive: true });
    for (const theme of ['light', 'dark'] as const) {
      const o = await open({ theme, width: 760, height: 1100 });
      await fullAnswer(o.page);
      await o.page.locator('.turn details.code-context summary').click();
      await o.page.locator('.log').evaluate((e) => { e.scrollTop = 0; });
      await o.page.screenshot({ path: `test-results/webview-${theme}.png` });
      await assertClean(o);
    }
    // Error, stopped and streaming turns.
    const o = await open({ theme: 'dark', width: 760, height: 700 });
    await send(o.page, { type: 'state', settings: SETTINGS }, turnStarted('e', 'Why is this slow?', false), { type: 'start', requestId: 'e' },
      { type: 'error', requestId: 'e', message: 'openai.gpt-5.5 is not served in us-west-2. It is served in us-east-2.', actions: [{ kind: 'switchRegion', region: 'us-east-2' }, { kind: 'ssoLogin', profile: 'dev' }] },
      turnStarted('s', 'Explain this', false), { type: 'start', requestId: 's' }, { type: 'delta', requestId: 's', text: 'It clamps `n` into **[lo, hi]**.' });
    await settle(o.page);
    await o.page.locator('.turn[data-request-id="s"] button.stop').click();
    await send(o.page, turnStarted('t', 'And the tests?', false), { type: 'start', requestId: 't' }, { type: 'delta', requestId: 't', text: 'Here are tests:\n\n```ts\nit("clamps", () => {\n  expect(clamp(2)).toBe(1);' });
    await settle(o.page);
    await o.page.screenshot({ path: 'test-results/webview-states-dark.png' });
    await assertClean(o);
  });
});

/** Everything in the log that model output must never produce. Runs in the page (plain JS: the root tsconfig has
 *  no DOM library). */
const DOM_VIOLATIONS = `(() => {
    const out = [];
    const log = document.querySelector('.log');
    const forbidden = 'script,iframe,frame,frameset,object,embed,svg,math,style,link,meta,base,form,input,textarea,select,img,video,audio,source,template,noscript,isindex,marquee';
    for (const e of log.querySelectorAll(forbidden)) out.push(\`forbidden element <\${e.tagName.toLowerCase()}>\`);
    for (const b of log.querySelectorAll('button')) {
      if (!b.closest('.code-toolbar, .turn-status, .error-actions')) out.push(\`foreign button \${b.outerHTML}\`);
    }
    for (const e of log.querySelectorAll('.answer *, .reasoning-body *, .question *')) {
      if (e.closest('.code-toolbar')) continue; // the panel's own toolbar, added after sanitizing
      for (const a of e.attributes) {
        const name = a.name.toLowerCase();
        if (name.startsWith('on') || ['style', 'src', 'srcdoc', 'action', 'formaction', 'xlink:href', 'href', 'id', 'name', 'data-command', 'data-request-id'].includes(name)) {
          out.push(\`attribute \${name}="\${a.value}" on <\${e.tagName.toLowerCase()}>\`);
        }
      }
    }
    for (const e of log.querySelectorAll('[data-href]')) {
      if (!/^(https?|mailto):/i.test(e.getAttribute('data-href') ?? '')) out.push(\`unsafe data-href \${e.getAttribute('data-href')}\`);
    }
    for (const block of log.querySelectorAll('.code-block')) {
      if (!block.querySelector(':scope > .code-toolbar') || !block.querySelector(':scope > pre > code')) out.push('fake code block');
    }
    if (log.querySelectorAll('pre > code').length !== log.querySelectorAll('.code-block, .code-context').length) out.push('code blocks and toolbars differ');
    if (log.querySelectorAll('.turn').length !== log.querySelectorAll(':scope > .turn').length) out.push('nested turn');
    return out;
})()`;

async function domViolations(page: Page): Promise<string[]> {
  return page.evaluate<string[]>(DOM_VIOLATIONS);
}

/** Clicks every link, fires mouse/focus events on every rendered element, opens every details. */
async function poke(page: Page): Promise<void> {
  await page.evaluate(`(() => {
    for (const d of document.querySelectorAll('details')) d.open = true;
    for (const e of document.querySelectorAll('.answer *, .reasoning-body *')) {
      for (const type of ['mouseover', 'mouseenter', 'focus', 'animationstart']) e.dispatchEvent(new Event(type));
    }
  })()`);
  const links = page.locator('.log a');
  const n = await links.count();
  for (let i = 0; i < n; i++) await links.nth(i).dispatchEvent('click');
  await page.waitForTimeout(300);
}

for (const csp of [true, false]) {
  describe(`XSS corpus (${XSS_PAYLOADS.length} payloads) ${csp ? 'under the panel CSP' : 'without any CSP: the sanitizer alone'}`, { concurrency: false }, () => {
    after(closeAll);

    it('streamed as deltas and rendered whole: zero script executions, zero remote requests, nothing unsafe in the DOM', async () => {
      assert.ok(XSS_PAYLOADS.length >= 30);
      const o = await open({ csp });
      const { page } = o;
      const executions: unknown[] = [];
      await page.exposeFunction('__xss', (id: unknown) => { executions.push(id); });
      // The binding works: a script that is allowed to run (via the test harness, not the webview) can call it.
      await page.evaluate(() => (globalThis as unknown as { __xss(id: string): void }).__xss('probe'));
      assert.deepEqual(executions.splice(0), ['probe']);
      const url = page.url();

      // 1. Streamed: one turn per payload, in 3-character deltas, through the answer and the reasoning channel,
      //    with the payload also as the question, the code, the file name and an error message.
      await send(page, { type: 'state', settings: SETTINGS });
      for (const [i, payload] of XSS_PAYLOADS.entries()) {
        const requestId = `x${i}`;
        await send(page,
          { type: 'turnStarted', requestId, question: payload, model: 'm', region: 'r', code: { text: payload, languageId: 'html', fileName: payload, startLine: 1, endLine: 1 } },
          { type: 'start', requestId },
          ...chunk(payload, 3).map((text): ExtensionMessage => ({ type: 'reasoningDelta', requestId, text })),
          ...chunk(`Before\n\n${payload}\n\nAfter`, 3).map((text): ExtensionMessage => ({ type: 'delta', requestId, text })));
        if (i % 4 === 0) await settle(page);
        await send(page, i % 5 === 0 ? { type: 'error', requestId, message: payload, actions: [] } : { type: 'done', requestId });
      }
      // All payloads in one answer too, so that one payload's leftovers meet the next.
      await send(page, { type: 'turnStarted', requestId: 'all', question: 'all', model: 'm', region: 'r' }, { type: 'start', requestId: 'all' });
      await stream(page, 'all', XSS_PAYLOADS.join('\n\n'), 3, 40);
      await send(page, { type: 'done', requestId: 'all' });
      await settle(page);
      assert.equal(await page.locator('.turn').count(), XSS_PAYLOADS.length + 1);
      assert.deepEqual(await domViolations(page), []);
      await clearPosted(page);
      await poke(page);
      const streamedLinks = (await posted(page)).filter((m) => m.type === 'openLink');

      // 2. Rendered whole: the same turns restored in one `state`.
      const turns = XSS_PAYLOADS.map((payload, i) => ({
        requestId: `w${i}`, question: payload, model: 'm', region: 'r', answer: `Before\n\n${payload}\n\nAfter`, reasoning: payload,
        status: 'done' as const, code: { text: payload, languageId: 'html', fileName: payload, startLine: 1, endLine: 1 },
      }));
      turns.push({ ...turns[0], requestId: 'wall', answer: XSS_PAYLOADS.join('\n\n') });
      await send(page, { type: 'state', settings: SETTINGS, conversation: { id: 'xss', turns } });
      await settle(page);
      assert.equal(await page.locator('.turn').count(), XSS_PAYLOADS.length + 1);
      assert.deepEqual(await domViolations(page), []);
      await clearPosted(page);
      await poke(page);
      const wholeLinks = (await posted(page)).filter((m) => m.type === 'openLink');

      // 3. Reloaded from getState (the persisted copy renders through the same path).
      await page.reload();
      await waitForPosted(page, 'ready');
      await settle(page);
      assert.deepEqual(await domViolations(page), []);
      await poke(page);

      assert.deepEqual(executions, [], 'script executions');
      assert.deepEqual(o.dialogs, [], 'dialogs');
      assert.deepEqual(o.remote, [], 'remote requests');
      assert.equal(page.url(), url, 'never navigated');
      for (const m of [...streamedLinks, ...wholeLinks]) {
        assert.ok(m.type === 'openLink' && /^(https?|mailto):/.test(m.href), `openLink ${JSON.stringify(m)}`);
      }
      assert.ok(streamedLinks.length >= 2 && wholeLinks.length >= 2, 'the safe links still work');
      // Chromium checks the page's CSP even while DOMPurify parses in its inert document, and reports the inline
      // handlers and styles it meets there as blocked; none of them is a load from a URL, and nothing ran.
      assert.deepEqual(o.errors.filter((e) => !e.includes('Content Security Policy')), [], 'page errors');
      const violations = await cspViolations(page);
      assert.deepEqual(violations.filter((v) => v.blocked !== 'inline' || !/^(script-src-attr|style-src-attr|style-src-elem)$/.test(v.directive)), []);
      if (!csp) assert.deepEqual(violations, []);
    });
  });
}
