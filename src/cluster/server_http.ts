/**
 * Serves a web-standard `fetch` handler over HTTP on Deno (`Deno.serve`), Bun (`Bun.serve`) or
 * Node (`@hono/node-server`), optionally with one WebSocket path (`Deno.upgradeWebSocket`, Bun's
 * `server.upgrade`, the `ws` package on Node): the one runtime-specific piece of the cluster's
 * routers and nodes. `close()` drops every connection and socket at once (a stopped node must look
 * gone, not drain).
 *
 * @module
 */

/** A server-side WebSocket, the same on every runtime. */
export interface SocketPeer {
  /** Sends a text frame (dropped when the socket is not open). */
  send(text: string): void;
  /** Closes the socket. */
  close(code?: number, reason?: string): void;
  /** Called with every text frame. */
  onMessage: ((text: string) => void) | null;
  /** Called once when the socket closed. */
  onClose: (() => void) | null;
}

/** A listening HTTP server. */
export interface HttpListener {
  /** The bound port (resolved when 0 was asked). */
  readonly port: number;
  /** `http://<host>:<port>`. */
  readonly url: string;
  /** Stops listening and drops every connection. */
  close(): Promise<void>;
}

/** Options of {@link listenHttp}. */
export interface ListenOptions {
  /** Interface (default `127.0.0.1`). */
  readonly hostname?: string;
  /** Port (default 0: a free port). */
  readonly port?: number;
  /** One WebSocket path and what to do with each socket opened on it. */
  readonly websocket?: { readonly path: string; readonly onSocket: (peer: SocketPeer) => void };
}

type Handler = (request: Request) => Response | Promise<Response>;

interface DenoLike {
  serve(
    options: { hostname: string; port: number; signal: AbortSignal; onListen(a: { port: number }): void },
    handler: Handler,
  ): { finished: Promise<void> };
  upgradeWebSocket(request: Request): { socket: WebSocket; response: Response };
}
interface BunSocket {
  send(text: string): void;
  close(code?: number, reason?: string): void;
  data: { peer?: SocketPeer };
}
interface BunLike {
  serve(options: {
    hostname: string;
    port: number;
    fetch(
      request: Request,
      server: { upgrade(r: Request, o: { data: object }): boolean },
    ): Response | Promise<Response> | undefined;
    websocket: {
      open(ws: BunSocket): void;
      message(ws: BunSocket, message: string | Uint8Array): void;
      close(ws: BunSocket): void;
    };
  }): { port: number; stop(force: boolean): void };
}

function peerOf(send: (t: string) => void, close: (code?: number, reason?: string) => void): SocketPeer {
  return { send, close, onMessage: null, onClose: null };
}

function isUpgrade(request: Request, path: string | undefined): boolean {
  return path !== undefined && request.headers.get("upgrade")?.toLowerCase() === "websocket" &&
    new URL(request.url).pathname === path;
}

/**
 * Serves `handler` until `close()`.
 *
 * @param handler The fetch handler (e.g. a hono app's `fetch`).
 * @param options Interface, port, WebSocket path.
 * @returns The listener.
 */
export async function listenHttp(handler: Handler, options: ListenOptions = {}): Promise<HttpListener> {
  const hostname = options.hostname ?? "127.0.0.1";
  const port = options.port ?? 0;
  const host = hostname.includes(":") ? `[${hostname}]` : hostname;
  const ws = options.websocket;
  const peers = new Set<SocketPeer>();
  const dropPeers = () => {
    for (const p of [...peers]) p.close(1001, "Server closed");
    peers.clear();
  };
  const g = globalThis as { Deno?: DenoLike; Bun?: BunLike };
  if (g.Deno !== undefined) {
    const deno = g.Deno;
    const abort = new AbortController();
    let server!: { finished: Promise<void> };
    const serveFn: Handler = (request) => {
      if (!ws || !isUpgrade(request, ws.path)) return handler(request);
      const { socket, response } = deno.upgradeWebSocket(request);
      const peer = peerOf((t) => socket.readyState === 1 && socket.send(t), (c, r) => socket.close(c, r));
      socket.onopen = () => {
        peers.add(peer);
        ws.onSocket(peer);
      };
      socket.onmessage = (e) => typeof e.data === "string" && peer.onMessage?.(e.data);
      socket.onclose = () => {
        peers.delete(peer);
        peer.onClose?.();
      };
      return response;
    };
    const bound = await new Promise<number>((resolve) => {
      server = deno.serve(
        { hostname, port, signal: abort.signal, onListen: (a) => resolve(a.port) },
        serveFn,
      );
    });
    return {
      port: bound,
      url: `http://${host}:${bound}`,
      close: async () => {
        dropPeers();
        abort.abort();
        await server.finished;
      },
    };
  }
  if (g.Bun !== undefined) {
    const server = g.Bun.serve({
      hostname,
      port,
      fetch: (request, srv) => {
        if (ws && isUpgrade(request, ws.path) && srv.upgrade(request, { data: {} })) return undefined;
        return handler(request);
      },
      websocket: {
        open: (sock) => {
          const peer = peerOf((t) => sock.send(t), (c, r) => sock.close(c, r));
          sock.data.peer = peer;
          peers.add(peer);
          ws?.onSocket(peer);
        },
        message: (sock, message) => typeof message === "string" && sock.data.peer?.onMessage?.(message),
        close: (sock) => {
          const peer = sock.data.peer;
          if (!peer) return;
          peers.delete(peer);
          peer.onClose?.();
        },
      },
    });
    return {
      port: server.port,
      url: `http://${host}:${server.port}`,
      close: () => {
        dropPeers();
        return Promise.resolve(server.stop(true));
      },
    };
  }
  const { serve } = await import("@hono/node-server");
  let fetchFn: Handler = handler;
  let nodeWs: Awaited<ReturnType<typeof nodeSockets>> | undefined;
  if (ws) {
    nodeWs = await nodeSockets(handler, ws, peers);
    fetchFn = nodeWs.fetch;
  }
  return await new Promise<HttpListener>((resolve) => {
    const server = serve({ fetch: fetchFn, hostname, port }, (info) => {
      resolve({
        port: info.port,
        url: `http://${host}:${info.port}`,
        close: () =>
          new Promise<void>((done) => {
            dropPeers();
            nodeWs?.closeAll();
            const s = server as unknown as { closeAllConnections?(): void; close(cb: () => void): void };
            s.closeAllConnections?.();
            s.close(() => done());
          }),
      });
    });
    nodeWs?.inject(server);
  });
}

/** Node: `@hono/node-ws` (on the `ws` package) in front of the handler. */
async function nodeSockets(
  handler: Handler,
  ws: NonNullable<ListenOptions["websocket"]>,
  peers: Set<SocketPeer>,
): Promise<{ fetch: Handler; inject(server: unknown): void; closeAll(): void }> {
  const { Hono } = await import("hono");
  const { createNodeWebSocket } = await import("@hono/node-ws");
  const app = new Hono();
  const nws = createNodeWebSocket({ app });
  app.get(
    ws.path,
    nws.upgradeWebSocket(() => {
      let peer: SocketPeer | undefined;
      return {
        onOpen: (_e, ctx) => {
          peer = peerOf((t) => ctx.readyState === 1 && ctx.send(t), (c, r) => ctx.close(c, r));
          peers.add(peer);
          ws.onSocket(peer);
        },
        onMessage: (e) => {
          if (typeof e.data === "string") peer?.onMessage?.(e.data);
        },
        onClose: () => {
          if (!peer) return;
          peers.delete(peer);
          peer.onClose?.();
        },
      };
    }),
  );
  app.all("*", (c) => handler(c.req.raw));
  return {
    fetch: (r) => app.fetch(r),
    inject: (server) => nws.injectWebSocket(server as Parameters<typeof nws.injectWebSocket>[0]),
    closeAll: () => {
      for (const c of nws.wss.clients) c.terminate();
      nws.wss.close();
    },
  };
}
