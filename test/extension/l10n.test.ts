// Every UI string is localizable, and the Japanese translation covers the extension's own strings:
// package.json's %keys% in package.nls.json and package.nls.ja.json, and every vscode.l10n.t() message of
// src/extension.ts and src/vscode/**/*.ts, plus the chat panel's strings (UI_STRINGS_EN), in l10n/bundle.l10n.ja.json.
import * as assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { UI_STRINGS_EN } from '../../src/shared/protocol';
import { EXTENSION_ID } from '../../src/vscode/constants';

function root(): string {
  return vscode.extensions.getExtension(EXTENSION_ID)!.extensionPath;
}

function json(file: string): Record<string, unknown> {
  return JSON.parse(readFileSync(join(root(), file), 'utf8')) as Record<string, unknown>;
}

/** The .ts files under `dir` (relative to the extension's root), subfolders included. */
function sources(dir: string): string[] {
  return readdirSync(join(root(), dir), { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sources(`${dir}/${e.name}`) : e.name.endsWith('.ts') ? [`${dir}/${e.name}`] : [],
  );
}

/** The first argument of each vscode.l10n.t('…') call (single-quoted literals, as the code writes them), or of
 *  each t('…') call for the error messages, which the extension words through vscode.l10n.t. */
function messages(file: string, call = /l10n\.t\(\s*'((?:[^'\\]|\\.)*)'/g): string[] {
  const text = readFileSync(join(root(), file), 'utf8');
  return [...text.matchAll(call)].map((m) => m[1].replace(/\\(['"\\])/g, '$1'));
}

suite('localization', () => {
  test('package.json strings are %keys% that package.nls.json and package.nls.ja.json both define', () => {
    const manifest = readFileSync(join(root(), 'package.json'), 'utf8');
    const keys = [...new Set([...manifest.matchAll(/"%([\w.-]+)%"/g)].map((m) => m[1]))];
    const en = json('package.nls.json');
    const ja = json('package.nls.ja.json');
    assert.ok(keys.length > 20, `package.json uses ${keys.length} %keys%`);
    assert.deepEqual(keys.filter((k) => !(k in en)), [], 'missing in package.nls.json');
    assert.deepEqual(keys.filter((k) => !(k in ja)), [], 'missing in package.nls.ja.json');
    assert.deepEqual(Object.keys(ja).filter((k) => !(k in en)), [], 'package.nls.ja.json keys that package.nls.json lacks');
    assert.equal(json('package.json').l10n, './l10n');
  });

  test('every l10n.t() message of the extension layer and every panel string has a Japanese translation', () => {
    const files = ['src/extension.ts', ...sources('src/vscode')];
    assert.ok(files.includes('src/vscode/chat/chatController.ts'), 'the chat commands are among the files read');
    const errors = messages('src/core/errors/messages.ts', /\bt\(\s*'((?:[^'\\]|\\.)*)'/g);
    assert.ok(errors.length > 50, `${errors.length} error message templates found`);
    const all = [...new Set([...files.flatMap((f) => messages(f)), ...errors, ...Object.values(UI_STRINGS_EN)])];
    const ja = json('l10n/bundle.l10n.ja.json');
    assert.ok(all.length > 40, `${all.length} messages found`);
    assert.deepEqual(all.filter((m) => !(m in ja)), [], 'messages without a Japanese translation');
    for (const m of all) {
      const placeholders = (s: string) => [...s.matchAll(/\{\w+\}/g)].map((x) => x[0]).sort().join();
      assert.equal(placeholders(String(ja[m])), placeholders(m), `the translation of "${m}" keeps its placeholders`);
    }
  });
});
