/** The chat panel's entry point (bundled as an iife; loaded by a nonce'd script tag). */
import { isExtensionMessage } from '../shared/protocol';
import { ChatApp, type VsCodeApi } from './chatApp';

declare function acquireVsCodeApi(): VsCodeApi;

const vscode = acquireVsCodeApi();
const app = new ChatApp(document.body, vscode);
window.addEventListener('message', (event: MessageEvent<unknown>) => {
  if (isExtensionMessage(event.data)) app.handle(event.data);
});
// Listening now; the extension holds every message until this arrives.
vscode.postMessage({ type: 'ready' });
