import * as vscode from 'vscode';
import { chooseDeveloperPrompt, decide, storedDecision, type PromptChoice } from '../../core/developerPromptConsent';
import type { KeyValueStore } from '../../core/conversationHost';
import type { BedrockGptSettings, Configuration } from '../configuration';
import { Disposable } from '../lifecycle';
import type { Log } from '../log';

/** workspaceState key of the decision on the workspace's developer prompt (its hash and allowed / ignored). */
export const PROMPT_DECISION_KEY = 'bedrockGpt.developerPromptDecision';

/**
 * The workspace's developer prompt and the user's decision on it (core's chooseDeveloperPrompt decides; this
 * reads VS Code's values, keeps the decision in workspaceState and says when the choice may have changed).
 */
export class PromptConsent extends Disposable {
  private readonly _onDidChange = this._register(new vscode.EventEmitter<void>());
  readonly onDidChange = this._onDidChange.event;

  constructor(
    private readonly config: Configuration,
    /** workspaceState, or none: then nothing is remembered and a workspace prompt is never sent. */
    private readonly state: KeyValueStore | undefined,
    private readonly log: Log,
  ) {
    super();
    this._register(config.onDidChange((e) => {
      if (e.affects('developerPrompt')) this._onDidChange.fire();
    }));
    this._register(vscode.workspace.onDidGrantWorkspaceTrust(() => this._onDidChange.fire()));
  }

  choice(): PromptChoice {
    return chooseDeveloperPrompt(this.config.inspect('developerPrompt'), vscode.workspace.isTrusted, storedDecision(this.state?.get(PROMPT_DECISION_KEY)));
  }

  /** The settings a question is asked with: the developer prompt as decided. */
  apply(s: BedrockGptSettings): BedrockGptSettings {
    return { ...s, developerPrompt: this.choice().prompt };
  }

  /** The panel's Allow / Ignore, for the prompt it showed (a stale hash changes nothing). */
  async decide(hash: string, allow: boolean): Promise<void> {
    const decision = decide(this.choice(), hash, allow);
    if (!decision || !this.state) return;
    await this.state.update(PROMPT_DECISION_KEY, decision);
    this.log.info(`The workspace's developer prompt is ${decision.decision} for this workspace.`);
    this._onDidChange.fire();
  }
}
