/** Under a finished answer whose code blocks are labelled with workspace paths: the files, and one button to review them. */
import type { FileChange } from '../core/changeSet';
import { format, type ChatTurn, type UiStrings, type WebviewMessage } from '../shared/protocol';
import { h } from './dom';

/** The bar, or undefined when the answer is not finished or holds no change set (`files`, from the answer's blocks). */
export function changeSetBar(turn: ChatTurn, s: UiStrings, files: readonly FileChange[]): HTMLElement | undefined {
  if (turn.status !== 'done' || !files.length) return undefined;
  return h('div', { class: 'change-set' },
    h('span', { class: 'change-set-files', text: format(s.changeSetFiles, files.map((f) => f.path).join(', ')) }),
    h('button', { class: 'change-set-apply', text: format(s.changeSetApply, files.length), attrs: { type: 'button', 'data-command': 'applyChangeSet' } }));
}

/** The panel's quick actions in the header (Review Changes); each posts one message. */
export class QuickActions {
  private readonly review = h('button', { class: 'review-changes', attrs: { type: 'button' } });
  readonly element = h('span', { class: 'quick-actions' }, this.review);

  constructor(post: (m: WebviewMessage) => void) {
    this.review.addEventListener('click', () => post({ type: 'reviewChanges' }));
  }

  render(s: UiStrings): void {
    this.review.textContent = s.reviewChanges;
    this.review.title = s.reviewChangesTitle;
  }
}
