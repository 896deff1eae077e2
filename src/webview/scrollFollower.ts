/**
 * Follows a growing log only while the reader is at its bottom. Scrolling up stops following and shows the
 * "Jump to latest" button; scrolling back to the bottom, or the button, resumes.
 */
const BOTTOM_SLACK_PX = 8;

export class ScrollFollower {
  private following = true;
  private lastTop = 0;

  /**
   * While following, any change of the log's height is followed too, not only new text: parts that were never on
   * screen have a placeholder height (content-visibility) and take their real one when shown, in the frames after a
   * jump. Every turn of the log is observed (a MutationObserver adds the new ones); the callback runs after layout,
   * before paint.
   */
  private readonly resizes = new ResizeObserver(() => this.contentChanged());

  constructor(private readonly scroller: HTMLElement, private readonly jumpButton: HTMLButtonElement) {
    for (const child of scroller.children) this.resizes.observe(child);
    new MutationObserver((records) => {
      for (const r of records) {
        for (const n of r.addedNodes) if (n instanceof Element) this.resizes.observe(n);
        for (const n of r.removedNodes) if (n instanceof Element) this.resizes.unobserve(n);
      }
    }).observe(scroller, { childList: true });
    scroller.addEventListener('scroll', () => this.onScroll(), { passive: true });
    // A wheel turn upwards is intent even before the scroll event arrives (content may grow in between).
    scroller.addEventListener('wheel', (e) => {
      if (e.deltaY < 0 && this.overflows()) this.setFollowing(false);
    }, { passive: true });
    jumpButton.addEventListener('click', () => this.jumpToLatest());
    this.setFollowing(true);
  }

  /** Call after the content changed. */
  contentChanged(): void {
    if (this.following) this.scrollToBottom();
  }

  jumpToLatest(): void {
    this.setFollowing(true);
    this.scrollToBottom();
  }

  private scrollToBottom(): void {
    this.scroller.scrollTop = this.scroller.scrollHeight;
    this.lastTop = this.scroller.scrollTop;
  }

  private onScroll(): void {
    const top = this.scroller.scrollTop;
    if (this.atBottom()) this.setFollowing(true);
    else if (top < this.lastTop - 1) this.setFollowing(false);
    this.lastTop = top;
  }

  private atBottom(): boolean {
    const s = this.scroller;
    return s.scrollHeight - s.scrollTop - s.clientHeight <= BOTTOM_SLACK_PX;
  }

  private overflows(): boolean {
    return this.scroller.scrollHeight > this.scroller.clientHeight;
  }

  private setFollowing(following: boolean): void {
    this.following = following;
    // Only on a change: writing the attribute, even to its value, restyles and repaints the button every frame.
    if (this.jumpButton.hidden !== following) this.jumpButton.hidden = following;
  }
}
