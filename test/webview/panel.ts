/**
 * What the webview tests share: the page server and Chromium, a panel page opened under the CSP (or none), and
 * helpers that stream answers into it. The tests load the BUILT bundle (node esbuild.mjs first).
 */
import assert from 'node:assert/strict';
import { after, before } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { ExtensionMessage } from '../../src/shared/protocol';
import { ANSWER_MD, chunk, REASONING_MD, SETTINGS, TS_CODE } from './fixtures/answers';
import { cspViolations, launchChromium, send, settle, startPageServer, waitForPosted, type PageServer } from './page';

/** The few page globals the callbacks below use (the root tsconfig has no DOM library). */
export interface PageDom {
  document: {
    body: { className: string; classList: { replace(from: string, to: string): boolean } };
    querySelector(selector: string): { scrollTop: number; hidden: boolean };
  };
  getComputedStyle(element: unknown): { color: string; fontWeight: string; contentVisibility: string; animationPlayState: string };
}

let server: PageServer;
let browser: Browser;
const contexts: BrowserContext[] = [];

/** Starts the page server and Chromium before the file's tests, and stops them after. */
export function usePanelBrowser(): void {
  before(async () => {
    server = await startPageServer();
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });
}

export interface Opened {
  page: Page;
  /** Requests to anything but the page's own origin (each is also aborted). */
  remote: string[];
  errors: string[];
  dialogs: string[];
}

export async function open(o: { theme?: 'light' | 'dark'; csp?: boolean; width?: number; height?: number } = {}): Promise<Opened> {
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
export async function assertClean(o: Opened): Promise<void> {
  assert.deepEqual(o.remote, [], 'remote requests');
  assert.deepEqual(o.errors.filter((e) => !e.includes('favicon')), [], 'page errors');
  assert.deepEqual(o.dialogs, [], 'dialogs');
  assert.deepEqual(await cspViolations(o.page), [], 'CSP violations');
}

export async function closeAll(): Promise<void> {
  for (const c of contexts.splice(0)) await c.close();
}

export const turnStarted = (requestId: string, question = 'Review this function', withCode = true): ExtensionMessage => ({
  type: 'turnStarted', requestId, question, model: 'openai.gpt-5.5', region: 'us-east-2', effort: 'high',
  ...(withCode ? { code: { text: TS_CODE, languageId: 'typescript', fileName: 'src/math/clamp.ts', startLine: 10, endLine: 13 } } : {}),
});

/** Streams `markdown` as small deltas, a few per frame, the way the extension forwards a model stream. */
export async function stream(page: Page, requestId: string, markdown: string, size = 7, perBatch = 12): Promise<void> {
  const deltas = chunk(markdown, size).map((text): ExtensionMessage => ({ type: 'delta', requestId, text }));
  for (let i = 0; i < deltas.length; i += perBatch) {
    await send(page, ...deltas.slice(i, i + perBatch));
    if ((i / perBatch) % 4 === 0) await settle(page);
  }
  await settle(page);
}

export async function fullAnswer(page: Page, requestId = 'r1'): Promise<void> {
  await send(page, { type: 'state', settings: SETTINGS }, turnStarted(requestId), { type: 'start', requestId });
  await send(page, ...chunk(REASONING_MD, 5).map((text): ExtensionMessage => ({ type: 'reasoningDelta', requestId, text })));
  await stream(page, requestId, ANSWER_MD);
  await send(page,
    { type: 'usage', requestId, usage: { inputTokens: 1234, cachedInputTokens: 1024, outputTokens: 567, reasoningTokens: 128, totalTokens: 1801 }, dollars: 0.0123, firstTokenMs: 840, totalMs: 4210 },
    { type: 'done', requestId });
  await settle(page);
}

/** The answer's rendered blocks, without the streaming wrappers (frozen segments, live tail). */
export async function answerBlocks(page: Page, requestId: string): Promise<string[]> {
  return page.locator(`.turn[data-request-id="${requestId}"] .answer`).evaluate((answer) =>
    [...answer.querySelectorAll('.md-group > .md-inner > *, .md-live > *')].map((e) => e.outerHTML));
}
