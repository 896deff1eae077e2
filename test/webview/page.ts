/**
 * The webview's test page: the BUILT dist/webview/main.js and main.css, served from 127.0.0.1 inside the same HTML
 * and the same strict CSP the chat panel uses, with a fake `acquireVsCodeApi` loaded by a nonce'd script first.
 * Build first: `node esbuild.mjs`.
 */
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import type { Page } from 'playwright-core';
import type { ExtensionMessage, WebviewMessage } from '../../src/shared/protocol';
import { webviewHtml } from '../../src/shared/webviewHtml';

/** Debian's chromium, headless, the same launcher the workbench UI tests use. Throws (never skips) when it is missing. */
export { launchChromium } from '../../scripts/harness/codeServer';

const ROOT = resolve(__dirname, '../..');

const FILES: Record<string, { path: string; type: string }> = {
  '/webview/main.js': { path: 'dist/webview/main.js', type: 'text/javascript' },
  '/webview/main.css': { path: 'dist/webview/main.css', type: 'text/css' },
  '/fixtures/fake-vscode.js': { path: 'test/webview/fixtures/fake-vscode.js', type: 'text/javascript' },
  '/fixtures/bench-driver.js': { path: 'test/webview/fixtures/bench-driver.js', type: 'text/javascript' },
  '/fixtures/vscode-theme.css': { path: 'test/webview/fixtures/vscode-theme.css', type: 'text/css' },
};

export interface PageServer {
  origin: string;
  /** `theme`: body class; `csp: false` drops the CSP; `bench` adds the bench driver. */
  url(o?: { theme?: 'light' | 'dark' | 'high-contrast'; csp?: boolean; bench?: boolean }): string;
  close(): Promise<void>;
}

export async function startPageServer(): Promise<PageServer> {
  for (const f of ['dist/webview/main.js', 'dist/webview/main.css']) {
    if (!existsSync(join(ROOT, f))) throw new Error(`${f} is missing: run \`node esbuild.mjs\` first`);
  }
  let origin = '';
  const server: Server = createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', origin);
      if (url.pathname === '/') {
        const nonce = randomBytes(16).toString('base64');
        const theme = url.searchParams.get('theme') ?? 'dark';
        const html = webviewHtml({
          cspSource: origin, nonce, scriptUri: `${origin}/webview/main.js`, styleUri: `${origin}/webview/main.css`,
          preludeScripts: [`${origin}/fixtures/fake-vscode.js`, ...(url.searchParams.has('bench') ? [`${origin}/fixtures/bench-driver.js`] : [])],
          extraStyles: [`${origin}/fixtures/vscode-theme.css`],
          bodyClass: `vscode-${theme}`,
          withoutCsp: url.searchParams.get('csp') === 'off',
        });
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
        res.end(html);
        return;
      }
      const file = FILES[url.pathname];
      if (!file) {
        res.writeHead(404).end();
        return;
      }
      res.writeHead(200, { 'content-type': file.type, 'cache-control': 'no-store' });
      res.end(await readFile(join(ROOT, file.path)));
    })().catch((err: unknown) => {
      res.writeHead(500).end(String(err));
    });
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    origin,
    url: (o = {}) => {
      const q = new URLSearchParams();
      if (o.theme) q.set('theme', o.theme);
      if (o.csp === false) q.set('csp', 'off');
      if (o.bench) q.set('bench', '1');
      return `${origin}/${q.size ? `?${q}` : ''}`;
    },
    close: () => new Promise<void>((ok) => server.close(() => ok())),
  };
}

// Helpers that run in the page. The root tsconfig has no DOM library, so page globals are reached through a cast;
// the callbacks stay anonymous and self-contained because they are serialised into the page.
interface PageGlobals {
  __send(message: unknown): void;
  __posted: WebviewMessage[];
  __cspViolations: Array<{ directive: string; blocked: string; sample: string }>;
  __stateWrites: number;
}

/** `__savedState()`: the webview state the stand-in host holds now (what a reload gets back); `__stateWrites`: how many
 *  times the page has set it. */
export interface PageState {
  __savedState(): { draft?: string; chips?: unknown[]; conversation?: { turns: Array<{ requestId: string; answer: string }> } } | undefined;
  __stateWrites: number;
}

export async function send(page: Page, ...messages: ExtensionMessage[]): Promise<void> {
  await page.evaluate((ms) => { for (const m of ms) (globalThis as unknown as PageGlobals).__send(m); }, messages);
}

export async function posted(page: Page): Promise<WebviewMessage[]> {
  return page.evaluate(() => (globalThis as unknown as PageGlobals).__posted);
}

export async function clearPosted(page: Page): Promise<void> {
  await page.evaluate(() => { (globalThis as unknown as PageGlobals).__posted.length = 0; });
}

export async function cspViolations(page: Page): Promise<PageGlobals['__cspViolations']> {
  return page.evaluate(() => (globalThis as unknown as PageGlobals).__cspViolations);
}

/** Waits until the posted messages include one of `type` and returns the messages of that type. */
export async function waitForPosted<T extends WebviewMessage['type']>(page: Page, type: T): Promise<Array<Extract<WebviewMessage, { type: T }>>> {
  await page.waitForFunction((t) => (globalThis as unknown as PageGlobals).__posted.some((m) => m.type === t), type);
  return (await posted(page)).filter((m): m is Extract<WebviewMessage, { type: T }> => m.type === type);
}

/** Lets posted messages be handled and two animation frames run (the webview renders once per frame). */
export async function settle(page: Page): Promise<void> {
  await page.evaluate('new Promise((done) => setTimeout(() => requestAnimationFrame(() => requestAnimationFrame(() => done(true))), 0))');
}
