/**
 * Model output is untrusted: the XSS corpus streamed and rendered whole, with and without the panel's CSP, must
 * run no script, load nothing remote and leave nothing unsafe in the DOM. Run: `node esbuild.mjs && node --import tsx --test test/webview/xss.test.ts`.
 */
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import type { ExtensionMessage } from '../../src/shared/protocol';
import { chunk, SETTINGS } from './fixtures/answers';
import { XSS_PAYLOADS } from './fixtures/xss';
import { clearPosted, cspViolations, posted, send, settle, waitForPosted } from './page';
import { closeAll, open, stream, usePanelBrowser } from './panel';

usePanelBrowser();

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
      if (!/^https?:/i.test(e.getAttribute('data-href') ?? '')) out.push(\`unsafe data-href \${e.getAttribute('data-href')}\`);
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
  // Anything a click could have started runs in a task; one round trip through the page's event loop lets it run.
  await page.evaluate(() => new Promise((resolve) => setTimeout(resolve, 0)));
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
        assert.ok(m.type === 'openLink' && /^https?:/.test(m.href), `openLink ${JSON.stringify(m)}`);
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
