/**
 * A pass-through in front of the stand-in that appends the stand-in's `[[reply]]` directive to the last user
 * message on the wire, so a panel shows the plain question while the stand-in answers with the chosen text.
 * Everything else (the bearer token, its verification, the stream, the errors) is the stand-in's own.
 * Used by the workbench UI test (a fixed reply) and by `npm start -- --demo` (a reply made from the question).
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import type { ReadableStream } from 'node:stream/web';

/** The last user message as sent (its text) → the answer the stand-in should stream. */
export type ReplyFor = (question: string) => string;

export interface ReplyProxy {
  /** `http://127.0.0.1:<port>/{region}/openai/v1`, for the endpoint setting. */
  endpointTemplate: string;
  close(): Promise<void>;
}

/** Requests larger than this are refused (413) rather than buffered: the panel never sends more. */
const MAX_BODY_BYTES = 8 * 1024 * 1024;

type InputItem = { role?: string; content?: unknown };

function textOf(content: unknown): string {
  if (typeof content === 'string') return content;
  if (Array.isArray(content)) {
    return content.map((p: { text?: unknown }) => (typeof p?.text === 'string' ? p.text : '')).join('');
  }
  return '';
}

function withReply(body: string, reply: ReplyFor): string {
  const json = JSON.parse(body) as { input?: InputItem[] | string };
  if (!Array.isArray(json.input)) return body;
  const last = json.input.at(-1);
  if (last?.role !== 'user') return body;
  last.content = `${textOf(last.content)}\n[[reply]]${reply(textOf(last.content))}[[/reply]]`;
  return JSON.stringify(json);
}

export async function startReplyProxy(target: string, reply: string | ReplyFor): Promise<ReplyProxy> {
  const replyFor: ReplyFor = typeof reply === 'string' ? () => reply : reply;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size <= MAX_BODY_BYTES) chunks.push(c);
    });
    req.on('end', () => {
      void (async () => {
        if (size > MAX_BODY_BYTES) {
          res.writeHead(413, { 'content-type': 'application/json' }).end('{"error":{"message":"request too large"}}');
          return;
        }
        let body = Buffer.concat(chunks).toString('utf8');
        if (req.method === 'POST' && req.url?.endsWith('/responses')) body = withReply(body, replyFor);
        const headers: Record<string, string> = {};
        for (const k of ['authorization', 'content-type', 'accept']) {
          if (typeof req.headers[k] === 'string') headers[k] = req.headers[k] as string;
        }
        const controller = new AbortController();
        res.once('close', () => controller.abort()); // a cancel in the panel reaches the stand-in
        const upstream = await fetch(`${target}${req.url}`, {
          method: req.method, headers, signal: controller.signal, ...(req.method === 'POST' && { body }),
        });
        res.writeHead(upstream.status, Object.fromEntries(
          [...upstream.headers].filter(([k]) => k !== 'content-length' && k !== 'content-encoding')));
        if (upstream.body) Readable.fromWeb(upstream.body as ReadableStream).pipe(res);
        else res.end();
      })().catch(() => res.destroy());
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  return {
    endpointTemplate: `http://127.0.0.1:${port}/{region}/openai/v1`,
    close: () => new Promise<void>((r) => { server.closeAllConnections(); server.close(() => r()); }),
  };
}
