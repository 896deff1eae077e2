/**
 * The panel's history list: the kept conversations (title, date, model, cost), a search box, and per item Open,
 * Rename (in place: Enter keeps, Escape cancels) and Delete (the extension asks first). The list comes from the
 * extension (`history`); this only shows it and posts what the user chose.
 */
import { formatDollars } from '../core/cost';
import { format, type ConversationSummary, type UiStrings, type WebviewMessage } from '../shared/protocol';
import { h } from './dom';

/** The search box asks the extension at most this often while the user types. */
const SEARCH_DEBOUNCE_MS = 200;

export class HistoryView {
  readonly element = h('section', { class: 'history', attrs: { hidden: '' } });
  private readonly search = h('input', { class: 'history-search', attrs: { type: 'search' } });
  private readonly list = h('ul', { class: 'history-list' });
  private readonly empty = h('p', { class: 'history-empty' });
  private searchTimer: ReturnType<typeof setTimeout> | undefined;
  private conversations: ConversationSummary[] = [];
  private currentId = '';

  constructor(
    private readonly post: (message: WebviewMessage) => void,
    private strings: () => UiStrings,
  ) {
    this.element.append(this.search, this.empty, this.list);
    this.search.addEventListener('input', () => {
      clearTimeout(this.searchTimer);
      this.searchTimer = setTimeout(() => this.request(), SEARCH_DEBOUNCE_MS);
    });
    this.list.addEventListener('click', (e) => this.onClick(e));
  }

  get visible(): boolean {
    return !this.element.hidden;
  }

  toggle(): void {
    this.element.hidden = !this.element.hidden;
    if (this.visible) {
      this.request();
      this.search.focus();
    }
  }

  show(conversations: ConversationSummary[], currentId: string, query?: string): void {
    // An answer to an older search is dropped: only the list for what the box holds now is shown.
    if ((query ?? '') !== this.search.value.trim()) return;
    this.conversations = conversations;
    this.currentId = currentId;
    this.render();
  }

  render(): void {
    const s = this.strings();
    this.search.placeholder = s.historySearch;
    this.search.setAttribute('aria-label', s.historySearch);
    this.empty.textContent = s.historyEmpty;
    this.empty.hidden = this.conversations.length > 0;
    this.list.replaceChildren(...this.conversations.map((c) => this.item(c, s)));
  }

  private request(): void {
    const query = this.search.value.trim();
    this.post({ type: 'listHistory', ...(query && { query }) });
  }

  private item(c: ConversationSummary, s: UiStrings): HTMLLIElement {
    const button = (command: string, label: string) => h('button', { class: `history-${command}`, text: label, attrs: { type: 'button', 'data-command': command } });
    const meta = [formatDate(c.updatedAt), c.model, formatDollars(c.dollars), format(s.historyTurns, c.turns)].filter(Boolean).join(' · ');
    return h('li', { class: c.id === this.currentId ? 'history-item current' : 'history-item', attrs: { 'data-id': c.id } },
      h('div', { class: 'history-title', text: c.title }),
      h('div', { class: 'history-meta', text: meta }),
      h('div', { class: 'history-actions' }, button('open', s.historyOpen), button('rename', s.historyRename), button('delete', s.historyDelete)));
  }

  private onClick(e: MouseEvent): void {
    const target = e.target instanceof Element ? e.target.closest<HTMLElement>('[data-command]') : null;
    const item = target?.closest<HTMLElement>('.history-item');
    const id = item?.dataset.id;
    if (!target || !item || !id) return;
    switch (target.dataset.command) {
      case 'open':
        this.post({ type: 'openConversation', id });
        this.element.hidden = true;
        return;
      case 'rename':
        return this.startRename(item, id);
      case 'delete':
        this.post({ type: 'deleteConversation', id });
        return;
    }
  }

  /** The title becomes an input; Enter posts the new title, Escape or leaving it puts the old one back. */
  private startRename(item: HTMLElement, id: string): void {
    const title = item.querySelector<HTMLElement>('.history-title');
    if (!title || item.querySelector('.history-rename-input')) return;
    const input = h('input', { class: 'history-rename-input', attrs: { type: 'text', maxlength: '80', 'aria-label': this.strings().historyRename } });
    input.value = title.textContent ?? '';
    title.replaceWith(input);
    input.focus();
    input.select();
    let done = false;
    const finish = (keep: boolean) => {
      if (done) return;
      done = true;
      const name = input.value.trim();
      if (keep && name && name !== title.textContent) {
        title.textContent = name;
        this.post({ type: 'renameConversation', id, title: name });
      }
      input.replaceWith(title);
    };
    input.addEventListener('keydown', (e) => {
      if (e.key === 'Enter' && !e.isComposing) {
        e.preventDefault();
        finish(true);
      } else if (e.key === 'Escape') {
        e.preventDefault();
        finish(false);
      }
    });
    input.addEventListener('blur', () => finish(false));
  }
}

/** `2026-12-01 11:02` in the viewer's time zone. */
function formatDate(ms: number): string {
  if (!ms) return '';
  const d = new Date(ms);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}`;
}
