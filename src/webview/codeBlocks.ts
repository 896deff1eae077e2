/** The toolbar around each code block of an answer and what its buttons send, the pickers, the theme class. */
import type { PanelSettings, ThemeKind, UiStrings, WebviewMessage } from '../shared/protocol';
import { h } from './dom';

const THEME_CLASSES: Record<ThemeKind, string> = {
  light: 'vscode-light', dark: 'vscode-dark', 'high-contrast': 'vscode-high-contrast', 'high-contrast-light': 'vscode-high-contrast-light',
};

/** Wraps every rendered `pre > code` with a toolbar. The buttons carry no code: a click reads the block's text. */
export function decorateCode(s: UiStrings, fragment: DocumentFragment): void {
  for (const code of fragment.querySelectorAll('pre > code')) {
    const pre = code.parentElement as HTMLElement;
    if (pre.parentElement?.classList.contains('code-block')) continue;
    const language = [...code.classList].find((c) => c.startsWith('language-'))?.slice('language-'.length) ?? '';
    const button = (command: string, label: string): HTMLButtonElement =>
      h('button', { class: `code-action code-${command}`, text: label, attrs: { type: 'button', 'data-command': command } });
    const block = h('div', { class: 'code-block', attrs: { 'data-language': language } },
      h('div', { class: 'code-toolbar' }, h('span', { class: 'code-language', text: language }),
        button('copy', s.copy), button('insert', s.insert), button('apply', s.apply)));
    pre.replaceWith(block);
    block.append(pre);
  }
}

export function applyTheme(theme: ThemeKind): void {
  document.body.classList.remove(...Object.values(THEME_CLASSES));
  document.body.classList.add(THEME_CLASSES[theme]);
}

/** The message a code block's Copy, Insert or Apply button sends (Copy also says "Copied" for a moment). */
export function codeAction(button: HTMLButtonElement, requestId: string, s: UiStrings): WebviewMessage | undefined {
  const code = button.closest('.code-block')?.querySelector('pre > code')?.textContent;
  if (code === undefined || code === null) return undefined;
  switch (button.getAttribute('data-command')) {
    case 'copy':
      button.textContent = s.copied;
      setTimeout(() => { button.textContent = s.copy; }, 1500);
      return { type: 'copy', code };
    case 'insert':
      return { type: 'insert', requestId, code };
    case 'apply':
      return { type: 'applyDiff', requestId, code };
    default:
      return undefined;
  }
}

/** The composer's model and effort pickers: the configured default first, then the others. */
export function fillPickers(modelPicker: HTMLSelectElement, effortPicker: HTMLSelectElement, settings: PanelSettings | undefined, s: UiStrings): void {
  const option = (value: string, label: string): HTMLOptionElement => h('option', { text: label, attrs: { value } });
  modelPicker.replaceChildren();
  effortPicker.replaceChildren();
  modelPicker.setAttribute('aria-label', s.model);
  effortPicker.setAttribute('aria-label', s.effort);
  if (!settings) {
    modelPicker.hidden = effortPicker.hidden = true;
    return;
  }
  modelPicker.hidden = effortPicker.hidden = false;
  const defaultModel = settings.models.find((m) => m.id === settings.model)?.label ?? settings.model;
  modelPicker.append(option('', `${defaultModel} ${s.defaultSuffix}`),
    ...settings.models.filter((m) => m.id !== settings.model).map((m) => option(m.id, m.label)));
  effortPicker.append(option('', `${s.effort}: ${settings.effort} ${s.defaultSuffix}`),
    ...settings.efforts.filter((e) => e !== settings.effort).map((e) => option(e, `${s.effort}: ${e}`)));
}
