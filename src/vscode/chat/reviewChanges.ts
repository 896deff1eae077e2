/**
 * Review Changes: the staged changes, the unstaged ones, or the branch against a base the user picks, read
 * through VS Code's built-in Git extension, checked against the model's budget (narrowed to files the user picks
 * when it is too large) and sent with core's review prompt. The answer's `path:line` findings become links.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { AskRequest } from '../../core/conversation';
import { formatBytes } from '../../core/byteSize';
import { checkReview, diffBytes, joinDiff, reviewPrompt, scopeLabel, splitDiff, type ReviewScope } from '../../core/review';
import type { ChatTurn } from '../../shared/protocol';
import type { Configuration } from '../configuration';
import { unawaited, type Log } from '../log';
import type { GitAPI, GitExtension, GitRepository } from '../git/git';
import type { ChatUi } from './editorTarget';

export type ReviewUi = Pick<ChatUi, 'showInformationMessage' | 'showWarningMessage'>;
type Pick1 = <T extends vscode.QuickPickItem>(items: readonly T[], options: vscode.QuickPickOptions & { canPickMany?: false }) => Thenable<T | undefined>;
type PickMany = <T extends vscode.QuickPickItem>(items: readonly T[], options: vscode.QuickPickOptions & { canPickMany: true }) => Thenable<T[] | undefined>;
/** vscode.window.showQuickPick's two shapes that Review Changes uses (one item, or many). */
export type PickFn = Pick1 & PickMany;

export interface ReviewDeps {
  config: Configuration;
  log: Log;
  ui: ReviewUi;
  /** vscode.window.showQuickPick unless given (tests skip the pickers by naming the scope). */
  pick?: PickFn;
  countTokens(): Promise<(text: string) => number>;
  ask(req: AskRequest): Promise<ChatTurn>;
}

/** What a caller (a test, a keybinding) may pass to skip the pickers: `{ scope: 'staged' }`, `{ scope: 'branch', base: 'main' }`. */
export function scopeArg(arg: unknown): ReviewScope | undefined {
  if (typeof arg !== 'object' || arg === null) return undefined;
  const { scope, base } = arg as { scope?: unknown; base?: unknown };
  if (scope === 'staged' || scope === 'unstaged') return { kind: scope };
  if (scope === 'branch' && typeof base === 'string' && /^[\w./@+-]{1,200}$/.test(base) && !base.startsWith('-')) return { kind: 'branch', base };
  return undefined;
}

/** The Git extension's API, activated; undefined (after saying why) when it is missing or disabled. */
async function gitApi(ui: ReviewUi): Promise<GitAPI | undefined> {
  const ext = vscode.extensions.getExtension<GitExtension>('vscode.git');
  const exports = ext && (ext.isActive ? ext.exports : await ext.activate());
  if (!exports?.enabled) {
    unawaited(ui.showWarningMessage(vscode.l10n.t('Review Changes reads the diff through VS Code\'s Git extension, which is {0}. Enable it (the setting git.enabled), or run `bedrock-gpt review` in a terminal.', ext ? vscode.l10n.t('disabled') : vscode.l10n.t('not installed'))), 'showing a message');
    return undefined;
  }
  return exports.getAPI(1);
}

/** The repository to review: the only one, or the one picked; a workspace folder not yet scanned is opened. */
async function pickRepository(api: GitAPI, ui: ReviewUi, pick: Pick1): Promise<GitRepository | undefined> {
  let repos = api.repositories;
  if (!repos.length) {
    for (const folder of vscode.workspace.workspaceFolders ?? []) await api.openRepository(folder.uri).catch(() => null);
    repos = api.repositories;
  }
  if (repos.length <= 1) {
    if (!repos.length) unawaited(ui.showInformationMessage(vscode.l10n.t('No git repository is open in this workspace: there are no changes to review.')), 'showing a message');
    return repos[0];
  }
  const picked = await pick(repos.map((r) => ({ label: path.basename(r.rootUri.fsPath), description: r.rootUri.fsPath, repo: r })), { title: vscode.l10n.t('Review Changes: which repository?') });
  return picked?.repo;
}

async function pickScope(repo: GitRepository, ui: ReviewUi, pick: Pick1): Promise<ReviewScope | undefined> {
  const items: Array<vscode.QuickPickItem & { kind2: ReviewScope['kind'] }> = [
    { label: vscode.l10n.t('Staged changes'), description: vscode.l10n.t('{0} file(s)', repo.state.indexChanges.length), kind2: 'staged' },
    { label: vscode.l10n.t('Unstaged changes'), description: vscode.l10n.t('{0} file(s)', repo.state.workingTreeChanges.length), kind2: 'unstaged' },
    { label: vscode.l10n.t('Branch against a base…'), description: repo.state.HEAD?.name, kind2: 'branch' },
  ];
  const picked = await pick(items, { title: vscode.l10n.t('Review Changes: what to review?') });
  if (!picked) return undefined;
  if (picked.kind2 !== 'branch') return { kind: picked.kind2 };
  const head = repo.state.HEAD?.name;
  const branches = (await repo.getBranches({ remote: true, sort: 'committerdate' })).filter((b) => b.name && b.name !== head);
  if (!branches.length) {
    unawaited(ui.showInformationMessage(vscode.l10n.t('There is no other branch to compare {0} with.', head ?? 'HEAD')), 'showing a message');
    return undefined;
  }
  const base = await pick(branches.map((b) => ({ label: b.name ?? '', description: b.commit?.slice(0, 8) })), { title: vscode.l10n.t('Review Changes: the base to compare {0} with', head ?? 'HEAD') });
  return base ? { kind: 'branch', base: base.label } : undefined;
}

/** The diff of `scope`, from the Git extension. */
async function readDiff(repo: GitRepository, scope: ReviewScope): Promise<string> {
  if (scope.kind !== 'branch') return repo.diff(scope.kind === 'staged');
  const mergeBase = (await repo.getMergeBase(scope.base, 'HEAD')) ?? scope.base;
  const changes = await repo.diffBetween(mergeBase, 'HEAD');
  const parts: string[] = [];
  for (const c of changes) parts.push(await repo.diffBetween(mergeBase, 'HEAD', c.uri.fsPath));
  return parts.join('');
}

/** scopeLabel (core's, in the prompt) in the display language. */
function shownScope(scope: ReviewScope): string {
  if (scope.kind === 'branch') return vscode.l10n.t('changes against {0}', scope.base);
  return scope.kind === 'staged' ? vscode.l10n.t('staged changes') : vscode.l10n.t('unstaged changes');
}

/** Runs Review Changes; the turn it asked, or undefined when the user stopped or there was nothing to send. */
export async function reviewChanges(deps: ReviewDeps, arg?: unknown): Promise<ChatTurn | undefined> {
  const { ui } = deps;
  const pick: PickFn = deps.pick ?? vscode.window.showQuickPick;
  const api = await gitApi(ui);
  const repo = api && (await pickRepository(api, ui, pick));
  if (!repo) return undefined;
  await repo.status();
  const scope = scopeArg(arg) ?? (await pickScope(repo, ui, pick));
  if (!scope) return undefined;
  let files = splitDiff(await readDiff(repo, scope));
  const settings = deps.config.snapshot();
  const count = await deps.countTokens();
  for (;;) {
    // maxOutputTokens 0 is the setting's "the model's own maximum".
    const verdict = checkReview(files, settings.model, count, settings.maxOutputTokens || undefined);
    if (verdict.kind === 'empty') {
      unawaited(ui.showInformationMessage(vscode.l10n.t('Nothing to review: there are no {0}.', shownScope(scope))), 'showing a message');
      return undefined;
    }
    if (verdict.kind === 'ok') break;
    const size = formatBytes(verdict.bytes, { compact: true });
    const message = verdict.limit
      ? vscode.l10n.t('The diff of the {0} is too large to review at once: about {1} tokens ({2}); the model takes at most {3}. Pick the files to review.', shownScope(scope), verdict.tokens.toLocaleString('en-US'), size, verdict.limit.toLocaleString('en-US'))
      : vscode.l10n.t('The diff of the {0} is too large to review at once ({1}). Pick the files to review.', shownScope(scope), size);
    const pickFiles = vscode.l10n.t('Pick Files');
    if ((await ui.showWarningMessage(message, pickFiles)) !== pickFiles) return undefined;
    const chosen = await pick(files.map((f) => ({ label: f.path, description: formatBytes(diffBytes(f), { compact: true }), picked: false, file: f })), {
      canPickMany: true, title: vscode.l10n.t('Review Changes: the files to review ({0} in all)', size),
    });
    if (!chosen?.length) return undefined;
    files = chosen.map((c) => c.file);
  }
  const diff = joinDiff(files);
  deps.log.info(`Review Changes: ${scopeLabel(scope)}, ${files.length} file(s), ${diff.length} characters.`);
  const fileName = scope.kind === 'staged' ? 'git diff --cached' : scope.kind === 'unstaged' ? 'git diff' : `git diff ${scope.base}...HEAD`;
  return deps.ask({ prompt: reviewPrompt(scope, files), code: { text: diff, languageId: 'diff', fileName, startLine: 1, endLine: diff.split('\n').length } });
}
