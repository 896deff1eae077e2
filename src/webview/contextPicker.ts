/**
 * The `@` picker of the question box: typing `@` lists the sources (`@file`, `@open`, `@problems`, `@selection`);
 * choosing one asks the extension for its entries (`contextQuery`), which the list shows as they arrive. Arrow
 * keys move, Enter or Tab chooses, Escape closes; the textarea is the combobox of an ARIA listbox.
 */
import type { ContextOption, ContextSource, UiStrings, WebviewMessage } from '../shared/protocol';
import { h } from './dom';

const SOURCES: ContextSource[] = ['file', 'open', 'problems', 'selection'];
const LISTBOX_ID = 'context-picker';

/** What the text before the caret asks for: a source by its first letters, or a source's entries. */
type Token = { start: number; end: number } & ({ kind: 'source'; prefix: string } | { kind: 'entries'; source: ContextSource; query: string });

/** `@fi`, `@file cart.ts:1-9`, `@open`: the `@` token that ends at the caret (an `@` at the start or after a space). */
function tokenAt(text: string, caret: number): Token | undefined {
  const before = text.slice(0, caret);
  // The last `@` that starts a word: an earlier one (`@prx @`) is text the user kept.
  const start = Math.max(before.startsWith('@') ? 0 : -1, ...[...before.matchAll(/\s@/g)].map((a) => a.index + 1));
  const m = start < 0 ? null : /^@([a-z]*)(?: (\S*))?$/.exec(before.slice(start));
  if (!m) return undefined;
  const word = m[1];
  if (m[2] === undefined) return { start, end: caret, kind: 'source', prefix: word };
  const source = SOURCES.find((s) => s === word);
  return source ? { start, end: caret, kind: 'entries', source, query: m[2] } : undefined;
}

type Entry = { source: ContextSource } | { option: ContextOption };

export class ContextPicker {
  readonly element = h('div', { class: 'context-picker', attrs: { id: LISTBOX_ID, role: 'listbox' } });
  private token: Token | undefined;
  private entries: Entry[] = [];
  private active = 0;
  /** The `@` closed with Escape: it stays closed until the caret leaves it. */
  private dismissedAt: number | undefined;
  /** The entries query whose answer is awaited (older answers are dropped). */
  private awaited: { source: ContextSource; query: string } | undefined;

  constructor(
    private readonly input: HTMLTextAreaElement,
    private readonly post: (m: WebviewMessage) => void,
    private readonly strings: () => UiStrings,
    private readonly onPick: (option: ContextOption) => void,
  ) {
    this.element.hidden = true;
    input.setAttribute('aria-autocomplete', 'list');
    input.setAttribute('aria-controls', LISTBOX_ID);
    input.setAttribute('aria-expanded', 'false');
    // Registered before the panel's own keydown (Enter sends): a key the open picker takes goes no further.
    input.addEventListener('keydown', (e) => this.onKey(e));
    input.addEventListener('input', () => this.update());
    input.addEventListener('click', () => this.update());
    input.addEventListener('blur', () => this.close());
    // mousedown, not click: the textarea keeps the focus (and the caret its place).
    this.element.addEventListener('mousedown', (e) => {
      const item = (e.target as HTMLElement).closest<HTMLElement>('[role="option"]');
      if (!item || item.getAttribute('aria-disabled') === 'true') return;
      e.preventDefault();
      this.choose(Number(item.dataset.index));
    });
  }

  get isOpen(): boolean {
    return !this.element.hidden;
  }

  /** The extension's answer to a `contextQuery`. */
  showOptions(source: ContextSource, query: string, options: ContextOption[]): void {
    if (this.awaited?.source !== source || this.awaited.query !== query) return;
    this.entries = options.map((option) => ({ option }));
    this.active = 0;
    this.render();
  }

  /** Re-reads the token at the caret: opens, filters or closes the list. */
  update(): void {
    const token = tokenAt(this.input.value, this.input.selectionStart ?? this.input.value.length);
    if (!token || token.start === this.dismissedAt) {
      if (!token) this.dismissedAt = undefined;
      this.close();
      return;
    }
    this.token = token;
    if (token.kind === 'source') {
      this.awaited = undefined;
      this.entries = SOURCES.filter((s) => s.startsWith(token.prefix)).map((source) => ({ source }));
      this.active = 0;
      this.render();
    } else if (this.awaited?.source !== token.source || this.awaited.query !== token.query) {
      this.awaited = { source: token.source, query: token.query };
      this.post({ type: 'contextQuery', source: token.source, query: token.query });
    }
  }

  close(): void {
    this.element.hidden = true;
    this.token = undefined;
    this.awaited = undefined;
    this.input.setAttribute('aria-expanded', 'false');
    this.input.removeAttribute('aria-activedescendant');
  }

  private onKey(e: KeyboardEvent): void {
    if (!this.isOpen || e.isComposing) return;
    const n = this.entries.length;
    let handled = true;
    if (e.key === 'ArrowDown' && n) this.move((this.active + 1) % n);
    else if (e.key === 'ArrowUp' && n) this.move((this.active - 1 + n) % n);
    else if ((e.key === 'Enter' || e.key === 'Tab') && !e.shiftKey && n) this.choose(this.active);
    else if (e.key === 'Escape') {
      this.dismissedAt = this.token?.start;
      this.close();
    } else handled = false;
    if (handled) {
      e.preventDefault();
      e.stopImmediatePropagation();
    }
  }

  private move(index: number): void {
    this.active = index;
    this.render();
    this.element.querySelector('[aria-selected="true"]')?.scrollIntoView({ block: 'nearest' });
  }

  /** A source: `@file ` replaces the token and asks for its entries. An entry: the token goes, the item is added. */
  private choose(index: number): void {
    const entry = this.entries[index];
    const token = this.token;
    if (!entry || !token) return;
    if ('source' in entry) {
      this.replaceToken(token, `@${entry.source} `);
      this.update();
      return;
    }
    this.replaceToken(token, '');
    this.close();
    this.onPick(entry.option);
  }

  private replaceToken(token: Token, text: string): void {
    const v = this.input.value;
    this.input.value = v.slice(0, token.start) + text + v.slice(token.end);
    const caret = token.start + text.length;
    this.input.setSelectionRange(caret, caret);
    this.input.dispatchEvent(new Event('input'));
  }

  private render(): void {
    const s = this.strings();
    const describe: Record<ContextSource, string> = { file: s.contextFile, open: s.contextOpen, problems: s.contextProblems, selection: s.contextSelection };
    const items = this.entries.map((entry, i) => {
      const [label, detail] = 'source' in entry ? [`@${entry.source}`, describe[entry.source]] : [entry.option.label, entry.option.detail ?? ''];
      return h('div', { class: 'context-option', attrs: { role: 'option', id: `${LISTBOX_ID}-${i}`, 'data-index': String(i), 'aria-selected': String(i === this.active) } },
        h('span', { class: 'context-option-label', text: label }), h('span', { class: 'context-option-detail', text: detail }));
    });
    if (!items.length) items.push(h('div', { class: 'context-option context-none', text: s.contextNoMatches, attrs: { role: 'option', 'aria-disabled': 'true' } }));
    this.element.replaceChildren(...items);
    this.element.setAttribute('aria-label', s.contextPicker);
    this.element.hidden = false;
    this.input.setAttribute('aria-expanded', 'true');
    if (this.entries.length) this.input.setAttribute('aria-activedescendant', `${LISTBOX_ID}-${this.active}`);
    else this.input.removeAttribute('aria-activedescendant');
  }
}
