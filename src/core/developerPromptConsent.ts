/**
 * Which developer prompt a question carries. `bedrockGpt.developerPrompt` is the user's own instructions; a cloned
 * repository's `.vscode/settings.json` can set it too, and then it would steer every answer unseen. So a prompt
 * that comes from the workspace's (or a folder's) settings is used only after the user allowed it once for that
 * workspace, and the decision holds for that exact text: a changed prompt asks again. Until then the user's own
 * prompt (or none) is sent. SDK-free and without `vscode`: the extension hands in what `inspect()` and
 * workspaceState hold, and paints the result.
 */
import { createHash } from 'node:crypto';
import type { WorkspacePrompt } from '../shared/protocol';

export type { WorkspacePrompt };

/** What `WorkspaceConfiguration.inspect('developerPrompt')` reports (only the fields this decision reads). */
export interface InspectedPrompt {
  globalValue?: unknown;
  workspaceValue?: unknown;
  workspaceFolderValue?: unknown;
}

export type PromptDecision = 'allowed' | 'ignored';

/** What workspaceState keeps: the decision, for the prompt with this hash. */
export interface StoredPromptDecision {
  hash: string;
  decision: PromptDecision;
}

export interface PromptChoice {
  /** What goes after the built-in instructions ('' for none). */
  prompt: string;
  /** A prompt from the workspace's settings that differs from the user's, and what the user decided about it. */
  workspace?: WorkspacePrompt;
}

/** The key of a decision: the prompt's SHA-256, so a changed prompt is a new question (and no text is stored). */
export function promptHash(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

const HASH = /^[0-9a-f]{64}$/;

/** A stored decision, if the value read back has that shape. */
export function storedDecision(raw: unknown): StoredPromptDecision | undefined {
  if (typeof raw !== 'object' || raw === null) return undefined;
  const { hash, decision } = raw as Record<string, unknown>;
  return typeof hash === 'string' && HASH.test(hash) && (decision === 'allowed' || decision === 'ignored') ? { hash, decision } : undefined;
}

const text = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() ? v : undefined);

/**
 * The prompt to send. In a workspace that is not trusted VS Code already ignores the workspace's value (the
 * setting is restricted), and so does this: nothing to allow there. An empty workspace value is no prompt to
 * allow either; the user's own is sent.
 */
export function chooseDeveloperPrompt(inspected: InspectedPrompt | undefined, trusted: boolean, stored: StoredPromptDecision | undefined): PromptChoice {
  const user = text(inspected?.globalValue) ?? '';
  const folder = text(inspected?.workspaceFolderValue);
  const workspaceText = folder ?? text(inspected?.workspaceValue);
  if (!trusted || workspaceText === undefined || workspaceText.trim() === user.trim()) return { prompt: user };
  const hash = promptHash(workspaceText);
  const decision = stored?.hash === hash ? stored.decision : 'pending';
  return {
    prompt: decision === 'allowed' ? workspaceText : user,
    workspace: { text: workspaceText, hash, source: folder !== undefined ? 'workspaceFolder' : 'workspace', decision },
  };
}

/** A decision from the panel counts only for the prompt it was shown (its hash); anything else is dropped. */
export function decide(current: PromptChoice, hash: string, allow: boolean): StoredPromptDecision | undefined {
  if (!current.workspace || current.workspace.hash !== hash) return undefined;
  return { hash, decision: allow ? 'allowed' : 'ignored' };
}
