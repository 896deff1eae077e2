import type { Conversation } from '../../core/conversation';
import type { WebviewMessage } from '../../shared/protocol';
import type { ChatController } from './chatController';
import type { ChatPanel } from './chatPanel';

/** What the extension's test API exposes of the chat (kept small): an adapter over the controller. */
export interface ChatTestApi {
  readonly conversation: Conversation;
  panel(): ChatPanel | undefined;
  /** As if the panel's webview had posted `message` (Insert, Apply, error buttons, follow-ups). */
  receive(message: WebviewMessage): Promise<void>;
  /** The state message the panel would be sent (its header's cost line included). */
  panelState(withConversation: boolean): ReturnType<ChatController['panelState']>;
  acceptDiff(): Promise<boolean>;
  discardDiff(): Promise<void>;
}

export function chatTestApi(chat: ChatController): ChatTestApi {
  return {
    conversation: chat.conversation,
    panel: () => chat.currentPanel,
    receive: async (message) => {
      if (message.type !== 'ready') await chat.handleMessage(message);
    },
    panelState: (withConversation) => chat.panelState(withConversation),
    acceptDiff: () => chat.proposed.accept(),
    discardDiff: () => chat.proposed.discard(),
  };
}
