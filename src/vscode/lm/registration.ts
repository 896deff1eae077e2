/**
 * Registers the Language Model Chat Provider under our vendor id (package.json contributes.languageModelChatProviders)
 * and the management command VS Code's "Manage Language Models" opens: our settings.
 */
import * as vscode from 'vscode';
import type { CostLedger } from '../../core/costLedger';
import { Configuration } from '../configuration';
import { EXTENSION_ID, LM_VENDOR, MANAGE_MODELS_COMMAND } from '../constants';
import type { ErrorActions } from '../errorActions';
import { Disposable } from '../lifecycle';
import { Log } from '../log';
import { TokenController } from '../tokenController';
import { BedrockChatModelProvider } from './chatModelProvider';

export class LanguageModels extends Disposable {
  readonly provider: BedrockChatModelProvider;

  constructor(config: Configuration, tokens: TokenController, errorActions: ErrorActions, log: Log, ledger: CostLedger) {
    super();
    this.provider = this._register(new BedrockChatModelProvider(config, tokens, errorActions, log, ledger));
    this._register(vscode.lm.registerLanguageModelChatProvider(LM_VENDOR, this.provider));
    this._register(
      vscode.commands.registerCommand(MANAGE_MODELS_COMMAND, () => vscode.commands.executeCommand('workbench.action.openSettings', `@ext:${EXTENSION_ID}`)),
    );
  }
}
