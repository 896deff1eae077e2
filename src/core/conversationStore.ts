/**
 * Every conversation kept: one JSON file per conversation in a folder (the extension's workspace storage), an
 * index of their summaries (title, dates, model, cost, size) and which one is current, bounded in count and in
 * bytes with the oldest pruned. Reads are synchronous and small (the index, one conversation); writes are queued
 * one after another and replace a file atomically (write to a temporary name, then rename). No SDKs, no vscode.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ChatStorage, PersistedChat } from './conversationHost';
import type { ConversationSummary } from '../shared/protocol';

export interface HistoryLimits {
  /** At most this many conversations are kept. */
  maxConversations: number;
  /** At most this many bytes of conversation files are kept. */
  maxBytes: number;
}

interface StoreIndex {
  version: 1;
  current?: string;
  conversations: ConversationSummary[];
}

const INDEX = 'index.json';
const ID = /^[A-Za-z0-9-]{1,64}$/;
const TITLE_MAX = 80;

/** The title a conversation gets from its first question: its first line, at most 80 characters. */
export function titleFrom(question: string | undefined): string {
  const line = (question ?? '').trim().split(/\r?\n/, 1)[0].replace(/\s+/g, ' ');
  return line.length > TITLE_MAX ? `${line.slice(0, TITLE_MAX - 1)}…` : line;
}

export class ConversationStore implements ChatStorage {
  private index: StoreIndex;
  private queue: Promise<void> = Promise.resolve();
  /** Saves not yet on disk, so a read right after a save sees it. */
  private readonly pending = new Map<string, PersistedChat>();
  /**
   * The save at the end of the queue, not started yet. A newer save of the same conversation takes its place
   * instead of queueing behind it, so however far the disk falls behind the asks, the queue holds one copy of
   * a conversation, not one per ask (a busy machine once held ~40 MB of copies after 100 asks). Only the end of
   * the queue is merged: saves of two conversations in turn would each queue (only the current one saves often).
   */
  private waitingSave: { id: string; chat: PersistedChat; written: Promise<void> } | undefined;

  constructor(
    /** The folder of the conversation files and their index (read by the storage bench). */
    readonly dir: string,
    private readonly limits: () => HistoryLimits,
    private readonly onError: (message: string, err: unknown) => void = () => undefined,
  ) {
    mkdirSync(dir, { recursive: true });
    this.index = this.readIndex();
  }

  /** The conversation to resume: the current one, if it was ever saved. */
  current(): PersistedChat | undefined {
    return this.index.current ? this.read(this.index.current) : undefined;
  }

  get currentId(): string | undefined {
    return this.index.current;
  }

  /** Newest first; of two saved in the same millisecond, the one saved last (the index keeps saving order). */
  list(): ConversationSummary[] {
    return [...this.index.conversations].reverse().sort((a, b) => b.updatedAt - a.updatedAt).map((s) => ({ ...s }));
  }

  read(id: string): PersistedChat | undefined {
    if (!ID.test(id)) return undefined;
    const unsaved = this.pending.get(id);
    if (unsaved) return structuredClone(unsaved);
    try {
      const chat = JSON.parse(readFileSync(this.file(id), 'utf8')) as PersistedChat;
      return chat?.version === 1 && Array.isArray(chat.conversation?.turns) ? chat : undefined;
    } catch {
      return undefined;
    }
  }

  /**
   * Writes the conversation (an empty one only becomes current) and prunes to the limits. Resolves when this
   * version, or a newer one of the same conversation that replaced it in the queue, is on disk.
   */
  save(chat: PersistedChat): Promise<void> {
    const id = chat.conversation.id;
    if (!ID.test(id)) return Promise.reject(new Error(`Not a conversation id: ${id}`));
    this.index.current = id;
    const hasTurns = chat.conversation.turns.length > 0;
    if (hasTurns) this.pending.set(id, chat);
    const waiting = this.waitingSave;
    if (hasTurns && waiting?.id === id) {
      waiting.chat = chat;
      return waiting.written;
    }
    const entry = { id, chat, written: Promise.resolve() };
    entry.written = this.enqueue(async () => {
      if (this.waitingSave === entry) this.waitingSave = undefined;
      await this.write(entry.chat);
    }).finally(() => {
      if (this.pending.get(id) === entry.chat) this.pending.delete(id);
    });
    this.waitingSave = entry;
    return entry.written;
  }

  async rename(id: string, title: string): Promise<boolean> {
    const name = titleFrom(title);
    if (!name) return false;
    return this.enqueue(async () => {
      const summary = this.index.conversations.find((s) => s.id === id);
      const chat = summary && this.read(id);
      if (!summary || !chat) return false;
      const text = JSON.stringify({ ...chat, title: name });
      await this.writeAtomic(this.file(id), text);
      Object.assign(summary, { title: name, bytes: Buffer.byteLength(text) });
      await this.writeIndex();
      return true;
    });
  }

  /** Removes the conversation's file and its entry. */
  async delete(id: string): Promise<boolean> {
    return this.enqueue(async () => {
      const known = this.index.conversations.some((s) => s.id === id);
      // Whatever `pending` holds for it now is from a save queued after this delete, which will write it again.
      if (!known || !ID.test(id)) return false;
      this.index.conversations = this.index.conversations.filter((s) => s.id !== id);
      if (this.index.current === id) this.index.current = undefined;
      await rm(this.file(id), { force: true });
      await this.writeIndex();
      return true;
    });
  }

  /** Conversations whose title, questions or answers contain `query` (case-insensitive), newest first. */
  async search(query: string): Promise<ConversationSummary[]> {
    const q = query.trim().toLowerCase();
    const all = this.list();
    if (!q) return all;
    const hits: ConversationSummary[] = [];
    for (const s of all) {
      if (s.title.toLowerCase().includes(q)) {
        hits.push(s);
        continue;
      }
      const text = await readFile(this.file(s.id), 'utf8').catch(() => '');
      const chat = text ? (JSON.parse(text) as PersistedChat) : undefined;
      if (chat?.conversation.turns.some((t) => t.question.toLowerCase().includes(q) || t.answer.toLowerCase().includes(q))) hits.push(s);
    }
    return hits;
  }

  /** Resolves when every queued write has been made. */
  flush(): Promise<void> {
    return this.queue;
  }

  file(id: string): string {
    return join(this.dir, `${id}.json`);
  }

  // ---------------------------------------------------------------------------------------------------------

  private async write(chat: PersistedChat): Promise<void> {
    const id = chat.conversation.id;
    const turns = chat.conversation.turns;
    if (turns.length > 0) {
      const old = this.index.conversations.find((s) => s.id === id);
      const title = chat.title ?? old?.title ?? titleFrom(turns[0]?.question);
      const text = JSON.stringify({ ...chat, title });
      await this.writeAtomic(this.file(id), text);
      const summary: ConversationSummary = {
        id,
        title,
        createdAt: old?.createdAt ?? chat.createdAt ?? Date.now(),
        updatedAt: Date.now(),
        model: turns.at(-1)?.model ?? '',
        dollars: turns.reduce((sum, t) => sum + (t.usage?.dollars ?? 0), 0),
        turns: turns.length,
        bytes: Buffer.byteLength(text),
      };
      this.index.conversations = [...this.index.conversations.filter((s) => s.id !== id), summary];
      await this.prune();
    }
    await this.writeIndex();
  }

  /** Runs `job` after every job queued before it. Any job queued after a save keeps that save's place. */
  private enqueue<T>(job: () => Promise<T>): Promise<T> {
    this.waitingSave = undefined;
    const run = this.queue.then(job);
    this.queue = run.then(
      () => undefined,
      (err: unknown) => this.onError('Could not save the conversation history', err),
    );
    return run;
  }

  /** Oldest first out, until both limits hold; the current conversation stays whatever its size. */
  private async prune(): Promise<void> {
    const { maxConversations, maxBytes } = this.limits();
    const byAge = [...this.index.conversations].sort((a, b) => a.updatedAt - b.updatedAt);
    let count = byAge.length;
    let bytes = byAge.reduce((n, s) => n + s.bytes, 0);
    for (const s of byAge) {
      if (count <= Math.max(1, maxConversations) && bytes <= maxBytes) break;
      if (s.id === this.index.current) continue;
      await rm(this.file(s.id), { force: true });
      this.index.conversations = this.index.conversations.filter((c) => c.id !== s.id);
      count--;
      bytes -= s.bytes;
    }
  }

  private async writeAtomic(path: string, text: string): Promise<void> {
    const tmp = `${path}.${process.pid}.tmp`;
    await writeFile(tmp, text, 'utf8');
    await rename(tmp, path);
  }

  private writeIndex(): Promise<void> {
    return this.writeAtomic(join(this.dir, INDEX), JSON.stringify(this.index));
  }

  /** The index as saved, or rebuilt from the conversation files when it is missing or unreadable. */
  private readIndex(): StoreIndex {
    const path = join(this.dir, INDEX);
    try {
      const saved = JSON.parse(readFileSync(path, 'utf8')) as StoreIndex;
      if (saved?.version === 1 && Array.isArray(saved.conversations)) {
        return { ...saved, conversations: saved.conversations.filter((s) => existsSync(this.file(s.id))) };
      }
    } catch {
      // Missing or damaged: rebuilt below.
    }
    const conversations: ConversationSummary[] = [];
    for (const name of readdirSync(this.dir)) {
      const id = name.endsWith('.json') && name !== INDEX ? name.slice(0, -5) : '';
      const chat = id ? this.read(id) : undefined;
      if (!chat) continue;
      const turns = chat.conversation.turns;
      const bytes = Buffer.byteLength(JSON.stringify(chat));
      const at = chat.createdAt ?? 0;
      conversations.push({ id, title: chat.title ?? titleFrom(turns[0]?.question), createdAt: at, updatedAt: at, model: turns.at(-1)?.model ?? '', dollars: turns.reduce((s, t) => s + (t.usage?.dollars ?? 0), 0), turns: turns.length, bytes });
    }
    return { version: 1, conversations };
  }
}
