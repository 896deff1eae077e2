/**
 * The stand-in's HTTP plumbing: JSON bodies, errors in OpenAI's shape, a capped request body, and a wait that
 * ends early when the client goes away.
 */
import type http from 'node:http';
import { HttpFailure } from './httpFailure';

/** Closes the connection on purpose: `flush` lets already written bytes go out first. */
export type Drop = (flush?: boolean) => void;

const MAX_BODY_BYTES = 20 * 1024 * 1024;

const ERROR_TYPES: Record<number, string> = {
  400: 'invalid_request_error',
  401: 'authentication_error',
  403: 'permission_error',
  404: 'invalid_request_error',
  405: 'invalid_request_error',
  413: 'invalid_request_error',
  429: 'rate_limit_error',
};

export function sendJson(res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

/** OpenAI's error shape: {"error":{"message","type","param","code"}}. */
export function sendError(res: http.ServerResponse, f: HttpFailure, headers: Record<string, string> = {}): void {
  const type = ERROR_TYPES[f.status] ?? 'server_error';
  sendJson(res, f.status, { error: { message: f.message, type, param: f.param, code: f.code } }, headers);
}

export function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) chunks.push(chunk);
    });
    req.on('end', () => (size > MAX_BODY_BYTES ? reject(new HttpFailure(413, 'request_too_large', 'The request body is too large.')) : resolve(Buffer.concat(chunks).toString('utf8'))));
    req.on('error', reject);
  });
}

/** Waits `ms`, or less if the client goes away meanwhile. */
export function sleep(ms: number, res: http.ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    res.once('close', done);
    function done() {
      clearTimeout(timer);
      res.off('close', done);
      resolve();
    }
  });
}
