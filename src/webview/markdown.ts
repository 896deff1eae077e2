/**
 * Model output -> safe DOM: marked (lexer) -> DOM built from its tokens (markdownDom.ts, codeDom.ts for highlight.js)
 * for plain Markdown, or marked's HTML -> DOMPurify (sanitizer, strict) for the rest (raw HTML and the like).
 * Model output is untrusted: nothing it writes may run script, load anything, submit anything or navigate.
 */
import DOMPurify from 'dompurify';
import { Marked, type Token, type Tokens } from 'marked';
import { codeBlockDom, codeLanguage } from './codeDom';
import { escapeHtml, highlightToHtml } from './highlight';
import { renderDom, type DomHooks } from './markdownDom';
import { findLocations } from '../core/location';

const ALLOWED_TAGS = [
  'a', 'abbr', 'b', 'blockquote', 'br', 'code', 'dd', 'del', 'details', 'div', 'dl', 'dt', 'em', 'h1', 'h2', 'h3',
  'h4', 'h5', 'h6', 'hr', 'i', 'ins', 'kbd', 'li', 'mark', 'ol', 'p', 'pre', 'q', 's', 'samp', 'small', 'span',
  'strong', 'sub', 'summary', 'sup', 'table', 'tbody', 'td', 'tfoot', 'th', 'thead', 'tr', 'u', 'ul', 'var',
];
/** Attributes that are not URLs; DOMPurify would otherwise test their values against SAFE_HREF too. */
const PLAIN_ATTR = ['align', 'start', 'colspan', 'rowspan', 'open'];
const ALLOWED_ATTR = ['href', 'title', 'class', ...PLAIN_ATTR];
/** Only these schemes survive; relative links, javascript:, data:, vbscript:, file: lose their href. */
const SAFE_HREF = /^https?:/i;
/** Model output may carry only highlight.js and language classes, never the panel's own (no fake buttons). */
const SAFE_CLASS = /^(?:hljs(?:-[\w-]+)?|language-[\w+#.-]+|task-(?:done|open))$/;

export const LINK_CLASS = 'md-link';
/** A workspace location (`src/cart.ts:12`) in the answer's text; a click posts `openLocation`. */
export const LOCATION_CLASS = 'md-location';

const purify = DOMPurify(window);
/** The classes of `value` that model output may carry (both rendering paths filter with it). */
function safeClasses(value: string): string {
  return value.split(/\s+/).filter((c) => SAFE_CLASS.test(c)).join(' ');
}

purify.addHook('uponSanitizeAttribute', (_node, data) => {
  if (data.attrName === 'class') {
    data.attrValue = safeClasses(data.attrValue);
    if (!data.attrValue) data.keepAttr = false;
  }
});
purify.addHook('afterSanitizeAttributes', (node) => {
  if (node.nodeName === 'A') makeLink(node, node.getAttribute('href'));
});

/** Links never navigate inside the webview: the href moves to data-href and a click posts `openLink`. */
function makeLink(a: Element, href: string | null): void {
  a.removeAttribute('href');
  if (href && SAFE_HREF.test(href.trim())) {
    a.setAttribute('data-href', href.trim());
    a.setAttribute('class', LINK_CLASS);
    a.setAttribute('role', 'link');
    a.setAttribute('tabindex', '0');
    if (!a.getAttribute('title')) a.setAttribute('title', href.trim());
  }
}

// Set once: passed to every sanitize() instead, the configuration is parsed again on each call (sets of every
// allowed tag and attribute built anew), two or three times a frame while an answer streams.
purify.setConfig({
  ALLOWED_TAGS, ALLOWED_ATTR, ADD_URI_SAFE_ATTR: PLAIN_ATTR, ALLOWED_URI_REGEXP: SAFE_HREF, ALLOW_DATA_ATTR: false, ALLOW_ARIA_ATTR: false,
  ALLOW_UNKNOWN_PROTOCOLS: false, FORBID_ATTR: ['style'], FORBID_TAGS: ['style', 'form', 'input', 'button', 'svg', 'math'],
  KEEP_CONTENT: true, RETURN_DOM_FRAGMENT: true, SAFE_FOR_TEMPLATES: false, WHOLE_DOCUMENT: false,
});

const marked = new Marked({
  gfm: true,
  breaks: false,
  async: false,
  renderer: {
    code({ text, lang }: Tokens.Code): string {
      return codeBlockHtml(text, lang);
    },
    checkbox({ checked }: Tokens.Checkbox): string {
      const [className, glyph] = taskMark(checked);
      return `<span class="${className}">${glyph}</span> `;
    },
    image({ text }: Tokens.Image): string {
      // No remote content: an image becomes its alt text.
      return escapeHtml(text);
    },
  },
});

/** No form controls in the answer: a task list item is marked with a glyph (its class, its text). */
function taskMark(checked: boolean): readonly [string, string] {
  return checked ? ['task-done', '☑'] : ['task-open', '☐'];
}

/** A code block as HTML to sanitize: highlighted if highlight.js knows the language (a fence's or a VS Code id). */
function codeBlockHtml(text: string, lang: string | undefined): string {
  const language = codeLanguage(lang);
  const cls = language ? ` language-${escapeHtml(language)}` : '';
  return `<pre><code class="hljs${cls}">${highlightToHtml(text, lang)}</code></pre>\n`;
}

/** A code block without the sanitizer where highlight.js's HTML reads as expected (see codeDom.ts), else with it. */
export function codeBlock(text: string, lang: string | undefined): DocumentFragment {
  return codeBlockDom(text, lang, safeClasses) ?? sanitizeHtml(codeBlockHtml(text, lang));
}

const DOM_HOOKS: DomHooks = {
  codeBlock,
  link: makeLink,
  checkbox(checked) {
    const [className, glyph] = taskMark(checked);
    const mark = document.createElement('span');
    mark.className = className;
    mark.textContent = glyph;
    return mark;
  },
};

export function lex(markdown: string): Token[] {
  return marked.lexer(markdown);
}

/** Safe DOM for already-lexed block tokens (answers stream through StreamingMarkdown): built directly for plain
 *  Markdown, through marked's HTML and the sanitizer for the rest (see markdownDom.ts). */
export function renderTokens(tokens: Token[]): DocumentFragment {
  return linkLocations(renderPlain(tokens) ?? sanitizedTokens(tokens));
}

/** The DOM of plain Markdown, built without HTML (undefined for tokens that are not plain: see markdownDom.ts). */
export function renderPlain(tokens: Token[]): DocumentFragment | undefined {
  return renderDom(tokens, DOM_HOOKS);
}

/** The sanitizer's path for block tokens: marked's HTML through DOMPurify. */
export function sanitizedTokens(tokens: Token[]): DocumentFragment {
  return sanitizeHtml(marked.parser(tokens));
}

/**
 * After rendering: every workspace location in the text (inline code included; code blocks and links not)
 * becomes a span the panel treats as a link. The model cannot make one itself: the sanitizer strips the class
 * and every data attribute from its output, and the DOM path sets none from it.
 */
export function linkLocations(root: DocumentFragment): DocumentFragment {
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  const texts: Text[] = [];
  for (let n = walker.nextNode(); n; n = walker.nextNode()) texts.push(n as Text);
  for (const text of texts) {
    if (text.parentElement?.closest('pre, a')) continue;
    const found = findLocations(text.data);
    if (!found.length) continue;
    const parts: Array<Node | string> = [];
    let at = 0;
    for (const loc of found) {
      if (loc.start > at) parts.push(text.data.slice(at, loc.start));
      const span = document.createElement('span');
      span.className = LOCATION_CLASS;
      span.textContent = text.data.slice(loc.start, loc.end);
      span.setAttribute('role', 'link');
      span.setAttribute('tabindex', '0');
      span.dataset.path = loc.path;
      span.dataset.line = String(loc.line);
      if (loc.endLine) span.dataset.endLine = String(loc.endLine);
      parts.push(span);
      at = loc.end;
    }
    if (at < text.data.length) parts.push(text.data.slice(at));
    text.replaceWith(...parts);
  }
  return root;
}

/** Sanitized DOM for untrusted HTML. */
function sanitizeHtml(html: string): DocumentFragment {
  // setConfig above asks for RETURN_DOM_FRAGMENT; the typings only know the per-call form.
  return purify.sanitize(html) as unknown as DocumentFragment;
}
