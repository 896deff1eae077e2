/** The conversation kept under one key of a key-value store, and what a kept conversation restores to. */
import { randomUUID } from 'node:crypto';
import type { ChatStorage, KeyValueStore, PersistedChat, TurnOrigin } from './conversationHost';
import type { Conversation } from '../shared/protocol';

/** workspaceState key of the conversation (it outlives the panel and a window reload). */
export const CHAT_STATE_KEY = 'bedrockGpt.chat';

/** A single conversation in a key-value store (workspaceState before the history existed; tests). */
export function keyValueStorage(store: KeyValueStore, key = CHAT_STATE_KEY): ChatStorage {
  return {
    current: () => store.get<PersistedChat>(key),
    save: (chat) => store.update(key, chat),
  };
}

/** A kept conversation as the Conversation resumes it (a new, empty one when there is none or it is unreadable). */
export function restoreChat(saved: PersistedChat | undefined): { data: Conversation; origins: Map<string, TurnOrigin>; createdAt: number } {
  const createdAt = saved?.createdAt ?? Date.now();
  if (!saved || saved.version !== 1 || !Array.isArray(saved.conversation?.turns)) return { data: { id: randomUUID(), turns: [] }, origins: new Map(), createdAt };
  // An answer that was streaming when the window went away will never finish: keep it as stopped.
  for (const t of saved.conversation.turns) if (t.status === 'streaming') t.status = 'stopped';
  return { data: saved.conversation, origins: new Map(Object.entries(saved.origins ?? {})), createdAt };
}
