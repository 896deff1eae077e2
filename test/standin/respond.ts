/**
 * Writes a Responses API answer: one JSON response object, or the SSE event stream (`event:` + `data:` frames,
 * numbered by `sequence_number`), with the faults that strike inside an answer (malformed, cut, failed, error
 * event, slow stream).
 */
import type http from 'node:http';
import { responseObject, streamEvents, type Answer, type StreamEvent } from './answer';
import type { Fault } from './faults';
import { HttpFailure } from './httpFailure';
import { sendError, sendJson, sleep, type Drop } from './wire';

export async function writeJson(res: http.ServerResponse, answer: Answer, fault: Fault | undefined, toolBody?: object): Promise<void> {
  const body = toolBody ?? responseObject(answer, answer.incomplete ? 'incomplete' : 'completed');
  switch (fault?.kind) {
    case 'malformed': {
      const text = JSON.stringify(body);
      res.writeHead(200, { 'content-type': 'application/json' });
      return void res.end(text.slice(0, Math.floor(text.length / 2)));
    }
    case 'failed':
    case 'errorEvent':
      return sendError(res, new HttpFailure(500, fault.code ?? 'server_error', fault.message ?? 'The server had an error while processing your request.'));
    case 'slowStream':
      await sleep(fault.delayMs, res);
      if (res.destroyed) return;
  }
  sendJson(res, 200, body);
}

export async function writeStream(res: http.ServerResponse, answer: Answer, fault: Fault | undefined, drop: Drop, events = streamEvents(answer)): Promise<void> {
  res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', connection: 'keep-alive' });
  const delay = fault?.kind === 'slowStream' ? fault.delayMs : 0;
  // Stream faults strike before delta number `afterDeltas` (default 1), or before the final event if fewer.
  const trigger = fault && (fault.kind === 'malformed' || fault.kind === 'cut' || fault.kind === 'failed' || fault.kind === 'errorEvent') ? (fault.afterDeltas ?? 1) : undefined;
  let sequence = 0;
  let deltasSent = 0;
  let buffer = '';
  const frame = (e: StreamEvent) => `event: ${e.type}\ndata: ${JSON.stringify({ ...e, sequence_number: sequence++ })}\n\n`;
  const flush = async () => {
    if (buffer && !res.destroyed && !res.write(buffer)) await new Promise((r) => res.once('drain', r).once('close', r));
    buffer = '';
  };
  for (const event of events) {
    if (res.destroyed) return;
    const isDelta = event.type === 'response.output_text.delta';
    const isLast = event.type === 'response.completed' || event.type === 'response.incomplete';
    if (fault && trigger !== undefined && ((isDelta && deltasSent >= trigger) || isLast)) {
      await flush();
      return streamFault(res, fault, answer, sequence, drop);
    }
    buffer += frame(event);
    if (isDelta) deltasSent++;
    if (delay > 0 && isDelta) {
      await flush();
      await sleep(delay, res);
    } else if (buffer.length > 64 * 1024) {
      await flush();
    }
  }
  await flush();
  res.end();
}

function streamFault(res: http.ServerResponse, fault: Fault, answer: Answer, sequence: number, drop: Drop): void {
  switch (fault.kind) {
    case 'malformed':
      // A data line that is not JSON, as a broken proxy or a truncated write would produce.
      return void res.end('event: response.output_text.delta\ndata: {"type":"response.output_text.delta","delta":"tru\n\n');
    case 'cut':
      if (fault.mode === 'end') return void res.end();
      // Flush what was written, then close the socket mid-body (no terminating chunk).
      return drop(true);
    case 'failed': {
      const error = { code: fault.code ?? 'server_error', message: fault.message ?? 'The model failed to generate a response.' };
      const data = { type: 'response.failed', sequence_number: sequence, response: responseObject(answer, 'failed', error) };
      return void res.end(`event: response.failed\ndata: ${JSON.stringify(data)}\n\n`);
    }
    case 'errorEvent': {
      const data = { type: 'error', code: fault.code ?? 'server_error', message: fault.message ?? 'An error occurred while streaming.', param: null, sequence_number: sequence };
      return void res.end(`event: error\ndata: ${JSON.stringify(data)}\n\n`);
    }
  }
}
