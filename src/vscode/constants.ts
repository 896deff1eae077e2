/** Every id the extension registers or reads, in one place, all under the `bedrockGpt.` prefix. */

export const EXTENSION_ID = 'bedrock-gpt.bedrock-gpt';

/** The configuration section: every setting is `bedrockGpt.<key>`. */
export const SECTION = 'bedrockGpt';

export const Commands = {
  refreshToken: 'bedrockGpt.refreshToken',
  selectModel: 'bedrockGpt.selectModel',
  selectRegion: 'bedrockGpt.selectRegion',
  selectReasoningEffort: 'bedrockGpt.selectReasoningEffort',
  selectProfile: 'bedrockGpt.selectProfile',
  setApiKey: 'bedrockGpt.setApiKey',
  clearApiKey: 'bedrockGpt.clearApiKey',
  showLog: 'bedrockGpt.showLog',
} as const;
export type CommandId = (typeof Commands)[keyof typeof Commands];

/** The chat's commands (registered by chat/askCommands.ts). */
export const ChatCommands = {
  askAboutSelection: 'bedrockGpt.askAboutSelection',
  ask: 'bedrockGpt.ask',
  explainSelection: 'bedrockGpt.explainSelection',
  findBugs: 'bedrockGpt.findBugs',
  writeTests: 'bedrockGpt.writeTests',
  refactorSelection: 'bedrockGpt.refactorSelection',
  openChat: 'bedrockGpt.openChat',
  newChat: 'bedrockGpt.newChat',
  exportChat: 'bedrockGpt.exportChat',
  /** Internal (hidden from the palette unless a proposed change is open): accept / discard an Apply as diff. */
  acceptDiff: 'bedrockGpt.acceptDiff',
  discardDiff: 'bedrockGpt.discardDiff',
} as const;
export type ChatCommandId = (typeof ChatCommands)[keyof typeof ChatCommands];

/** The chat panel's view type: also the serializer's key and the `onWebviewPanel:` activation event. */
export const CHAT_VIEW_TYPE = 'bedrockGpt.chat';

/** The right side of an Apply as diff: the document with the proposed code in place of the selection. */
export const PROPOSED_SCHEME = 'bedrock-gpt-proposed';

/** The when-clause context key (package.json menus) that is true while an Apply as diff awaits Accept / Discard. */
export const DIFF_PENDING_CONTEXT = 'bedrockGpt.diffPending';

/** Setting keys relative to SECTION. */
export const Settings = {
  region: 'region',
  model: 'model',
  reasoningEffort: 'reasoningEffort',
  profile: 'profile',
  authentication: 'authentication',
  endpoint: 'endpoint',
  developerPrompt: 'developerPrompt',
  maxOutputTokens: 'maxOutputTokens',
  tokenLifetimeSeconds: 'tokenLifetimeSeconds',
} as const;
export type SettingKey = (typeof Settings)[keyof typeof Settings];

/** Settings that decide where the token and code go: read from the user (application) scope only. */
export const APPLICATION_SETTINGS: readonly SettingKey[] = [Settings.endpoint, Settings.profile, Settings.authentication];

/** workspaceState key of the chat's conversation (it outlives the panel and a window reload). */
export const CHAT_STATE_KEY = 'bedrockGpt.chat';

/** SecretStorage key of the long-term Bedrock API key. */
export const SECRET_API_KEY = 'bedrockGpt.apiKey';

/** The conventional environment variable for a long-term Bedrock API key. */
export const ENV_API_KEY = 'AWS_BEARER_TOKEN_BEDROCK';

/** The output channel's name (shown in the Output view's picker). */
export const LOG_CHANNEL_NAME = 'Bedrock GPT';

/** The status-bar item's id (VS Code shows it as `<EXTENSION_ID>.<id>`, also the DOM id in the workbench). */
export const STATUS_BAR_ITEM_ID = 'bedrockGpt.token';

/** How often the status bar re-renders the time left. */
export const STATUS_TICK_MS = 60_000;

/** Seconds before expiry from which the status bar shows a token as expiring soon (the TokenService's default margin). */
export const REFRESH_MARGIN_SECONDS = 300;
