/** The conversation kept under one key of a key-value store. */
import type { ChatStorage, KeyValueStore, PersistedChat } from './conversationHost';

/** workspaceState key of the conversation (it outlives the panel and a window reload). */
export const CHAT_STATE_KEY = 'bedrockGpt.chat';

/** A single conversation in a key-value store (workspaceState before the history existed; tests). */
export function keyValueStorage(store: KeyValueStore, key = CHAT_STATE_KEY): ChatStorage {
  return {
    current: () => store.get<PersistedChat>(key),
    save: (chat) => store.update(key, chat),
  };
}
