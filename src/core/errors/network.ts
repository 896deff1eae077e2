/** Streams that break, endpoints that cannot be reached, proxies that refuse. */
import { MANTLE_REGIONS } from '../models';
import type { ErrorContext, ExplainedError } from './types';
import { host, isObject } from './util';

/** Node / undici error codes that mean the endpoint could not be reached. */
const DNS_CODES = new Set(['ENOTFOUND', 'EAI_AGAIN', 'EAI_NONAME']);
const REFUSED_CODES = new Set(['ECONNREFUSED', 'EHOSTUNREACH', 'ENETUNREACH', 'EADDRNOTAVAIL']);
const RESET_CODES = new Set(['ECONNRESET', 'EPIPE', 'UND_ERR_SOCKET', 'UND_ERR_CLOSED']);
const TIMEOUT_CODES = new Set(['ETIMEDOUT', 'ESOCKETTIMEDOUT', 'UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT']);
const TLS_CODE = /^(?:CERT_|UNABLE_TO_|SELF_SIGNED_CERT|DEPTH_ZERO_SELF_SIGNED_CERT|ERR_TLS_|ERR_SSL_)/;

export function streamFailure(kind: string, message: string, code: unknown, ctx: ErrorContext, seconds?: number): ExplainedError {
  switch (kind) {
    case 'first-byte-timeout':
      return { code: 'first-byte-timeout', params: { seconds, host: host(ctx) }, actions: [{ kind: 'askAgain' }] };
    case 'stalled':
      return { code: 'stream-stalled', params: { seconds, host: host(ctx) }, actions: [{ kind: 'askAgain' }] };
    case 'malformed':
      return { code: 'stream-malformed', params: {}, actions: [{ kind: 'askAgain' }] };
    case 'cut':
      return { code: 'stream-cut', params: { host: host(ctx) }, actions: [{ kind: 'askAgain' }] };
    case 'incomplete': {
      const tooLong = code === 'max_output_tokens' || /max_output_tokens/.test(message);
      return {
        code: 'stream-incomplete',
        params: tooLong ? { tooLong } : { detail: message },
        actions: tooLong ? [{ kind: 'openSettings', setting: 'maxOutputTokens' }] : [{ kind: 'askAgain' }],
      };
    }
    default: {
      // ask() words a failed response as "The model stopped with an error (code): …": keep its parts.
      const worded = /^The model stopped with an error(?: \(([^)]*)\))?: (.*)$/.exec(message);
      const errorCode = worded ? worded[1] || undefined : typeof code === 'string' && code ? code : undefined;
      return { code: 'response-failed', params: { errorCode, detail: (worded ? worded[2] : message).replace(/\.+$/, '') }, actions: [{ kind: 'askAgain' }] };
    }
  }
}

export function networkFailure(err: unknown, name: string, message: string, ctx: ErrorContext): ExplainedError | undefined {
  const code = nodeCode(err);
  const endpointHost = host(ctx);
  const timeout = name === 'APIConnectionTimeoutError' || message === 'Request timed out.' || (code !== undefined && TIMEOUT_CODES.has(code));
  if (timeout) return { code: 'timeout', params: { host: endpointHost }, actions: [{ kind: 'askAgain' }] };
  if (code && DNS_CODES.has(code)) {
    const unknownRegion = !!ctx.region && !MANTLE_REGIONS.includes(ctx.region);
    return {
      code: 'dns',
      params: { host: endpointHost, ...(unknownRegion && { unknownRegion, region: ctx.region, regions: MANTLE_REGIONS.join(', ') }) },
      actions: [{ kind: 'openSettings', setting: 'region' }, { kind: 'askAgain' }],
    };
  }
  if (code && TLS_CODE.test(code)) return { code: 'tls', params: { host: endpointHost, netCode: code }, actions: [{ kind: 'askAgain' }] };
  const connection = name === 'APIConnectionError' || message === 'Connection error.' || name === 'FetchError' || /fetch failed/.test(message);
  if ((code && (REFUSED_CODES.has(code) || RESET_CODES.has(code))) || connection) {
    const why = code && REFUSED_CODES.has(code) ? 'refused' : code && RESET_CODES.has(code) ? 'reset' : 'failed';
    return { code: 'network', params: { host: endpointHost, why, netCode: code }, actions: [{ kind: 'askAgain' }, { kind: 'openSettings', setting: 'region' }] };
  }
  return undefined;
}

/**
 * undici's proxy agent: a CONNECT answered with anything but 200 ("Proxy response (407) !== 200 when HTTP
 * Tunneling"), or a 407 to a forwarded request. Found in the cause chain, under openai's APIConnectionError.
 */
export function proxyFailure(err: unknown, ctx: ErrorContext): ExplainedError | undefined {
  let cur: unknown = err;
  for (let depth = 0; depth < 6 && isObject(cur); depth++) {
    const text = typeof cur.message === 'string' ? cur.message : '';
    const tunnel = /^Proxy response \((\d{3})\) !== 200 when HTTP Tunneling/.exec(text);
    if (tunnel) return proxyRefused(Number(tunnel[1]), ctx);
    if (text === 'Proxy Authentication Required (407)') return proxyRefused(407, ctx);
    cur = cur.cause;
  }
  return undefined;
}

export function proxyRefused(status: number, ctx: ErrorContext): ExplainedError {
  if (status === 407) return { code: 'proxy-auth', params: {}, actions: [] };
  return { code: 'proxy', params: { host: host(ctx), status }, actions: [{ kind: 'askAgain' }] };
}

function nodeCode(err: unknown): string | undefined {
  // openai wraps fetch's TypeError, which wraps undici's error, which may wrap the socket's: walk the causes.
  let cur: unknown = err;
  for (let depth = 0; depth < 6 && isObject(cur); depth++) {
    if (typeof cur.code === 'string' && /^[A-Z][A-Z0-9_]+$/.test(cur.code)) return cur.code;
    if (Array.isArray(cur.errors) && isObject(cur.errors[0])) cur = cur.errors[0]; // AggregateError (happy eyeballs)
    else cur = cur.cause;
  }
  return undefined;
}
