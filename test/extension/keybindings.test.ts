// The extension's default keybindings against the real workbench's own list (VS Code 1.139's Default
// Keybindings, as `Preferences: Open Default Keyboard Shortcuts (JSON)` shows them), and against AltGr:
// on Windows Ctrl+Alt is AltGr, which types characters on many European layouts.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { EXTENSION_ID } from '../../src/vscode/constants';

interface Binding { key: string; command: string; mac?: string; when?: string }

/** JSON with comments, as VS Code writes its default keybindings file. */
function parseJsonc(text: string): unknown {
  return JSON.parse(text.replace(/("(?:[^"\\]|\\.)*")|\/\/[^\n]*|\/\*[\s\S]*?\*\//g, (m, s: string | undefined) => s ?? ''));
}

/** `ctrl+k ctrl+g` → `ctrl+k ctrl+g` with each chord's modifiers in one order, so spellings compare equal. */
function normalize(key: string): string {
  const order = ['ctrl', 'shift', 'alt', 'meta', 'cmd', 'win'];
  return key.toLowerCase().trim().split(/\s+/).map((chord) => {
    const parts = chord.split('+');
    const base = parts.pop()!;
    return [...parts.sort((a, b) => order.indexOf(a) - order.indexOf(b)), base].join('+');
  }).join(' ');
}

async function defaultKeybindings(): Promise<Binding[]> {
  await vscode.commands.executeCommand('workbench.action.openDefaultKeybindingsFile');
  const doc = vscode.window.activeTextEditor?.document;
  assert.ok(doc && /keybindings\.json$/.test(doc.uri.path), `the default keybindings opened (got ${doc?.uri.toString()})`);
  const list = parseJsonc(doc.getText()) as Binding[];
  await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  return list;
}

suite('keybindings', () => {
  const ours = (vscode.extensions.getExtension(EXTENSION_ID)!.packageJSON as { contributes: { keybindings: Binding[] } })
    .contributes.keybindings;

  test('the extension contributes a keybinding for asking about the selection', () => {
    assert.ok(ours.some((b) => b.command === 'bedrockGpt.askAboutSelection' && b.key && b.mac));
  });

  test('no keybinding of ours is Ctrl+Alt (AltGr on Windows)', () => {
    for (const b of ours) {
      for (const chord of normalize(b.key).split(' ')) {
        assert.ok(!(chord.includes('ctrl+') && chord.includes('alt+')), `${b.command}: ${b.key} holds Ctrl+Alt, which is AltGr on Windows`);
      }
    }
  });

  test('no keybinding of ours takes a key that VS Code 1.139 binds by default', async () => {
    const defaults = await defaultKeybindings();
    const others = defaults.filter((d) => !d.command.replace(/^-/, '').startsWith('bedrockGpt.'));
    assert.ok(others.length > 500, `the workbench lists ${others.length} default keybindings`);
    const taken = new Map<string, string[]>();
    for (const d of others) {
      const k = normalize(d.key);
      taken.set(k, [...(taken.get(k) ?? []), d.command]);
    }
    for (const b of ours) {
      const k = normalize(b.key);
      assert.deepEqual(taken.get(k) ?? [], [], `${b.key} (${b.command}) is VS Code's own binding for`);
    }
  });
});
