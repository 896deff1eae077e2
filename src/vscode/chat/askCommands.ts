import * as path from 'node:path';
import * as vscode from 'vscode';
import { checkBudget, exportMarkdown } from '../../core/contextBudget';
import { formatDollars } from '../../core/cost';
import type { CostLedger } from '../../core/costLedger';
import { displayName } from '../../core/models';
import { assertNever, type ChatTurn, type ErrorAction, type TurnCode, type WebviewMessage } from '../../shared/protocol';
import type { BedrockGptSettings, Configuration } from '../configuration';
import { CHAT_VIEW_TYPE, ChatCommands, DIFF_PENDING_CONTEXT, PROPOSED_SCHEME, type ChatCommandId } from '../constants';
import type { ErrorUi } from '../errorUi';
import { Disposable } from '../lifecycle';
import type { Log } from '../log';
import { ChatPanel, type ChatPanelHost, type StateMessage } from './chatPanel';
import { ChatSession, panelSettings, userMessageText, type AskRequest, type TokenSource, type TurnOrigin } from './chatSession';

/** A file sent whole when nothing is selected must stay under this (about 25k tokens). */
export const WHOLE_FILE_LIMIT_CHARS = 100_000;

type QuickAction = 'explain' | 'findBugs' | 'writeTests' | 'refactor';

/** The parts of `vscode.window` the commands use: injectable so tests can answer the dialogs. */
export type AskUi = Pick<typeof vscode.window, 'showInputBox' | 'showInformationMessage' | 'showWarningMessage' | 'showErrorMessage'>;

export interface AskCommandsOptions {
  ui?: AskUi;
  openExternal?: (uri: vscode.Uri) => Thenable<boolean>;
  /** The session's spend: the panel's answers go in, and the header shows what VS Code's chat added. */
  ledger?: CostLedger;
}

interface PendingDiff {
  target: vscode.Uri;
  range: vscode.Range;
  /** The text the range held when the diff opened; accepting checks it is still there. */
  original: string;
  replacement: string;
  proposed: vscode.Uri;
}

/** What the extension's test API exposes of the chat (kept small). */
export interface ChatTestApi {
  readonly session: ChatSession;
  panel(): ChatPanel | undefined;
  /** As if the panel's webview had posted `message` (Insert, Apply, error buttons, follow-ups). */
  receive(message: WebviewMessage): Promise<void>;
  acceptDiff(): Promise<boolean>;
  discardDiff(): Promise<void>;
}

/**
 * The ask commands, the quick actions, and everything the chat panel asks of the extension (Insert, Apply as
 * diff, links, error buttons). Owns the session and the panel's serializer.
 */
export class AskCommands extends Disposable implements ChatPanelHost, ChatTestApi {
  readonly session: ChatSession;
  private readonly ui: AskUi;
  private readonly openExternal: (uri: vscode.Uri) => Thenable<boolean>;
  private readonly proposed = new Map<string, string>();
  private readonly _onDidChangeProposed = this._register(new vscode.EventEmitter<vscode.Uri>());
  private pending: PendingDiff | undefined;
  private diffSeq = 0;
  private readonly ledger: CostLedger | undefined;

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly config: Configuration,
    tokens: TokenSource,
    private readonly errorUi: ErrorUi,
    storage: vscode.Memento,
    private readonly log: Log,
    options: AskCommandsOptions = {},
  ) {
    super();
    this.ui = options.ui ?? vscode.window;
    this.openExternal = options.openExternal ?? ((uri) => vscode.env.openExternal(uri));
    this.session = this._register(new ChatSession(config, tokens, storage, log, (turn, history, s) => this.budgetGate(turn, history, s)));
    this._register(this.session.onDidPost((m) => ChatPanel.instance?.post(m)));
    const ledger = (this.ledger = options.ledger);
    if (ledger) {
      this._register(this.session.onDidPost((m) => {
        if (m.type === 'usage') ledger.add('panel', this.session.turn(m.requestId)?.model ?? '', m.usage);
      }));
      this._register(ledger.onDidChange(() => ChatPanel.instance?.post(this.panelState(false))));
    }
    this._register(
      config.onDidChange((e) => {
        if (e.affects('model') || e.affects('region') || e.affects('reasoningEffort')) ChatPanel.instance?.post(this.panelState(false));
      }),
    );
    this._register({ dispose: () => ChatPanel.instance?.dispose() });

    this._register(
      vscode.window.registerWebviewPanelSerializer(CHAT_VIEW_TYPE, {
        deserializeWebviewPanel: async (panel) => {
          ChatPanel.revive(panel, this.extensionUri, this);
        },
      }),
    );
    this._register(
      vscode.workspace.registerTextDocumentContentProvider(PROPOSED_SCHEME, {
        onDidChange: this._onDidChangeProposed.event,
        provideTextDocumentContent: (uri) => this.proposed.get(uri.toString()) ?? '',
      }),
    );

    // A diff tab closed by hand drops its pending change (and the Accept / Discard buttons with it).
    this._register(
      vscode.window.tabGroups.onDidChangeTabs((e) => {
        const p = this.pending;
        if (p && e.closed.some((t) => t.input instanceof vscode.TabInputTextDiff && t.input.modified.toString() === p.proposed.toString())) {
          void this.closeDiff(p);
        }
      }),
    );

    const handlers: Record<ChatCommandId, (...args: unknown[]) => Promise<unknown>> = {
      [ChatCommands.askAboutSelection]: (question) => this.askAboutSelection(typeof question === 'string' ? question : undefined),
      [ChatCommands.ask]: (prompt) => this.askFree(typeof prompt === 'string' ? prompt : undefined),
      [ChatCommands.explainSelection]: () => this.quickAction('explain'),
      [ChatCommands.findBugs]: () => this.quickAction('findBugs'),
      [ChatCommands.writeTests]: () => this.quickAction('writeTests'),
      [ChatCommands.refactorSelection]: () => this.quickAction('refactor'),
      [ChatCommands.openChat]: async () => this.showPanel(false),
      [ChatCommands.newChat]: () => this.newChat(),
      [ChatCommands.exportChat]: () => this.exportChat(),
      [ChatCommands.acceptDiff]: () => this.acceptDiff(),
      [ChatCommands.discardDiff]: () => this.discardDiff(),
    };
    for (const [id, handler] of Object.entries(handlers)) {
      // Resolve to undefined: command results are visible to every extension.
      this._register(vscode.commands.registerCommand(id, async (...args: unknown[]) => void (await handler(...args))));
    }
  }

  // --- ChatTestApi --------------------------------------------------------------------------------------

  panel(): ChatPanel | undefined {
    return ChatPanel.instance;
  }

  receive(message: WebviewMessage): Promise<void> {
    if (message.type === 'ready') return Promise.resolve();
    return Promise.resolve(this.handleMessage(message));
  }

  // --- commands -----------------------------------------------------------------------------------------

  /** Ask about the selection (or, when nothing is selected, the whole file if it is small enough). */
  async askAboutSelection(question?: string): Promise<ChatTurn | undefined> {
    const target = await this.selectionTarget();
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
    const prompt =
      promptArg ??
      (await this.ui.showInputBox({ title: vscode.l10n.t('Ask GPT'), placeHolder: vscode.l10n.t('Ask anything…'), ignoreFocusOut: true }));
    if (!prompt?.trim()) return undefined;
    return this.send({ prompt: prompt.trim() });
  }

  async quickAction(action: QuickAction): Promise<ChatTurn | undefined> {
    const target = await this.selectionTarget();
    if (!target) return undefined;
    return this.send({ prompt: quickActionPrompt(action, target), code: target.code, origin: target.origin });
  }

  async newChat(): Promise<void> {
    await this.session.newChat();
  }

  async exportChat(): Promise<vscode.TextDocument> {
    const markdown = exportMarkdown(this.session.snapshot());
    const doc = await vscode.workspace.openTextDocument({ language: 'markdown', content: markdown });
    await vscode.window.showTextDocument(doc, { preview: false });
    return doc;
  }

  showPanel(preserveFocus: boolean): ChatPanel {
    return ChatPanel.createOrShow(this.extensionUri, this, { preserveFocus });
  }

  private async send(req: AskRequest): Promise<ChatTurn> {
    this.showPanel(true);
    return this.session.ask(req);
  }

  /** The selection of the active editor as a question's code; the whole file (asked first) when it is empty. */
  private async selectionTarget(): Promise<{ code: TurnCode; origin: TurnOrigin; diagnostics: vscode.Diagnostic[] } | undefined> {
    const editor = vscode.window.activeTextEditor;
    if (!editor) {
      void this.ui.showInformationMessage(vscode.l10n.t('Open a file and select the code to ask about.'));
      return undefined;
    }
    const doc = editor.document;
    let range: vscode.Range = editor.selection;
    if (editor.selection.isEmpty) {
      const text = doc.getText();
      const name = displayPath(doc);
      if (!text.trim()) {
        void this.ui.showInformationMessage(vscode.l10n.t('Nothing is selected, and {0} is empty.', name));
        return undefined;
      }
      if (text.length > WHOLE_FILE_LIMIT_CHARS) {
        void this.ui.showInformationMessage(
          vscode.l10n.t('Nothing is selected, and {0} is too large to send whole ({1} characters; the limit is {2}). Select the code to ask about.', name, text.length, WHOLE_FILE_LIMIT_CHARS),
        );
        return undefined;
      }
      const whole = vscode.l10n.t('Use Whole File');
      const choice = await this.ui.showInformationMessage(
        vscode.l10n.t('Nothing is selected. Ask about the whole file {0} ({1} lines)?', name, doc.lineCount),
        { modal: true },
        whole,
      );
      if (choice !== whole) return undefined;
      range = new vscode.Range(doc.positionAt(0), doc.positionAt(text.length));
    }
    const startLine = range.start.line + 1;
    // A selection that ends at the start of a line does not include that line.
    const endLine = range.end.line > range.start.line && range.end.character === 0 ? range.end.line : range.end.line + 1;
    const code: TurnCode = { text: doc.getText(range), languageId: doc.languageId, fileName: displayPath(doc), startLine, endLine };
    const origin: TurnOrigin = { uri: doc.uri.toString(), range: [range.start.line, range.start.character, range.end.line, range.end.character] };
    const diagnostics = vscode.languages.getDiagnostics(doc.uri).filter((d) => d.range.intersection(range) !== undefined);
    return { code, origin, diagnostics };
  }

  /**
   * Before each model call: refuse what cannot fit the model's context (with its estimated size and the limit),
   * and ask before sending something large (with its estimated price).
   */
  private async budgetGate(turn: ChatTurn, history: readonly ChatTurn[], s: BedrockGptSettings): Promise<string | undefined> {
    const earlier = history.map((t) => `${userMessageText(t)}\n${t.answer}`).join('\n');
    const verdict = checkBudget({
      model: turn.model,
      promptText: [s.developerPrompt, earlier, turn.question].filter(Boolean).join('\n'),
      code: turn.code?.text,
      maxOutputTokens: s.maxOutputTokens > 0 ? s.maxOutputTokens : undefined,
    });
    switch (verdict.kind) {
      case 'ok':
        return undefined;
      case 'refuse': {
        const message = vscode.l10n.t(
          'Not sent: the question is too large for {0}. It is about {1} tokens (estimated); the limit is {2} tokens (the context minus the room kept for the answer). Select less code or start a new chat.',
          displayName(turn.model), verdict.estimatedTokens.toLocaleString('en-US'), verdict.limit.toLocaleString('en-US'),
        );
        void this.ui.showErrorMessage(message);
        return message;
      }
      case 'confirm': {
        const send = vscode.l10n.t('Send');
        const cost = verdict.priceKnown ? formatDollars(verdict.estimatedDollars) : vscode.l10n.t('an unknown amount');
        const choice = await this.ui.showWarningMessage(
          vscode.l10n.t('This question is large: about {0} tokens (estimated). Its input alone will cost about {1} with {2}. Send it?', verdict.estimatedTokens.toLocaleString('en-US'), cost, displayName(turn.model)),
          { modal: true },
          send,
        );
        return choice === send ? undefined : vscode.l10n.t('Not sent: the large question was not confirmed. Retry to be asked again.');
      }
      default:
        return assertNever(verdict, 'budget verdict');
    }
  }

  // --- the panel ---------------------------------------------------------------------------------------

  panelState(withConversation: boolean): StateMessage {
    const settings = panelSettings(this.config.snapshot());
    const lm = this.ledger?.total('languageModel');
    const elsewhere = lm && { tokens: lm.tokens, dollars: lm.dollars };
    return withConversation ? { type: 'state', conversation: this.session.snapshot(), settings, elsewhere } : { type: 'state', settings, elsewhere };
  }

  async handleMessage(message: Exclude<WebviewMessage, { type: 'ready' }>): Promise<void> {
    try {
      switch (message.type) {
        case 'ask':
          await this.session.ask({ requestId: message.requestId, prompt: message.prompt, model: message.model, effort: message.effort });
          return;
        case 'cancel':
          await this.session.cancel(message.requestId);
          return;
        case 'retry':
          await this.session.retry(message.requestId);
          return;
        case 'copy':
          await vscode.env.clipboard.writeText(message.code);
          return;
        case 'insert':
          await this.insert(message.requestId, message.code);
          return;
        case 'applyDiff':
          await this.applyDiff(message.requestId, message.code);
          return;
        case 'openLink':
          await this.openLink(message.href);
          return;
        case 'newChat':
          await this.newChat();
          return;
        case 'exportChat':
          await this.exportChat();
          return;
        case 'action':
          await this.runAction(message.requestId, message.action);
          return;
        default:
          assertNever(message, 'webview message');
      }
    } catch (err) {
      this.log.error(`Handling ${message.type} failed`, err);
      void this.ui.showErrorMessage(this.errorUi.explain(err).message);
    }
  }

  /** A button under an error. Switching region retries the question at once, in the new region. */
  private async runAction(requestId: string, action: ErrorAction): Promise<void> {
    switch (action.kind) {
      case 'switchRegion':
        await this.errorUi.run(action);
        await this.settingsApplied(() => this.config.get('region') === action.region);
        await this.session.retry(requestId);
        return;
      case 'retry':
        await this.session.retry(requestId);
        return;
      case 'ssoLogin':
        if (await this.errorUi.ssoLogin(action.profile)) await this.session.retry(requestId);
        return;
      case 'selectProfile':
      case 'openSettings':
      case 'setApiKey':
      case 'selectEffort':
        await this.errorUi.run(action);
        return;
      default:
        assertNever(action, 'error action');
    }
  }

  /** A written setting is visible at once in the writing extension host; wait a moment if it is not yet. */
  private async settingsApplied(check: () => boolean): Promise<void> {
    for (let i = 0; i < 20 && !check(); i++) await new Promise((r) => setTimeout(r, 50));
  }

  /** Inserts at the cursor of the editor the turn's question came from (the active editor for a free prompt). */
  private async insert(requestId: string, code: string): Promise<boolean> {
    const editor = await this.originEditor(requestId);
    if (!editor) {
      void this.ui.showInformationMessage(vscode.l10n.t('Open an editor to insert the code into.'));
      return false;
    }
    const at = editor.selection.active;
    const ok = await editor.edit((b) => b.insert(at, code));
    if (ok) this.log.info(`Inserted ${code.length} characters into ${displayPath(editor.document)}.`);
    return ok;
  }

  private async originEditor(requestId: string): Promise<vscode.TextEditor | undefined> {
    const origin = this.session.origin(requestId);
    if (!origin) return vscode.window.activeTextEditor ?? vscode.window.visibleTextEditors.find((e) => e.document.uri.scheme !== PROPOSED_SCHEME);
    const visible = vscode.window.visibleTextEditors.find((e) => e.document.uri.toString() === origin.uri);
    if (visible) return visible;
    const doc = await vscode.workspace.openTextDocument(vscode.Uri.parse(origin.uri));
    return vscode.window.showTextDocument(doc, { preserveFocus: false, preview: false });
  }

  /**
   * Opens VS Code's diff between the turn's selection and the file with `code` in its place. Accepting
   * (the notification's button, the diff editor's title button or the command) replaces the selection.
   */
  async applyDiff(requestId: string, code: string): Promise<PendingDiff | undefined> {
    const origin = this.session.origin(requestId);
    let target: vscode.Uri;
    let range: vscode.Range;
    if (origin) {
      target = vscode.Uri.parse(origin.uri);
      range = new vscode.Range(...origin.range);
    } else {
      const editor = vscode.window.activeTextEditor;
      if (!editor) {
        void this.ui.showInformationMessage(vscode.l10n.t('Select the code to replace in an editor, then apply again.'));
        return undefined;
      }
      target = editor.document.uri;
      range = editor.selection;
    }
    const doc = await vscode.workspace.openTextDocument(target);
    const expected = this.session.turn(requestId)?.code?.text;
    const located = locate(doc, range, expected);
    if (!located) {
      void this.ui.showWarningMessage(vscode.l10n.t('The code this answer is about has changed in {0} since the question was asked; select it again and ask again.', displayPath(doc)));
      return undefined;
    }
    range = located;
    const original = doc.getText(range);
    const replacement = matchTrailingNewline(code, original);
    const text = doc.getText();
    const proposedText = text.slice(0, doc.offsetAt(range.start)) + replacement + text.slice(doc.offsetAt(range.end));
    const proposed = vscode.Uri.from({ scheme: PROPOSED_SCHEME, path: `/${++this.diffSeq}/${path.posix.basename(doc.uri.path) || 'untitled'}` });
    this.proposed.set(proposed.toString(), proposedText);
    this._onDidChangeProposed.fire(proposed);
    this.pending = { target, range, original, replacement, proposed };
    await vscode.commands.executeCommand('setContext', DIFF_PENDING_CONTEXT, true);
    await vscode.commands.executeCommand('vscode.diff', target, proposed, vscode.l10n.t('{0} ↔ proposed change', displayPath(doc)), { preview: true });
    const accept = vscode.l10n.t('Accept');
    const discard = vscode.l10n.t('Discard');
    const pending = this.pending;
    void Promise.resolve(this.ui.showInformationMessage(vscode.l10n.t('Review the proposed change to {0}.', displayPath(doc)), accept, discard)).then((choice) => {
      if (this.pending !== pending) return;
      if (choice === accept) void this.acceptDiff();
      else if (choice === discard) void this.discardDiff();
    });
    return pending;
  }

  /** Replaces the selection with the proposed code (a WorkspaceEdit, so it is one undoable step). */
  async acceptDiff(): Promise<boolean> {
    const p = this.pending;
    if (!p) return false;
    const doc = await vscode.workspace.openTextDocument(p.target);
    const range = locate(doc, p.range, p.original);
    if (!range) {
      void this.ui.showWarningMessage(vscode.l10n.t('{0} has changed since the diff was opened; apply again.', displayPath(doc)));
      return false;
    }
    const edit = new vscode.WorkspaceEdit();
    edit.replace(p.target, range, p.replacement);
    const ok = await vscode.workspace.applyEdit(edit);
    if (ok) this.log.info(`Applied the proposed change to ${displayPath(doc)}.`);
    await this.closeDiff(p);
    return ok;
  }

  async discardDiff(): Promise<void> {
    const p = this.pending;
    if (p) await this.closeDiff(p);
  }

  private async closeDiff(p: PendingDiff): Promise<void> {
    if (this.pending === p) this.pending = undefined;
    await vscode.commands.executeCommand('setContext', DIFF_PENDING_CONTEXT, this.pending !== undefined);
    const proposed = p.proposed.toString();
    const tabs = vscode.window.tabGroups.all.flatMap((g) => g.tabs).filter((t) => t.input instanceof vscode.TabInputTextDiff && t.input.modified.toString() === proposed);
    if (tabs.length) await vscode.window.tabGroups.close(tabs);
    this.proposed.delete(proposed);
  }

  /** Links from the answer open in the browser only after the user confirms, and only http(s). */
  private async openLink(href: string): Promise<void> {
    let url: URL;
    try {
      url = new URL(href);
    } catch {
      return;
    }
    if (url.protocol !== 'https:' && url.protocol !== 'http:') {
      void this.ui.showWarningMessage(vscode.l10n.t('Only http and https links are opened.'));
      return;
    }
    const open = vscode.l10n.t('Open');
    const choice = await this.ui.showWarningMessage(vscode.l10n.t('Open this link from the answer in your browser?'), { modal: true, detail: url.toString() }, open);
    if (choice === open) await this.openExternal(vscode.Uri.parse(url.toString(), true));
  }
}

/** The selection's range if it still holds `expected`; else the first place the text now is; else undefined. */
function locate(doc: vscode.TextDocument, range: vscode.Range, expected: string | undefined): vscode.Range | undefined {
  const valid = doc.validateRange(range);
  if (expected === undefined || doc.getText(valid) === expected) return valid;
  const at = doc.getText().indexOf(expected);
  return at < 0 ? undefined : new vscode.Range(doc.positionAt(at), doc.positionAt(at + expected.length));
}

/** A code block from the answer has no trailing newline; a selection of whole lines has one. Keep the file's shape. */
function matchTrailingNewline(code: string, original: string): string {
  const eol = /\r?\n$/.exec(original)?.[0];
  if (eol && !/\n$/.test(code)) return code + eol;
  if (!eol && /\n$/.test(code) && original !== '') return code.replace(/\r?\n$/, '');
  return code;
}

function displayPath(doc: vscode.TextDocument): string {
  return doc.isUntitled ? path.basename(doc.fileName) : vscode.workspace.asRelativePath(doc.uri, false);
}

const SEVERITY = ['error', 'warning', 'info', 'hint'];

function quickActionPrompt(action: QuickAction, target: { code: TurnCode; diagnostics: vscode.Diagnostic[] }): string {
  switch (action) {
    case 'explain':
      return vscode.l10n.t('Explain this code.');
    case 'findBugs': {
      const base = vscode.l10n.t('Find bugs in this code: say what goes wrong, when, and how to fix it (with corrected code).');
      if (!target.diagnostics.length) return base;
      const lines = target.diagnostics.map((d) => {
        const code = typeof d.code === 'object' ? d.code.value : d.code;
        const source = [d.source, code].filter((x) => x !== undefined && x !== '').join(' ');
        return `- ${vscode.l10n.t('line {0}', d.range.start.line + 1)}: ${SEVERITY[d.severity] ?? 'info'}${source ? ` (${source})` : ''}: ${d.message}`;
      });
      return `${base}\n\n${vscode.l10n.t('VS Code reports these problems in the selection:')}\n${lines.join('\n')}`;
    }
    case 'writeTests':
      return vscode.l10n.t('Write unit tests for this code, with the test framework this project appears to use. Cover edge cases.');
    case 'refactor':
      return vscode.l10n.t('Refactor this code for readability and maintainability without changing its behaviour. Return the complete refactored code in one code block.');
    default:
      return assertNever(action, 'quick action');
  }
}
