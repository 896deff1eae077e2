import * as path from 'node:path';
import * as vscode from 'vscode';
import type { Conversation } from '../../core/conversation';
import { matchTrailingNewline, replaceSpan } from '../../core/textEdits';
import { DIFF_PENDING_CONTEXT, PROPOSED_SCHEME } from '../constants';
import { Disposable } from '../lifecycle';
import { unawaited, type Log } from '../log';
import { displayPath, locateRange, type ChatUi } from './editorTarget';

export interface PendingChange {
  target: vscode.Uri;
  range: vscode.Range;
  /** The text the range held when the diff opened; accepting checks it is still there. */
  original: string;
  replacement: string;
  proposed: vscode.Uri;
}

/**
 * Apply as diff: VS Code's diff between the file and the file with the answer's code in place of the selection,
 * with Accept / Discard (the notification, the diff editor's title buttons, the commands). One change is pending
 * at a time; closing its tab drops it.
 */
export class ProposedChanges extends Disposable {
  private readonly documents = new Map<string, string>();
  private readonly _onDidChangeDocument = this._register(new vscode.EventEmitter<vscode.Uri>());
  private pending: PendingChange | undefined;
  private seq = 0;

  constructor(
    private readonly conversation: Conversation,
    private readonly ui: ChatUi,
    private readonly log: Log,
  ) {
    super();
    this._register(
      vscode.workspace.registerTextDocumentContentProvider(PROPOSED_SCHEME, {
        onDidChange: this._onDidChangeDocument.event,
        provideTextDocumentContent: (uri) => this.documents.get(uri.toString()) ?? '',
      }),
    );
    // A diff tab closed by hand drops its pending change (and the Accept / Discard buttons with it).
    this._register(
      vscode.window.tabGroups.onDidChangeTabs((e) => {
        const p = this.pending;
        if (p && e.closed.some((t) => isDiffOf(t, p.proposed))) unawaited(this.close(p), 'closing the proposed change');
      }),
    );
  }

  /** Opens the diff for the code of the answer to `requestId`, against the selection its question was about. */
  async propose(requestId: string, code: string): Promise<PendingChange | undefined> {
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
    const proposed = vscode.Uri.from({ scheme: PROPOSED_SCHEME, path: `/${++this.seq}/${path.posix.basename(doc.uri.path) || 'untitled'}` });
    this.documents.set(proposed.toString(), proposedText);
    this._onDidChangeDocument.fire(proposed);
    const pending: PendingChange = { target, range, original, replacement, proposed };
    this.pending = pending;
    await vscode.commands.executeCommand('setContext', DIFF_PENDING_CONTEXT, true);
    await vscode.commands.executeCommand('vscode.diff', target, proposed, vscode.l10n.t('{0} ↔ proposed change', displayPath(doc)), { preview: true });
    const accept = vscode.l10n.t('Accept');
    const discard = vscode.l10n.t('Discard');
    void Promise.resolve(this.ui.showInformationMessage(vscode.l10n.t('Review the proposed change to {0}.', displayPath(doc)), accept, discard)).then(async (choice) => {
      if (this.pending !== pending) return;
      if (choice === accept) await this.accept();
      else if (choice === discard) await this.discard();
    }).then(undefined, (err: unknown) => this.log.error('Accept / Discard failed', err));
    return pending;
  }

  /** Replaces the selection with the proposed code (a WorkspaceEdit, so it is one undoable step). */
  async accept(): Promise<boolean> {
    const p = this.pending;
    if (!p) return false;
    const doc = await vscode.workspace.openTextDocument(p.target);
    const range = locateRange(doc, p.range, p.original);
    if (!range) {
      unawaited(this.ui.showWarningMessage(vscode.l10n.t('{0} has changed since the diff was opened; apply again.', displayPath(doc))), 'showing a message');
      return false;
    }
    const edit = new vscode.WorkspaceEdit();
    edit.replace(p.target, range, p.replacement);
    const ok = await vscode.workspace.applyEdit(edit);
    if (ok) this.log.info(`Applied the proposed change to ${displayPath(doc)}.`);
    await this.close(p);
    return ok;
  }

  async discard(): Promise<void> {
    const p = this.pending;
    if (p) await this.close(p);
  }

  private async close(p: PendingChange): Promise<void> {
    if (this.pending === p) this.pending = undefined;
    await vscode.commands.executeCommand('setContext', DIFF_PENDING_CONTEXT, this.pending !== undefined);
    const tabs = vscode.window.tabGroups.all.flatMap((g) => g.tabs).filter((t) => isDiffOf(t, p.proposed));
    if (tabs.length) await vscode.window.tabGroups.close(tabs);
    this.documents.delete(p.proposed.toString());
  }
}

function isDiffOf(tab: vscode.Tab, proposed: vscode.Uri): boolean {
  return tab.input instanceof vscode.TabInputTextDiff && tab.input.modified.toString() === proposed.toString();
}
