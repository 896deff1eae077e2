/** The panel's strings (English defaults; the extension sends them localized) and their formatting helpers. */
import type { ErrorAction } from '../core/errors';

/** Every string the panel shows. `{0}`, `{1}` are positional placeholders. */
export interface UiStrings {
  title: string;
  newChat: string;
  exportChat: string;
  sessionTotal: string;
  sessionTotalDetail: string;
  emptyHint: string;
  inputPlaceholder: string;
  send: string;
  stop: string;
  stopped: string;
  streaming: string;
  retry: string;
  jumpToLatest: string;
  copy: string;
  copied: string;
  insert: string;
  apply: string;
  model: string;
  effort: string;
  defaultSuffix: string;
  codeContext: string;
  reasoning: string;
  inputTokens: string;
  cachedTokens: string;
  outputTokens: string;
  reasoningTokens: string;
  cost: string;
  costUnknown: string;
  cacheSaved: string;
  sessionSaved: string;
  firstToken: string;
  totalTime: string;
  errorTitle: string;
  actionSwitchRegion: string;
  actionSsoLogin: string;
  actionSelectProfile: string;
  actionOpenSettings: string;
  actionRefreshToken: string;
  actionSetApiKey: string;
  actionSelectEffort: string;
  openLinkTitle: string;
  history: string;
  historySearch: string;
  historyEmpty: string;
  historyOpen: string;
  historyRename: string;
  historyDelete: string;
  historyTurns: string;
  workspacePromptFromWorkspace: string;
  workspacePromptFromFolder: string;
  workspacePromptPending: string;
  workspacePromptAllowed: string;
  workspacePromptIgnored: string;
  workspacePromptAllow: string;
  workspacePromptIgnore: string;
  contextDropped: string;
  contextPicker: string;
  contextFile: string;
  contextOpen: string;
  contextProblems: string;
  contextSelection: string;
  contextNoMatches: string;
  contextChips: string;
  contextRemove: string;
  changeSetFiles: string;
  changeSetApply: string;
  reviewChanges: string;
  reviewChangesTitle: string;
}

/** English strings: the webview's defaults and the keys for localization on the extension side. */
export const UI_STRINGS_EN: UiStrings = {
  title: 'Bedrock GPT',
  newChat: 'New chat',
  exportChat: 'Export',
  sessionTotal: 'Session: {0} tokens · {1}',
  sessionTotalDetail: 'This chat: {0}; VS Code Chat and other extensions: {1}',
  emptyHint: 'Select code and run “Ask GPT about Selection”, or type a question below.',
  inputPlaceholder: 'Ask a follow-up… (Enter to send, Shift+Enter for a new line)',
  send: 'Send',
  stop: 'Stop',
  stopped: 'Stopped',
  streaming: 'Answering…',
  retry: 'Retry',
  jumpToLatest: 'Jump to latest',
  copy: 'Copy',
  copied: 'Copied',
  insert: 'Insert',
  apply: 'Apply as diff',
  model: 'Model',
  effort: 'Effort',
  defaultSuffix: '(default)',
  codeContext: '{0}, lines {1}–{2}',
  reasoning: 'Reasoning summary',
  inputTokens: 'Input',
  cachedTokens: 'Cached',
  outputTokens: 'Output',
  reasoningTokens: 'Reasoning',
  cost: 'Cost',
  costUnknown: 'unknown',
  cacheSaved: 'Saved by cache',
  sessionSaved: '{0} saved by prompt caching',
  firstToken: 'First token',
  totalTime: 'Total',
  errorTitle: 'The request failed',
  actionSwitchRegion: 'Switch to {0}',
  actionSsoLogin: 'Run aws sso login --profile {0}',
  actionSelectProfile: 'Select profile',
  actionOpenSettings: 'Open settings',
  actionRefreshToken: 'Refresh token',
  actionSetApiKey: 'Set API key',
  actionSelectEffort: 'Select effort',
  openLinkTitle: 'Open {0}',
  history: 'History',
  historySearch: 'Search conversations',
  historyEmpty: 'No conversations kept yet.',
  historyOpen: 'Open',
  historyRename: 'Rename',
  historyDelete: 'Delete',
  historyTurns: '{0} questions',
  workspacePromptFromWorkspace: 'This workspace\'s settings (.vscode/settings.json) set a developer prompt, sent with every question once you allow it:',
  workspacePromptFromFolder: 'A workspace folder\'s settings (.vscode/settings.json) set a developer prompt, sent with every question once you allow it:',
  workspacePromptPending: 'Not sent until you allow it. Until then, questions carry your own developer prompt (or none).',
  workspacePromptAllowed: 'Allowed for this workspace: questions carry it.',
  workspacePromptIgnored: 'Ignored: questions carry your own developer prompt (or none).',
  workspacePromptAllow: 'Allow',
  workspacePromptIgnore: 'Ignore',
  contextDropped: '{0} earlier questions are no longer sent to the model: the conversation outgrew its context. The newer ones still are; start a new chat to begin afresh.',
  contextPicker: 'Add context',
  contextFile: 'A workspace file (fuzzy search; add :10-20 for lines)',
  contextOpen: 'An open editor',
  contextProblems: 'The problems of the active file or the workspace',
  contextSelection: 'The current selection',
  contextNoMatches: 'Nothing matches',
  contextChips: 'Context sent with the question',
  contextRemove: 'Remove {0}',
  changeSetFiles: 'Changes to {0}',
  changeSetApply: 'Review changes ({0} files)',
  reviewChanges: 'Review changes',
  reviewChangesTitle: 'Review the staged changes, the unstaged ones, or the branch against a base',
};

/** A button's label for an error action: the same words under an answer in the panel and in a notification. */
export function actionLabel(action: ErrorAction, s: UiStrings): string {
  switch (action.kind) {
    case 'switchRegion': return format(s.actionSwitchRegion, action.region);
    case 'ssoLogin': return format(s.actionSsoLogin, action.profile);
    case 'selectProfile': return s.actionSelectProfile;
    case 'openSettings': return s.actionOpenSettings;
    case 'askAgain': return s.retry;
    case 'refreshToken': return s.actionRefreshToken;
    case 'setApiKey': return s.actionSetApiKey;
    case 'selectEffort': return s.actionSelectEffort;
  }
}

/** Fills `{0}`, `{1}`... in a UI string. */
export function format(template: string, ...args: Array<string | number>): string {
  return template.replace(/\{(\d+)\}/g, (m, i: string) => (Number(i) < args.length ? String(args[Number(i)]) : m));
}
