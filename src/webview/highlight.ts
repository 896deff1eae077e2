/** highlight.js with a fixed set of common languages (the core alone keeps the bundle lean). */
import hljs from 'highlight.js/lib/core';
import bash from 'highlight.js/lib/languages/bash';
import c from 'highlight.js/lib/languages/c';
import cpp from 'highlight.js/lib/languages/cpp';
import csharp from 'highlight.js/lib/languages/csharp';
import css from 'highlight.js/lib/languages/css';
import diff from 'highlight.js/lib/languages/diff';
import dockerfile from 'highlight.js/lib/languages/dockerfile';
import go from 'highlight.js/lib/languages/go';
import ini from 'highlight.js/lib/languages/ini';
import java from 'highlight.js/lib/languages/java';
import javascript from 'highlight.js/lib/languages/javascript';
import json from 'highlight.js/lib/languages/json';
import kotlin from 'highlight.js/lib/languages/kotlin';
import markdown from 'highlight.js/lib/languages/markdown';
import php from 'highlight.js/lib/languages/php';
import plaintext from 'highlight.js/lib/languages/plaintext';
import powershell from 'highlight.js/lib/languages/powershell';
import python from 'highlight.js/lib/languages/python';
import ruby from 'highlight.js/lib/languages/ruby';
import rust from 'highlight.js/lib/languages/rust';
import scss from 'highlight.js/lib/languages/scss';
import shell from 'highlight.js/lib/languages/shell';
import sql from 'highlight.js/lib/languages/sql';
import swift from 'highlight.js/lib/languages/swift';
import typescript from 'highlight.js/lib/languages/typescript';
import xml from 'highlight.js/lib/languages/xml';
import yaml from 'highlight.js/lib/languages/yaml';

const LANGUAGES = {
  bash, c, cpp, csharp, css, diff, dockerfile, go, ini, java, javascript, json, kotlin, markdown, php, plaintext,
  powershell, python, ruby, rust, scss, shell, sql, swift, typescript, xml, yaml,
};
for (const [name, definition] of Object.entries(LANGUAGES)) hljs.registerLanguage(name, definition);

/** VS Code language ids that highlight.js knows under another name. */
const VSCODE_IDS: Record<string, string> = {
  typescriptreact: 'typescript', javascriptreact: 'javascript', shellscript: 'bash', jsonc: 'json',
  html: 'xml', vue: 'xml', 'objective-c': 'c', dockercompose: 'yaml', toml: 'ini', properties: 'ini',
};

/** The registered highlight.js language for a fence info string or VS Code language id, if any. */
export function resolveLanguage(lang: string | undefined): string | undefined {
  const id = (lang ?? '').trim().split(/\s+/)[0].toLowerCase();
  if (!id) return undefined;
  const name = VSCODE_IDS[id] ?? id;
  return hljs.getLanguage(name) ? name : undefined;
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => ESCAPES[ch]);
}

/** Highlighted HTML (escaped text in `hljs-*` spans). Unknown languages are escaped, not guessed: guessing runs
 *  every grammar and would be repeated on each frame while a block streams. */
export function highlightToHtml(code: string, lang: string | undefined): string {
  const language = resolveLanguage(lang);
  return language ? highlightIn(code, language) : escapeHtml(code);
}

/** Highlighted HTML for a language `resolveLanguage` returned. */
export function highlightIn(code: string, language: string): string {
  return hljs.highlight(code, { language, ignoreIllegals: true }).value;
}
