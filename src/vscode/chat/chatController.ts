import * as vscode from 'vscode';
import { Conversation, type AskRequest, type ConversationHost, type KeyValueStore } from '../../core/conversation';
import type { ConversationStore } from '../../core/conversationStore';
import type { CostLedger } from '../../core/costLedger';
import { exportMarkdown } from '../../core/exportMarkdown';
import { wasOffered } from '../../core/webviewMessage';
import { panelSettings } from '../../core/modelChoices';
import { assertNever, type ChatTurn, type WebviewMessage } from '../../shared/protocol';
import type { Configuration } from '../configuration';
import { CHAT_VIEW_TYPE, ChatCommandIds, type ChatCommandId } from '../constants';
import type { ErrorActions } from '../errorActions';
import { Disposable } from '../lifecycle';
import { unawaited, type Log } from '../log';
import type { TokenController } from '../tokenController';
import { budgetDialog } from './budgetDialog';
import { contextOptions, EditorMemory } from './contextSources';
import { readContext } from './contextReader';
import { ChatPanel, type ChatPanelHost, type StateMessage } from './chatPanel';
import { quickActionPrompt, selectionTarget, type ChatUi, type QuickAction } from './editorTarget';
import { insertCode, openLink, openLocation } from './answerActions';
import { HistoryActions } from './historyActions';
import { PromptConsent } from './promptConsent';
import { ProposedChanges } from './proposedChange';
import { reviewChanges, type ReviewDeps } from './reviewChanges';
import { observedUi, type ObservedUi, type ShownMessage } from './observedUi';

export interface ChatControllerOptions {
  ui?: ChatUi;
  openExternal?: (uri: vscode.Uri) => Thenable<boolean>;
  /** The session's spend: the panel's answers go in, and the header shows what VS Code's chat added. */
  ledger?: CostLedger;
  /** workspaceState: where the decision on the workspace's developer prompt is kept (none: never sent). */
  workspaceState?: KeyValueStore;
  /** The extension runs for tests (ExtensionMode.Test): the panel records what it delivers for the test API. */
  recordsForTests?: boolean;
}

/**
 * The chat: its commands, the one panel (created, revealed, revived) and every message the panel sends. The
 * conversation itself is core's; Apply as diff is ProposedChanges'; error buttons go to ErrorActions.
 */
export class ChatController extends Disposable implements ChatPanelHost {
  readonly conversation: Conversation;
  readonly recordsForTests: boolean;
  readonly proposed: ProposedChanges;
  /** The workspace's developer prompt: sent only once the user allowed it (the panel asks). */
  readonly promptConsent: PromptConsent;
  private panel: ChatPanel | undefined;
  private readonly ui: ObservedUi;
  /** Every information, warning or error message the chat shows (the test API's window onto them). */
  private readonly _onDidShowMessage = this._register(new vscode.EventEmitter<ShownMessage>());
  readonly onDidShowMessage = this._onDidShowMessage.event;
  private readonly openExternal: (uri: vscode.Uri) => Thenable<boolean>;
  private readonly ledger: CostLedger | undefined;
  private readonly editors = this._register(new EditorMemory());
  private readonly historyActions: HistoryActions;

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly config: Configuration,
    private readonly tokens: TokenController,
    private readonly errorActions: ErrorActions,
    /** Every conversation of the workspace, one file each; the one to resume. */
    readonly history: ConversationStore,
    private readonly log: Log,
    options: ChatControllerOptions = {},
  ) {
    super();
    this.ui = observedUi(options.ui ?? vscode.window, this._onDidShowMessage);
    this.recordsForTests = options.recordsForTests ?? false;
    this.openExternal = options.openExternal ?? ((uri) => vscode.env.openExternal(uri));
    const consent = (this.promptConsent = this._register(new PromptConsent(config, options.workspaceState, log)));
    this._register(consent.onDidChange(() => this.panel?.post({ type: 'workspacePrompt', prompt: consent.choice().workspace })));
    const host: ConversationHost = {
      settings: () => consent.apply(config.snapshot()),
      connect: (region, endpoint) => tokens.chatClient(region, endpoint),
      describeError: (err, s) => errorActions.describeIn(err, s),
      gate: (turn, verdict) => budgetDialog(this.ui, turn, verdict),
    };
    this.conversation = new Conversation(host, history, log);
    this._register(this.conversation);
    this._register(this.conversation.onDidPost((m) => this.panel?.post(m)));
    this.proposed = this._register(new ProposedChanges(this.conversation, this.ui, log));
    this.historyActions = new HistoryActions(history, this.conversation, this.ui, () => this.panel);
    const ledger = (this.ledger = options.ledger);
    if (ledger) {
      this._register(this.conversation.onDidPost((m) => {
        if (m.type === 'usage') ledger.add('panel', this.conversation.turn(m.requestId)?.model ?? '', m.usage);
      }));
      this._register(ledger.onDidChange(() => this.panel?.post(this.panelState(false))));
    }
    this._register(
      config.onDidChange((e) => {
        if (e.affects('model') || e.affects('region') || e.affects('reasoningEffort')) this.panel?.post(this.panelState(false));
      }),
    );
    this._register({ dispose: () => this.panel?.dispose() });
    this._register(
      vscode.window.registerWebviewPanelSerializer(CHAT_VIEW_TYPE, {
        deserializeWebviewPanel: async (panel) => {
          this.panel?.dispose();
          this.adopt(ChatPanel.revive(panel, this.extensionUri, this));
        },
      }),
    );

    const handlers: Record<ChatCommandId, (...args: unknown[]) => Promise<unknown>> = {
      [ChatCommandIds.askAboutSelection]: (question) => this.askAboutSelection(typeof question === 'string' ? question : undefined),
      [ChatCommandIds.ask]: (prompt) => this.askFree(typeof prompt === 'string' ? prompt : undefined),
      [ChatCommandIds.explainSelection]: () => this.quickAction('explain'),
      [ChatCommandIds.findBugs]: () => this.quickAction('findBugs'),
      [ChatCommandIds.writeTests]: () => this.quickAction('writeTests'),
      [ChatCommandIds.refactorSelection]: () => this.quickAction('refactor'),
      [ChatCommandIds.openChat]: async () => this.showPanel(false),
      [ChatCommandIds.newChat]: () => this.newChat(),
      [ChatCommandIds.exportChat]: () => this.exportChat(),
      [ChatCommandIds.reviewChanges]: (arg) => this.reviewChanges(arg),
      // From a diff tab's title, the command gets the URI of that tab's right side: that proposal is meant.
      [ChatCommandIds.acceptDiff]: (uri) => this.proposed.accept(uri instanceof vscode.Uri ? uri : undefined),
      [ChatCommandIds.discardDiff]: (uri) => this.proposed.discard(uri instanceof vscode.Uri ? uri : undefined),
      [ChatCommandIds.acceptAllChanges]: (uri) => this.proposed.acceptAll(uri instanceof vscode.Uri ? uri : undefined),
    };
    for (const [id, handler] of Object.entries(handlers)) {
      // Resolve to undefined: command results are visible to every extension.
      this._register(vscode.commands.registerCommand(id, async (...args: unknown[]) => void (await handler(...args))));
    }
  }

  /** The panel, if it is open. */
  get currentPanel(): ChatPanel | undefined {
    return this.panel;
  }

  /** Ask about the selection (or, when nothing is selected, the whole file if it is small enough). */
  async askAboutSelection(question?: string): Promise<ChatTurn | undefined> {
    const target = await selectionTarget(this.ui, this.config.get('maxSelectionCharacters'));
    if (!target) return undefined;
    let prompt = question;
    if (prompt === undefined) {
      prompt = await this.ui.showInputBox({
        title: vscode.l10n.t('Ask GPT about Selection'),
        prompt: vscode.l10n.t('{0}, lines {1}–{2} ({3})', target.code.fileName, target.code.startLine, target.code.endLine, target.code.languageId),
        placeHolder: vscode.l10n.t('Ask about the selected code… (empty: Explain this code)'),
        ignoreFocusOut: true,
      });
      if (prompt === undefined) return undefined; // Escape
    }
    prompt = prompt.trim() || vscode.l10n.t('Explain this code.');
    return this.send({ prompt, code: target.code, origin: target.origin });
  }

  /** A free question from the palette, no code attached. */
  async askFree(promptArg?: string): Promise<ChatTurn | undefined> {
    const prompt = promptArg ?? (await this.ui.showInputBox({ title: vscode.l10n.t('Ask GPT'), placeHolder: vscode.l10n.t('Ask anything…'), ignoreFocusOut: true }));
    if (!prompt?.trim()) return undefined;
    return this.send({ prompt: prompt.trim() });
  }

  async quickAction(action: QuickAction): Promise<ChatTurn | undefined> {
    const target = await selectionTarget(this.ui, this.config.get('maxSelectionCharacters'));
    if (!target) return undefined;
    return this.send({ prompt: quickActionPrompt(action, target), code: target.code, origin: target.origin });
  }

  /** Until disposed, the chat's dialogs (the budget's "Send it?" among them) are answered by `answers` (the test API's). */
  answerDialogs(answers: Partial<ChatUi>): vscode.Disposable {
    return this.ui.answerWith(answers);
  }

  /** Review Changes (see reviewChanges.ts); `arg` may name the scope and skip the pickers; tests may answer the dialogs (`answers`). */
  reviewChanges(arg?: unknown, answers?: Pick<ReviewDeps, 'ui' | 'pick'>): Promise<ChatTurn | undefined> {
    return reviewChanges({ config: this.config, log: this.log, ui: this.ui, ask: (req) => this.send(req), countTokens: async () => (await this.tokens.core()).countTokens, ...answers }, arg);
  }

  async exportChat(): Promise<vscode.TextDocument> {
    const doc = await vscode.workspace.openTextDocument({ language: 'markdown', content: exportMarkdown(this.conversation.snapshot()) });
    await vscode.window.showTextDocument(doc, { preview: false });
    return doc;
  }

  /** Shows the panel, creating it if needed. */
  showPanel(preserveFocus: boolean): ChatPanel {
    if (this.panel) {
      this.panel.reveal(preserveFocus);
      return this.panel;
    }
    return this.adopt(ChatPanel.create(this.extensionUri, this, { preserveFocus }));
  }

  // --- ChatPanelHost -------------------------------------------------------------------------------------

  panelState(withConversation: boolean): StateMessage {
    const settings = panelSettings(this.config.snapshot());
    const lm = this.ledger?.total('languageModel');
    const elsewhere = lm && { tokens: lm.tokens, dollars: lm.dollars };
    const workspacePrompt = this.promptConsent.choice().workspace;
    return withConversation
      ? { type: 'state', conversation: this.conversation.snapshot(), settings, elsewhere, workspacePrompt }
      : { type: 'state', settings, elsewhere, workspacePrompt };
  }

  async handleMessage(message: Exclude<WebviewMessage, { type: 'ready' }>): Promise<void> {
    const c = this.conversation;
    try {
      switch (message.type) {
        case 'ask': {
          const read = message.context?.length ? await readContext(message.context) : undefined;
          if (read && 'refusal' in read) {
            this.log.info(`Ask ${message.requestId} not sent: ${read.refusal}`);
            return this.panel?.post({ type: 'askRefused', requestId: message.requestId, message: read.refusal });
          }
          await c.ask({ requestId: message.requestId, prompt: message.prompt, model: message.model, effort: message.effort, context: read?.items });
          return;
        }
        case 'contextQuery':
          return this.panel?.post({ type: 'contextOptions', source: message.source, query: message.query, options: await contextOptions(message.source, message.query, this.editors.editor) });
        case 'cancel':
          return c.cancel(message.requestId);
        case 'retry':
          // A click: after a failed credential resolution it resolves again, whatever the back-off says.
          if (this.tokens.state.kind === 'error') await this.tokens.refresh().catch((err: unknown) => this.log.info(`Retry: the token refresh failed (${String((err as Error)?.name)}).`));
          await c.askAgain(message.requestId);
          return;
        case 'copy':
          return vscode.env.clipboard.writeText(message.code);
        case 'insert':
          await insertCode(c.origin(message.requestId), message.code, this.ui, this.log);
          return;
        case 'applyDiff':
          await this.proposed.propose(message.requestId, message.code);
          return;
        case 'applyChangeSet':
          await this.proposed.proposeSet(message.requestId);
          return;
        case 'openLink':
          return openLink(message.href, this.ui, this.openExternal);
        case 'newChat':
          return this.newChat();
        case 'exportChat':
          await this.exportChat();
          return;
        case 'reviewChanges':
          return void (await this.reviewChanges());
        case 'action':
          // Only a button this turn's error offered: a message naming another profile or region is ignored.
          if (!wasOffered(message.action, c.turn(message.requestId)?.error?.actions)) {
            this.log.warn(`Ignored an error action the panel was not offered (${message.action.kind}).`);
            return;
          }
          return this.errorActions.run(message.action, { askAgain: () => c.askAgain(message.requestId) });
        case 'listHistory':
        case 'openConversation':
        case 'renameConversation':
        case 'deleteConversation':
          return this.historyActions.handle(message);
        case 'openLocation':
          await openLocation(message, this.ui);
          return;
        case 'workspacePrompt':
          return this.promptConsent.decide(message.hash, message.allow);
        default:
          assertNever(message, 'webview message');
      }
    } catch (err) {
      this.log.error(`Handling ${message.type} failed`, err);
      unawaited(this.ui.showErrorMessage(this.errorActions.describe(err).message), 'showing a message');
    }
  }

  /** Starts a new conversation; the one before stays in the history. */
  async newChat(): Promise<void> {
    await this.conversation.clear();
    await this.historyActions.post();
  }

  /** Deletes a kept conversation (its file); deleting the open one starts a new chat. */
  deleteConversation(id: string): Promise<boolean> {
    return this.historyActions.delete(id);
  }

  private async send(req: AskRequest): Promise<ChatTurn> {
    this.showPanel(true);
    return this.conversation.ask(req);
  }

  private adopt(panel: ChatPanel): ChatPanel {
    this.panel = panel;
    panel.onDidDispose(() => {
      if (this.panel === panel) this.panel = undefined;
    });
    return panel;
  }
}
