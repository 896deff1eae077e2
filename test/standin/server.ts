/**
 * A local bedrock-mantle: real HTTP on 127.0.0.1, bearer tokens verified the way AWS does, the Responses API
 * answered in its wire format (JSON and SSE), and failures on request. See ARCHITECTURE.md "The Bedrock stand-in".
 *
 * Routes: `POST /<region>/openai/v1/responses`, `GET /<region>/openai/v1/models[/<id>]`; without the region
 * prefix (`/openai/v1/...`) the region is us-east-2. A region-shaped name the catalog does not list gets its
 * connection dropped without an answer, as `bedrock-mantle.<region>.api.aws` would fail DNS for the real client
 * (the SDK reports APIConnectionError either way). Control (no token): `POST /__standin/faults` (a Fault or an
 * array), `GET /__standin/faults`, `GET /__standin/requests`, `POST /__standin/reset`.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { inputTokenSteps, planAnswer, PrefixCache, responseObject, streamEvents, type Answer, type InputMessage, type StreamEvent } from './answer';
import { DEFAULT_CATALOG, DEFAULT_EFFORT, REGION_PATTERN, type Catalog } from './catalog';
import { FaultQueue, type Fault } from './faults';
import { HttpFailure } from './httpFailure';
import { checkToolItems, isToolItem, parseTooling, plannedCalls, toolCallAnswer, toolResultText, ToolState, type SeenItem, type Tooling } from './tools';
import type { TestKey } from './keys';
import { verifyBearerToken } from './verifyToken';

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
const MAX_BODY_BYTES = 20 * 1024 * 1024;
const SUMMARY_MODES = ['auto', 'concise', 'detailed'];
const ROLES = ['developer', 'system', 'user', 'assistant'];

const ERROR_TYPES: Record<number, string> = {
  400: 'invalid_request_error',
  401: 'authentication_error',
  403: 'permission_error',
  404: 'invalid_request_error',
  405: 'invalid_request_error',
  413: 'invalid_request_error',
  429: 'rate_limit_error',
};

function sendJson(res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

/** OpenAI's error shape: {"error":{"message","type","param","code"}}. */
function sendError(res: http.ServerResponse, f: HttpFailure, headers: Record<string, string> = {}): void {
  const type = ERROR_TYPES[f.status] ?? 'server_error';
  sendJson(res, f.status, { error: { message: f.message, type, param: f.param, code: f.code } }, headers);
}

function readBody(req: http.IncomingMessage): Promise<string> {
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

function textOf(content: unknown, index: number): string {
  if (typeof content === 'string') return content;
  if (Array.isArray(content)) {
    return content
      .map((part: { type?: string; text?: unknown }) => {
        if (typeof part?.text !== 'string') throw new HttpFailure(400, 'invalid_value', `Invalid content part in input[${index}]: expected {type: 'input_text', text}.`, `input[${index}].content`);
        return part.text;
      })
      .join('');
  }
  throw new HttpFailure(400, 'invalid_type', `Invalid type for 'input[${index}].content': expected a string or an array of content parts.`, `input[${index}].content`);
}

function normaliseInput(input: unknown): InputMessage[] {
  if (typeof input === 'string') return [{ role: 'user', content: input }];
  if (!Array.isArray(input)) throw new HttpFailure(400, 'missing_required_parameter', "Missing required parameter: 'input'.", 'input');
  return input.flatMap((item: { role?: unknown; content?: unknown }, i) => {
    if (isToolItem(item)) return [];
    if (typeof item?.role !== 'string' || !ROLES.includes(item.role)) {
      throw new HttpFailure(400, 'invalid_value', `Invalid value for 'input[${i}].role': expected one of ${ROLES.join(', ')}.`, `input[${i}].role`);
    }
    return [{ role: item.role, content: textOf(item.content, i) }];
  });
}

interface ParsedRequest {
  model: string;
  effort: string;
  summary: string | null;
  instructions: string | null;
  maxOutputTokens: number | null;
  promptCacheKey: string | null;
  stream: boolean;
  messages: InputMessage[];
  tooling: Tooling;
}

function parseResponsesBody(raw: string, record: RecordedRequest): ParsedRequest {
  let body: Record<string, unknown>;
  try {
    body = JSON.parse(raw);
  } catch {
    throw new HttpFailure(400, 'invalid_json', 'We could not parse the JSON body of your request.');
  }
  if (!body || typeof body !== 'object') throw new HttpFailure(400, 'invalid_json', 'The request body must be a JSON object.');
  const reasoning = (body.reasoning ?? {}) as { effort?: unknown; summary?: unknown };
  record.model = typeof body.model === 'string' ? body.model : undefined;
  record.stream = body.stream === true;
  record.effort = typeof reasoning.effort === 'string' ? reasoning.effort : undefined;
  record.reasoningSummary = typeof reasoning.summary === 'string' ? reasoning.summary : null;
  record.instructions = typeof body.instructions === 'string' ? body.instructions : null;
  record.maxOutputTokens = typeof body.max_output_tokens === 'number' ? body.max_output_tokens : null;
  record.promptCacheKey = typeof body.prompt_cache_key === 'string' ? body.prompt_cache_key : null;
  if (body.prompt_cache_key !== undefined && body.prompt_cache_key !== null && typeof body.prompt_cache_key !== 'string') {
    throw new HttpFailure(400, 'invalid_type', "Invalid type for 'prompt_cache_key': expected a string.", 'prompt_cache_key');
  }
  if (typeof body.model !== 'string' || !body.model) throw new HttpFailure(400, 'missing_required_parameter', "Missing required parameter: 'model'.", 'model');
  record.input = normaliseInput(body.input);
  const tooling = parseTooling(body);
  Object.assign(record, { tools: tooling.tools.map((t) => t.name), toolChoice: tooling.toolChoice, include: tooling.include, store: tooling.store, items: tooling.items });
  if (body.max_output_tokens !== undefined && body.max_output_tokens !== null) {
    if (!Number.isInteger(body.max_output_tokens) || (body.max_output_tokens as number) < 16) {
      throw new HttpFailure(400, 'integer_below_min_value', "Invalid 'max_output_tokens': integer below minimum value. Expected a value >= 16.", 'max_output_tokens');
    }
  }
  if (reasoning.summary != null && !SUMMARY_MODES.includes(reasoning.summary as string)) {
    throw new HttpFailure(400, 'invalid_value', `Invalid value for 'reasoning.summary': expected one of ${SUMMARY_MODES.join(', ')}.`, 'reasoning.summary');
  }
  return {
    model: body.model,
    effort: record.effort ?? DEFAULT_EFFORT,
    summary: record.reasoningSummary ?? null,
    instructions: record.instructions ?? null,
    maxOutputTokens: record.maxOutputTokens ?? null,
    promptCacheKey: record.promptCacheKey ?? null,
    stream: record.stream,
    messages: record.input,
    tooling,
  };
}

/** OpenAI's answer to an input larger than the model's context window. */
function contextExceeded(): HttpFailure {
  return new HttpFailure(400, 'context_length_exceeded', 'Your input exceeds the context window of this model. Please adjust your input and try again.', 'input');
}

function unsupportedEffort(effort: string, accepted: string[]): HttpFailure {
  const list = accepted.map((e) => `'${e}'`).join(', ');
  return new HttpFailure(400, 'unsupported_value', `Unsupported value: 'reasoning.effort' does not support '${effort}' with this model. Supported values are: ${list}.`, 'reasoning.effort');
}

function modelNotFound(model: string): HttpFailure {
  // The body the seed's users saw for GPT-5.5 in us-west-2.
  return new HttpFailure(404, 'not_found_error', `The model '${model}' does not exist`, 'model');
}

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
      if (fault && (await applyRequestFault(fault, record, res, drop))) return;
      const model = (id: string) => ({ id, object: 'model', created: 1780272000, owned_by: 'openai' });
      if (match[3]) return served.includes(match[3]) ? sendJson(res, 200, model(match[3])) : sendError(res, modelNotFound(match[3]));
      return sendJson(res, 200, { object: 'list', data: served.map(model) });
    }

    if (method !== 'POST' || match[3]) return sendError(res, new HttpFailure(405, 'method_not_allowed', `Use POST for ${path}.`));
    if (!parsed) throw invalid;
    const fault = faults.take('responses', parsed.model);
    if (fault && (await applyRequestFault(fault, record, res, drop))) return;
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

  /** Faults that act before the answer. Returns true when the request was fully handled. */
  async function applyRequestFault(fault: Fault, record: RecordedRequest, res: http.ServerResponse, drop: (flush?: boolean) => void): Promise<boolean> {
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

  async function writeJson(res: http.ServerResponse, answer: Answer, fault: Fault | undefined, toolBody?: object): Promise<void> {
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

  async function writeStream(res: http.ServerResponse, answer: Answer, fault: Fault | undefined, drop: (flush?: boolean) => void, events = streamEvents(answer)): Promise<void> {
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

  function streamFault(res: http.ServerResponse, fault: Fault, answer: Answer, sequence: number, drop: (flush?: boolean) => void): void {
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

/** Waits `ms`, or less if the client goes away meanwhile. */
function sleep(ms: number, res: http.ServerResponse): Promise<void> {
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
