import * as path from 'node:path';
import * as vscode from 'vscode';
import type { TurnOrigin } from '../../core/conversation';
import { checkSelection } from '../../core/contextBudget';
import { withProblems, type ReportedProblem } from '../../core/diagnostics';
import { locate, type Span } from '../../core/textEdits';
import { assertNever, type TurnCode } from '../../shared/protocol';
import { SECTION, Settings } from '../constants';
import { unawaited } from '../log';

export type QuickAction = 'explain' | 'findBugs' | 'writeTests' | 'refactor';

/** The dialogs the chat uses: injectable so tests can answer them. */
export type ChatUi = Pick<typeof vscode.window, 'showInputBox' | 'showInformationMessage' | 'showWarningMessage' | 'showErrorMessage'>;

export interface EditorTarget {
  code: TurnCode;
  origin: TurnOrigin;
  problems: ReportedProblem[];
}

/**
 * The selection of the active editor as a question's code; the whole file (asked first) when it is empty. Code
 * over `maxCharacters` (bedrockGpt.maxSelectionCharacters) is refused here, before any turn is kept.
 */
export async function selectionTarget(ui: ChatUi, maxCharacters: number): Promise<EditorTarget | undefined> {
  const editor = vscode.window.activeTextEditor;
  if (!editor) {
    unawaited(ui.showInformationMessage(vscode.l10n.t('Open a file and select the code to ask about.')), 'showing a message');
    return undefined;
  }
  const doc = editor.document;
  let range: vscode.Range = editor.selection;
  if (editor.selection.isEmpty) {
    const text = doc.getText();
    const name = displayPath(doc);
    if (!text.trim()) {
      unawaited(ui.showInformationMessage(vscode.l10n.t('Nothing is selected, and {0} is empty.', name)), 'showing a message');
      return undefined;
    }
    if (checkSelection(text, maxCharacters).kind === 'refuse') {
      unawaited(ui.showInformationMessage(
        vscode.l10n.t('Nothing is selected, and {0} is too large to send whole ({1} characters; the limit is {2}). Select the code to ask about.', name, text.length, maxCharacters),
      ), 'showing a message');
      return undefined;
    }
    const whole = vscode.l10n.t('Use Whole File');
    const choice = await ui.showInformationMessage(vscode.l10n.t('Nothing is selected. Ask about the whole file {0} ({1} lines)?', name, doc.lineCount), { modal: true }, whole);
    if (choice !== whole) return undefined;
    range = new vscode.Range(doc.positionAt(0), doc.positionAt(text.length));
  }
  const startLine = range.start.line + 1;
  // A selection that ends at the start of a line does not include that line.
  const endLine = range.end.line > range.start.line && range.end.character === 0 ? range.end.line : range.end.line + 1;
  const selected = doc.getText(range);
  const verdict = checkSelection(selected, maxCharacters);
  if (verdict.kind === 'refuse') {
    unawaited(refuseSelection(ui, verdict.characters, verdict.limit), 'the selection-size message');
    return undefined;
  }
  const code: TurnCode = { text: selected, languageId: doc.languageId, fileName: displayPath(doc), startLine, endLine };
  const origin: TurnOrigin = { uri: doc.uri.toString(), range: [range.start.line, range.start.character, range.end.line, range.end.character] };
  const problems = vscode.languages
    .getDiagnostics(doc.uri)
    .filter((d) => d.range.intersection(range) !== undefined)
    .map((d) => ({ line: d.range.start.line, severity: d.severity, source: d.source, code: typeof d.code === 'object' ? d.code.value : d.code, message: d.message }));
  return { code, origin, problems };
}

/** Nothing is sent or kept; the message names the size, the limit and what to do, and opens the setting. */
async function refuseSelection(ui: ChatUi, characters: number, limit: number): Promise<void> {
  const open = vscode.l10n.t('Open settings');
  const choice = await ui.showWarningMessage(
    vscode.l10n.t('Not sent: the selection has {0} characters, more than the limit of {1} (bedrockGpt.maxSelectionCharacters). Select less code, or raise the setting.', characters.toLocaleString('en-US'), limit.toLocaleString('en-US')),
    open,
  );
  if (choice === open) await vscode.commands.executeCommand('workbench.action.openSettings', `${SECTION}.${Settings.maxSelectionCharacters}`);
}

export function quickActionPrompt(action: QuickAction, target: EditorTarget): string {
  switch (action) {
    case 'explain':
      return vscode.l10n.t('Explain this code.');
    case 'findBugs':
      return withProblems(
        vscode.l10n.t('Find bugs in this code: say what goes wrong, when, and how to fix it (with corrected code).'),
        target.problems,
        vscode.l10n.t('VS Code reports these problems in the selection:'),
        (line) => vscode.l10n.t('line {0}', line),
      );
    case 'writeTests':
      return vscode.l10n.t('Write unit tests for this code, with the test framework this project appears to use. Cover edge cases.');
    case 'refactor':
      return vscode.l10n.t('Refactor this code for readability and maintainability without changing its behaviour. Return the complete refactored code in one code block.');
    default:
      return assertNever(action, 'quick action');
  }
}

/** The range if it still holds `expected`; else the first place the text now is; else undefined (core's locate). */
export function locateRange(doc: vscode.TextDocument, range: vscode.Range, expected: string | undefined): vscode.Range | undefined {
  const valid = doc.validateRange(range);
  const span = locate(doc.getText(), { start: doc.offsetAt(valid.start), end: doc.offsetAt(valid.end) }, expected);
  return span && toRange(doc, span);
}

function toRange(doc: vscode.TextDocument, span: Span): vscode.Range {
  return new vscode.Range(doc.positionAt(span.start), doc.positionAt(span.end));
}

export function displayPath(doc: vscode.TextDocument): string {
  return doc.isUntitled ? path.basename(doc.fileName) : vscode.workspace.asRelativePath(doc.uri, false);
}
