import * as vscode from 'vscode';
import { AskCommands, type ChatTestApi } from './vscode/chat/askCommands';
import { Commands } from './vscode/commands';
import { CostLedger } from './core/costLedger';
import { Configuration } from './vscode/configuration';
import { ErrorUi } from './vscode/errorUi';
import { LanguageModels } from './vscode/lm/registration';
import { Log } from './vscode/log';
import { StatusBar, type StatusBarSnapshot } from './vscode/statusBar';
import { TokenController } from './vscode/tokenController';

/** Returned from activate() in test mode only: the token controller must not be reachable by other extensions. */
export interface TestApi {
  readonly configuration: Configuration;
  readonly tokens: TokenController;
  readonly errorUi: ErrorUi;
  statusBar(): StatusBarSnapshot;
  /** How long activate() itself took, in ms. */
  readonly activationMs: number;
  readonly chat: ChatTestApi;
  readonly ledger: CostLedger;
  readonly languageModels: LanguageModels;
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
  const errorUi = new ErrorUi(configuration, tokens, log);
  const ledger = new CostLedger();
  const statusBar = new StatusBar(tokens, configuration, { ledger });
  const commands = new Commands(configuration, tokens, errorUi, context.secrets, log);
  const chat = new AskCommands(context.extensionUri, configuration, tokens, errorUi, context.workspaceState, log, { ledger });
  const languageModels = new LanguageModels(configuration, tokens, errorUi, log, ledger);

  // Disposed in this order: the users of a service before the service.
  context.subscriptions.push(languageModels, chat, commands, statusBar, errorUi, tokens, configuration, log, ledger);
  const activationMs = performance.now() - started;
  log.info(`Activated in ${activationMs.toFixed(1)} ms.`);

  if (context.extensionMode !== vscode.ExtensionMode.Test) return undefined;
  return { configuration, tokens, errorUi, statusBar: () => statusBar.snapshot(), activationMs, chat, ledger, languageModels };
}

export function deactivate(): void {
  // Everything is in context.subscriptions.
}
