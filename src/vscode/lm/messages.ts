/**
 * VS Code's language-model messages and tools, reduced to the core's plain shapes (src/core/chat/tools.ts):
 * text, tool-call and tool-result parts; function tools; the tool mode. Only types come from the core, so this
 * module stays out of the lazily loaded bundle.
 */
import * as vscode from 'vscode';
import type { ChatMessage, ChatPart, FunctionTool, ToolChoice } from '../../core/chat/tools';

/** Text of a tool result's content: text parts as they are, prompt-tsx parts by their text nodes, text data decoded. */
function resultText(content: readonly unknown[]): string {
  return content.map(partText).filter(Boolean).join('\n');
}

function partText(part: unknown): string {
  if (part instanceof vscode.LanguageModelTextPart) return part.value;
  if (part instanceof vscode.LanguageModelPromptTsxPart) return treeText(part.value);
  const data = part as { mimeType?: unknown; data?: unknown };
  if (typeof data?.mimeType === 'string' && data.data instanceof Uint8Array) {
    return /^text\/|json|xml/.test(data.mimeType) ? new TextDecoder().decode(data.data) : `[${data.mimeType} content left out]`;
  }
  const value = (part as { value?: unknown })?.value;
  return typeof value === 'string' ? value : '';
}

/** The text in a rendered prompt-tsx tree (nodes with `text`, children under `children`), bounded in depth. */
function treeText(node: unknown, depth = 0): string {
  if (depth > 64 || node === null || typeof node !== 'object') return typeof node === 'string' ? node : '';
  const n = node as { text?: unknown; children?: unknown; node?: unknown };
  if (typeof n.text === 'string') return n.text;
  const children = Array.isArray(n.children) ? n.children : n.node ? [n.node] : [];
  return children.map((c) => treeText(c, depth + 1)).join('');
}

function toPart(part: unknown): ChatPart | undefined {
  if (part instanceof vscode.LanguageModelTextPart) return { type: 'text', text: part.value };
  if (part instanceof vscode.LanguageModelToolCallPart) return { type: 'toolCall', callId: part.callId, name: part.name, input: part.input };
  if (part instanceof vscode.LanguageModelToolResultPart) return { type: 'toolResult', callId: part.callId, output: resultText(part.content) };
  return undefined; // images and other data: the models here take text only (imageInput: false)
}

/** User → user, Assistant → assistant, anything else (the System role of newer builds) → developer. */
function roleOf(role: vscode.LanguageModelChatMessageRole): ChatMessage['role'] {
  if (role === vscode.LanguageModelChatMessageRole.User) return 'user';
  if (role === vscode.LanguageModelChatMessageRole.Assistant) return 'assistant';
  return 'developer';
}

export function toChatMessages(messages: readonly vscode.LanguageModelChatRequestMessage[]): ChatMessage[] {
  return messages.map((m) => ({
    role: roleOf(m.role),
    parts: m.content.map(toPart).filter((p): p is ChatPart => p !== undefined),
  }));
}

/** A message argument of provideTokenCount, as one core message. */
export function toCountable(message: vscode.LanguageModelChatRequestMessage): ChatMessage {
  return toChatMessages([message])[0];
}

export function toFunctionTools(tools: readonly vscode.LanguageModelChatTool[] | undefined): FunctionTool[] {
  return (tools ?? []).map((t) => ({
    name: t.name,
    description: t.description,
    ...(t.inputSchema && { parameters: t.inputSchema as Record<string, unknown> }),
  }));
}

export function toToolChoice(mode: vscode.LanguageModelChatToolMode, tools: FunctionTool[]): ToolChoice | undefined {
  if (!tools.length) return undefined;
  return mode === vscode.LanguageModelChatToolMode.Required ? 'required' : 'auto';
}
