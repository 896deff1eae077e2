/**
 * Marks a turn `is-flowing` while its text arrives, and takes the mark off once none has arrived for QUIET_MS.
 * While the mark is on, the turn's spinner stands still (main.css): the text itself shows the answer is coming, and
 * a running CSS animation costs a style recalc in every frame (the log's scroll listener even forces it early, as a
 * second pass of its own). A stream that goes quiet shows the spinner turning again.
 */
const QUIET_MS = 1500;
const CLASS = 'is-flowing';

export class FlowMark {
  private last = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly element: HTMLElement) {}

  /** Text arrived. Costs a class change only when the mark goes on; one timer runs per quiet period, not per call. */
  touch(): void {
    this.last = performance.now();
    if (this.timer !== undefined) return;
    this.element.classList.add(CLASS);
    this.check(QUIET_MS);
  }

  /** The stream ended. */
  clear(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.element.classList.remove(CLASS);
  }

  private check(afterMs: number): void {
    this.timer = setTimeout(() => {
      const quiet = performance.now() - this.last;
      if (quiet >= QUIET_MS) this.clear();
      else this.check(QUIET_MS - quiet);
    }, afterMs);
  }
}
