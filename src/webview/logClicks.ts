/** What a click (or Enter) in the answer log asks for: a message to the extension, stopping a stream, or nothing. */
import type { ChatTurn, UiStrings, WebviewMessage } from '../shared/protocol';
import { codeAction } from './codeBlocks';
import { LINK_CLASS, LOCATION_CLASS } from './markdown';

export type LogClick = { message: WebviewMessage } | { stop: string } | undefined;

export function logClick(e: Event, turnOf: (requestId: string) => ChatTurn | undefined, strings: UiStrings): LogClick {
  const target = e.target instanceof Element ? e.target : undefined;
  if (!target) return undefined;
  const location = target.closest<HTMLElement>(`.${LOCATION_CLASS}`);
  if (location?.dataset.path && location.dataset.line) {
    const endLine = location.dataset.endLine ? Number(location.dataset.endLine) : undefined;
    return { message: { type: 'openLocation', path: location.dataset.path, line: Number(location.dataset.line), ...(endLine && { endLine }) } };
  }
  const link = target.closest('a');
  if (link) {
    // Never navigate inside the webview; only sanitized http(s) links carry data-href.
    e.preventDefault();
    const href = link.classList.contains(LINK_CLASS) ? link.getAttribute('data-href') : null;
    return href ? { message: { type: 'openLink', href } } : undefined;
  }
  const button = target.closest('button');
  if (!button) return undefined;
  const requestId = button.closest('.turn')?.getAttribute('data-request-id') ?? '';
  const command = button.getAttribute('data-command');
  if (command === 'stop') return { stop: requestId };
  if (command === 'retry') return { message: { type: 'retry', requestId } };
  if (command === 'applyChangeSet') return { message: { type: 'applyChangeSet', requestId } };
  if (command === 'action') {
    const action = turnOf(requestId)?.error?.actions[Number(button.getAttribute('data-index'))];
    return action ? { message: { type: 'action', requestId, action } } : undefined;
  }
  const message = codeAction(button, requestId, strings);
  return message ? { message } : undefined;
}
