/**
 * The chat panel's HTML and Content-Security-Policy, built in one place so that the panel (src/vscode/chat/chatPanel.ts)
 * and the Chromium tests (test/webview/page.ts) serve exactly the same page: one stylesheet, one nonce'd script,
 * nothing inline, no remote content.
 */

export interface WebviewHtmlOptions {
  /** `webview.cspSource` in VS Code; the page's origin here. */
  cspSource: string;
  /** From `crypto.randomBytes`, new for every render of the HTML. */
  nonce: string;
  scriptUri: string;
  styleUri: string;
  lang?: string;
  title?: string;
  /** Test only: scripts (same nonce) and styles loaded before the bundle. The panel passes none. */
  preludeScripts?: string[];
  extraStyles?: string[];
  bodyClass?: string;
  /** Test only: leave the CSP out, to prove the sanitizer alone stops the XSS corpus. */
  withoutCsp?: boolean;
}

export function contentSecurityPolicy(cspSource: string, nonce: string): string {
  return [
    "default-src 'none'",
    `script-src 'nonce-${nonce}'`,
    `style-src ${cspSource}`,
    `img-src ${cspSource} data:`,
    `font-src ${cspSource}`,
  ].join('; ');
}

const attr = (value: string): string => value.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** The panel's HTML: one stylesheet, one nonce'd script, nothing inline. The chat panel builds the same. */
export function webviewHtml(o: WebviewHtmlOptions): string {
  const csp = o.withoutCsp ? '' : `<meta http-equiv="Content-Security-Policy" content="${attr(contentSecurityPolicy(o.cspSource, o.nonce))}">\n`;
  const styles = [...(o.extraStyles ?? []), o.styleUri].map((href) => `<link rel="stylesheet" href="${attr(href)}">`).join('\n');
  const scripts = [...(o.preludeScripts ?? []), o.scriptUri]
    .map((src) => `<script nonce="${attr(o.nonce)}" src="${attr(src)}"></script>`).join('\n');
  return `<!DOCTYPE html>
<html lang="${attr(o.lang ?? 'en')}">
<head>
<meta charset="UTF-8">
${csp}<meta name="viewport" content="width=device-width, initial-scale=1.0">
${styles}
<title>${attr(o.title ?? 'Bedrock GPT')}</title>
</head>
<body${o.bodyClass ? ` class="${attr(o.bodyClass)}"` : ''}>
${scripts}
</body>
</html>
`;
}
