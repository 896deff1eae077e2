/** The chat panel: owns the DOM, the conversation data, and the dispatch of protocol messages. */
import { assertNever, UI_STRINGS_EN, type ChatTurn, type Conversation, type ExtensionMessage, type PanelSettings,
  type SpentElsewhere, type UiStrings, type WebviewMessage, type WebviewPersistedState } from '../shared/protocol';
import type { ReasoningEffort } from '../core/types';
import { applyTheme, decorateCode, fillPickers } from './codeBlocks';
import { ContextBar } from './contextBar';
import { logClick } from './logClicks';
import { h } from './dom';
import { LINK_CLASS, LOCATION_CLASS } from './markdown';
import { ScrollFollower } from './scrollFollower';
import { sessionTotal } from './sessionTotal';
import { HistoryView } from './historyView';
import { NoticesView } from './noticesView';
import { TurnView } from './turnView';
import { QuickActions } from './changeSetBar';

export interface VsCodeApi {
  postMessage(message: WebviewMessage): void;
  getState(): WebviewPersistedState | undefined;
  setState(state: WebviewPersistedState): void;
}

/** Streamed text is not saved as it arrives (a save is the whole conversation as one string): the next structural
 *  change (the answer's end, Stop, an error) saves it, and on `ready` the extension resends all that streamed. A draft
 *  is saved at most this often while it is typed, and at most this long after. */
const DRAFT_SAVE_INTERVAL_MS = 1000;

export class ChatApp {
  private strings: UiStrings = UI_STRINGS_EN;
  private settings: PanelSettings | undefined;
  private conversation: Conversation = { id: crypto.randomUUID(), turns: [] };
  private readonly views = new Map<string, TurnView>();
  private readonly dirtyViews = new Set<TurnView>();
  private frameRequested = false;
  private saveTimer: ReturnType<typeof setTimeout> | undefined;
  private saveSoon = false;

  private readonly title = h('h1', { class: 'title' });
  private readonly sessionTotal = h('span', { class: 'session-total' });
  /** Spent this session outside the panel, through the language-model provider (VS Code's Chat and others). */
  private elsewhere: SpentElsewhere = { tokens: 0, dollars: 0 };
  private readonly newChatButton = h('button', { class: 'new-chat', attrs: { type: 'button' } });
  private readonly exportButton = h('button', { class: 'export-chat', attrs: { type: 'button' } });
  private readonly historyButton = h('button', { class: 'history-toggle', attrs: { type: 'button', 'aria-expanded': 'false' } });
  private readonly history = new HistoryView((m) => this.post(m), () => this.strings);
  private readonly notices = new NoticesView((m) => this.post(m), () => this.strings);
  private readonly quickActions = new QuickActions((m) => this.post(m));
  private readonly log = h('main', { class: 'log', attrs: { 'aria-live': 'polite' } });
  private readonly empty = h('div', { class: 'empty-hint' });
  private readonly jumpButton = h('button', { class: 'jump-latest', attrs: { type: 'button' } });
  private readonly modelPicker = h('select', { class: 'model-picker' });
  private readonly effortPicker = h('select', { class: 'effort-picker' });
  private readonly input = h('textarea', { class: 'prompt-input', attrs: { rows: '2', role: 'combobox' } });
  /** The `@` picker and chips; made before the input's Enter-to-send listener, so an open picker takes Enter first. */
  private readonly context = new ContextBar(this.input, (m) => this.post(m), () => this.strings);
  private readonly sendButton = h('button', { class: 'send', attrs: { type: 'button' } });
  private readonly stopButton = h('button', { class: 'stop composer-stop', attrs: { type: 'button' } });
  private readonly follower: ScrollFollower;

  constructor(root: HTMLElement, private readonly vscode: VsCodeApi) {
    const header = h('header', { class: 'header' }, this.title, this.sessionTotal,
      h('span', { class: 'header-actions' }, this.quickActions.element, this.historyButton, this.newChatButton, this.exportButton));
    const pickers = h('div', { class: 'pickers' }, this.modelPicker, this.effortPicker);
    const composer = h('footer', { class: 'composer' }, pickers, this.context.element,
      h('div', { class: 'composer-row' }, this.input, this.sendButton, this.stopButton));
    root.replaceChildren(header, this.history.element, this.notices.element, h('div', { class: 'log-wrap' }, this.log, this.jumpButton), composer);
    this.follower = new ScrollFollower(this.log, this.jumpButton);

    this.log.addEventListener('click', (e) => this.onLogClick(e));
    this.log.addEventListener('keydown', (e) => {
      if (e.key === 'Enter' && e.target instanceof HTMLElement && (e.target.classList.contains(LINK_CLASS) || e.target.classList.contains(LOCATION_CLASS))) this.onLogClick(e);
    });
    this.newChatButton.addEventListener('click', () => this.post({ type: 'newChat' }));
    this.exportButton.addEventListener('click', () => this.post({ type: 'exportChat' }));
    this.historyButton.addEventListener('click', () => {
      this.history.toggle();
      this.historyButton.setAttribute('aria-expanded', String(this.history.visible));
    });
    this.sendButton.addEventListener('click', () => this.send());
    this.stopButton.addEventListener('click', () => this.stopStreaming());
    this.input.addEventListener('keydown', (e) => {
      // isComposing: Enter also confirms an IME candidate (Japanese input) and must not send then.
      if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
        e.preventDefault();
        this.send();
      }
    });
    this.input.addEventListener('input', () => this.persist(false));

    const saved = vscode.getState();
    if (saved?.conversation) this.conversation = saved.conversation;
    if (saved?.settings) this.settings = saved.settings;
    if (saved?.strings) this.strings = { ...UI_STRINGS_EN, ...saved.strings };
    if (saved?.draft) this.input.value = saved.draft;
    this.context.restore(saved?.chips);
    this.renderAll();
  }

  /** One exhaustive dispatch over everything the extension sends. */
  handle(message: ExtensionMessage): void {
    switch (message.type) {
      case 'state': {
        if (message.strings) this.strings = { ...UI_STRINGS_EN, ...message.strings };
        this.settings = message.settings;
        if (message.conversation) { this.conversation = message.conversation; this.context.release(); }
        if (message.theme) applyTheme(message.theme);
        if (message.elsewhere) this.elsewhere = message.elsewhere;
        this.renderAll();
        this.notices.handle(message, this.conversation);
        this.persist(true);
        return;
      }
      case 'turnStarted': {
        const { requestId, question, code, model, region, effort } = message;
        const view = this.views.get(requestId);
        if (this.context.started(requestId)) this.follower.jumpToLatest();
        if (view) view.update({ question, code, model, region, effort });
        else this.addTurn({ requestId, question, code, context: message.context, model, region, effort, answer: '', reasoning: '', status: 'streaming' });
        this.afterStructuralChange();
        return;
      }
      case 'start':
        this.views.get(message.requestId)?.restart();
        this.afterStructuralChange();
        return;
      case 'delta': {
        const view = this.streamingView(message.requestId);
        if (view) {
          view.appendAnswer(message.text);
          this.scheduleFlush(view);
        }
        return;
      }
      case 'reasoningDelta': {
        const view = this.streamingView(message.requestId);
        view?.appendReasoning(message.text);
        if (view) this.scheduleFlush(view);
        return;
      }
      case 'usage': {
        const { type: _type, requestId, ...usage } = message;
        this.views.get(requestId)?.setUsage(usage);
        this.afterStructuralChange();
        return;
      }
      case 'done':
        this.views.get(message.requestId)?.end(message.stopped ? 'stopped' : 'done');
        this.afterStructuralChange();
        return;
      case 'error':
        this.views.get(message.requestId)?.fail(message.message, message.actions, message.notKept);
        this.afterStructuralChange();
        return;
      case 'history':
        this.history.show(message.conversations, message.currentId, message.query);
        return;
      case 'workspacePrompt':
      case 'contextNotice':
        return this.notices.handle(message, this.conversation);
      case 'contextOptions':
      case 'askRefused':
        return this.context.handle(message);
      default:
        assertNever(message, 'message');
    }
  }

  private post(message: WebviewMessage): void { this.vscode.postMessage(message); }
  private streamingView(requestId: string): TurnView | undefined {
    const view = this.views.get(requestId);
    return view?.isStreaming ? view : undefined;
  }

  private scheduleFlush(view: TurnView): void {
    this.dirtyViews.add(view);
    if (this.frameRequested) return;
    this.frameRequested = true;
    requestAnimationFrame(() => this.flush());
  }

  /** Deltas are coalesced: one render per animation frame however many arrived. */
  private flush(): void {
    this.frameRequested = false;
    let changed = false;
    for (const view of this.dirtyViews) changed = view.flush() || changed;
    this.dirtyViews.clear();
    if (changed) this.follower.contentChanged();
  }

  private afterStructuralChange(): void {
    for (const view of this.dirtyViews) view.flush();
    this.dirtyViews.clear();
    this.updateChrome();
    this.follower.contentChanged();
    this.persist(true);
  }

  private addTurn(turn: ChatTurn): TurnView {
    this.conversation.turns.push(turn);
    const view = this.createView(turn);
    this.log.append(view.element);
    return view;
  }

  private createView(turn: ChatTurn): TurnView {
    const view = new TurnView(turn, { strings: this.strings, decorate: (f) => decorateCode(this.strings, f) });
    this.views.set(turn.requestId, view);
    return view;
  }

  private renderAll(): void {
    const s = this.strings;
    this.title.textContent = s.title;
    [this.newChatButton.textContent, this.exportButton.textContent, this.historyButton.textContent] = [s.newChat, s.exportChat, s.history];
    this.history.render();
    this.quickActions.render(s);
    this.jumpButton.textContent = `${s.jumpToLatest} ↓`;
    [this.sendButton.textContent, this.stopButton.textContent] = [s.send, s.stop];
    this.input.placeholder = s.inputPlaceholder;
    this.input.setAttribute('aria-label', this.input.placeholder);
    this.empty.textContent = s.emptyHint;
    fillPickers(this.modelPicker, this.effortPicker, this.settings, s);

    this.views.clear();
    this.dirtyViews.clear();
    this.log.replaceChildren(this.empty, ...this.conversation.turns.map((t) => this.createView(t).element));
    this.updateChrome();
    this.follower.jumpToLatest();
  }

  /** Header total, empty hint, composer state. */
  private updateChrome(): void {
    const total = sessionTotal(this.conversation.turns, this.elsewhere, this.strings);
    this.sessionTotal.textContent = total.text;
    this.sessionTotal.title = total.title;
    this.empty.hidden = this.conversation.turns.length > 0;
    const streaming = this.activeView() !== undefined;
    this.sendButton.hidden = streaming;
    this.stopButton.hidden = !streaming;
  }

  private activeView(): TurnView | undefined {
    for (const view of this.views.values()) if (view.isStreaming) return view;
    return undefined;
  }

  private send(): void {
    const prompt = this.input.value.trim();
    if (!prompt || this.activeView() || this.context.pending) return;
    const requestId = crypto.randomUUID();
    const model = this.modelPicker.value || undefined;
    const effort = (this.effortPicker.value || undefined) as ReasoningEffort | undefined;
    const context = this.context.take(requestId);
    this.post({ type: 'ask', requestId, prompt, model, effort, ...(context && { context }) });
    if (context) return; // a turn once the extension has read the items (turnStarted); askRefused keeps all as it is
    // Shown at once; `turnStarted` fills in what the extension resolved (region, code).
    this.addTurn({
      requestId, question: prompt, model: model ?? this.settings?.model ?? '', region: this.settings?.region ?? '',
      effort: effort ?? this.settings?.effort, answer: '', reasoning: '', status: 'streaming',
    });
    this.input.value = this.modelPicker.value = this.effortPicker.value = '';
    this.follower.jumpToLatest();
    this.afterStructuralChange();
  }

  /** Stops at once: the partial answer stays, marked stopped; the extension aborts the request. */
  private stopStreaming(requestId = this.activeView()?.requestId): void {
    if (!requestId) return;
    const view = this.views.get(requestId);
    if (!view?.isStreaming) return;
    this.post({ type: 'cancel', requestId });
    view.flush();
    view.end('stopped');
    this.afterStructuralChange();
  }

  private onLogClick(e: Event): void {
    const click = logClick(e, (id) => this.views.get(id)?.turn, this.strings);
    if (!click) return;
    if ('stop' in click) this.stopStreaming(click.stop);
    else this.post(click.message);
  }

  /** Saves to vscode's state: at once after structural changes; a draft, within a second (see above). */
  private persist(soon: boolean): void {
    if (this.saveTimer !== undefined) {
      if (!soon || this.saveSoon) return;
      clearTimeout(this.saveTimer);
    }
    this.saveSoon = soon;
    this.saveTimer = setTimeout(() => {
      this.saveTimer = undefined;
      this.vscode.setState({ conversation: { ...this.conversation, turns: this.conversation.turns.filter((t) => !t.notKept) }, settings: this.settings, strings: this.strings, draft: this.input.value, chips: this.context.saved });
    }, soon ? 0 : DRAFT_SAVE_INTERVAL_MS);
  }
}
