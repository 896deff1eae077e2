import type * as vscode from 'vscode';
import type { Conversation } from '../../core/conversation';
import type { ConversationStore } from '../../core/conversationStore';
import type { ChatTurn, WebviewMessage } from '../../shared/protocol';
import type { ChatController } from './chatController';
import type { ChatPanel, StateMessage } from './chatPanel';
import type { ChatUi } from './editorTarget';
import type { ShownMessage } from './observedUi';
import type { ReviewDeps } from './reviewChanges';

/** What the extension's test API exposes of the chat (kept small): an adapter over the controller. */
export interface ChatTestApi {
  readonly conversation: Conversation;
  /** Every kept conversation (files in the workspace storage). */
  readonly history: ConversationStore;
  /** Delete as after the user confirmed it. */
  deleteConversation(id: string): Promise<boolean>;
  panel(): ChatPanel | undefined;
  /** The `state` the panel would get (its header's session total included). */
  panelState(withConversation: boolean): StateMessage;
  /** As if the panel's webview had posted `message` (Insert, Apply, error buttons, follow-ups). */
  receive(message: WebviewMessage): Promise<void>;
  /** Accept as from the title of the diff tab `uri` names (its right side); without one, as from the palette. */
  acceptDiff(uri?: vscode.Uri): Promise<boolean>;
  acceptAllChanges(uri?: vscode.Uri): Promise<boolean>;
  /** Discards the proposal of `uri`; without one, every pending proposal. */
  discardDiff(uri?: vscode.Uri): Promise<void>;
  /** The URIs of the proposals waiting for Accept. */
  pendingDiffs(): string[];
  /** Review Changes with the dialogs answered by the test (`ui`'s messages, `pick`'s quick picks). */
  reviewChanges(arg: unknown, answers: Pick<ReviewDeps, 'ui' | 'pick'>): Promise<ChatTurn | undefined>;
  /**
   * Runs `run` with the chat's dialogs (the budget's confirmation of a large question among them) answered by
   * `answers` instead of the user; VS Code's own dialogs again afterwards, however `run` ends.
   */
  withDialogAnswers<T>(answers: Partial<ChatUi>, run: () => Promise<T>): Promise<T>;
  /** Fires for every message the chat shows (Apply refusals, Review Changes' notices). */
  readonly onDidShowMessage: vscode.Event<ShownMessage>;
}

export function chatTestApi(chat: ChatController): ChatTestApi {
  return {
    conversation: chat.conversation,
    history: chat.history,
    deleteConversation: (id) => chat.deleteConversation(id),
    panel: () => chat.currentPanel,
    panelState: (withConversation) => chat.panelState(withConversation),
    receive: async (message) => {
      if (message.type !== 'ready') await chat.handleMessage(message);
    },
    acceptDiff: (uri) => chat.proposed.accept(uri),
    acceptAllChanges: (uri) => chat.proposed.acceptAll(uri),
    discardDiff: (uri) => (uri ? chat.proposed.discard(uri) : chat.proposed.discardAll()),
    pendingDiffs: () => chat.proposed.pending,
    onDidShowMessage: chat.onDidShowMessage,
    reviewChanges: (arg, answers) => chat.reviewChanges(arg, answers),
    withDialogAnswers: async (answers, run) => {
      const scope = chat.answerDialogs(answers);
      try {
        return await run();
      } finally {
        scope.dispose();
      }
    },
  };
}
