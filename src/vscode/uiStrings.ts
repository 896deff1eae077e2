import * as vscode from 'vscode';
import { UI_STRINGS_EN, type UiStrings } from '../shared/protocol';

/**
 * Every panel string through vscode.l10n (the English text is the key in l10n/bundle.l10n.*.json). The
 * placeholders are passed through as `{0}`, `{1}`, `{2}`, for the webview to fill in with `format`.
 */
export function localizedStrings(): UiStrings {
  const out = {} as UiStrings;
  for (const key of Object.keys(UI_STRINGS_EN) as Array<keyof UiStrings>) out[key] = vscode.l10n.t(UI_STRINGS_EN[key], '{0}', '{1}', '{2}');
  return out;
}
