/**
 * The question's `@` items above the input: a chip per item (its path and lines, × to remove, Backspace at the
 * start of the input removes the last), the picker that adds them, and the notice of a refused question. A
 * question with items waits for the extension: it becomes a turn on `turnStarted`; on `askRefused` the question
 * and its chips stay as they were and the notice says why.
 */
import { format, type ContextOption, type ContextRef, type ExtensionMessage, type UiStrings, type WebviewMessage } from '../shared/protocol';
import { ContextPicker } from './contextPicker';
import { h } from './dom';

export class ContextBar {
  private readonly chips = h('div', { class: 'context-chips', attrs: { role: 'list' } });
  private readonly notice = h('div', { class: 'context-notice', attrs: { role: 'alert' } });
  private readonly picker: ContextPicker;
  readonly element: HTMLElement;
  private items: ContextOption[] = [];
  /** The request id of a question with items that the extension has not yet started or refused. */
  private pendingId: string | undefined;

  constructor(
    private readonly input: HTMLTextAreaElement,
    post: (m: WebviewMessage) => void,
    private readonly strings: () => UiStrings,
  ) {
    this.picker = new ContextPicker(input, post, strings, (option) => this.add(option));
    this.element = h('div', { class: 'context-bar' }, this.picker.element, this.notice, this.chips);
    input.addEventListener('keydown', (e) => {
      if (e.key === 'Backspace' && input.selectionStart === 0 && input.selectionEnd === 0 && this.items.length && !this.pendingId) {
        e.preventDefault();
        this.remove(this.items.length - 1);
      }
    });
    this.chips.addEventListener('click', (e) => {
      const button = (e.target as HTMLElement).closest<HTMLElement>('.context-chip-remove');
      if (button) this.remove(Number(button.dataset.index));
    });
    this.render();
  }

  /** The chips, for the saved state. */
  get saved(): ContextOption[] {
    return [...this.items];
  }

  /** The chips of a saved draft. */
  restore(items: readonly ContextOption[] | undefined): void {
    this.items = items ? [...items] : [];
    this.render();
  }

  /** Whether a question with items awaits the extension's word (no second question until then). */
  get pending(): boolean {
    return this.pendingId !== undefined;
  }

  handle(message: Extract<ExtensionMessage, { type: 'contextOptions' | 'askRefused' }>): void {
    if (message.type === 'contextOptions') {
      this.picker.showOptions(message.source, message.query, message.options);
    } else if (message.requestId === this.pendingId) {
      this.pendingId = undefined;
      this.notice.textContent = message.message;
      this.render();
    }
  }

  /**
   * The conversation was replaced (New Chat, a kept one opened, a reload): a question with items it was reading
   * goes nowhere, so nothing waits any more; the question and its chips stay in the box, to send again.
   */
  release(): void {
    if (this.pendingId === undefined) return;
    this.pendingId = undefined;
    this.render();
  }

  /** The refs to send with question `requestId` (which then waits), or undefined when there are none. */
  take(requestId: string): ContextRef[] | undefined {
    if (!this.items.length) return undefined;
    this.pendingId = requestId;
    this.notice.textContent = '';
    this.render();
    return this.items.map((o) => o.ref);
  }

  /** The extension started question `requestId`: if it was the waiting one, the input and the chips are cleared. */
  started(requestId: string): boolean {
    if (requestId !== this.pendingId) return false;
    this.pendingId = undefined;
    this.items = [];
    this.input.value = '';
    this.input.dispatchEvent(new Event('input'));
    this.render();
    return true;
  }

  private add(option: ContextOption): void {
    if (!this.items.some((o) => o.label === option.label)) this.items.push(option);
    this.changed();
  }

  private remove(index: number): void {
    if (this.pendingId || !this.items[index]) return;
    this.items.splice(index, 1);
    this.changed();
    this.input.focus();
  }

  /** The chips changed: the notice of an earlier refusal goes, and the draft (with its chips) is saved. */
  private changed(): void {
    this.notice.textContent = '';
    this.render();
    this.input.dispatchEvent(new Event('input'));
  }

  private render(): void {
    const s = this.strings();
    this.chips.setAttribute('aria-label', s.contextChips);
    this.chips.replaceChildren(...this.items.map((o, i) =>
      h('span', { class: 'context-chip', attrs: { role: 'listitem', title: o.detail ? `${o.label} (${o.detail})` : o.label } },
        h('span', { class: 'context-chip-label', text: o.label }),
        h('button', { class: 'context-chip-remove', text: '×', attrs: { type: 'button', 'data-index': String(i), 'aria-label': format(s.contextRemove, o.label), ...(this.pendingId && { disabled: '' }) } }))));
    this.chips.hidden = this.items.length === 0;
    this.notice.hidden = !this.notice.textContent;
  }
}
