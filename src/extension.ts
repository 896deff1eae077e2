import * as vscode from 'vscode';
import { ChatController } from './vscode/chat/chatController';
import { chatTestApi, type ChatTestApi } from './vscode/chat/chatTestApi';
import { Commands } from './vscode/commands';
import { CHAT_STATE_KEY, type PersistedChat } from './core/conversation';
import { ConversationStore } from './core/conversationStore';
import { CostLedger } from './core/costLedger';
import { Configuration } from './vscode/configuration';
import { ErrorActions } from './vscode/errorActions';
import { LanguageModels } from './vscode/lm/registration';
import { Log } from './vscode/log';
import { StatusBar, type StatusBarSnapshot } from './vscode/statusBar';
import { TokenController } from './vscode/tokenController';

/** Returned from activate() in test mode only: the token controller must not be reachable by other extensions. */
export interface TestApi {
  readonly configuration: Configuration;
  readonly tokens: TokenController;
  readonly errorActions: ErrorActions;
  statusBar(): StatusBarSnapshot;
  /** How long activate() itself took, in ms (logged by the tests; timings are judged in `npm run bench`). */
  readonly activationMs: number;
  /** The modules of dist/core.js and the SDKs that were loaded when activate() returned (none, by design). */
  readonly loadedAtActivation: string[];
  readonly chat: ChatTestApi;
  readonly ledger: CostLedger;
  readonly languageModels: LanguageModels;
  /** The folder of the extension's log files (the output channel's `Bedrock GPT.log`), for tests that read it. */
  readonly logDir: string;
}

/**
 * The composition root: builds the services, hands each its dependencies, and registers every disposable.
 * No network or credential I/O happens here, and the SDK bundle (dist/core.js) loads on the first token.
 */
export function activate(context: vscode.ExtensionContext): TestApi | undefined {
  const started = performance.now();
  const log = new Log();
  const configuration = new Configuration();
  const tokens = new TokenController(configuration, context.secrets, log);
  const errorActions = new ErrorActions(configuration, tokens, log);
  const ledger = new CostLedger();
  const statusBar = new StatusBar(tokens, configuration, { ledger });
  const commands = new Commands(configuration, tokens, errorActions, context.secrets, log);
  const history = conversationStore(context, configuration, log);
  const chat = new ChatController(context.extensionUri, configuration, tokens, errorActions, history, log, { ledger, workspaceState: context.workspaceState, recordsForTests: context.extensionMode === vscode.ExtensionMode.Test });
  const languageModels = new LanguageModels(configuration, tokens, errorActions, log, ledger);

  // Disposed in this order: the users of a service before the service.
  context.subscriptions.push(languageModels, chat, commands, statusBar, errorActions, tokens, configuration, log, ledger);
  const activationMs = performance.now() - started;
  log.info(`Activated in ${activationMs.toFixed(1)} ms.`);

  if (context.extensionMode !== vscode.ExtensionMode.Test) return undefined;
  const loadedAtActivation = Object.keys(require.cache).filter((p) => p.startsWith(context.extensionPath) && /[\\/]dist[\\/]core\.js$|node_modules[\\/](openai|@aws-sdk|@smithy|gpt-tokenizer)[\\/]/.test(p));
  return {
    configuration, tokens, errorActions, statusBar: () => statusBar.snapshot(), activationMs, loadedAtActivation, chat: chatTestApi(chat),
    ledger, languageModels, logDir: context.logUri.fsPath,
  };
}

/**
 * Every conversation of this workspace, one file each in the extension's workspace storage (the global storage
 * without a folder). A conversation kept in workspaceState by an earlier version moves into it once.
 */
function conversationStore(context: vscode.ExtensionContext, configuration: Configuration, log: Log): ConversationStore {
  const dir = vscode.Uri.joinPath(context.storageUri ?? context.globalStorageUri, 'conversations').fsPath;
  const store = new ConversationStore(
    dir,
    () => ({ maxConversations: configuration.get('historyMaxConversations'), maxBytes: configuration.get('historyMaxSizeMB') * 1024 * 1024 }),
    (message, err) => log.error(message, err),
  );
  const legacy = context.workspaceState.get<PersistedChat>(CHAT_STATE_KEY);
  if (legacy && store.currentId === undefined && legacy.conversation?.id) {
    void store.save(legacy).then(() => context.workspaceState.update(CHAT_STATE_KEY, undefined), (err: unknown) => log.error('Could not move the conversation into the history', err));
  }
  return store;
}

export function deactivate(): void {
  // Everything is in context.subscriptions.
}
