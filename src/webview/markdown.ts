/**
 * Model output -> safe DOM: marked (parser) -> highlight.js (code) -> DOMPurify (sanitizer, strict).
 * Model output is untrusted: nothing it writes may run script, load anything, submit anything or navigate.
 */
import DOMPurify from 'dompurify';
import { Marked, type Token, type Tokens } from 'marked';
import { escapeHtml, highlightToHtml, resolveLanguage } from './highlight';

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

const purify = DOMPurify(window);
purify.addHook('uponSanitizeAttribute', (_node, data) => {
  if (data.attrName === 'class') {
    data.attrValue = data.attrValue.split(/\s+/).filter((c) => SAFE_CLASS.test(c)).join(' ');
    if (!data.attrValue) data.keepAttr = false;
  }
});
purify.addHook('afterSanitizeAttributes', (node) => {
  if (node.nodeName !== 'A') return;
  // Links never navigate inside the webview: the href moves to data-href and a click posts `openLink`.
  const href = node.getAttribute('href');
  node.removeAttribute('href');
  if (href && SAFE_HREF.test(href.trim())) {
    node.setAttribute('data-href', href.trim());
    node.setAttribute('class', LINK_CLASS);
    node.setAttribute('role', 'link');
    node.setAttribute('tabindex', '0');
    if (!node.getAttribute('title')) node.setAttribute('title', href.trim());
  }
});

const PURIFY_CONFIG = {
  ALLOWED_TAGS, ALLOWED_ATTR, ADD_URI_SAFE_ATTR: PLAIN_ATTR, ALLOWED_URI_REGEXP: SAFE_HREF, ALLOW_DATA_ATTR: false, ALLOW_ARIA_ATTR: false,
  ALLOW_UNKNOWN_PROTOCOLS: false, FORBID_ATTR: ['style'], FORBID_TAGS: ['style', 'form', 'input', 'button', 'svg', 'math'],
  KEEP_CONTENT: true, RETURN_DOM_FRAGMENT: true as const, SAFE_FOR_TEMPLATES: false, WHOLE_DOCUMENT: false,
};

const marked = new Marked({
  gfm: true,
  breaks: false,
  async: false,
  renderer: {
    code({ text, lang }: Tokens.Code): string {
      const language = resolveLanguage(lang) ?? (lang ?? '').trim().split(/\s+/)[0];
      const cls = language ? ` language-${escapeHtml(language)}` : '';
      return `<pre><code class="hljs${cls}">${highlightToHtml(text, lang)}</code></pre>\n`;
    },
    checkbox({ checked }: Tokens.Checkbox): string {
      // No form controls in the answer: a task list item is marked with a glyph.
      return checked ? '<span class="task-done">☑</span> ' : '<span class="task-open">☐</span> ';
    },
    image({ text }: Tokens.Image): string {
      // No remote content: an image becomes its alt text.
      return escapeHtml(text);
    },
  },
});

export function lex(markdown: string): Token[] {
  return marked.lexer(markdown);
}

/** Sanitized DOM for already-lexed block tokens (answers stream through StreamingMarkdown). */
export function renderTokens(tokens: Token[]): DocumentFragment {
  return sanitizeHtml(marked.parser(tokens));
}

/** Sanitized DOM for untrusted HTML. */
export function sanitizeHtml(html: string): DocumentFragment {
  return purify.sanitize(html, PURIFY_CONFIG);
}
