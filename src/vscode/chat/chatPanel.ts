import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import { DeltaBatcher } from '../../core/deltaBatcher';
import { parseWebviewMessage } from '../../core/webviewMessage';
import { assertNever, type ExtensionMessage, type ThemeKind, type WebviewMessage } from '../../shared/protocol';
import { contentSecurityPolicy, webviewHtml } from '../../shared/webviewHtml';
import { CHAT_VIEW_TYPE } from '../constants';
import { Disposable } from '../lifecycle';
import { unawaited } from '../log';
import { localizedStrings } from '../uiStrings';

export type StateMessage = Extract<ExtensionMessage, { type: 'state' }>;

/** What the panel asks of its owner (the chat controller): the state to paint and what to do with a message. */
export interface ChatPanelHost {
  /** The `state` message: with the whole conversation when the webview (re)loads, settings only otherwise. */
  panelState(withConversation: boolean): StateMessage;
  /** Every message from the webview except `ready`, which the panel handles itself. */
  handleMessage(message: Exclude<WebviewMessage, { type: 'ready' }>): void | Promise<void>;
  /** Only when the extension runs for tests: the panel records what it delivers (snapshot()); never in production. */
  readonly recordsForTests?: boolean;
}

/** For tests: what the panel has done, without reaching into the webview. */
export interface ChatPanelSnapshot {
  visible: boolean;
  ready: boolean;
  /** How many times the webview said `ready` (a reload or a hidden panel shown again says it again). */
  readyCount: number;
  /** Messages delivered to the webview, by type. */
  delivered: Partial<Record<ExtensionMessage['type'], number>>;
  /** The answer text delivered per request id since the last `state` (what the webview has been told). */
  answers: Record<string, string>;
  /** The latest `@` picker entries and the latest refused question the webview was told of. */
  context: { options?: Extract<ExtensionMessage, { type: 'contextOptions' }>; refused?: Extract<ExtensionMessage, { type: 'askRefused' }> };
  /** How many earlier turns the webview was last told are no longer sent (a `contextNotice`, or the `state`'s conversation). */
  droppedTurns: number;
  /** The Content-Security-Policy of the page the webview was given, and the folders it may read. */
  csp: string;
  localResourceRoots: string[];
}

/**
 * The chat panel (STYLE.md principle 3): its one instance is owned by the ChatController, which creates or
 * reveals it and revives it after a window reload (the serializer), disposed with everything it registered. Messages wait until the webview says
 * `ready` (see post()).
 */
export class ChatPanel extends Disposable {
  private ready = false;
  private readyCount = 0;
  private readonly delivered: Partial<Record<ExtensionMessage['type'], number>> = {};
  private answers: Record<string, string> = {};
  private readonly context: ChatPanelSnapshot['context'] = {};
  private droppedTurns = 0;
  private csp = '';
  /** Streamed text goes out joined, at most once a frame (a message per delta would pile up in the extension host). */
  private readonly batcher = new DeltaBatcher((m) => this.deliver(m));

  private readonly _onDidDispose = this._register(new vscode.EventEmitter<void>());
  readonly onDidDispose = this._onDidDispose.event;

  /** A new panel beside the editor. `preserveFocus` keeps the cursor in the editor that asked. */
  static create(extensionUri: vscode.Uri, host: ChatPanelHost, options: { preserveFocus?: boolean } = {}): ChatPanel {
    const panel = vscode.window.createWebviewPanel(
      CHAT_VIEW_TYPE,
      vscode.l10n.t('Bedrock GPT'),
      { viewColumn: vscode.ViewColumn.Beside, preserveFocus: options.preserveFocus ?? false },
      webviewOptions(extensionUri),
    );
    return new ChatPanel(panel, extensionUri, host);
  }

  /** After a window reload: VS Code hands back the panel it restored (the serializer's job). */
  static revive(panel: vscode.WebviewPanel, extensionUri: vscode.Uri, host: ChatPanelHost): ChatPanel {
    panel.webview.options = webviewOptions(extensionUri);
    return new ChatPanel(panel, extensionUri, host);
  }

  private constructor(
    private readonly panel: vscode.WebviewPanel,
    private readonly extensionUri: vscode.Uri,
    private readonly host: ChatPanelHost,
  ) {
    super();
    this._register(panel.onDidDispose(() => this.dispose()));
    this._register(
      panel.onDidChangeViewState(() => {
        // Without retainContextWhenHidden a hidden webview is torn down; it says `ready` again when shown.
        if (!panel.visible) {
          this.ready = false;
          this.batcher.discard();
        }
      }),
    );
    this._register(panel.webview.onDidReceiveMessage((m: unknown) => this.receive(m)));
    this._register(vscode.window.onDidChangeActiveColorTheme((t) => this.post({ ...this.host.panelState(false), theme: themeKind(t.kind) })));
    panel.webview.html = this.html();
  }

  /**
   * Sends now if the webview is listening. Until it says `ready` nothing is sent: the `state` it then gets holds
   * everything said in between (the whole conversation, partial answers included), so nothing is lost and
   * nothing is applied twice.
   */
  post(message: ExtensionMessage): void {
    if (!this.ready) return;
    this.batcher.post(message);
  }

  private deliver(message: ExtensionMessage): void {
    if (!this.ready || this.isDisposed) return;
    if (this.host.recordsForTests) this.count(message);
    unawaited(this.panel.webview.postMessage(message), `posting ${message.type} to the webview`);
  }

  reveal(preserveFocus: boolean): void {
    this.panel.reveal(undefined, preserveFocus);
  }

  snapshot(): ChatPanelSnapshot {
    return {
      visible: this.panel.visible, ready: this.ready, readyCount: this.readyCount, delivered: { ...this.delivered }, answers: { ...this.answers },
      context: { ...this.context }, droppedTurns: this.droppedTurns, csp: this.csp, localResourceRoots: (this.panel.webview.options.localResourceRoots ?? []).map((u) => u.toString()),
    };
  }

  override dispose(): void {
    if (this.isDisposed) return;
    this.batcher.discard();
    this._onDidDispose.fire();
    super.dispose();
    this.panel.dispose();
  }

  private async receive(raw: unknown): Promise<void> {
    // Every field checked (types, lengths, known model and effort values): the webview renders model output.
    const message = parseWebviewMessage(raw, { models: this.host.panelState(false).settings.models.map((m) => m.id) });
    if (!message) return;
    if (message.type === 'ready') {
      // The state below holds everything streamed so far: what waits for the old page must not follow it.
      this.batcher.discard();
      this.ready = true;
      this.readyCount++;
      this.post({ ...this.host.panelState(true), strings: localizedStrings(), theme: themeKind() });
      return;
    }
    await this.host.handleMessage(message);
  }

  private count(message: ExtensionMessage): void {
    this.delivered[message.type] = (this.delivered[message.type] ?? 0) + 1;
    switch (message.type) {
      case 'state':
        if (message.conversation) {
          this.answers = Object.fromEntries(message.conversation.turns.map((t) => [t.requestId, t.answer]));
          this.droppedTurns = message.conversation.droppedTurns ?? 0;
        }
        break;
      case 'contextNotice':
        this.droppedTurns = message.droppedTurns;
        break;
      case 'start':
        this.answers[message.requestId] = '';
        break;
      case 'delta':
        this.answers[message.requestId] = (this.answers[message.requestId] ?? '') + message.text;
        break;
      case 'contextOptions':
        this.context.options = message;
        break;
      case 'askRefused':
        this.context.refused = message;
        break;
      case 'history':
      case 'workspacePrompt':
      case 'turnStarted':
      case 'reasoningDelta':
      case 'usage':
      case 'done':
      case 'error':
        break;
      default:
        assertNever(message, 'extension message');
    }
  }

  private html(): string {
    const webview = this.panel.webview;
    const root = vscode.Uri.joinPath(this.extensionUri, 'dist', 'webview');
    const script = webview.asWebviewUri(vscode.Uri.joinPath(root, 'main.js'));
    const style = webview.asWebviewUri(vscode.Uri.joinPath(root, 'main.css'));
    const nonce = randomBytes(18).toString('base64');
    this.csp = contentSecurityPolicy(webview.cspSource, nonce);
    return webviewHtml({
      cspSource: webview.cspSource,
      nonce,
      scriptUri: script.toString(),
      styleUri: style.toString(),
      lang: vscode.env.language,
      title: vscode.l10n.t('Bedrock GPT'),
    });
  }
}

/** Scripts on, and nothing but the built webview folder readable. */
function webviewOptions(extensionUri: vscode.Uri): vscode.WebviewPanelOptions & vscode.WebviewOptions {
  return {
    enableScripts: true,
    localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'dist', 'webview')],
    // The conversation is restored from the extension's state on every `ready`, so nothing is lost when hidden.
    retainContextWhenHidden: false,
    enableFindWidget: true,
  };
}

function themeKind(kind: vscode.ColorThemeKind = vscode.window.activeColorTheme.kind): ThemeKind {
  switch (kind) {
    case vscode.ColorThemeKind.Light:
      return 'light';
    case vscode.ColorThemeKind.Dark:
      return 'dark';
    case vscode.ColorThemeKind.HighContrast:
      return 'high-contrast';
    case vscode.ColorThemeKind.HighContrastLight:
      return 'high-contrast-light';
    default:
      return 'dark';
  }
}
