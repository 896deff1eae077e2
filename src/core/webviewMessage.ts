/**
 * Trust nothing the webview sends: a message is taken only when every field has the type, length and value the
 * protocol allows (the panel renders model output, so its messages are treated like any other untrusted input).
 * SDK-free: the chat panel checks each message with this before the controller sees it.
 */
import { isContextRef, MAX_CONTEXT_ITEMS } from './contextItems';
import type { ErrorAction } from './errors';
import { isRegionId } from './models';
import { isReasoningEffort } from './types';
import type { ContextSource, WebviewMessage } from '../shared/protocol';

/** Caps on what one message may carry; the context budget refuses large questions later with its own message. */
export const WEBVIEW_LIMITS = {
  id: 128,
  prompt: 2_000_000,
  code: 4_000_000,
  href: 8_192,
  title: 200,
  query: 500,
  path: 1_024,
  modelId: 128,
} as const;

export interface MessageContext {
  /** The model ids the panel was offered; a per-ask override must be one of them. */
  models: readonly string[];
}

type Bag = Record<string, unknown>;

const CONTEXT_SOURCES: ReadonlySet<string> = new Set<ContextSource>(['file', 'open', 'problems', 'selection']);

const str = (v: unknown, max: number, min = 0): v is string => typeof v === 'string' && v.length >= min && v.length <= max;
const id = (v: unknown): v is string => str(v, WEBVIEW_LIMITS.id, 1);
const line = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 1 && v <= 10_000_000;
const optional = (v: unknown, ok: (x: unknown) => boolean) => v === undefined || ok(v);

/** AWS profile names: letters, digits and `_ - . + @ /`, as the AWS CLI writes them into its files. */
const PROFILE_NAME = /^[\w.+@/-]{1,128}$/;
/** Settings an error may open: ours, by key. */
const SETTING_KEY = /^bedrockGpt\.[A-Za-z]{1,64}$/;

export function isErrorAction(v: unknown): v is ErrorAction {
  if (typeof v !== 'object' || v === null) return false;
  const a = v as Bag;
  switch (a.kind) {
    case 'switchRegion': return typeof a.region === 'string' && isRegionId(a.region);
    case 'ssoLogin': return typeof a.profile === 'string' && PROFILE_NAME.test(a.profile);
    case 'openSettings': return optional(a.setting, (s) => typeof s === 'string' && SETTING_KEY.test(s));
    case 'selectEffort': return Array.isArray(a.values) && a.values.length <= 10 && a.values.every(isReasoningEffort);
    case 'selectProfile':
    case 'askAgain':
    case 'refreshToken':
    case 'setApiKey':
      return true;
    default:
      return false;
  }
}

/** The message, when it is one the protocol allows field by field; otherwise undefined. */
export function parseWebviewMessage(value: unknown, context: MessageContext): WebviewMessage | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const m = value as Bag;
  return isValid(m, context) ? (m as unknown as WebviewMessage) : undefined;
}

function isValid(m: Bag, context: MessageContext): boolean {
  switch (m.type) {
    case 'ready':
    case 'newChat':
    case 'exportChat':
    case 'reviewChanges':
      return true;
    case 'ask':
      return id(m.requestId) && str(m.prompt, WEBVIEW_LIMITS.prompt)
        && optional(m.model, (x) => str(x, WEBVIEW_LIMITS.modelId, 1) && context.models.includes(x))
        && optional(m.effort, isReasoningEffort)
        && optional(m.context, (c) => Array.isArray(c) && c.length <= MAX_CONTEXT_ITEMS && c.every(isContextRef));
    case 'contextQuery':
      return CONTEXT_SOURCES.has(m.source as string) && str(m.query, WEBVIEW_LIMITS.query);
    case 'cancel':
    case 'retry':
    case 'applyChangeSet':
      return id(m.requestId);
    case 'copy':
      return str(m.code, WEBVIEW_LIMITS.code);
    case 'insert':
    case 'applyDiff':
      return id(m.requestId) && str(m.code, WEBVIEW_LIMITS.code);
    case 'openLink':
      return str(m.href, WEBVIEW_LIMITS.href) && /^https?:\/\//i.test(m.href);
    case 'action':
      return id(m.requestId) && isErrorAction(m.action);
    case 'listHistory':
      return optional(m.query, (q) => str(q, WEBVIEW_LIMITS.query));
    case 'openConversation':
    case 'deleteConversation':
      return id(m.id);
    case 'renameConversation':
      return id(m.id) && str(m.title, WEBVIEW_LIMITS.title, 1);
    case 'openLocation':
      return str(m.path, WEBVIEW_LIMITS.path, 1) && line(m.line) && optional(m.endLine, line);
    case 'workspacePrompt':
      return typeof m.hash === 'string' && /^[0-9a-f]{64}$/.test(m.hash) && typeof m.allow === 'boolean';
    default:
      return false;
  }
}

/** Whether `action` is one of those the extension offered (same kind and fields, whatever the key order). */
export function wasOffered(action: ErrorAction, offered: readonly ErrorAction[] | undefined): boolean {
  const canonical = (a: ErrorAction) => JSON.stringify(Object.entries(a).sort(([x], [y]) => x.localeCompare(y)));
  return !!offered?.some((o) => canonical(o) === canonical(action));
}
