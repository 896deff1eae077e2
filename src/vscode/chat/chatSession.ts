import { randomUUID } from 'node:crypto';
import * as vscode from 'vscode';
import { costOf } from '../../core/cost';
import { KNOWN_MODELS } from '../../core/models';
import { developerInstructions } from '../../core/prompts';
import { REASONING_EFFORTS, type ReasoningEffort } from '../../core/types';
import { assertNever, type ChatTurn, type Conversation, type ErrorAction, type ExtensionMessage, type PanelSettings, type TurnCode } from '../../shared/protocol';
import type { BedrockGptSettings, Configuration } from '../configuration';
import { CHAT_STATE_KEY } from '../constants';
import { explain } from '../errorUi';
import { Disposable } from '../lifecycle';
import type { Log } from '../log';
import type { Core } from '../tokenController';

/** Where a question's code came from: Insert goes to this editor, Apply replaces this range. */
export interface TurnOrigin {
  uri: string;
  /** 0-based [startLine, startCharacter, endLine, endCharacter] of the selection asked about. */
  range: [number, number, number, number];
}

export interface AskRequest {
  prompt: string;
  code?: TurnCode;
  origin?: TurnOrigin;
  /** Per-ask override from the panel's picker; the settings when absent. */
  model?: string;
  effort?: ReasoningEffort;
  /** The panel names its own ids; commands let the session make one. */
  requestId?: string;
}

/** What the session needs of the token controller (constructor-injected; tests may hand in their own). */
export interface TokenSource {
  core(): Promise<Core>;
  readonly tokenProvider: () => Promise<string>;
}

/**
 * Runs before every model call (asks and retries): resolves a message to refuse with, or undefined to go on.
 * The ask commands put the context-budget check and its confirmation dialog here.
 */
export type AskGate = (turn: ChatTurn, history: readonly ChatTurn[], settings: BedrockGptSettings) => Promise<string | undefined>;

interface PersistedChat {
  version: 1;
  conversation: Conversation;
  origins: Record<string, TurnOrigin>;
}

/** While an answer streams, the conversation is written at most this often (and always when it ends). */
const PERSIST_INTERVAL_MS = 1000;

/**
 * The conversation and the ask orchestration. Each ask gets a request id, an AbortController, a snapshot of
 * the settings (with the panel's per-ask override), a client from the lazily loaded core, and streams its
 * events out as protocol messages (`onDidPost`), which the panel forwards. The session outlives the panel:
 * the conversation is kept in workspaceState, so hiding the panel or reloading the window restores it.
 */
export class ChatSession extends Disposable {
  private readonly _onDidPost = this._register(new vscode.EventEmitter<ExtensionMessage>());
  /** Every message for the webview, in order. The panel forwards them once its webview is ready. */
  readonly onDidPost = this._onDidPost.event;

  private conversation: Conversation;
  private origins = new Map<string, TurnOrigin>();
  private readonly inflight = new Map<string, { controller: AbortController; finished: Promise<void> }>();
  private persistTimer: NodeJS.Timeout | undefined;
  private client: { key: string; client: ReturnType<Core['createClient']> } | undefined;

  constructor(
    private readonly config: Configuration,
    private readonly tokens: TokenSource,
    private readonly storage: vscode.Memento,
    private readonly log: Log,
    private readonly gate: AskGate = async () => undefined,
    private readonly now: () => number = () => performance.now(),
  ) {
    super();
    this.conversation = this.load();
    this._register({ dispose: () => this.disposeInflight() });
  }

  /** A copy of the conversation (the panel's `state`, the export, tests). */
  snapshot(): Conversation {
    return structuredClone(this.conversation);
  }

  get turns(): readonly ChatTurn[] {
    return this.conversation.turns;
  }

  turn(requestId: string): ChatTurn | undefined {
    return this.conversation.turns.find((t) => t.requestId === requestId);
  }

  origin(requestId: string): TurnOrigin | undefined {
    return this.origins.get(requestId);
  }

  /** The origin a follow-up inherits: that of the latest turn that had one. */
  latestOrigin(): TurnOrigin | undefined {
    for (let i = this.conversation.turns.length - 1; i >= 0; i--) {
      const o = this.origins.get(this.conversation.turns[i].requestId);
      if (o) return o;
    }
    return undefined;
  }

  /** The earlier turns sent as history with the next question (answered or stopped, never failed ones). */
  historyTurns(): ChatTurn[] {
    return this.conversation.turns.filter(isHistory);
  }

  /**
   * Adds a turn and streams its answer. Resolves with the settled turn (never rejects: failures end up in the
   * turn as `error`, with the question kept).
   */
  async ask(req: AskRequest): Promise<ChatTurn> {
    const s = this.config.snapshot();
    const requestId = req.requestId && !this.turn(req.requestId) ? req.requestId : randomUUID();
    const history = this.historyTurns();
    const turn: ChatTurn = {
      requestId,
      question: req.prompt,
      ...(req.code && { code: req.code }),
      model: req.model ?? s.model,
      region: s.region,
      effort: req.effort ?? s.reasoningEffort,
      answer: '',
      reasoning: '',
      status: 'streaming',
    };
    this.conversation.turns.push(turn);
    const origin = req.origin ?? this.latestOrigin();
    if (origin) this.origins.set(requestId, origin);
    this.postTurnStarted(turn);
    this.persistSoon();
    await this.run(turn, history, s);
    return turn;
  }

  /**
   * Asks the turn's question again, with the same history it had, the turn's model and effort, and the region
   * now in the settings (a region switch retries this way).
   */
  async retry(requestId: string): Promise<ChatTurn | undefined> {
    const turn = this.turn(requestId);
    if (!turn) return undefined;
    await this.cancel(requestId);
    const s = this.config.snapshot();
    const history = this.conversation.turns.slice(0, this.conversation.turns.indexOf(turn)).filter(isHistory);
    turn.region = s.region;
    // The webview shows the region under the question: after a region switch it must show the new one.
    this.postTurnStarted(turn);
    await this.run(turn, history, s);
    return turn;
  }

  /** Stops at once: the request is aborted, the partial answer stays, marked stopped. */
  async cancel(requestId: string): Promise<void> {
    const running = this.inflight.get(requestId);
    if (!running) return;
    const turn = this.turn(requestId);
    running.controller.abort();
    if (turn && turn.status === 'streaming') this.settle(turn, 'stopped');
    await running.finished;
  }

  async cancelAll(): Promise<void> {
    await Promise.all([...this.inflight.keys()].map((id) => this.cancel(id)));
  }

  /** Starts over: stops whatever streams, forgets the conversation, tells the panel. */
  async newChat(): Promise<void> {
    await this.cancelAll();
    this.conversation = { id: randomUUID(), turns: [] };
    this.origins.clear();
    this.persistNow();
    this.postState();
  }

  /** Sends the whole conversation (the panel then repaints from it). */
  postState(): void {
    this.post({ type: 'state', conversation: this.snapshot(), settings: panelSettings(this.config.snapshot()) });
  }

  private async run(turn: ChatTurn, history: ChatTurn[], s: BedrockGptSettings): Promise<void> {
    const { requestId } = turn;
    const controller = new AbortController();
    let finish!: () => void;
    const finished = new Promise<void>((r) => (finish = r));
    this.inflight.set(requestId, { controller, finished });

    turn.answer = '';
    turn.reasoning = '';
    turn.usage = undefined;
    turn.error = undefined;
    turn.status = 'streaming';
    this.post({ type: 'start', requestId });

    let started = this.now();
    let firstTokenMs: number | undefined;
    try {
      const refusal = await this.gate(turn, history, s);
      if (refusal !== undefined) {
        this.log.info(`Ask ${requestId} not sent: ${refusal}`);
        this.fail(turn, refusal, [{ kind: 'retry' }]);
        return;
      }
      started = this.now(); // a confirmation dialog is the user's time, not the model's
      const core = await this.tokens.core();
      controller.signal.throwIfAborted();
      const client = this.clientFor(core, turn.region, s.endpoint || undefined);
      const events = core.ask(client, {
        model: turn.model,
        effort: turn.effort,
        instructions: developerInstructions(s.developerPrompt),
        prompt: turn.question,
        code: toCodeContext(turn.code),
        history: toHistory(history, core.userMessage),
        maxOutputTokens: s.maxOutputTokens > 0 ? s.maxOutputTokens : undefined,
        reasoningSummary: 'auto',
        stream: true,
        signal: controller.signal,
      });
      this.log.info(`Ask ${requestId}: ${turn.model} in ${turn.region} (effort ${turn.effort ?? 'default'}), ${history.length} earlier turn(s).`);
      for await (const event of events) {
        if (turn.status !== 'streaming') break; // cancelled: the turn is already settled
        switch (event.type) {
          case 'text':
            firstTokenMs ??= this.now() - started;
            turn.answer += event.delta;
            this.post({ type: 'delta', requestId, text: event.delta });
            this.persistSoon();
            break;
          case 'reasoning':
            firstTokenMs ??= this.now() - started;
            turn.reasoning += event.delta;
            this.post({ type: 'reasoningDelta', requestId, text: event.delta });
            break;
          case 'completed': {
            const cost = costOf(event.usage, turn.model);
            // The completed response's text is authoritative (a delta may have been coalesced away).
            if (event.text && event.text !== turn.answer) turn.answer = event.text;
            turn.usage = { usage: event.usage, dollars: cost.dollars, costKnown: cost.known, firstTokenMs, totalMs: this.now() - started };
            this.post({ type: 'usage', requestId, ...turn.usage });
            break;
          }
          default:
            assertNever(event, 'ask event');
        }
      }
      if (turn.status === 'streaming') this.settle(turn, 'done');
    } catch (err) {
      if (turn.status !== 'streaming') {
        // Already stopped by cancel(): the abort's error is the expected end.
      } else if (controller.signal.aborted) {
        this.settle(turn, 'stopped');
      } else {
        const e = explain(err, { ...s, model: turn.model, region: turn.region, reasoningEffort: turn.effort ?? s.reasoningEffort });
        if (e.code === 'cancelled') {
          this.settle(turn, 'stopped');
        } else {
          this.log.error(`Ask ${requestId} failed [${e.code}] ${e.message}`);
          this.fail(turn, e.message, e.actions);
        }
      }
    } finally {
      this.inflight.delete(requestId);
      this.persistNow();
      finish();
    }
  }

  /**
   * One client per region, endpoint and proxy (VS Code's http.proxy can change): the token provider is called
   * before every request, so it stays fresh.
   */
  private clientFor(core: Core, region: string, endpoint: string | undefined): ReturnType<Core['createClient']> {
    const env = this.config.clientEnv();
    const key = `${region}\n${endpoint ?? ''}\n${JSON.stringify(env)}`;
    if (this.client?.key !== key) this.client = { key, client: core.createClient({ region, endpoint, tokenProvider: this.tokens.tokenProvider, env }) };
    return this.client.client;
  }

  private settle(turn: ChatTurn, status: 'done' | 'stopped'): void {
    turn.status = status;
    if (status === 'stopped') {
      this.log.info(`Ask ${turn.requestId} stopped after ${turn.answer.length} characters.`);
      this.post({ type: 'done', requestId: turn.requestId, stopped: true });
    } else {
      this.post({ type: 'done', requestId: turn.requestId });
    }
    this.persistNow();
  }

  /** Ends the turn with an error the webview shows under the question (kept, so it can be retried). */
  private fail(turn: ChatTurn, message: string, actions: ErrorAction[]): void {
    turn.status = 'error';
    turn.error = { message, actions };
    turn.usage = undefined;
    this.post({ type: 'error', requestId: turn.requestId, message, actions });
  }

  private postTurnStarted(t: ChatTurn): void {
    this.post({ type: 'turnStarted', requestId: t.requestId, question: t.question, code: t.code, model: t.model, region: t.region, effort: t.effort });
  }

  private post(message: ExtensionMessage): void {
    this._onDidPost.fire(message);
  }

  // --- persistence ------------------------------------------------------------------------------------

  private load(): Conversation {
    const saved = this.storage.get<PersistedChat>(CHAT_STATE_KEY);
    if (!saved || saved.version !== 1 || !Array.isArray(saved.conversation?.turns)) return { id: randomUUID(), turns: [] };
    this.origins = new Map(Object.entries(saved.origins ?? {}));
    // An answer that was streaming when the window went away will never finish: keep it as stopped.
    for (const t of saved.conversation.turns) if (t.status === 'streaming') t.status = 'stopped';
    return saved.conversation;
  }

  private persistSoon(): void {
    this.persistTimer ??= setTimeout(() => this.persistNow(), PERSIST_INTERVAL_MS);
  }

  private persistNow(): void {
    if (this.persistTimer) clearTimeout(this.persistTimer);
    this.persistTimer = undefined;
    const data: PersistedChat = { version: 1, conversation: this.conversation, origins: Object.fromEntries(this.origins) };
    void Promise.resolve(this.storage.update(CHAT_STATE_KEY, data)).catch((err: unknown) => this.log.error('Could not save the conversation', err));
  }

  private disposeInflight(): void {
    for (const { controller } of this.inflight.values()) controller.abort();
    this.inflight.clear();
    if (this.persistTimer) {
      clearTimeout(this.persistTimer);
      this.persistTimer = undefined;
    }
  }
}

/** Answered or stopped turns with some answer go out as history; failed ones never do. */
function isHistory(t: ChatTurn): boolean {
  return (t.status === 'done' || t.status === 'stopped') && t.answer.trim() !== '';
}

/** The panel's picker: the configured defaults, the known models (plus a custom configured one), all efforts. */
export function panelSettings(s: BedrockGptSettings): PanelSettings {
  const models = KNOWN_MODELS.map((m) => ({ id: m.id, label: m.label }));
  if (!models.some((m) => m.id === s.model)) models.push({ id: s.model, label: s.model });
  return { model: s.model, region: s.region, effort: s.reasoningEffort, models, efforts: [...REASONING_EFFORTS] };
}

function toCodeContext(code: TurnCode | undefined) {
  return code && { code: code.text, languageId: code.languageId, fileName: code.fileName, startLine: code.startLine, endLine: code.endLine };
}

/** Earlier turns exactly as they were sent (same user message text, so the service's prompt cache still hits). */
function toHistory(turns: ChatTurn[], userMessage: Core['userMessage']): Array<{ role: 'user' | 'assistant'; content: string }> {
  const out: Array<{ role: 'user' | 'assistant'; content: string }> = [];
  for (const t of turns) {
    out.push({ role: 'user', content: userMessage(t.question, toCodeContext(t.code)) });
    out.push({ role: 'assistant', content: t.answer });
  }
  return out;
}

/** A turn's question with its code, for estimating its size (the budget check). */
export function userMessageText(t: Pick<ChatTurn, 'question' | 'code'>): string {
  return t.code ? `${t.question}\n${t.code.text}` : t.question;
}
