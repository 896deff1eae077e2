/** The DOM of one question and its answer. The ChatTurn it shows is the data; the view mirrors it. */
import { contextLabel } from '../core/contextItems';
import { actionLabel, format, type ChatTurn, type ErrorAction, type TurnUsage, type UiStrings } from '../shared/protocol';
import { h } from './dom';
import { codeBlock } from './markdown';
import { StreamingMarkdown } from './streamingMarkdown';
import { formatDollars } from '../core/cost';
import { changeSetBar } from './changeSetBar';
import { ChangeSetScanner } from '../core/changeSet';
import { FlowMark } from './flowMark';

export interface TurnContext {
  strings: UiStrings;
  /** Adds the Copy / Insert / Apply toolbar to rendered code blocks. */
  decorate(fragment: DocumentFragment): void;
}

export class TurnView {
  readonly element: HTMLElement;
  private readonly meta: HTMLElement;
  private readonly answer: StreamingMarkdown;
  private readonly reasoning: StreamingMarkdown;
  private readonly reasoningBox: HTMLDetailsElement;
  private readonly status: HTMLElement;
  private readonly errorBox: HTMLElement;
  private readonly usageLine: HTMLElement;
  /** The change set's Review button, once the answer is done (see changeSetBar). */
  private readonly changeSet = h('div', { class: 'change-set-slot' });
  /** The answer's labelled code blocks, read from the blocks the renderer lexed (a long answer is not lexed again). */
  private readonly changes = new ChangeSetScanner();
  private readonly flow: FlowMark;

  constructor(readonly turn: ChatTurn, private readonly ctx: TurnContext) {
    const s = ctx.strings;
    this.meta = h('div', { class: 'turn-meta' });
    const question = h('div', { class: 'question' }, h('div', { class: 'question-text', text: turn.question }));
    if (turn.code) question.append(codeContext(turn.code, s));
    if (turn.context?.length) question.append(h('div', { class: 'turn-context', attrs: { 'aria-label': s.contextChips } }, ...turn.context.map((c) => h('span', { class: 'context-chip', text: contextLabel(c) }))));
    question.append(this.meta);

    this.answer = new StreamingMarkdown((f) => ctx.decorate(f), 'answer markdown-body', this.changes);
    this.reasoning = new StreamingMarkdown((f) => ctx.decorate(f), 'reasoning-body markdown-body');
    this.reasoningBox = h('details', { class: 'reasoning' }, h('summary', { text: s.reasoning }), this.reasoning.element);
    this.status = h('div', { class: 'turn-status' });
    this.errorBox = h('div', { class: 'turn-error', attrs: { role: 'alert' } });
    this.usageLine = h('div', { class: 'usage' });
    this.element = h('section', { class: 'turn', attrs: { 'data-request-id': turn.requestId } },
      question, this.reasoningBox, this.answer.element, this.changeSet, this.errorBox, this.status, this.usageLine);
    this.flow = new FlowMark(this.element);

    this.answer.reset(turn.answer);
    this.reasoning.reset(turn.reasoning);
    // A finished turn renders whole; one restored mid-stream shows what it has and goes on streaming.
    if (turn.status !== 'streaming') this.finishStreams();
    else this.flush();
    // After the render: the change set is read from the blocks it lexed.
    this.refresh();
  }

  get requestId(): string {
    return this.turn.requestId;
  }

  get isStreaming(): boolean {
    return this.turn.status === 'streaming';
  }

  /** Fields from `turnStarted` (the extension's view of the ask: region, code, resolved model). */
  update(fields: Partial<Pick<ChatTurn, 'question' | 'code' | 'model' | 'region' | 'effort'>>): void {
    Object.assign(this.turn, fields);
    const text = this.element.querySelector('.question-text');
    if (text) text.textContent = this.turn.question;
    if (fields.code && !this.element.querySelector('.code-context')) {
      this.meta.before(codeContext(fields.code, this.ctx.strings));
    }
    this.refresh();
  }

  restart(): void {
    Object.assign(this.turn, { answer: '', reasoning: '', usage: undefined, error: undefined, notKept: undefined, status: 'streaming' });
    this.answer.reset();
    this.reasoning.reset();
    this.refresh();
  }

  appendAnswer(text: string): void {
    this.turn.answer += text;
    this.answer.append(text);
  }

  appendReasoning(text: string): void {
    this.turn.reasoning += text;
    this.reasoning.append(text);
  }

  /** Renders pending deltas; called once per animation frame. */
  flush(): boolean {
    const a = this.answer.flush();
    const r = this.reasoning.flush();
    if (r) this.reasoningBox.hidden = this.reasoning.isEmpty;
    if (a || r) this.flow.touch();
    return a || r;
  }

  setUsage(usage: TurnUsage): void {
    this.turn.usage = usage;
    this.refresh();
  }

  end(status: 'done' | 'stopped'): void {
    if (this.turn.status === 'stopped' || this.turn.status === 'error') return;
    this.turn.status = status;
    this.finishStreams();
    this.refresh();
  }

  /** `notKept`: refused before it became a turn (left out of the panel's saved state). */
  fail(message: string, actions: ErrorAction[], notKept?: boolean): void {
    if (this.turn.status === 'stopped') return; // the reader stopped it: an abort error after that is no news
    this.turn.status = 'error';
    if (notKept) this.turn.notKept = true;
    this.turn.error = { message, actions };
    this.finishStreams();
    this.refresh();
  }

  private finishStreams(): void {
    this.answer.finish();
    this.reasoning.finish();
  }

  /** Everything but the streamed Markdown, from `turn`. Cheap; never called per delta. */
  private refresh(): void {
    const { turn } = this;
    const s = this.ctx.strings;
    this.meta.textContent = [turn.model, turn.region, turn.effort].filter(Boolean).join(' · ');
    this.reasoningBox.hidden = this.reasoning.isEmpty;
    this.element.classList.toggle('is-streaming', turn.status === 'streaming');
    this.element.classList.toggle('is-stopped', turn.status === 'stopped');
    this.element.classList.toggle('is-error', turn.status === 'error');

    this.status.replaceChildren();
    if (turn.status !== 'streaming') this.flow.clear();
    if (turn.status === 'streaming') {
      this.status.append(
        h('span', { class: 'spinner', attrs: { 'aria-hidden': 'true' } }),
        h('span', { class: 'status-text', text: s.streaming }),
        h('button', { class: 'stop', text: s.stop, attrs: { type: 'button', 'data-command': 'stop' } }),
      );
    } else if (turn.status === 'stopped') {
      this.status.append(h('span', { class: 'badge stopped-badge', text: s.stopped }));
    }

    this.errorBox.replaceChildren();
    this.errorBox.hidden = !turn.error;
    if (turn.error) {
      const buttons = h('div', { class: 'error-actions' });
      let hasRetry = false;
      turn.error.actions.forEach((action, index) => {
        hasRetry ||= action.kind === 'askAgain';
        buttons.append(h('button', {
          class: `error-action action-${action.kind}`, text: actionLabel(action, s),
          attrs: { type: 'button', 'data-command': action.kind === 'askAgain' ? 'retry' : 'action', 'data-index': String(index) },
        }));
      });
      if (!hasRetry) buttons.append(h('button', { class: 'error-action action-retry', text: s.retry, attrs: { type: 'button', 'data-command': 'retry' } }));
      this.errorBox.append(h('div', { class: 'error-title', text: s.errorTitle }), h('div', { class: 'error-message', text: turn.error.message }), buttons);
    }

    const bar = changeSetBar(turn, s, this.changes.files());
    this.changeSet.replaceChildren(...(bar ? [bar] : []));

    this.usageLine.replaceChildren();
    this.usageLine.hidden = !turn.usage;
    if (turn.usage) this.usageLine.append(...usageParts(turn.usage, s));
  }
}

function codeContext(code: NonNullable<ChatTurn['code']>, s: UiStrings): HTMLDetailsElement {
  const pre = codeBlock(code.text, code.languageId);
  return h('details', { class: 'code-context' },
    h('summary', { text: format(s.codeContext, code.fileName, code.startLine, code.endLine) }), pre);
}

const integer = new Intl.NumberFormat('en-US');

export function formatSeconds(ms: number): string {
  return `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
}

function usageParts(u: TurnUsage, s: UiStrings): HTMLElement[] {
  const item = (name: string, label: string, value: string): HTMLElement =>
    h('span', { class: `usage-item usage-${name}` }, h('span', { class: 'usage-label', text: `${label} ` }), h('span', { class: 'usage-value', text: value }));
  const parts = [
    item('input', s.inputTokens, integer.format(u.usage.inputTokens)),
    item('cached', s.cachedTokens, integer.format(u.usage.cachedInputTokens)),
    item('output', s.outputTokens, integer.format(u.usage.outputTokens)),
    item('reasoning', s.reasoningTokens, integer.format(u.usage.reasoningTokens)),
    item('cost', s.cost, u.costKnown === false ? s.costUnknown : formatDollars(u.dollars)),
  ];
  if (u.usage.cachedInputTokens > 0 && u.costKnown !== false && u.savedDollars !== undefined) parts.push(item('saved', s.cacheSaved, formatDollars(u.savedDollars)));
  if (u.firstTokenMs !== undefined) parts.push(item('first-token', s.firstToken, formatSeconds(u.firstTokenMs)));
  parts.push(item('total-time', s.totalTime, formatSeconds(u.totalMs)));
  return parts;
}
