import * as vscode from 'vscode';
import type { Conversation } from '../../core/conversation';
import type { ConversationStore } from '../../core/conversationStore';
import { assertNever, type WebviewMessage } from '../../shared/protocol';
import { unawaited } from '../log';
import type { ChatPanel } from './chatPanel';
import type { ChatUi } from './editorTarget';

export type HistoryMessage = Extract<WebviewMessage, { type: 'listHistory' | 'openConversation' | 'renameConversation' | 'deleteConversation' }>;

/** The panel's history list: list (or search), open, rename and delete (after asking) the kept conversations. */
export class HistoryActions {
  constructor(
    private readonly history: ConversationStore,
    private readonly conversation: Conversation,
    private readonly ui: ChatUi,
    private readonly panel: () => ChatPanel | undefined,
  ) {}

  async handle(message: HistoryMessage): Promise<void> {
    switch (message.type) {
      case 'listHistory':
        return this.post(message.query);
      case 'openConversation': {
        const chat = message.id === this.conversation.id ? undefined : this.history.read(message.id);
        if (chat) await this.conversation.open(chat);
        else if (message.id !== this.conversation.id) unawaited(this.ui.showWarningMessage(vscode.l10n.t('The conversation could not be opened: its file is missing or damaged.')), 'showing a message');
        return this.post();
      }
      case 'renameConversation':
        await this.history.rename(message.id, message.title);
        return this.post();
      case 'deleteConversation': {
        const summary = this.history.list().find((s) => s.id === message.id);
        if (!summary) return this.post();
        const del = vscode.l10n.t('Delete');
        const answer = await this.ui.showWarningMessage(vscode.l10n.t('Delete the conversation “{0}”?', summary.title), { modal: true }, del);
        if (answer !== del) return;
        await this.delete(message.id);
        return;
      }
      default:
        assertNever(message, 'history message');
    }
  }

  /** Deletes a kept conversation (its file); deleting the open one starts a new chat. */
  async delete(id: string): Promise<boolean> {
    // The open conversation is left first, so its last save cannot bring the file back.
    if (id === this.conversation.id) await this.conversation.clear();
    await this.history.flush();
    const deleted = await this.history.delete(id);
    await this.post();
    return deleted;
  }

  /** Sends the list (the matches of `query`) to the panel, if one is open. */
  async post(query?: string): Promise<void> {
    const panel = this.panel();
    if (!panel) return;
    await this.history.flush();
    const conversations = query ? await this.history.search(query) : this.history.list();
    panel.post({ type: 'history', conversations, currentId: this.conversation.id, ...(query && { query }) });
  }
}
