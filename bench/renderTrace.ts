/**
 * What the render bench reads from a Chromium trace beyond its totals: which thread is the page's, the CPU time of
 * each frame's task, and the same for a floor page that does the least a streaming panel can do (see `runFloor`), so
 * the panel's frames can be read against what this machine gives any page in the same run.
 */
import { readFile } from 'node:fs/promises';
import type { Browser } from 'playwright-core';

export interface TraceEvent { name: string; ph: string; pid: number; tid: number; ts: number; dur?: number; tdur?: number; args?: { name?: string; data?: { nodeName?: string }; beginData?: { dirtyObjects?: number } } }

/**
 * A task of the thread, from the `toplevel` category. Not `RunTask` of `disabled-by-default-devtools.timeline`: with
 * that category on, Chromium also walks the whole DOM after every frame to trace its size (`DOMStats`), work the
 * page never does untraced, which grows with the answer and lands in every frame's task.
 */
export const TASK = 'ThreadControllerImpl::RunTask';
export const CATEGORIES = ['toplevel', 'devtools.timeline', 'disabled-by-default-v8.gc', '__metadata', ...(process.env.BENCH_CATEGORIES?.split(',') ?? [])];

/** The page's renderer main thread (`pid:tid`): of the renderer main threads, the one that fired the animation frames. */
export function mainThread(events: TraceEvent[]): string {
  const mains = new Set(events.filter((e) => e.name === 'thread_name' && e.args?.name === 'CrRendererMain').map((e) => `${e.pid}:${e.tid}`));
  const counts = new Map<string, number>();
  for (const e of events) if (e.name === 'FireAnimationFrame') counts.set(`${e.pid}:${e.tid}`, (counts.get(`${e.pid}:${e.tid}`) ?? 0) + 1);
  return [...mains].sort((a, b) => (counts.get(b) ?? 0) - (counts.get(a) ?? 0))[0];
}

/** How the frames' tasks are spread: a frame's task is one that paints the document (CPU ms). */
export interface FrameSpread {
  frames: number; p50: number; p99: number; p999: number; longest: number; over: number;
  /** The longest task that renders no frame (a major GC's finalization, say), CPU ms, and what took most of it. */
  longestOther: number; longestOtherInside: string;
  /** How the time of the same work scatters in the run (see layoutScatter). */
  scatter: LayoutScatter;
}

/**
 * The machine's scatter, read from the run itself: every Layout pass against the median time of the passes that laid
 * out as many objects (`dirtyObjects`; counts seen at least SAME_WORK_PASSES times). The same work in the same page
 * should take about the same time: what it takes beyond that, the page did not ask for.
 */
export interface LayoutScatter { passes: number; p99: number; longest: number; longestMs: number; medianMs: number }
const SAME_WORK_PASSES = 30;

export function layoutScatter(own: readonly TraceEvent[]): LayoutScatter {
  const byObjects = new Map<number, number[]>();
  for (const e of own) {
    const objects = e.name === 'Layout' ? e.args?.beginData?.dirtyObjects : undefined;
    if (objects === undefined) continue;
    const times = byObjects.get(objects) ?? [];
    times.push(cpuMs(e));
    byObjects.set(objects, times);
  }
  const ratios: { ratio: number; ms: number; median: number }[] = [];
  for (const times of byObjects.values()) {
    if (times.length < SAME_WORK_PASSES) continue;
    const median = [...times].sort((a, b) => a - b)[times.length >> 1];
    if (median > 0) for (const ms of times) ratios.push({ ratio: ms / median, ms, median });
  }
  ratios.sort((a, b) => a.ratio - b.ratio);
  const worst = ratios[ratios.length - 1];
  return {
    passes: ratios.length, p99: ratios[Math.floor(ratios.length * 0.99)]?.ratio ?? 0, longest: worst?.ratio ?? 0,
    longestMs: worst?.ms ?? 0, medianMs: worst?.median ?? 0,
  };
}

export function frameSpread(events: TraceEvent[], thread: string, goalMs: number): FrameSpread {
  const own = events.filter((e) => e.ph === 'X' && `${e.pid}:${e.tid}` === thread);
  const paints = own.filter((e) => e.name === 'Paint' && e.args?.data?.nodeName === '#document').map((e) => e.ts).sort((a, b) => a - b);
  const cpu: number[] = [];
  let other: TraceEvent | undefined;
  let next = 0;
  for (const task of own.filter((e) => e.name === TASK).sort((a, b) => a.ts - b.ts)) {
    while (next < paints.length && paints[next] < task.ts) next++;
    if (next < paints.length && paints[next] <= task.ts + (task.dur ?? 0)) cpu.push(cpuMs(task));
    else if (!other || cpuMs(task) > cpuMs(other)) other = task;
  }
  cpu.sort((a, b) => a - b);
  const at = (p: number): number => cpu[Math.min(cpu.length - 1, Math.floor(cpu.length * p))] ?? 0;
  const inside = other && own.filter((e) => e !== other && e.ts >= other.ts && e.ts + (e.dur ?? 0) <= other.ts + (other.dur ?? 0)).sort((a, b) => cpuMs(b) - cpuMs(a))[0];
  return {
    frames: cpu.length, p50: at(0.5), p99: at(0.99), p999: at(0.999), longest: cpu[cpu.length - 1] ?? 0, over: cpu.filter((c) => c >= goalMs).length,
    longestOther: other ? cpuMs(other) : 0, longestOtherInside: inside?.name ?? '', scatter: layoutScatter(own),
  };
}

function cpuMs(e: TraceEvent): number {
  return (e.tdur ?? e.dur ?? 0) / 1000;
}

export function formatSpread(s: FrameSpread): string {
  return `frame tasks (${s.frames}): median ${s.p50.toFixed(1)}, p99 ${s.p99.toFixed(1)}, p99.9 ${s.p999.toFixed(1)}, longest ${s.longest.toFixed(1)} ms CPU; ${s.over} at or over the goal; longest other task ${s.longestOther.toFixed(1)} ms (${s.longestOtherInside || 'nothing traced'})`
    + `\n    the same work, another time: of ${s.scatter.passes} Layout passes over as many objects as ${SAME_WORK_PASSES} or more others, p99 ×${s.scatter.p99.toFixed(1)} and longest ×${s.scatter.longest.toFixed(1)} their median (${s.scatter.longestMs.toFixed(1)} ms against ${s.scatter.medianMs.toFixed(1)})`;
}

/**
 * The floor: a page with no Markdown, no sanitizer and no panel that appends a paragraph of `words` words to the
 * bottom of a scroller every animation frame, in contained segments of 64 as the panel's frozen part is, and
 * follows the bottom. What is left in its frames is what Chromium needs on this machine, at this moment, to style,
 * lay out, paint and composite a growing, followed log; the panel's frames are read against it.
 */
const FLOOR_PAGE = `<!doctype html><html><head><style>
  body { margin: 0; font: 13px sans-serif; } .log { height: 100vh; overflow-y: auto; will-change: scroll-position; padding: 8px 12px; }
  .segment { contain: content; } p { margin: 0 0 1em; }
</style></head><body><div class="log"></div><script>
  window.floor = (frames, words) => new Promise((done) => {
    const log = document.querySelector('.log');
    const text = Array.from({ length: words }, (_, i) => 'word' + (i % 10)).join(' ');
    let segment, inSegment = 0, frame = 0;
    const tick = () => {
      if (!segment || inSegment === 64) { segment = log.appendChild(document.createElement('div')); segment.className = 'segment'; inSegment = 0; }
      segment.appendChild(document.createElement('p')).textContent = text + ' ' + frame;
      inSegment++;
      log.scrollTop = log.scrollHeight;
      if (++frame < frames) requestAnimationFrame(tick); else requestAnimationFrame(() => done());
    };
    requestAnimationFrame(tick);
  });
</script></body></html>`;

/** Runs the floor page for `frames` frames under the same trace categories; returns its frames' spread. */
export async function runFloor(browser: Browser, frames: number, words: number, tracePath: string, goalMs: number): Promise<FrameSpread & { cpuMs: number }> {
  const context = await browser.newContext({ viewport: { width: 900, height: 800 } });
  try {
    const page = await context.newPage();
    await page.setContent(FLOOR_PAGE);
    await page.evaluate(([f, w]) => (globalThis as unknown as { floor(f: number, w: number): Promise<void> }).floor(f, w), [100, words] as const);
    await browser.startTracing(page, { path: tracePath, categories: CATEGORIES });
    await page.evaluate(([f, w]) => (globalThis as unknown as { floor(f: number, w: number): Promise<void> }).floor(f, w), [frames, words] as const);
    await browser.stopTracing();
    const events = (JSON.parse(await readFile(tracePath, 'utf8')) as { traceEvents: TraceEvent[] }).traceEvents;
    const thread = mainThread(events);
    const total = events.filter((e) => e.ph === 'X' && e.name === TASK && `${e.pid}:${e.tid}` === thread).reduce((sum, e) => sum + cpuMs(e), 0);
    return { ...frameSpread(events, thread, goalMs), cpuMs: total };
  } finally {
    await context.close();
  }
}
