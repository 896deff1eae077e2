/**
 * The chat panel's webview in headless Chromium, loaded from the BUILT bundle under the panel's CSP: what it
 * renders (streamed Markdown, highlighting, themes, strings), with screenshots. Run: `node esbuild.mjs && node --import tsx --test test/webview/rendering.test.ts`.
 */
import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import { after, describe, it } from 'node:test';
import { ANSWER_MD, longMarkdown, PY_CODE, SETTINGS, TS_CODE } from './fixtures/answers';
import { posted, send, settle } from './page';
import { answerBlocks, assertClean, closeAll, fullAnswer, open, stream, turnStarted, usePanelBrowser, type PageDom } from './panel';

usePanelBrowser();

describe('chat panel webview: rendering', { concurrency: false }, () => {
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

  it('holds the spinner still while the text flows in, and turns it again once the stream goes quiet', async () => {
    const o = await open();
    const { page } = o;
    await send(page, { type: 'state', settings: SETTINGS }, turnStarted('f'), { type: 'start', requestId: 'f' });
    const spinner = page.locator('.turn[data-request-id="f"] .spinner');
    const playState = (): Promise<string> => spinner.evaluate((e) => (globalThis as unknown as PageDom).getComputedStyle(e).animationPlayState);
    assert.equal(await playState(), 'running', 'waiting for the first text, the spinner turns');
    await stream(page, 'f', 'The first words of the answer.');
    assert.equal(await playState(), 'paused', 'text is flowing');
    // No more text: the mark comes off after its quiet period (1.5 s); waited for as a style change, bounded.
    await page.locator('.turn[data-request-id="f"]:not(.is-flowing)').waitFor({ timeout: 5_000 });
    assert.equal(await playState(), 'running', 'a quiet stream shows the spinner turning');
    await stream(page, 'f', ' More.');
    assert.equal(await playState(), 'paused', 'text again');
    await send(page, { type: 'done', requestId: 'f' });
    await settle(page);
    assert.equal(await page.locator('.turn[data-request-id="f"].is-flowing').count(), 0, 'the mark goes when the answer ends');
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

  it('lays out a long answer exactly as one flat block of its Markdown would be: segments and paint groups move nothing', async () => {
    const o = await open();
    await send(o.page, { type: 'state', settings: SETTINGS }, turnStarted('w'), { type: 'start', requestId: 'w' });
    await stream(o.page, 'w', longMarkdown(8_000), 40, 1);
    const visibility = (): Promise<string[]> => o.page.locator('.turn[data-request-id="w"] .md-segment')
      .evaluateAll((segments) => segments.map((s) => (globalThis as unknown as PageDom).getComputedStyle(s).contentVisibility));
    // While it streams, the two newest segments are always rendered; older ones, and all once it ends, are skippable.
    const streaming = await visibility();
    assert.ok(streaming.length >= 3, `${streaming.length} segments`);
    assert.deepEqual(streaming, [...streaming.slice(0, -2).map(() => 'auto'), 'visible', 'visible']);
    await send(o.page, { type: 'done', requestId: 'w' });
    await settle(o.page);
    // The end may start one more segment (the live tail becomes a finished chunk).
    const ended = await visibility();
    assert.ok(ended.length === streaming.length || ended.length === streaming.length + 1, `${streaming.length} → ${ended.length}`);
    assert.deepEqual(ended, ended.map(() => 'auto'));
    // Every block's offset from the answer's first block, in the panel's answer and in a copy beside it with all its
    // blocks as direct children of one element of the same classes and width: one formatting context, where margins
    // collapse. Segments and groups move nothing, and a segment boundary (a formatting context of its own) leaves
    // the same gap as any other. Segments are rendered first: skipped (off screen) they have a placeholder height.
    const tops = await o.page.locator('.turn[data-request-id="w"] .answer').evaluate((answer) => {
      const segments = [...answer.querySelectorAll('.md-segment')];
      for (const s of segments) s.classList.remove('md-skippable');
      const flat = answer.ownerDocument.createElement('div');
      flat.className = answer.className;
      flat.append(...[...answer.querySelectorAll('.md-group > .md-inner > *')].map((b) => b.cloneNode(true)));
      answer.after(flat);
      const [grouped, flatTops] = [answer, flat].map((root) => {
        const blocks = [...root.querySelectorAll('h2, p, ul, ol, pre, table')];
        const first = blocks[0].getBoundingClientRect().top;
        return blocks.map((b) => Math.round(b.getBoundingClientRect().top - first));
      });
      return { grouped, flat: flatTops, groups: answer.querySelectorAll('.md-group').length, segments: segments.length };
    });
    assert.ok(tops.segments >= 2 && tops.groups > 8, `${tops.segments} segments, ${tops.groups} groups`);
    assert.ok(tops.grouped.length > 400);
    assert.deepEqual(tops.grouped, tops.flat);
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

  it('shows what prompt caching saved under each answer, and the session total sums the savings', async () => {
    const o = await open();
    const usage = (input: number, cached: number) => ({ inputTokens: input, cachedInputTokens: cached, outputTokens: 100, reasoningTokens: 0, totalTokens: input + 100 });
    await send(o.page, { type: 'state', settings: SETTINGS },
      turnStarted('c1', 'First', false), { type: 'start', requestId: 'c1' }, { type: 'delta', requestId: 'c1', text: 'One.' },
      { type: 'usage', requestId: 'c1', usage: usage(1500, 0), dollars: 0.0116, costKnown: true, savedDollars: 0, totalMs: 900 }, { type: 'done', requestId: 'c1' },
      turnStarted('c2', 'Second', false), { type: 'start', requestId: 'c2' }, { type: 'delta', requestId: 'c2', text: 'Two.' },
      { type: 'usage', requestId: 'c2', usage: usage(1700, 1536), dollars: 0.0050, costKnown: true, savedDollars: 0.0076, totalMs: 800 }, { type: 'done', requestId: 'c2' },
      turnStarted('c3', 'Third', false), { type: 'start', requestId: 'c3' }, { type: 'delta', requestId: 'c3', text: 'Three.' },
      { type: 'usage', requestId: 'c3', usage: usage(1900, 1792), dollars: 0.0050, costKnown: true, savedDollars: 0.0089, totalMs: 700 }, { type: 'done', requestId: 'c3' });
    await settle(o.page);
    const saved = (id: string) => o.page.locator(`.turn[data-request-id="${id}"] .usage-saved`);
    assert.equal(await saved('c1').count(), 0, 'nothing cached, nothing shown as saved');
    assert.equal(await o.page.locator('.turn[data-request-id="c2"] .usage-cached .usage-value').textContent(), '1,536');
    assert.equal(await saved('c2').textContent(), 'Saved by cache $0.0076');
    assert.equal(await saved('c3').locator('.usage-value').textContent(), '$0.0089');
    assert.equal(await o.page.locator('.session-total').textContent(), 'Session: 5,400 tokens · $0.0216 · $0.0165 saved by prompt caching');
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
