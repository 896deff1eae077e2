/**
 * Failures the stand-in can be told to produce. Faults wait in a queue and are consumed in order: each request
 * takes the first queued fault that matches its route (and model, when the fault names one).
 */

interface FaultMatch {
  /** Only requests for this model take the fault. */
  model?: string;
  /** Which route takes it; default `responses` (the model list is left alone unless asked). */
  route?: 'responses' | 'models' | 'any';
  /** How many requests take it before it leaves the queue; default 1. */
  times?: number;
}

export type Fault = FaultMatch &
  (
    | {
        /** An HTTP error in OpenAI's body shape. 429 carries `retry-after` (seconds; default 1). */
        kind: 'status';
        status: 400 | 401 | 403 | 404 | 429 | 500 | 502 | 503;
        retryAfter?: number;
        message?: string;
        code?: string;
      }
    /** 400 as if the request's effort were not accepted by the model. */
    | { kind: 'unsupportedEffort' }
    /** Stream: a data line that is not JSON after N deltas (default 1). Non-stream: a truncated JSON body. */
    | { kind: 'malformed'; afterDeltas?: number }
    /** Stream: after N deltas the socket is destroyed (`destroy`, default) or the body ends without `response.completed` (`end`). Non-stream: socket destroyed before any byte. */
    | { kind: 'cut'; afterDeltas?: number; mode?: 'destroy' | 'end' }
    /** Nothing is written for `delayMs` (headers included). */
    | { kind: 'slowFirstByte'; delayMs: number }
    /** `delayMs` after each text delta, so a test can abort mid-way. Non-stream: the answer waits `delayMs`. */
    | { kind: 'slowStream'; delayMs: number }
    /** Stream: a `response.failed` event after N deltas. Non-stream: 500. */
    | { kind: 'failed'; afterDeltas?: number; code?: string; message?: string }
    /** Stream: an `error` event after N deltas. Non-stream: 500. */
    | { kind: 'errorEvent'; afterDeltas?: number; code?: string; message?: string }
  );

export const FAULT_KINDS = ['status', 'unsupportedEffort', 'malformed', 'cut', 'slowFirstByte', 'slowStream', 'failed', 'errorEvent'];

export class FaultQueue {
  private queue: Array<{ fault: Fault; left: number }> = [];

  push(...faults: Fault[]): void {
    for (const fault of faults) {
      if (!fault || !FAULT_KINDS.includes(fault.kind)) {
        throw new Error(`Unknown fault kind ${JSON.stringify(fault?.kind)}; expected one of ${FAULT_KINDS.join(', ')}.`);
      }
      this.queue.push({ fault, left: Math.max(1, fault.times ?? 1) });
    }
  }

  /** Takes the first fault matching this request, or undefined. */
  take(route: 'responses' | 'models', model: string | undefined): Fault | undefined {
    const index = this.queue.findIndex(({ fault }) => {
      const wanted = fault.route ?? 'responses';
      return (wanted === 'any' || wanted === route) && (fault.model === undefined || fault.model === model);
    });
    if (index < 0) return undefined;
    const entry = this.queue[index];
    if (--entry.left <= 0) this.queue.splice(index, 1);
    return entry.fault;
  }

  get pending(): Fault[] {
    return this.queue.map((e) => e.fault);
  }

  clear(): void {
    this.queue = [];
  }
}
