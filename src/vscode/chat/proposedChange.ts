import * as path from 'node:path';
import * as vscode from 'vscode';
import { parseChangeSet } from '../../core/changeSet';
import type { Conversation } from '../../core/conversation';
import { ProposalStore } from '../../core/proposals';
import { matchTrailingNewline, replaceSpan } from '../../core/textEdits';
import { CHANGE_SET_PENDING_CONTEXT, DIFF_PENDING_CONTEXT, PROPOSED_SCHEME } from '../constants';
import { Disposable } from '../lifecycle';
import { unawaited, type Log } from '../log';
import { EditClock, prepareFiles, staleFiles, setEdit, type FileProposal } from './changeSetReview';
import { displayPath, locateRange, type ChatUi } from './editorTarget';

/** Apply as diff of one code block: the selection the question was about, replaced. */
export interface RangeProposal {
  kind: 'range';
  target: vscode.Uri;
  range: vscode.Range;
  /** The text the range held when the diff opened; accepting checks it is still there. */
  original: string;
  replacement: string;
  proposed: vscode.Uri;
}

export type Proposal = RangeProposal | FileProposal;

/**
 * Apply as diff: VS Code's diff between a file and the file with the answer's code in it, with Accept / Discard
 * (the notification, the diff editor's title buttons, the commands). Every proposal is kept under the URI of its
 * right side, so a button accepts the change of the tab it was clicked in; closing the tab frees it. A change set
 * (an answer's blocks labelled with paths) opens one diff per file, with Accept per file and Accept All, which
 * writes all of them in one WorkspaceEdit (one undo).
 */
export class ProposedChanges extends Disposable {
  /** The virtual documents: right sides, and the empty left side of a new file. */
  private readonly documents = new Map<string, string>();
  private readonly _onDidChangeDocument = this._register(new vscode.EventEmitter<vscode.Uri>());
  private readonly store = new ProposalStore<Proposal>();
  private readonly clock: EditClock;
  private seq = 0;

  constructor(
    private readonly conversation: Conversation,
    private readonly ui: ChatUi,
    private readonly log: Log,
  ) {
    super();
    this.clock = this._register(new EditClock(conversation));
    this._register(
      vscode.workspace.registerTextDocumentContentProvider(PROPOSED_SCHEME, {
        onDidChange: this._onDidChangeDocument.event,
        provideTextDocumentContent: (uri) => this.documents.get(uri.toString()) ?? '',
      }),
    );
    // A diff tab closed by hand frees its proposal (and the Accept / Discard buttons with it).
    this._register(
      vscode.window.tabGroups.onDidChangeTabs((e) => {
        for (const key of e.closed.map(proposedOf).filter((k): k is string => k !== undefined)) unawaited(this.free([key]), 'freeing a proposal');
      }),
    );
    // A proposed document VS Code let go of with no tab left showing it (a diff opened and closed by another way).
    this._register(
      vscode.workspace.onDidCloseTextDocument((doc) => {
        const key = doc.uri.toString();
        if (doc.uri.scheme === PROPOSED_SCHEME && this.store.get(key) && !allTabs().some((t) => proposedOf(t) === key)) unawaited(this.free([key]), 'freeing a proposal');
      }),
    );
    this._register({ dispose: () => this.documents.clear() });
  }

  /** The URIs of the proposals waiting for Accept (their diff tabs' right sides). */
  get pending(): string[] {
    return this.store.keys();
  }

  /** Opens the diff for the code of the answer to `requestId`, against the selection its question was about. */
  async propose(requestId: string, code: string): Promise<RangeProposal | undefined> {
    const origin = this.conversation.origin(requestId);
    let target: vscode.Uri;
    let range: vscode.Range;
    if (origin) {
      target = vscode.Uri.parse(origin.uri);
      range = new vscode.Range(...origin.range);
    } else {
      const editor = vscode.window.activeTextEditor;
      if (!editor) {
        unawaited(this.ui.showInformationMessage(vscode.l10n.t('Select the code to replace in an editor, then apply again.')), 'showing a message');
        return undefined;
      }
      target = editor.document.uri;
      range = editor.selection;
    }
    const doc = await vscode.workspace.openTextDocument(target);
    const located = locateRange(doc, range, this.conversation.turn(requestId)?.code?.text);
    if (!located) {
      unawaited(this.ui.showWarningMessage(vscode.l10n.t('The code this answer is about has changed in {0} since the question was asked; select it again and ask again.', displayPath(doc))), 'showing a message');
      return undefined;
    }
    range = located;
    const original = doc.getText(range);
    const replacement = matchTrailingNewline(code, original);
    const proposedText = replaceSpan(doc.getText(), { start: doc.offsetAt(range.start), end: doc.offsetAt(range.end) }, replacement);
    const proposed = this.virtualDocument(`/${++this.seq}/${path.posix.basename(doc.uri.path) || 'untitled'}`, proposedText);
    const proposal: RangeProposal = { kind: 'range', target, range, original, replacement, proposed };
    await this.add(proposal);
    await vscode.commands.executeCommand('vscode.diff', target, proposed, vscode.l10n.t('{0} ↔ proposed change', displayPath(doc)), { preview: false });
    this.offer(vscode.l10n.t('Review the proposed change to {0}.', displayPath(doc)), [proposed.toString()]);
    return proposal;
  }

  /** Opens a review of the change set in the answer to `requestId`: one diff per file, nothing written yet. */
  async proposeSet(requestId: string): Promise<FileProposal[]> {
    const files = parseChangeSet(this.conversation.turn(requestId)?.answer ?? '');
    if (!files.length) {
      unawaited(this.ui.showInformationMessage(vscode.l10n.t('This answer has no code blocks labelled with a workspace file.')), 'showing a message');
      return [];
    }
    const setId = ++this.seq;
    const { ready, refused } = await prepareFiles(files, this.clock.askedAt(requestId), this.clock);
    if (refused.length) {
      unawaited(this.ui.showWarningMessage(vscode.l10n.t('Left out of the review: {0}.', refused.map((r) => `${r.path} (${r.reason})`).join('; '))), 'showing a message');
    }
    const proposals: FileProposal[] = [];
    for (const [i, f] of ready.entries()) {
      const proposed = this.virtualDocument(`/set-${setId}/${f.path}`, f.content);
      const left = f.baseline === undefined ? this.virtualDocument(`/set-${setId}/new/${f.path}`, '') : f.target;
      proposals.push({ ...f, kind: 'file', setId, proposed, left });
      await this.add(proposals[i]);
    }
    // In the first editor group (the panel usually sits beside it), then the first file brought to the front.
    const show = (p: FileProposal, i: number, preserveFocus: boolean) => vscode.commands.executeCommand('vscode.diff', p.left, p.proposed, p.baseline === undefined
      ? vscode.l10n.t('{0} (new file) ↔ proposed ({1}/{2})', p.path, i + 1, proposals.length)
      : vscode.l10n.t('{0} ↔ proposed ({1}/{2})', p.path, i + 1, proposals.length), { preview: false, preserveFocus, viewColumn: vscode.ViewColumn.One });
    for (const [i, p] of proposals.entries()) await show(p, i, i > 0);
    if (proposals.length > 1) await show(proposals[0], 0, false);
    if (proposals.length) this.offer(vscode.l10n.t('Review the proposed changes to {0} file(s).', proposals.length), proposals.map((p) => p.proposed.toString()), true);
    return proposals;
  }

  /** Accepts the change of the tab `uri` names (the editor title passes it), else the active tab's, else the only one. */
  async accept(uri?: vscode.Uri): Promise<boolean> {
    const found = this.resolve(uri);
    if (!found) return false;
    return this.applyProposals([found.key]);
  }

  /** Accepts every file of the change set whose tab `uri` names, in one WorkspaceEdit. */
  async acceptAll(uri?: vscode.Uri): Promise<boolean> {
    const found = this.resolve(uri);
    if (!found) return false;
    const p = found.proposal;
    return this.applyProposals(p.kind === 'file' ? this.store.keysWhere((q) => q.kind === 'file' && q.setId === p.setId) : [found.key]);
  }

  /** Discards the change of the tab `uri` names (a change set's file: that file only). */
  async discard(uri?: vscode.Uri): Promise<void> {
    const found = this.resolve(uri);
    if (found) await this.free([found.key], true);
  }

  async discardAll(): Promise<void> {
    await this.free(this.store.keys(), true);
  }

  private resolve(uri: vscode.Uri | undefined): { key: string; proposal: Proposal } | undefined {
    const active = vscode.window.tabGroups.activeTabGroup.activeTab;
    const found = this.store.resolve(uri?.toString(), active && proposedOf(active));
    if (!found && this.store.size) unawaited(this.ui.showInformationMessage(vscode.l10n.t('Open the diff of the change to accept, then click Accept in its title.')), 'showing a message');
    return found;
  }

  private async applyProposals(keys: string[]): Promise<boolean> {
    const proposals = keys.map((k) => this.store.get(k)).filter((p): p is Proposal => p !== undefined);
    const edit = new vscode.WorkspaceEdit();
    const files = proposals.filter((p): p is FileProposal => p.kind === 'file');
    for (const p of proposals.filter((q): q is RangeProposal => q.kind === 'range')) {
      const doc = await vscode.workspace.openTextDocument(p.target);
      const range = locateRange(doc, p.range, p.original);
      if (!range) {
        unawaited(this.ui.showWarningMessage(vscode.l10n.t('{0} has changed since the diff was opened; nothing was replaced. Apply again.', displayPath(doc))), 'showing a message');
        return false;
      }
      edit.replace(p.target, range, p.replacement);
    }
    if (files.length) {
      const stale = await staleFiles(files);
      if (stale.length) {
        unawaited(this.ui.showWarningMessage(vscode.l10n.t('Not applied: {0} changed since the review opened. Nothing was written; ask again for a change against the current files.', stale.join(', '))), 'showing a message');
        return false;
      }
      await setEdit(edit, files);
    }
    const ok = await vscode.workspace.applyEdit(edit);
    const names = proposals.map((p) => (p.kind === 'file' ? p.path : path.posix.basename(p.target.path)));
    if (ok) this.log.info(`Applied the proposed change to ${names.join(', ')}.`);
    else unawaited(this.ui.showWarningMessage(vscode.l10n.t('VS Code did not apply the change to {0}.', names.join(', '))), 'showing a message');
    await this.free(keys, true);
    return ok;
  }

  private virtualDocument(uriPath: string, text: string): vscode.Uri {
    const uri = vscode.Uri.from({ scheme: PROPOSED_SCHEME, path: uriPath });
    this.documents.set(uri.toString(), text);
    this._onDidChangeDocument.fire(uri);
    return uri;
  }

  private async add(p: Proposal): Promise<void> {
    this.store.add(p.proposed.toString(), p);
    await this.updateContext();
  }

  /** The notification's Accept / Discard (Accept All / Discard All for a set): they act on those proposals only. */
  private offer(message: string, keys: string[], set = false): void {
    const accept = set ? vscode.l10n.t('Accept All') : vscode.l10n.t('Accept');
    const discard = set ? vscode.l10n.t('Discard All') : vscode.l10n.t('Discard');
    void Promise.resolve(this.ui.showInformationMessage(message, accept, discard)).then(async (choice) => {
      const live = keys.filter((k) => this.store.get(k));
      if (!live.length || choice === undefined) return;
      if (choice === accept) await this.applyProposals(live);
      else if (choice === discard) await this.free(live, true);
    }).catch((err: unknown) => this.log.error('The proposed change notification failed', err));
  }

  /** Drops proposals and their documents; `closeTabs` also closes their diff tabs. */
  private async free(keys: string[], closeTabs = false): Promise<void> {
    const gone = keys.map((k) => ({ k, p: this.store.get(k) })).filter((x): x is { k: string; p: Proposal } => x.p !== undefined);
    if (!gone.length) return;
    for (const { k, p } of gone) {
      this.store.delete(k);
      this.documents.delete(k);
      if (p.kind === 'file' && p.left.scheme === PROPOSED_SCHEME) this.documents.delete(p.left.toString());
    }
    await this.updateContext();
    if (!closeTabs) return;
    const tabs = allTabs().filter((t) => gone.some(({ k }) => proposedOf(t) === k));
    if (tabs.length) await vscode.window.tabGroups.close(tabs);
  }

  private async updateContext(): Promise<void> {
    await vscode.commands.executeCommand('setContext', DIFF_PENDING_CONTEXT, this.store.size > 0);
    await vscode.commands.executeCommand('setContext', CHANGE_SET_PENDING_CONTEXT, this.store.keysWhere((p) => p.kind === 'file').length > 0);
  }
}

function allTabs(): vscode.Tab[] {
  return vscode.window.tabGroups.all.flatMap((g) => g.tabs);
}

/** The key of the proposal a tab shows: the URI of its right side, when it is one of ours. */
function proposedOf(tab: vscode.Tab): string | undefined {
  return tab.input instanceof vscode.TabInputTextDiff && tab.input.modified.scheme === PROPOSED_SCHEME ? tab.input.modified.toString() : undefined;
}
