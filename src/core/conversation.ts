/**
 * The conversation: its turns, which earlier turns go out as history, how it is kept between sessions, and each
 * ask's stream. Plain TypeScript on core's Emitter; what only a front end has (the settings, the client from the
 * lazily loaded core, the words of an error, a confirmation dialog) comes in through ConversationHost.
 */
import { randomUUID } from 'node:crypto';
import { budgetRefusal, judge, newTurn, planAsk, promptCacheKeyOf, type Planned } from './askPlan';
import { isHistory, type AskClient, type AskCore } from './chatRequest';
import type { AskRequest, ChatStorage, ConversationHost, ConversationLog, KeyValueStore, PersistedChat, TurnOrigin, WordedError } from './conversationHost';
import { cacheSavings, costOf } from './cost';
import { Emitter } from './events';
import { restoreChat } from './keyValueStorage';
import { panelSettings } from './modelChoices';
import type { BudgetVerdict } from './contextBudget';
import type { BedrockGptSettings } from './settings';
import { refusalMessages, turnStarted } from './turnMessages';
import { assertNever, type ChatTurn, type Conversation as ConversationData, type ExtensionMessage } from '../shared/protocol';

export type { AskClient, AskCore, AskRequest, ChatStorage, ConversationHost, ConversationLog, KeyValueStore, PersistedChat, TurnOrigin, WordedError };
export { promptCacheKeyOf };
export { CHAT_STATE_KEY, keyValueStorage } from './keyValueStorage';

/** While an answer streams, the conversation is written at most this often (and always when it ends). */
const PERSIST_INTERVAL_MS = 5000;
/** Refused questions held for their Retry button (the latest ones; older ones are asked again by typing). */
const MAX_REFUSED_HELD = 5;

/**
 * Each ask gets a request id, an AbortController, a snapshot of the settings (with the per-ask override), a
 * client, and streams its events out as protocol messages (`onDidPost`), which the panel forwards.
 */
export class Conversation {
  private readonly _onDidPost = new Emitter<ExtensionMessage>();
  /** Every message for the webview, in order. */
  readonly onDidPost = this._onDidPost.event;
  private data: ConversationData;
  private origins = new Map<string, TurnOrigin>();
  private readonly inflight = new Map<string, { controller: AbortController; finished: Promise<void> }>();
  /** Asks still being counted (no turn yet): Stop aborts them, and the turn is kept stopped, nothing sent. */
  private readonly planning = new Map<string, AbortController>();
  private persistTimer: ReturnType<typeof setTimeout> | undefined;
  private createdAt = Date.now();
  /** Refused questions (never turns), the latest few, for Retry; in memory only. */
  private readonly refused = new Map<string, AskRequest>();
  private readonly now: () => number;

  constructor(
    private readonly host: ConversationHost,
    private readonly storage: ChatStorage,
    private readonly log: ConversationLog,
  ) {
    this.now = host.now ?? (() => performance.now());
    ({ data: this.data, origins: this.origins, createdAt: this.createdAt } = restoreChat(storage.current()));
  }

  /** The conversation's id (its file in the history, its prompt_cache_key). */
  get id(): string {
    return this.data.id;
  }

  /** Switches to a kept conversation: whatever streams stops and is saved first; the panel is told. */
  async open(chat: PersistedChat): Promise<void> {
    await this.cancelAll();
    this.persistNow();
    ({ data: this.data, origins: this.origins, createdAt: this.createdAt } = restoreChat(chat));
    this.persistNow();
    this.post({ type: 'state', conversation: this.snapshot(), settings: panelSettings(this.host.settings()) });
  }

  /** A copy of the conversation (the panel's `state`, the export, tests). */
  snapshot(): ConversationData {
    return structuredClone(this.data);
  }

  get turns(): readonly ChatTurn[] {
    return this.data.turns;
  }

  turn(requestId: string): ChatTurn | undefined {
    return this.data.turns.find((t) => t.requestId === requestId);
  }

  origin(requestId: string): TurnOrigin | undefined {
    return this.origins.get(requestId);
  }

  /** The origin a follow-up inherits: that of the latest turn that had one. */
  latestOrigin(): TurnOrigin | undefined {
    for (let i = this.data.turns.length - 1; i >= 0; i--) {
      const o = this.origins.get(this.data.turns[i].requestId);
      if (o) return o;
    }
    return undefined;
  }

  /** The earlier turns sent as history with the next question (answered or stopped, never failed ones). */
  historyTurns(): ChatTurn[] {
    return this.data.turns.filter(isHistory);
  }

  /**
   * Counts the request, then adds a turn and streams its answer. Resolves with the settled turn; never rejects (a
   * failure stays in the turn). A question over the context budget is shown refused and never kept, saved or sent.
   */
  async ask(req: AskRequest): Promise<ChatTurn> {
    const s = this.host.settings();
    const requestId = req.requestId && !this.turn(req.requestId) ? req.requestId : randomUUID();
    const history = this.historyTurns();
    const turn = newTurn(req, requestId, s);
    const asked = this.data;
    const stop = new AbortController();
    this.planning.set(requestId, stop);
    // Shown at once, Stop button included, while it is counted (an `@` question waits in the panel's box instead).
    if (!turn.context?.length) this.post(turnStarted(turn));
    const plan = await planAsk(this.host, turn, history, s, promptCacheKeyOf(asked.id)).finally(() => this.planning.delete(requestId));
    if (this.data !== asked) return Object.assign(turn, { status: 'stopped' as const }); // a new chat, or another one opened, meanwhile
    if ('verdict' in plan && plan.verdict.kind === 'refuse') return this.refuse(turn, plan.verdict, req);
    this.data.turns.push(turn);
    const origin = req.origin ?? this.latestOrigin();
    if (origin) this.origins.set(requestId, origin);
    if (turn.context?.length) this.post(turnStarted(turn));
    this.persistSoon();
    await this.run(turn, plan, s, stop);
    return turn;
  }

  /** Asks the turn's question again with the history it had, its model and effort, and the region now set. */
  async askAgain(requestId: string): Promise<ChatTurn | undefined> {
    const turn = this.turn(requestId);
    // A refused question is not a turn: Retry asks it again, counted again (the settings may have changed).
    if (!turn) {
      const req = this.refused.get(requestId);
      this.refused.delete(requestId); // taken: a second click while it is counted asks nothing twice
      return req ? this.ask({ ...req, requestId }) : undefined;
    }
    await this.cancel(requestId);
    const s = this.host.settings();
    const history = this.data.turns.slice(0, this.data.turns.indexOf(turn)).filter(isHistory);
    turn.region = s.region;
    // The webview shows the region under the question: after a region switch it must show the new one.
    this.post(turnStarted(turn));
    await this.run(turn, planAsk(this.host, turn, history, s, promptCacheKeyOf(this.data.id)), s);
    return turn;
  }

  /** Stops at once: the request is aborted, the partial answer stays, marked stopped. */
  async cancel(requestId: string): Promise<void> {
    const running = this.inflight.get(requestId);
    this.planning.get(requestId)?.abort();
    if (!running) return;
    const turn = this.turn(requestId);
    running.controller.abort();
    if (turn && turn.status === 'streaming') this.settle(turn, 'stopped');
    await running.finished;
  }

  async cancelAll(): Promise<void> {
    for (const stop of this.planning.values()) stop.abort();
    await Promise.all([...this.inflight.keys()].map((id) => this.cancel(id)));
  }

  /** Starts over: stops whatever streams, forgets the conversation, tells the panel. */
  async clear(): Promise<void> {
    await this.cancelAll();
    this.persistNow();
    this.data = { id: randomUUID(), turns: [] };
    this.origins.clear();
    this.refused.clear();
    this.createdAt = Date.now();
    this.persistNow();
    this.post({ type: 'state', conversation: this.snapshot(), settings: panelSettings(this.host.settings()) });
  }

  dispose(): void {
    for (const controller of [...this.planning.values(), ...[...this.inflight.values()].map((r) => r.controller)]) controller.abort();
    this.inflight.clear();
    if (this.persistTimer) clearTimeout(this.persistTimer);
    this.persistTimer = undefined;
    this._onDidPost.dispose();
  }

  /** Streams the turn's answer; a retry plans here, once the turn is in flight (a second click cancels the first). */
  private async run(turn: ChatTurn, planned: Planned | Promise<Planned>, s: BedrockGptSettings, controller = new AbortController()): Promise<void> {
    const { requestId } = turn;
    let finish!: () => void;
    const finished = new Promise<void>((r) => (finish = r));
    this.inflight.set(requestId, { controller, finished });
    Object.assign(turn, { answer: '', reasoning: '', usage: undefined, error: undefined, status: 'streaming' });
    this.post({ type: 'start', requestId });

    let started = this.now();
    let firstTokenMs: number | undefined;
    try {
      const plan = await planned;
      if ('error' in plan) throw plan.error;
      const { core, client, droppedTurns, verdict } = plan;
      controller.signal.throwIfAborted();
      if (droppedTurns !== (this.data.droppedTurns ?? 0)) this.post({ type: 'contextNotice', droppedTurns: (this.data.droppedTurns = droppedTurns) });
      const refusal = await judge(this.host, turn, verdict);
      if (refusal) {
        this.log.info(`Ask ${requestId} not sent [${refusal.code}]: ${refusal.message}`);
        this.fail(turn, refusal);
        return;
      }
      started = this.now(); // a confirmation dialog is the user's time, not the model's
      this.log.info(`Ask ${requestId}: ${turn.model} in ${turn.region} (effort ${turn.effort ?? 'default'}), ${plan.earlierTurns + droppedTurns} earlier turn(s)${droppedTurns ? `, the ${droppedTurns} oldest left out (context)` : ''}.`);
      for await (const event of core.ask(client, { ...plan.request, signal: controller.signal })) {
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
            turn.usage = { usage: event.usage, dollars: cost.dollars, costKnown: cost.known, savedDollars: cacheSavings(event.usage, turn.model), firstTokenMs, totalMs: this.now() - started };
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
        const e = this.host.describeError(err, { ...s, model: turn.model, region: turn.region, reasoningEffort: turn.effort ?? s.reasoningEffort });
        if (e.code === 'cancelled') {
          this.settle(turn, 'stopped');
        } else {
          this.log.error(`Ask ${requestId} failed [${e.code}] ${e.message}`);
          this.fail(turn, e);
        }
      }
    } finally {
      this.inflight.delete(requestId);
      this.persistNow();
      finish();
    }
  }

  /** Over the budget: shown refused (turnMessages.ts), never kept or saved; the latest few are held, for Retry. */
  private async refuse(turn: ChatTurn, verdict: Extract<BudgetVerdict, { kind: 'refuse' }>, req: AskRequest): Promise<ChatTurn> {
    const e = (await judge(this.host, turn, verdict)) ?? budgetRefusal(verdict);
    this.log.info(`Ask ${turn.requestId} not sent [${e.code}]: ${e.message}`);
    this.refused.set(turn.requestId, req);
    for (const id of this.refused.keys()) if (this.refused.size > MAX_REFUSED_HELD) this.refused.delete(id);
    for (const m of refusalMessages(turn, e)) this.post(m);
    return Object.assign(turn, { status: 'error', error: { message: e.message, actions: e.actions } });
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

  /** Ends the turn with an error the webview shows under the question (kept, so it can be asked again). */
  private fail(turn: ChatTurn, e: WordedError): void {
    turn.status = 'error';
    turn.error = { message: e.message, actions: e.actions };
    turn.usage = undefined;
    this.post({ type: 'error', requestId: turn.requestId, message: e.message, actions: e.actions });
  }

  private post(message: ExtensionMessage): void {
    this._onDidPost.fire(message);
  }

  // --- persistence ------------------------------------------------------------------------------------

  private persistSoon(): void {
    this.persistTimer ??= setTimeout(() => this.persistNow(), PERSIST_INTERVAL_MS);
  }

  private persistNow(): void {
    if (this.persistTimer) clearTimeout(this.persistTimer);
    this.persistTimer = undefined;
    const data: PersistedChat = { version: 1, conversation: structuredClone(this.data), origins: Object.fromEntries(this.origins), createdAt: this.createdAt };
    void Promise.resolve(this.storage.save(data)).catch((err: unknown) => this.log.error('Could not save the conversation', err));
  }
}
