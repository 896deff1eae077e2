/**
 * A code block as DOM, `<pre><code class="hljs language-…">` with highlight.js's spans, built without a sanitizer.
 *
 * highlight.js's HTML is a closed format: text with `& < > " '` escaped, and `<span class="…">` … `</span>`. It is
 * read here strictly, and anything else in it returns undefined (the caller then sanitizes the HTML instead). The
 * tree is the one DOMPurify gives for the same HTML with markdown.ts's class filter (a Chromium test compares them).
 */
import { highlightIn, resolveLanguage } from './highlight';

/** The language a code block is labelled with: highlight.js's name for it, else the fence's first word. */
export function codeLanguage(lang: string | undefined, known = resolveLanguage(lang)): string {
  return known ?? (lang ?? '').trim().split(/\s+/)[0];
}

const ENTITIES: Record<string, string> = { '&amp;': '&', '&lt;': '<', '&gt;': '>', '&quot;': '"', '&#x27;': "'" };
/** One piece of highlight.js's HTML: an opening span (its class), a closing span, or text (no `<`). */
const PIECE = /<span class="([^"<>&]*)">|(<\/span>)|([^<]+)/.source;
const ESCAPED = /&(?:amp|lt|gt|quot|#x27);/g;

/** Whether the HTML parser would change escaped text: it turns a carriage return into a line feed and drops a NUL. */
export function parserChangesEscaped(text: string): boolean {
  return /[\r\0]/.test(text);
}

/** `safeClasses` keeps the classes model output may carry (highlight.js's come from the code, which the model wrote). */
export function codeBlockDom(text: string, lang: string | undefined, safeClasses: (value: string) => string): DocumentFragment | undefined {
  if (parserChangesEscaped(text)) return undefined;
  const code = document.createElement('code');
  const known = resolveLanguage(lang);
  const language = codeLanguage(lang, known);
  code.className = safeClasses(`hljs${language ? ` language-${language}` : ''}`);
  if (known) {
    if (!appendHighlighted(code, highlightIn(text, known), safeClasses)) return undefined;
  } else if (text) {
    code.textContent = text;
  }
  const pre = document.createElement('pre');
  pre.append(code);
  const fragment = document.createDocumentFragment();
  fragment.append(pre, '\n');
  return fragment;
}

/** Appends highlight.js's `html` to `code` as DOM; false (and `code` partly filled) if it is not in the expected form. */
export function appendHighlighted(code: HTMLElement, html: string, safeClasses: (value: string) => string): boolean {
  const open: HTMLElement[] = [code];
  const pieces = new RegExp(PIECE, 'y');
  while (pieces.lastIndex < html.length) {
    const m = pieces.exec(html);
    if (!m) return false;
    const parent = open[open.length - 1];
    if (m[1] !== undefined) {
      const span = document.createElement('span');
      const kept = safeClasses(m[1]);
      if (kept) span.className = kept;
      parent.append(span);
      open.push(span);
    } else if (m[2]) {
      if (open.length === 1) return false;
      open.pop();
    } else {
      if (m[3].replace(ESCAPED, '').includes('&')) return false;
      parent.append(m[3].replace(ESCAPED, (e) => ENTITIES[e]));
    }
  }
  return true;
}
