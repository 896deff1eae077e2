/**
 * A local bedrock-mantle: real HTTP on 127.0.0.1, bearer tokens verified the way AWS does, the Responses API
 * answered in its wire format (JSON and SSE), and failures on request. See ARCHITECTURE.md "The Bedrock stand-in".
 *
 * Routes: `POST /<region>/openai/v1/responses`, `GET /<region>/openai/v1/models[/<id>]`; without the region
 * prefix (`/openai/v1/...`) the region is us-east-2. A region-shaped name the catalog does not list gets its
 * connection dropped without an answer, as `bedrock-mantle.<region>.api.aws` would fail DNS for the real client
 * (the SDK reports APIConnectionError either way). Control (no token): `POST /__standin/faults` (a Fault or an
 * array), `GET /__standin/faults`, `GET /__standin/requests`, `POST /__standin/reset`.
 *
 * This file routes, records and checks the bearer token; request.ts reads a Responses request, respond.ts writes
 * the answer (JSON or SSE), requestFault.ts applies the faults that strike before it, models.ts lists models.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { inputTokenSteps, planAnswer, PrefixCache, type InputMessage } from './answer';
import { DEFAULT_CATALOG, REGION_PATTERN, type Catalog } from './catalog';
import { FaultQueue, type Fault } from './faults';
import { HttpFailure } from './httpFailure';
import { sendModels } from './models';
import { contextExceeded, modelNotFound, parseResponsesBody, unsupportedEffort, type ParsedRequest } from './request';
import { applyRequestFault } from './requestFault';
import { writeJson, writeStream } from './respond';
import { checkToolItems, plannedCalls, toolCallAnswer, toolResultText, ToolState, type SeenItem } from './tools';
import type { TestKey } from './keys';
import { verifyBearerToken } from './verifyToken';
import { readBody, sendError, sendJson } from './wire';

export type { Fault } from './faults';

/** One request as the stand-in saw it. The Authorization header is never kept. */
export interface RecordedRequest {
  seq: number;
  method: string;
  path: string;
  route: 'responses' | 'models';
  region: string;
  model?: string;
  effort?: string;
  reasoningSummary?: string | null;
  instructions?: string | null;
  maxOutputTokens?: number | null;
  promptCacheKey?: string | null;
  input: InputMessage[];
  stream: boolean;
  /** Function calling (tools.ts): the offered tools' names, tool_choice, include, store, and the tool input items. */
  tools?: string[];
  toolChoice?: unknown;
  include?: string[];
  store?: boolean;
  items?: SeenItem[];
  /** HTTP status sent, or 0 when the connection was dropped before any answer. */
  status?: number;
  fault?: string;
  responseId?: string;
  /** The client went away before the response was complete (a cancel, or a client-side timeout). */
  aborted: boolean;
  startedAt: number;
  firstByteAt?: number;
  endedAt?: number;
}

export interface StandinOptions {
  port?: number;
  host?: '127.0.0.1';
  catalog?: Catalog;
  /** Keys the verifier accepts; default TEST_KEYS (verifyToken's default). */
  keys?: TestKey[];
  /** Clock for token expiry checks, in ms since the epoch. */
  now?: () => number;
}

export interface Standin {
  /** `http://127.0.0.1:<port>` */
  url: string;
  port: number;
  /** `http://127.0.0.1:<port>/{region}/openai/v1`, ready for endpointFor / the endpoint setting. */
  endpointTemplate: string;
  faults: FaultQueue;
  requests: RecordedRequest[];
  /** Empties the fault queue, the request log (in place) and the prompt cache. */
  reset(): void;
  close(): Promise<void>;
}

const ROUTE = /^\/(?:([^/]+)\/)?openai\/v1\/(responses|models)(?:\/([^/]+))?\/?$/;
const DEFAULT_REGION = 'us-east-2';

export async function startStandin(opts: StandinOptions = {}): Promise<Standin> {
  const catalog = opts.catalog ?? DEFAULT_CATALOG;
  const faults = new FaultQueue();
  const requests: RecordedRequest[] = [];
  const cache = new PrefixCache();
  const toolState = new ToolState();
  const sockets = new Set<import('node:net').Socket>();
  let seq = 0;

  async function handleApi(req: http.IncomingMessage, res: http.ServerResponse, path: string): Promise<void> {
    const match = ROUTE.exec(path);
    const method = req.method ?? 'GET';
    const region = match?.[1] ?? DEFAULT_REGION;
    if (!match || !REGION_PATTERN.test(region)) return sendError(res, new HttpFailure(404, 'not_found', `Unknown path ${path}.`));
    const route = match[2] as 'responses' | 'models';
    const record: RecordedRequest = { seq: ++seq, method, path, route, region, input: [], stream: false, aborted: false, startedAt: Date.now() };
    requests.push(record);
    let droppedByUs = false;
    res.on('close', () => {
      record.endedAt = Date.now();
      if (!res.writableFinished && !droppedByUs) record.aborted = true;
    });
    const originalWriteHead = res.writeHead.bind(res);
    res.writeHead = ((...args: Parameters<typeof res.writeHead>) => {
      record.status = args[0];
      record.firstByteAt ??= Date.now();
      return originalWriteHead(...args);
    }) as typeof res.writeHead;
    /** Closes the connection on purpose: `flush` lets already written bytes go out first. */
    const drop = (flush = false) => {
      droppedByUs = true;
      record.status ??= 0;
      if (flush) req.socket.end();
      else req.socket.destroy();
    };

    const raw = await readBody(req);
    // Parse before the token check so the log shows what a rejected request asked for; refuse it after.
    let parsed: ParsedRequest | undefined;
    let invalid: unknown;
    if (route === 'responses' && method === 'POST' && !match[3]) {
      try {
        parsed = parseResponsesBody(raw, record);
      } catch (err) {
        invalid = err;
      }
    }
    if (!(region in catalog.regions)) {
      record.fault = 'unknown-region';
      return drop();
    }
    const verdict = verifyBearerToken(req.headers.authorization, { region, now: opts.now?.(), keys: opts.keys });
    if (!verdict.ok) return sendError(res, new HttpFailure(verdict.status, verdict.code, verdict.message));
    const served = catalog.regions[region];

    if (route === 'models') {
      if (method !== 'GET') return sendError(res, new HttpFailure(405, 'method_not_allowed', `Use GET for ${path}.`));
      const fault = faults.take('models', match[3]);
      if (fault && (await applyRequestFault(fault, record, res, drop, catalog))) return;
      return sendModels(res, served, match[3]);
    }

    if (method !== 'POST' || match[3]) return sendError(res, new HttpFailure(405, 'method_not_allowed', `Use POST for ${path}.`));
    if (!parsed) throw invalid;
    const fault = faults.take('responses', parsed.model);
    if (fault && (await applyRequestFault(fault, record, res, drop, catalog))) return;
    if (!served.includes(parsed.model)) return sendError(res, modelNotFound(parsed.model));
    const accepted = catalog.efforts[parsed.model] ?? [];
    if (!accepted.includes(parsed.effort)) return sendError(res, unsupportedEffort(parsed.effort, accepted));
    const window = catalog.contextTokens[parsed.model];
    if (window !== undefined && (inputTokenSteps(parsed).at(-1) ?? 0) > window) return sendError(res, contextExceeded());

    const t = parsed.tooling;
    checkToolItems(t, toolState);
    const asked = { ...parsed, region, ...(t.items.length && { messages: t.flat, text: toolResultText(t, { model: parsed.model, region }) }) };
    const calls = plannedCalls(t, parsed.messages.filter((m) => m.role === 'user').at(-1)?.content ?? '');
    const tool = calls.length ? toolCallAnswer(asked, cache.cachedTokens(asked), calls, t, toolState) : undefined;
    const answer = tool?.answer ?? planAnswer(asked, cache.cachedTokens(asked));
    record.responseId = answer.id;
    if (parsed.stream) await writeStream(res, answer, fault, drop, tool?.events);
    else await writeJson(res, answer, fault, tool?.body);
  }

  function handleControl(req: http.IncomingMessage, res: http.ServerResponse, path: string): Promise<void> | void {
    const method = req.method ?? 'GET';
    if (path === '/__standin/requests' && method === 'GET') return sendJson(res, 200, requests);
    if (path === '/__standin/faults' && method === 'GET') return sendJson(res, 200, faults.pending);
    if (path === '/__standin/reset' && method === 'POST') {
      standin.reset();
      return sendJson(res, 200, { ok: true });
    }
    if (path === '/__standin/faults' && method === 'POST') {
      return readBody(req).then((raw) => {
        let parsed: unknown;
        try {
          parsed = JSON.parse(raw);
          faults.push(...((Array.isArray(parsed) ? parsed : [parsed]) as Fault[]));
        } catch (err) {
          return sendError(res, new HttpFailure(400, 'invalid_fault', `Bad fault list: ${(err as Error).message}`));
        }
        sendJson(res, 200, { queued: faults.pending.length });
      });
    }
    sendError(res, new HttpFailure(404, 'not_found', `Unknown control route ${method} ${path}.`));
  }

  const server = http.createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://standin').pathname;
    const work = path.startsWith('/__standin/') ? handleControl(req, res, path) : handleApi(req, res, path);
    Promise.resolve(work).catch((err: unknown) => {
      if (res.headersSent) return void res.destroy();
      if (err instanceof HttpFailure) return sendError(res, err);
      sendError(res, new HttpFailure(500, 'server_error', `Stand-in failure: ${(err as Error)?.message ?? err}`));
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, opts.host ?? '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const url = `http://127.0.0.1:${port}`;

  const standin: Standin = {
    url,
    port,
    endpointTemplate: `${url}/{region}/openai/v1`,
    faults,
    requests,
    reset() {
      faults.clear();
      requests.length = 0;
      cache.clear();
      toolState.clear();
    },
    close() {
      return new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
      });
    },
  };
  return standin;
}
