/**
 * The faults that act before any answer is written (an injected HTTP status, an effort refusal, a slow first
 * byte, a non-streamed cut), on the Responses and the models routes alike.
 */
import type http from 'node:http';
import { DEFAULT_EFFORT, type Catalog } from './catalog';
import type { Fault } from './faults';
import { HttpFailure } from './httpFailure';
import { unsupportedEffort } from './request';
import type { RecordedRequest } from './server';
import { sendError, sleep, type Drop } from './wire';

/** Faults that act before the answer. Returns true when the request was fully handled. */
export async function applyRequestFault(fault: Fault, record: RecordedRequest, res: http.ServerResponse, drop: Drop, catalog: Catalog): Promise<boolean> {
  record.fault = fault.kind;
  switch (fault.kind) {
    case 'status': {
      const headers: Record<string, string> = fault.status === 429 ? { 'retry-after': String(fault.retryAfter ?? 1) } : {};
      const code = fault.code ?? { 400: 'invalid_request', 401: 'unauthorized', 403: 'access_denied', 404: 'not_found_error', 429: 'rate_limit_exceeded' }[fault.status as number] ?? 'server_error';
      const message = fault.message ?? (fault.status === 429 ? 'Too many tokens, please wait before trying again.' : `Injected failure ${fault.status}.`);
      sendError(res, new HttpFailure(fault.status, code, message), headers);
      return true;
    }
    case 'unsupportedEffort':
      sendError(res, unsupportedEffort(record.effort ?? DEFAULT_EFFORT, catalog.efforts[record.model ?? ''] ?? []));
      return true;
    case 'slowFirstByte':
      await sleep(fault.delayMs, res);
      return res.destroyed;
    case 'cut':
      if (!record.stream) {
        drop();
        return true;
      }
      return false;
    default:
      return false;
  }
}
