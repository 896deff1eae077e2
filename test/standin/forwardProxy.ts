/**
 * A real forward proxy on 127.0.0.1 for the tests: TooTallNate's `proxy` (CONNECT tunnels and absolute-URI
 * forwarding), optionally requiring Basic credentials, recording every request it was asked to forward.
 */
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { createProxy } from 'proxy';

/** The login the authenticating test proxies ask for; the password has characters that need percent-encoding. */
export const PROXY_USER = 'alice';
export const PROXY_PASSWORD = 'pr0xy-p@ss:w/rd';

export interface ProxiedRequest {
  /** `CONNECT` for a tunnel, else the forwarded request's method. */
  method: string;
  /** `host:port` for CONNECT, the absolute URL otherwise. */
  target: string;
  /** Whether the request carried the Proxy-Authorization the proxy expects (always true without credentials). */
  authorized: boolean;
}

export interface ForwardProxy {
  /** `http://127.0.0.1:<port>`, no credentials. */
  url: string;
  /** `http://user:password@127.0.0.1:<port>` with the given (or other) credentials, percent-encoded. */
  urlWith(user: string, password: string): string;
  seen: ProxiedRequest[];
  close(): Promise<void>;
}

export async function startForwardProxy(o: { user?: string; password?: string } = {}): Promise<ForwardProxy> {
  const expected = o.user !== undefined ? `Basic ${Buffer.from(`${o.user}:${o.password ?? ''}`).toString('base64')}` : undefined;
  const server = createProxy(createServer());
  const seen: ProxiedRequest[] = [];
  const sockets = new Set<Socket>();
  const authorized = (req: IncomingMessage) => expected === undefined || req.headers['proxy-authorization'] === expected;
  if (expected !== undefined) server.authenticate = authorized;
  // prependListener: recorded before `proxy` answers (with a 407 or by forwarding).
  server.prependListener('connect', (req: IncomingMessage) => seen.push({ method: 'CONNECT', target: req.url ?? '', authorized: authorized(req) }));
  server.prependListener('request', (req: IncomingMessage) => seen.push({ method: req.method ?? '', target: req.url ?? '', authorized: authorized(req) }));
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  await new Promise<void>((ready) => server.listen(0, '127.0.0.1', ready));
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    urlWith: (user, password) => `http://${encodeURIComponent(user)}:${encodeURIComponent(password)}@127.0.0.1:${port}`,
    seen,
    close: () =>
      new Promise<void>((closed) => {
        // Tunnels leave the server's bookkeeping, so keep-alive sockets are destroyed here, not waited for.
        for (const socket of sockets) socket.destroy();
        server.close(() => closed());
      }),
  };
}
