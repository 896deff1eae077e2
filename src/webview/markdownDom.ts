/**
 * marked's block tokens -> DOM, built with createElement and text nodes: for what marked lexed as Markdown, no HTML
 * string is made, parsed or sanitized (each DOMPurify call parses into a new document: two or three a frame while an
 * answer streams, and garbage for the GC). The tree is the one marked's HTML renderer (with markdown.ts's overrides)
 * gives after DOMPurify and markdown.ts's hooks: the same elements, attributes, text and whitespace. A Chromium test
 * compares the two over a corpus.
 *
 * Only plain Markdown is built here, with the two pieces of HTML answers often hold: a line break (`<br>`, in table
 * cells above all) and the common character references (`&amp;`, `&lt;`, `&nbsp;`, numeric ones), decoded as the HTML
 * parser decodes them. Any other raw HTML or reference, link titles and anything else whose meaning the HTML parser
 * or the sanitizer decides make `renderDom` return undefined, and the caller takes the sanitizer's path for those
 * tokens: it is proven on them, and they are rare in answers.
 *
 * Safety does not rest on that equivalence: the builder creates only the elements it names below, text only as text
 * nodes, and no attribute from model output but a link's href, which the `link` hook checks (the sanitizer's rule).
 */
import type { Token, Tokens } from 'marked';
import { parserChangesEscaped } from './codeDom';

export interface DomHooks {
  /** A fenced or indented code block: its `<pre>` and the newline after it. */
  codeBlock(text: string, lang: string | undefined): DocumentFragment;
  /** Makes `a` a panel link if `href` is safe (as markdown.ts's sanitizer hook does). */
  link(a: HTMLAnchorElement, href: string): void;
  /** The glyph of a task list item (no form controls in the answer). */
  checkbox(checked: boolean): HTMLElement;
}

/** A character reference marked's HTML-escape leaves for the browser to decode (any other `&` it escapes). */
const CHARACTER_REFERENCE = /&(#\d{1,7}|#[Xx][a-fA-F0-9]{1,6}|\w+);/g;
/** The named references decoded here; the parser decodes each the same in text and in attributes. */
const NAMED_REFERENCES: Readonly<Record<string, string>> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0' };
/** A line break as raw HTML: the parser makes it a `<br>` wherever it stands in a paragraph, a heading, a cell or a link. */
const BR_TAG = /^<br\s*\/?>$/i;
const NL = '\n';
/** Deeper nesting is left to the sanitizer's path, where the HTML parser caps it as it does (512 in Chromium). */
const MAX_DEPTH = 64;

/** Thrown inside a render, caught in `renderDom`: the tokens hold something only the sanitizer's path renders. */
class NotPlain {}

export function renderDom(tokens: readonly Token[], hooks: DomHooks): DocumentFragment | undefined {
  const fragment = document.createDocumentFragment();
  try {
    new Builder(hooks).blocks(tokens, fragment);
  } catch (e) {
    if (e instanceof NotPlain) return undefined;
    throw e;
  }
  return fragment;
}

const notPlain = (): never => {
  throw new NotPlain();
};

/** Text escaped whole (code, an autolink's, an image's alt): the parser changes only a carriage return or a NUL in it. */
function plainCode(text: string): string {
  return parserChangesEscaped(text) ? notPlain() : text;
}

/** Text as marked's renderer outputs it, once the browser has parsed it: the references in it decoded (those
 *  `decodeReference` knows), and no character the parser would change (a CR, which marked decodes from `&#13;`, or a
 *  NUL, as in code). */
function plain(text: string): string {
  plainCode(text);
  return text.includes('&') ? text.replace(CHARACTER_REFERENCE, (_, name: string) => decodeReference(name)) : text;
}

/** What the parser makes of `&name;`, for the names above and for numeric references to a character it keeps as it
 *  is. The rest is left to the parser: other names (and the longest-prefix rule for them), and the numbers it changes
 *  (0, surrogates and beyond U+10FFFF become U+FFFD, C1 controls are read as windows-1252). */
function decodeReference(name: string): string {
  if (name[0] !== '#') return Object.hasOwn(NAMED_REFERENCES, name) ? NAMED_REFERENCES[name] : notPlain();
  const hex = name[1] === 'x' || name[1] === 'X';
  const code = parseInt(name.slice(hex ? 2 : 1), hex ? 16 : 10);
  const kept = (code >= 0x20 && code <= 0x7e) || (code >= 0xa0 && code <= 0x10ffff && (code < 0xd800 || code > 0xdfff));
  return kept ? String.fromCodePoint(code) : notPlain();
}

/** Appends text to `parent`, into its last text node if it ends with one (the HTML parser makes one node of it). */
function appendText(parent: ParentNode, text: string): void {
  const last = parent.lastChild;
  if (last && last.nodeType === Node.TEXT_NODE) (last as Text).appendData(text);
  else parent.append(text);
}

function element<K extends keyof HTMLElementTagNameMap>(tag: K): HTMLElementTagNameMap[K] {
  return document.createElement(tag);
}

class Builder {
  private depth = 0;
  /** Inside a link: a link in it (an autolink in the text of a link) the HTML parser would take apart. */
  private inLink = false;

  constructor(private readonly hooks: DomHooks) {}

  blocks(tokens: readonly Token[], parent: ParentNode): void {
    if (++this.depth > MAX_DEPTH) notPlain();
    for (const token of tokens) this.block(token as Tokens.Generic, parent);
    this.depth--;
  }

  private block(token: Tokens.Generic, parent: ParentNode): void {
    switch (token.type) {
      case 'space':
      case 'def':
        return;
      case 'hr':
        parent.append(element('hr'), NL);
        return;
      case 'heading':
        parent.append(this.inlineIn(element(`h${(token as Tokens.Heading).depth}` as 'h1'), token.tokens), NL);
        return;
      case 'paragraph':
        parent.append(this.inlineIn(element('p'), token.tokens), NL);
        return;
      case 'code':
        parent.append(this.hooks.codeBlock((token as Tokens.Code).text, (token as Tokens.Code).lang));
        return;
      case 'blockquote': {
        const quote = element('blockquote');
        quote.append(NL);
        this.blocks(token.tokens ?? [], quote);
        parent.append(quote, NL);
        return;
      }
      case 'list':
        this.list(token as Tokens.List, parent);
        return;
      case 'table':
        this.table(token as Tokens.Table, parent);
        return;
      case 'checkbox':
        parent.append(this.hooks.checkbox((token as Tokens.Checkbox).checked));
        appendText(parent, ' ');
        return;
      case 'text':
        if (token.tokens) this.inline(token.tokens, parent);
        else if ((token as Tokens.Text).escaped) notPlain();
        else appendText(parent, plain((token as Tokens.Text).text));
        return;
      default:
        notPlain();
    }
  }

  private list(token: Tokens.List, parent: ParentNode): void {
    const list = element(token.ordered ? 'ol' : 'ul');
    if (token.ordered && token.start !== 1) list.setAttribute('start', String(token.start));
    list.append(NL);
    for (const item of token.items) {
      const li = element('li');
      this.blocks(item.tokens, li);
      list.append(li, NL);
    }
    parent.append(list, NL);
  }

  private table(token: Tokens.Table, parent: ParentNode): void {
    const table = element('table');
    const head = element('thead');
    head.append(NL, this.row(token.header), NL);
    table.append(NL, head, NL);
    if (token.rows.length) {
      const body = element('tbody');
      for (const row of token.rows) body.append(this.row(row), NL);
      table.append(body);
    }
    parent.append(table, NL);
  }

  private row(cells: Tokens.TableCell[]): HTMLTableRowElement {
    const tr = element('tr');
    tr.append(NL);
    for (const cell of cells) {
      const td = element(cell.header ? 'th' : 'td');
      if (cell.align) td.setAttribute('align', cell.align);
      tr.append(this.inlineIn(td, cell.tokens), NL);
    }
    return tr;
  }

  private inlineIn<E extends HTMLElement>(target: E, tokens: readonly Token[] | undefined): E {
    if (++this.depth > MAX_DEPTH) notPlain();
    this.inline(tokens ?? [], target);
    this.depth--;
    return target;
  }

  /** Adjacent text goes into one text node, as the HTML parser makes it (workspace locations are found per node). */
  private inline(tokens: readonly Token[], parent: ParentNode): void {
    let text = '';
    const put = (node: Node): void => {
      if (text) appendText(parent, text);
      text = '';
      parent.append(node);
    };
    for (const t of tokens) {
      const token = t as Tokens.Generic;
      switch (token.type) {
        case 'text':
        case 'escape':
          if ((token as Tokens.Text).escaped || token.tokens) notPlain();
          text += plain((token as Tokens.Text).text);
          break;
        case 'image':
          // markdown.ts renders an image as its alt text, escaped whole.
          text += plainCode((token as Tokens.Image).text);
          break;
        case 'codespan': {
          const code = element('code');
          code.textContent = plainCode((token as Tokens.Codespan).text);
          put(code);
          break;
        }
        case 'strong':
        case 'em':
        case 'del':
          put(this.inlineIn(element(token.type), token.tokens));
          break;
        case 'br':
          put(element('br'));
          break;
        case 'html':
          if (!BR_TAG.test((token as Tokens.Tag).text)) notPlain();
          put(element('br'));
          break;
        case 'checkbox':
          put(this.hooks.checkbox((token as Tokens.Checkbox).checked));
          text += ' ';
          break;
        case 'link':
          put(this.link(token as Tokens.Link));
          break;
        default:
          notPlain();
      }
    }
    if (text) appendText(parent, text);
  }

  private link(token: Tokens.Link & { autolink?: boolean }): HTMLAnchorElement {
    if (token.title || this.inLink) notPlain();
    let href: string;
    try {
      // marked's cleanUrl; a URL it cannot encode (a lone surrogate) is left to marked.
      href = encodeURI(token.href).replace(/%25/g, '%');
    } catch {
      return notPlain();
    }
    const a = element('a');
    if (token.autolink) a.append(plainCode(token.text));
    else {
      this.inLink = true;
      this.inline(token.tokens ?? [], a);
      this.inLink = false;
    }
    this.hooks.link(a, token.autolink ? href : plain(href));
    return a;
  }
}
