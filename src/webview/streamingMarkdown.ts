/**
 * Renders Markdown that arrives in pieces, in time linear in its length.
 *
 * The text is split into a frozen head and a live tail. Only the tail is lexed on each flush; every top-level block
 * of the tail that is followed by another block is final (appending text can only change the last block), so it is
 * rendered once and moved to the frozen part. The live tail, at most a block or two, is re-rendered per flush.
 * Flushes are coalesced by the caller (one per animation frame).
 */
import type { Token } from 'marked';
import { lex, renderTokens } from './markdown';

/** Gets every top-level block token once, in order, when it is final (the answer's change set is read from them). */
export interface BlockSink {
  add(tokens: readonly Token[]): void;
  reset(): void;
}

/** Frozen blocks are grouped into segments of this many chunks so that no element gets thousands of children. */
const CHUNKS_PER_SEGMENT = 64;
/** Within a segment, chunks are grouped by this many: a group is the unit Chromium repaints when a chunk is appended
 *  (see `.md-group` in main.css). */
const CHUNKS_PER_GROUP = 8;
/**
 * While an answer streams, its newest segments are always rendered, and an older one becomes skippable
 * (`content-visibility: auto`) once this many newer ones exist: by then it is far above a reader who follows the
 * stream. A segment made skippable while on screen costs Chromium a second pass of style, layout and prepaint in
 * that frame (it decides at once whether to skip it); made skippable off screen, it is skipped at once.
 */
const STREAMING_SEGMENTS_RENDERED = 2;
const SKIPPABLE = 'md-skippable';

export class StreamingMarkdown {
  readonly element: HTMLElement;
  private readonly frozen: HTMLElement;
  private readonly live: HTMLElement;
  private segment: HTMLElement | undefined;
  private chunksInSegment = 0;
  private group: HTMLElement | undefined;
  private chunksInGroup = 0;
  /** The part not yet frozen. The frozen head is not kept here (the turn keeps the full answer): slicing a long
   *  concatenated string each frame would flatten it, an O(length) copy per frame. */
  private tail = '';
  private empty = true;
  private dirty = false;
  /** The tokens the live tail was last rendered from: final once the stream ends. */
  private liveTokens: Token[] = [];

  constructor(private readonly decorate: (fragment: DocumentFragment) => void, className: string, private readonly sink?: BlockSink) {
    this.element = document.createElement('div');
    this.element.className = className;
    this.frozen = document.createElement('div');
    this.frozen.className = 'md-frozen';
    this.live = document.createElement('div');
    this.live.className = 'md-live';
    this.element.append(this.frozen, this.live);
  }

  get isEmpty(): boolean {
    return this.empty;
  }

  append(delta: string): void {
    if (!delta) return;
    // marked normalises line ends itself; doing it here keeps token lengths equal to offsets in the tail.
    this.tail += delta.replace(/\r\n?/g, '\n');
    this.empty = false;
    this.dirty = true;
  }

  /** Replaces everything (restore, retry). */
  reset(text = ''): void {
    this.tail = text.replace(/\r\n?/g, '\n');
    this.empty = this.tail.length === 0;
    this.frozen.replaceChildren();
    this.live.replaceChildren();
    this.segment = undefined;
    this.chunksInSegment = 0;
    this.group = undefined;
    this.chunksInGroup = 0;
    this.liveTokens = [];
    this.sink?.reset();
    this.dirty = !this.empty;
  }

  /** Renders what arrived since the last flush. Returns whether the DOM changed. */
  flush(): boolean {
    if (!this.dirty) return false;
    this.dirty = false;
    const tokens = lex(this.tail);
    const boundary = frozenBoundary(tokens);
    if (boundary > 0) {
      const done = tokens.slice(0, boundary);
      const head = done.map((t) => t.raw).join('');
      // The tokens' raw text must be exactly the start of the tail, or text would be lost or repeated; marked
      // guarantees it for block tokens, and if it ever did not, everything simply stays live (correct, slower).
      if (this.tail.startsWith(head)) {
        const fragment = renderTokens(done);
        this.decorate(fragment);
        this.appendFrozen(fragment);
        this.sink?.add(done);
        this.tail = this.tail.slice(head.length);
        this.renderLive(tokens.slice(boundary));
        return true;
      }
    }
    this.renderLive(tokens);
    return true;
  }

  /** The stream ended: the live tail is final too. */
  finish(): void {
    this.flush();
    if (this.live.childNodes.length) {
      const fragment = document.createDocumentFragment();
      fragment.append(...this.live.childNodes);
      this.appendFrozen(fragment);
    }
    this.sink?.add(this.liveTokens);
    this.liveTokens = [];
    this.tail = '';
    for (const segment of this.frozen.children) segment.classList.add(SKIPPABLE);
  }

  private renderLive(tokens: Token[]): void {
    this.liveTokens = tokens;
    const fragment = renderTokens(tokens);
    this.decorate(fragment);
    this.live.replaceChildren(fragment);
  }

  /** `fragment` is already decorated. */
  private appendFrozen(fragment: DocumentFragment): void {
    if (!this.segment || this.chunksInSegment >= CHUNKS_PER_SEGMENT) {
      this.segment = contained('md-segment', this.frozen);
      this.chunksInSegment = 0;
      this.group = undefined;
      this.frozen.children[this.frozen.children.length - 1 - STREAMING_SEGMENTS_RENDERED]?.classList.add(SKIPPABLE);
    }
    if (!this.group || this.chunksInGroup >= CHUNKS_PER_GROUP) {
      this.group = contained('md-group', this.segment);
      this.chunksInGroup = 0;
    }
    this.group.append(fragment);
    this.chunksInSegment++;
    this.chunksInGroup++;
  }
}

/** Appends `<div class=className><div class="md-inner">` to `parent`; returns the inner element, where content goes. */
function contained(className: string, parent: HTMLElement): HTMLElement {
  const outer = document.createElement('div');
  outer.className = className;
  const inner = document.createElement('div');
  inner.className = 'md-inner';
  outer.append(inner);
  parent.append(outer);
  return inner;
}

/**
 * How many leading tokens are final. Everything before the last non-space token is, with one exception: a list
 * directly before it stays live, because "1. a\n\n2" may still become "1. a\n\n2. b", the same (loose) list.
 */
function frozenBoundary(tokens: Token[]): number {
  let last = tokens.length - 1;
  while (last >= 0 && tokens[last].type === 'space') last--;
  if (last <= 0) return 0;
  let previous = last - 1;
  while (previous >= 0 && tokens[previous].type === 'space') previous--;
  if (previous >= 0 && tokens[previous].type === 'list') return previous;
  return last;
}
