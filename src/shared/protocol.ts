/**
 * The extension <-> webview protocol, imported by both sides (STYLE.md principle 4).
 *
 * A streamed answer travels under one request id: `turnStarted` (the question), `start`, `delta`/`reasoningDelta`...,
 * `usage`, then `done` or `error`. `cancel` carries the same id. The extension sends nothing until the webview has
 * posted `ready`; it then answers with `state`.
 *
 * This file is bundled into the browser: it imports types only, and only from SDK-free modules.
 */
import type { ErrorAction } from '../core/errors';
import type { ReasoningEffort, Usage } from '../core/types';
import type { UiStrings } from './uiStrings';

/** A button that fixes the cause of an error (from `explainError`). A type-only import: nothing of the core's
 *  runtime code reaches the webview bundle. */
export type { ErrorAction };

/** A developer prompt set by the workspace's settings (not the user's), shown in the panel with the decision on it. */
export interface WorkspacePrompt {
  text: string;
  /** SHA-256 of the text: a decision holds for this exact prompt. */
  hash: string;
  /** Where it is set: the workspace's settings, or a workspace folder's. */
  source: 'workspace' | 'workspaceFolder';
  decision: 'allowed' | 'ignored' | 'pending';
}

/** The panel's strings live in uiStrings.ts; both sides import them through here. */
export { actionLabel, format, UI_STRINGS_EN, type UiStrings } from './uiStrings';

/** The code a question was asked about. Lines are 1-based and inclusive. */
export interface TurnCode {
  text: string;
  languageId: string;
  /** Workspace-relative path. */
  fileName: string;
  startLine: number;
  endLine: number;
}

/** Where an `@` item of the question box comes from (the picker's sources). */
export type ContextSource = 'file' | 'open' | 'problems' | 'selection';

/** A context item the panel attaches to a question; the extension reads it (again) when the question is sent.
 *  `@file`, `@open` and `@selection` become `file` items (a selection as its lines). Lines are 1-based, inclusive. */
export interface ContextRef {
  kind: 'file' | 'problems';
  /** Relative to its workspace folder, `/`-separated; '' for the problems of the whole workspace. */
  path: string;
  startLine?: number;
  endLine?: number;
}

/** One entry of the picker: the item it adds, and what the list shows. */
export interface ContextOption {
  ref: ContextRef;
  label: string;
  detail?: string;
}

/** A context item as it went with the question: what was read, so later requests repeat it byte for byte. */
export interface TurnContextItem extends ContextRef {
  text: string;
  languageId?: string;
}

export interface TurnUsage {
  usage: Usage;
  dollars: number;
  /** False when the model's price is unknown (custom model id): the cost is shown as unknown. */
  costKnown?: boolean;
  /** What prompt caching saved: the cached input tokens at the input price less their cached price. */
  savedDollars?: number;
  /** Milliseconds from sending the request to the first delta; absent when nothing streamed. */
  firstTokenMs?: number;
  totalMs: number;
}

export type TurnStatus = 'streaming' | 'done' | 'stopped' | 'error';

/** One question and its answer, as persisted (extension memento and the webview's getState/setState). */
export interface ChatTurn {
  requestId: string;
  question: string;
  code?: TurnCode;
  /** The `@` items sent with the question (chips), in the order they were added. */
  context?: TurnContextItem[];
  model: string;
  region: string;
  effort?: ReasoningEffort;
  /** The answer as Markdown (untrusted model output). */
  answer: string;
  /** The reasoning summary as Markdown, '' when the model sent none. */
  reasoning: string;
  usage?: TurnUsage;
  status: TurnStatus;
  error?: { message: string; actions: ErrorAction[] };
  /** The panel's own mark: refused before it became a turn, so left out of the panel's saved state. */
  notKept?: boolean;
}

export interface Conversation {
  id: string;
  turns: ChatTurn[];
  /** How many of the earliest questions the latest request left out: the conversation outgrew the model's context. */
  droppedTurns?: number;
}

/** A kept conversation in the panel's history list. */
export interface ConversationSummary {
  id: string;
  /** From the first question, or as renamed. */
  title: string;
  /** ms since the epoch. */
  createdAt: number;
  updatedAt: number;
  /** The model of its latest turn. */
  model: string;
  dollars: number;
  turns: number;
  /** Size of its file. */
  bytes: number;
}

export interface ModelChoice {
  id: string;
  label: string;
}

export interface PanelSettings {
  /** The configured defaults; the panel's picker starts on these for every ask. */
  model: string;
  region: string;
  effort: ReasoningEffort;
  models: ModelChoice[];
  efforts: ReasoningEffort[];
}

/** What VS Code's Chat and other extensions spent through the language-model provider this session (the
 *  panel header's session total includes it). */
export interface SpentElsewhere {
  tokens: number;
  dollars: number;
}

export type ThemeKind = 'light' | 'dark' | 'high-contrast' | 'high-contrast-light';

// ---------------------------------------------------------------------------------------------------------------
// Webview -> extension

export type WebviewMessage =
  /** The webview has loaded and listens; the extension may now send `state` and stream. */
  | { type: 'ready' }
  /** A question typed in the panel. It continues the current conversation (the panel's input is the follow-up);
   *  `model`/`effort` are the per-ask override, absent when the picker is on the default. The extension answers
   *  with `turnStarted` under the same `requestId`. */
  | { type: 'ask'; requestId: string; prompt: string; model?: string; effort?: ReasoningEffort; context?: ContextRef[] }
  /** The `@` picker asks for its entries: files matching `query` (fuzzy), the open editors, problems, the selection.
   *  Answered with `contextOptions`. */
  | { type: 'contextQuery'; source: ContextSource; query: string }
  | { type: 'cancel'; requestId: string }
  /** Ask the turn's question again; the extension reuses `requestId` and sends `start` again. */
  | { type: 'retry'; requestId: string }
  | { type: 'copy'; code: string }
  /** Insert at the cursor of the editor the turn's question came from. */
  | { type: 'insert'; requestId: string; code: string }
  /** Open a diff between the turn's selection and `code`; accepting replaces the selection. */
  | { type: 'applyDiff'; requestId: string; code: string }
  /** Review the change set of the turn's answer (its code blocks labelled with workspace paths); the extension
   *  parses its own copy of the answer, so the message carries nothing else. */
  | { type: 'applyChangeSet'; requestId: string }
  /** The panel's Review Changes quick action: the extension asks what to review (staged, unstaged, a branch). */
  | { type: 'reviewChanges' }
  /** A link in the answer was clicked (http or https only); the extension asks before opening it. */
  | { type: 'openLink'; href: string }
  | { type: 'newChat' }
  | { type: 'exportChat' }
  /** A button under an error (everything except `retry`, which is posted as `retry`). */
  | { type: 'action'; requestId: string; action: ErrorAction }
  /** The history list: asks for the kept conversations, those matching `query` when it is given. */
  | { type: 'listHistory'; query?: string }
  | { type: 'openConversation'; id: string }
  | { type: 'renameConversation'; id: string; title: string }
  /** The extension asks before it deletes. */
  | { type: 'deleteConversation'; id: string }
  /** A workspace location in an answer was clicked (`src/cart.ts:12`): open the file at that line, in the workspace only. */
  | { type: 'openLocation'; path: string; line: number; endLine?: number }
  /** Allow or ignore the workspace's developer prompt; counts only for the prompt shown (its hash). */
  | { type: 'workspacePrompt'; hash: string; allow: boolean };

// ---------------------------------------------------------------------------------------------------------------
// Extension -> webview

export type ExtensionMessage =
  /** Sent after `ready`, after a new chat, and when settings or language change. `conversation` absent means the
   *  extension has none, so the webview keeps what it restored from getState. */
  | { type: 'state'; conversation?: Conversation; settings: PanelSettings; strings?: Partial<UiStrings>; theme?: ThemeKind; elsewhere?: SpentElsewhere;
      workspacePrompt?: WorkspacePrompt }
  /** The workspace's developer prompt changed or was decided on; absent: there is none (to show). */
  | { type: 'workspacePrompt'; prompt?: WorkspacePrompt }
  /** The request just built left out this many of the earliest questions (0: none). */
  | { type: 'contextNotice'; droppedTurns: number }
  | { type: 'turnStarted'; requestId: string; question: string; code?: TurnCode; context?: TurnContextItem[]; model: string; region: string; effort?: ReasoningEffort }
  /** The picker's entries for a `contextQuery` (the webview drops answers to a query it no longer shows). */
  | { type: 'contextOptions'; source: ContextSource; query: string; options: ContextOption[] }
  /** A question with `@` items was not sent (a binary or oversize file, one outside the workspace, over the
   *  budget): nothing was sent or kept; the question box keeps the question and its chips. */
  | { type: 'askRefused'; requestId: string; message: string }
  /** The model call (re)starts: clears any earlier answer, reasoning, usage and error of the turn. */
  | { type: 'start'; requestId: string }
  | { type: 'delta'; requestId: string; text: string }
  | { type: 'reasoningDelta'; requestId: string; text: string }
  | ({ type: 'usage'; requestId: string } & TurnUsage)
  | { type: 'done'; requestId: string; stopped?: boolean }
  /** `notKept`: the question was refused before it became a turn (the extension keeps none of it; nor does the
   *  panel's saved state, which would otherwise hold its code until the next `state`). */
  | { type: 'error'; requestId: string; message: string; actions: ErrorAction[]; notKept?: true }
  /** The kept conversations, newest first (those matching `query` when one was asked); `currentId` is open. */
  | { type: 'history'; conversations: ConversationSummary[]; currentId: string; query?: string };

/** What the webview keeps with vscode's setState, to paint at once after the panel is hidden or reloaded. */
export interface WebviewPersistedState {
  conversation: Conversation;
  settings?: PanelSettings;
  strings?: Partial<UiStrings>;
  draft?: string;
  /** The `@` chips of the draft (a hidden panel's webview is torn down; the chips come back with it). */
  chips?: ContextOption[];
}

const EXTENSION_MESSAGE_TYPES: ReadonlySet<string> = new Set<ExtensionMessage['type']>([
  'state', 'turnStarted', 'start', 'delta', 'reasoningDelta', 'usage', 'done', 'error',
  'history', 'workspacePrompt', 'contextNotice', 'contextOptions', 'askRefused',
]);

/** A cheap guard for the webview's message listener (other frames can post to the window too). */
export function isExtensionMessage(value: unknown): value is ExtensionMessage {
  return typeof value === 'object' && value !== null && EXTENSION_MESSAGE_TYPES.has((value as { type?: unknown }).type as string);
}

/** The extension checks what the webview sends field by field: core/webviewMessage.ts (parseWebviewMessage). */

/** Ends every `switch` over the protocol: adding a message type without handling it fails to compile. */
export function assertNever(value: never, what = 'value'): never {
  throw new Error(`Unexpected ${what}: ${JSON.stringify(value)}`);
}
