/**
 * The panel renders plain Markdown as DOM directly (src/webview/markdownDom.ts) and everything else through marked's
 * HTML and DOMPurify. For the same tokens both must give the same tree: elements, attributes, text and whitespace.
 * Run: `node esbuild.mjs && node --import tsx --test test/webview/markdownPaths.test.ts`.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import * as esbuild from 'esbuild';
import type { Page } from 'playwright-core';
import { ANSWER_MD, longMarkdown } from './fixtures/answers';
import type { PathsResult } from './fixtures/markdownPaths';
import { XSS_PAYLOADS } from './fixtures/xss';
import { closeAll, open, usePanelBrowser } from './panel';

usePanelBrowser();

/** Markdown the DOM path renders: every construct it builds, and the corners of each. */
const PLAIN: Record<string, string> = {
  'the test answer': ANSWER_MD,
  'a long answer': longMarkdown(3000),
  headings: '# One\n## Two `code`\n### Three *em*\n#### Four\n##### Five\n###### Six\nSetext\n===\n',
  'emphasis and breaks': 'a **b** *c* ***d*** ~~e~~ ~f~ _g_ __h__\nsoft break\nhard  \nbreak\\\nagain',
  'spaces between inline elements': '**a** *b* `c` [d](https://d.example) **e**\n*f*',
  escapes: '\\*not em\\* \\_ \\` \\# \\[x\\] \\& \\< 1\\. a\\\\b',
  'characters HTML escapes': 'a < b > c & d "q" \'s\' &x &amp ; <3 a&b',
  'inline code': '`a < b && c > d` ``with ` tick`` `<script>` `&amp;`',
  links: '[a](https://a.example/x?y=1&z=2#f) [rel](./x.md) [js](javascript:alert(1)) [mail](mailto:a@b.c) [space](<https://a.example/a b>) [u](https://例え.jp/パス) [empty]() [**strong** `code`](http://b.example)',
  autolinks: '<https://auto.example/a?b=c&d> https://bare.example/path www.www.example a@b.example <mailto:x@y.z>',
  'reference links': '[ref] and [text][ref]\n\n[ref]: https://ref.example',
  images: '![alt *text*](https://img.example/x.png) ![](x.png) ![a & b](y.png)',
  'tight list': '- a\n- b `c`\n- **d**\n  - nested\n  - again\n- e',
  'loose list': '- a\n\n- b\n\n  second paragraph\n- c',
  'ordered lists': '3. three\n4. four\n\n1. one\n2. two\n\n0. zero',
  'task lists': '- [ ] open\n- [x] done `code`\n\n1. [x] loose\n\n2. [ ] items\n',
  tables: '| a | b | c | d |\n| :-- | :-: | --: | --- |\n| 1 | **2** | `3` | [4](https://x.example) |\n| | x | | |\n\n| only | head |\n| --- | --- |\n',
  blockquotes: '> quote\n> - list\n>\n> > nested **bold**\n\n> ```js\n> let a = 1;\n> ```',
  'code blocks': '```ts\nconst a = 1 < 2 && b > "c" || \'d\';\n```\n\n```html\n<style>p { color: red }</style>\n<script>let a = "<b>";</script>\n<p class="x">&amp; &nbsp;</p>\n```\n\n' +
    '```python\ndef f(x: int) -> str:\n    return f"{x!r}"  # \'q\'\n```\n\n```diff\n- a\n+ b\n```\n\n```json\n{"a": [1, true, null]}\n```\n\n```bash\necho "$HOME" | grep -v \'x\' > /dev/null\n```\n\n```markdown\n# h *e* `c`\n```\n\n```\n```\n\n```\nplain <b>\n```\n\n```unknownlang extra words\nx\n```\n\n```c++\nint x;\n```\n\n    indented\n    code\n\n```\n\nleading blank line\n```',
  'horizontal rules': 'a\n\n---\n\n***\nb',
  'workspace locations': 'See src/cart.ts:12, `src/a.ts:3-5` and [src/b.ts:1](https://x.example) and src/c\\_d.ts:7.\n\n```\nsrc/in/code.ts:1\n```\n\n- [ ] src/task.ts:9',
  'numeric character references (marked decodes them)': 'a &#60;b&#x3e; c &#0; &#xD800;',
  'links and images in the corners': '[a](https://x.example "") [b](https://x.example/%41%zz) <https://x.example/?a&amp;b> ![a](x.png "t") [![i](x.png)](https://a.example) \\&amp;',
  'task lists nested and after a rule': '- [x] a\n  - [ ] b src/t.ts:4\n- ***\n\n999999999. x',
  'code fences in the corners': '```a"b<c\nx\n```\n\n```C++\nint x;\n```\n\n```js\nconst o = { __proto__: null, constructor: 1 };\n```',
  'unicode and tabs': 'Ünïcödé — “quotes” 😀\ttab\n\n\u00a0nbsp',
  'the character references answers use': 'AT&amp;T &lt;T&gt; &quot;q&quot; &apos;s&apos; a&nbsp;b &amp;&amp; &amp;lt; &ampx &amp ;\n\n' +
    '# &lt;h&gt;\n\n| &amp; |\n| --- |\n| a&nbsp;&lt;b |\n\n[a &amp; b](https://a.example/?a=1&amp;b=2&lt;) *&quot;em&quot;* `&amp;`',
  'numeric references in an href (marked decodes those in text itself)': '[a](https://a.example/?a=&#60;&#x3E;&#126;&#xA0;&#x1F600;&#38;&#0060;) &#38;amp; &#38;#60;',
  'line breaks as HTML': 'a<br>b <br/> c <BR /> d <br\t>\n\n| a | b |\n| --- | --- |\n| x<br>y | 1<br/>2<br>3 |\n\n**x<br>y** [l<br>m](https://x.example)\n\n- item<br>more',
};

/** Markdown the DOM path hands to the sanitizer's path, which must render it as before. */
const NOT_PLAIN: Record<string, string> = {
  'a named character reference the DOM path does not decode': 'AT&amp;T &copy; 2026',
  'a name the parser reads by its longest known start': 'a &notit; b',
  'a C1 control the parser reads as windows-1252, in an href': '[a](https://a.example/?&#128;)',
  'a numeric reference the parser replaces, in an href': '[a](https://a.example/?&#xD800;)',
  'a tab as a numeric reference, in an href': '[a](https://a.example/?&#9;)',
  'a reference the DOM path does not decode, in an href': '[a](https://a.example/?a=1&copy;b=2)',
  'a link title': '[a](https://a.example "The title")',
  'raw inline HTML': 'a <b>bold</b> <br> c',
  'raw block HTML': '<details>\n<summary>More</summary>\n\nHidden **markdown**\n\n</details>',
  'HTML in a table cell': '| a |\n| --- |\n| x<sub>2</sub> |',
  'a closing br (the parser makes it a br)': 'a </br> b',
  'a br with attributes': 'a <br class="x"> b',
  'a br alone on its line (an HTML block)': '<br>\n\ntext',
  'an autolink in the text of a link (the HTML parser takes nested links apart)': '[x <https://x.example> y](https://y.example)',
  'an e-mail autolink in the text of a link': '[x <a@b.example> y](https://y.example)',
  'a reference link whose text is an autolink': '[<https://x.example>][r]\n\n[r]: https://y.example',
  'a carriage return that marked decodes from a reference': 'a&#13;b',
  'a NUL in text': 'a\u0000b',
  'a NUL in inline code': '`a\u0000b`',
  'a NUL in an image\'s alt text': '![a\u0000b](x.png)',
  'a reference-like name with an underscore': 'a &_; b',
  'a link title from a definition': '[r]\n\n[r]: https://x.example "t"',
  'nesting deeper than the DOM path builds': `${'>'.repeat(100)} deep`,
};

let page: Page;
let renderBoth: (markdown: string) => Promise<{ whole: PathsResult; blocks: PathsResult[] }>;


describe('Markdown: the DOM path and the sanitizer path give the same tree', () => {
  before(async () => {
    const built = await esbuild.build({
      entryPoints: ['test/webview/fixtures/markdownPaths.ts'], bundle: true, write: false, format: 'iife', platform: 'browser',
      target: 'es2022', tsconfig: 'src/webview/tsconfig.json', logLevel: 'silent',
    });
    ({ page } = await open({ csp: false }));
    await page.addScriptTag({ content: built.outputFiles[0].text });
    renderBoth = (markdown) => page.evaluate((md) => (window as unknown as { __markdownPaths(m: string): { whole: PathsResult; blocks: PathsResult[] } }).__markdownPaths(md), markdown);
  });
  after(closeAll);

  for (const [name, markdown] of Object.entries(PLAIN)) {
    it(`${name}: built as DOM, the same as the sanitizer's`, async () => {
      const { whole, blocks } = await renderBoth(markdown);
      assert.ok(whole.plain, `the DOM path declined it (the sanitizer's path gives ${whole.sanitized.slice(0, 300)})`);
      assert.ok(whole.sanitized.length > 0);
      assert.equal(whole.dom, whole.sanitized);
      // The panel renders blocks in groups as they freeze: each one alone must match too.
      for (const block of blocks) assert.equal(block.dom, block.sanitized);
      const declined = await page.evaluate((md) => (window as unknown as { __codeDeclined(m: string): string[] }).__codeDeclined(md), markdown);
      assert.deepEqual(declined, [], 'code blocks whose highlighting went through the sanitizer');
    });
  }

  for (const [name, markdown] of Object.entries(NOT_PLAIN)) {
    it(`${name}: left to the sanitizer's path`, async () => {
      const { whole } = await renderBoth(markdown);
      assert.equal(whole.plain, false, `the DOM path built ${whole.dom}`);
    });
  }

  it('a code block the HTML parser would change (a NUL, a carriage return) is sanitized alone, with the same tree', async () => {
    for (const markdown of ['```ts\nlet a = "\u0000";\n```\n\ntext', '```\nx\u0000y\n```']) {
      const { whole } = await renderBoth(markdown);
      assert.ok(whole.plain, 'the rest of the Markdown is still built as DOM');
      assert.equal(whole.dom, whole.sanitized);
      const declined = await page.evaluate((md) => (window as unknown as { __codeDeclined(m: string): string[] }).__codeDeclined(md), markdown);
      assert.equal(declined.length, 1);
    }
  });

  it("highlight.js's HTML is read strictly: anything but its escaped text and class spans is declined", async () => {
    const read = (html: string) => page.evaluate((h) => (window as unknown as { __readHighlighted(h: string): string | null }).__readHighlighted(h), html);
    assert.equal(await read('<span class="hljs-keyword">const</span> a = <span class="hljs-string">&quot;&lt;b&gt;&amp;&#x27;&quot;</span>'),
      '<span class="hljs-keyword">const</span> a = <span class="hljs-string">"&lt;b&gt;&amp;\'"</span>');
    assert.equal(await read('<span class="hljs-title function_">f</span><span class="evil">x</span>'), '<span class="hljs-title">f</span><span>x</span>');
    for (const html of ['<b>x</b>', 'a</span>', 'a &nbsp; b', 'a & b', '<span class="x" onclick="y">z</span>', "<span class='x'>z</span>", '<img src=x>', 'a <']) {
      assert.equal(await read(html), null, html);
    }
  });

  it('the XSS corpus: any payload the DOM path builds, it builds as the sanitizer does', async () => {
    let built = 0;
    for (const payload of XSS_PAYLOADS) {
      const { whole } = await renderBoth(payload);
      if (!whole.plain) continue;
      built++;
      assert.equal(whole.dom, whole.sanitized, payload);
    }
    assert.ok(built > 0, 'no payload was plain Markdown: the corpus has its Markdown links');
  });
});
