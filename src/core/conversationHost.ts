/** What a Conversation needs from its front end, and what it is asked. */
import type { AskClient, AskCore } from './chatRequest';
import type { BudgetVerdict } from './contextBudget';
import type { ErrorAction } from './errors';
import type { BedrockGptSettings } from './settings';
import type { ReasoningEffort } from './types';
import type { ChatTurn, Conversation as ConversationData, TurnCode, TurnContextItem } from '../shared/protocol';

/** What `vscode.Memento` (workspaceState) already is: the conversation's storage. */
export interface KeyValueStore {
  get<T>(key: string): T | undefined;
  update(key: string, value: unknown): PromiseLike<void>;
}

/** A conversation as it is kept: its turns, where their code came from, and (in the history) its title. */
export interface PersistedChat {
  version: 1;
  conversation: ConversationData;
  origins: Record<string, TurnOrigin>;
  /** Set by a rename; otherwise the title comes from the first question. */
  title?: string;
  /** ms since the epoch. */
  createdAt?: number;
}

/** Where the conversation is kept: the one to resume, and each save (on completion, throttled while streaming). */
export interface ChatStorage {
  current(): PersistedChat | undefined;
  save(chat: PersistedChat): PromiseLike<void>;
}

export interface ConversationLog {
  info(message: string): void;
  error(message: string, err?: unknown): void;
}

/** Where a question's code came from: Insert goes to this editor, Apply replaces this range. */
export interface TurnOrigin {
  uri: string;
  /** 0-based [startLine, startCharacter, endLine, endCharacter] of the selection asked about. */
  range: [number, number, number, number];
}

export interface AskRequest {
  prompt: string;
  code?: TurnCode;
  /** The `@` items, read by the front end (workspace files only; binary and oversize ones refused before). */
  context?: TurnContextItem[];
  origin?: TurnOrigin;
  /** Per-ask override from the panel's picker; the settings when absent. */
  model?: string;
  effort?: ReasoningEffort;
  /** The panel names its own ids; commands let the conversation make one. */
  requestId?: string;
}

/** An error as the front end words it, for the turn (kept, so it can be asked again). */
export interface WordedError {
  code: string;
  message: string;
  actions: ErrorAction[];
}

export interface ConversationHost {
  settings(): BedrockGptSettings;
  /** The core and a client for the region and endpoint (one client per region, endpoint and proxy). */
  connect(region: string, endpoint: string | undefined): Promise<{ core: AskCore; client: AskClient }>;
  /** The failure in the front end's words; `s` holds the turn's model, region and effort. */
  describeError(err: unknown, s: BedrockGptSettings): WordedError;
  /**
   * The context budget's verdict on the exact request of an ask or a retry, counted once, when it is not `ok`.
   * `refuse`: resolves the refusal in the front end's words (an ask is then never kept, saved or sent; a retry's
   * turn shows it). `confirm`: runs just before the model call (the confirmation dialog); a refusal ends the turn.
   */
  gate?(turn: ChatTurn, verdict: Exclude<BudgetVerdict, { kind: 'ok' }>): Promise<WordedError | undefined>;
  now?(): number;
}
