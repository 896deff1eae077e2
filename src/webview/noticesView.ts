/**
 * The notices above the conversation: the developer prompt a workspace's settings set (its text, where it comes
 * from, whether it is sent, Allow / Ignore), and how many early questions no longer go to the model.
 */
import { format, type Conversation, type ExtensionMessage, type UiStrings, type WebviewMessage, type WorkspacePrompt } from '../shared/protocol';
import { h } from './dom';

type NoticeMessage = Extract<ExtensionMessage, { type: 'state' | 'workspacePrompt' | 'contextNotice' }>;

export class NoticesView {
  readonly element = h('section', { class: 'notices', attrs: { 'aria-live': 'polite' } });
  private workspacePrompt: WorkspacePrompt | undefined;
  private droppedTurns = 0;

  constructor(private readonly post: (m: WebviewMessage) => void, private readonly strings: () => UiStrings) {
    // One listener for the buttons of every render.
    this.element.addEventListener('click', (e) => {
      const button = e.target instanceof HTMLElement ? e.target.closest<HTMLButtonElement>('button[data-allow]') : null;
      const prompt = this.workspacePrompt;
      if (button && prompt) this.post({ type: 'workspacePrompt', hash: prompt.hash, allow: button.dataset.allow === 'true' });
    });
    this.element.hidden = true;
  }

  /** `state` (the conversation's count, and the workspace prompt when the extension has one), or a change of either. */
  handle(message: NoticeMessage, conversation: Conversation): void {
    switch (message.type) {
      case 'state':
        this.droppedTurns = conversation.droppedTurns ?? 0;
        if (message.workspacePrompt) this.workspacePrompt = message.workspacePrompt;
        break;
      case 'workspacePrompt':
        this.workspacePrompt = message.prompt;
        break;
      case 'contextNotice':
        this.droppedTurns = conversation.droppedTurns = message.droppedTurns;
        break;
    }
    this.render();
  }

  private render(): void {
    const s = this.strings();
    const parts: HTMLElement[] = [];
    const p = this.workspacePrompt;
    if (p) {
      const status = { pending: s.workspacePromptPending, allowed: s.workspacePromptAllowed, ignored: s.workspacePromptIgnored }[p.decision];
      const buttons = [
        ...(p.decision !== 'allowed' ? [h('button', { class: 'workspace-prompt-allow', text: s.workspacePromptAllow, attrs: { type: 'button', 'data-allow': 'true' } })] : []),
        ...(p.decision !== 'ignored' ? [h('button', { class: 'workspace-prompt-ignore', text: s.workspacePromptIgnore, attrs: { type: 'button', 'data-allow': 'false' } })] : []),
      ];
      parts.push(h('div', { class: `notice workspace-prompt ${p.decision}` },
        h('p', { class: 'notice-label', text: p.source === 'workspaceFolder' ? s.workspacePromptFromFolder : s.workspacePromptFromWorkspace }),
        h('pre', { class: 'workspace-prompt-text', text: p.text }),
        h('p', { class: 'notice-status', text: status }),
        h('div', { class: 'notice-actions' }, ...buttons)));
    }
    if (this.droppedTurns > 0) parts.push(h('div', { class: 'notice context-dropped', text: format(s.contextDropped, this.droppedTurns) }));
    this.element.replaceChildren(...parts);
    this.element.hidden = parts.length === 0;
  }
}
