/** Every id the extension registers or reads, in one place, all under the `bedrockGpt.` prefix. */

export const EXTENSION_ID = 'bedrock-gpt.bedrock-gpt';

/** The configuration section: every setting is `bedrockGpt.<key>`. */
export const SECTION = 'bedrockGpt';

export const CommandIds = {
  refreshToken: 'bedrockGpt.refreshToken',
  selectModel: 'bedrockGpt.selectModel',
  selectRegion: 'bedrockGpt.selectRegion',
  selectReasoningEffort: 'bedrockGpt.selectReasoningEffort',
  selectProfile: 'bedrockGpt.selectProfile',
  setApiKey: 'bedrockGpt.setApiKey',
  clearApiKey: 'bedrockGpt.clearApiKey',
  showLog: 'bedrockGpt.showLog',
} as const;
export type CommandId = (typeof CommandIds)[keyof typeof CommandIds];

/** The chat's commands (registered by chat/chatController.ts). */
export const ChatCommandIds = {
  askAboutSelection: 'bedrockGpt.askAboutSelection',
  ask: 'bedrockGpt.ask',
  explainSelection: 'bedrockGpt.explainSelection',
  findBugs: 'bedrockGpt.findBugs',
  writeTests: 'bedrockGpt.writeTests',
  refactorSelection: 'bedrockGpt.refactorSelection',
  openChat: 'bedrockGpt.openChat',
  newChat: 'bedrockGpt.newChat',
  exportChat: 'bedrockGpt.exportChat',
  /** Review the staged changes, the unstaged ones, or the branch against a base (palette, SCM title, panel). */
  reviewChanges: 'bedrockGpt.reviewChanges',
  /** Internal (hidden from the palette unless a proposed change is open): accept / discard an Apply as diff. */
  acceptDiff: 'bedrockGpt.acceptDiff',
  discardDiff: 'bedrockGpt.discardDiff',
  /** Internal: accept every file of the change set whose diff tab it was clicked in (one WorkspaceEdit). */
  acceptAllChanges: 'bedrockGpt.acceptAllChanges',
} as const;
export type ChatCommandId = (typeof ChatCommandIds)[keyof typeof ChatCommandIds];

/** The chat panel's view type: also the serializer's key and the `onWebviewPanel:` activation event. */
export const CHAT_VIEW_TYPE = 'bedrockGpt.chat';

/** The right side of an Apply as diff: the document with the proposed code in place of the selection. */
export const PROPOSED_SCHEME = 'bedrock-gpt-proposed';

/** The when-clause context key (package.json menus) that is true while an Apply as diff awaits Accept / Discard. */
export const DIFF_PENDING_CONTEXT = 'bedrockGpt.diffPending';

/** True while a change set's files await Accept (shows Accept All in their diff tabs). */
export const CHANGE_SET_PENDING_CONTEXT = 'bedrockGpt.changeSetPending';

export { APPLICATION_SETTINGS, Settings, type SettingKey } from '../core/settings';

/** SecretStorage key of the long-term Bedrock API key. */
export const SECRET_API_KEY = 'bedrockGpt.apiKey';

/** The conventional environment variable for a long-term Bedrock API key. */
export { API_KEY_ENV as ENV_API_KEY } from '../core/types';

/** The vendor id of our Language Model Chat Provider (package.json contributes.languageModelChatProviders). */
export const LM_VENDOR = 'bedrock-gpt';

/** Its management command: opens our settings. */
export const MANAGE_MODELS_COMMAND = 'bedrockGpt.manageLanguageModels';

/** The output channel's name (shown in the Output view's picker). */
export const LOG_CHANNEL_NAME = 'Bedrock GPT';

/** The status-bar item's id (VS Code shows it as `<EXTENSION_ID>.<id>`, also the DOM id in the workbench). */
export const STATUS_BAR_ITEM_ID = 'bedrockGpt.token';

/** How often the status bar re-renders the time left. */
export const STATUS_TICK_MS = 60_000;

/** Seconds before expiry from which the status bar shows a token as expiring soon (the TokenService's default margin). */
export const REFRESH_MARGIN_SECONDS = 300;
