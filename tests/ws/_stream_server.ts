/**
 * A tiny Binance-like market-stream server for connection tests (the emulator covers the full
 * protocol): `/stream?streams=…`, SUBSCRIBE / UNSUBSCRIBE / LIST_SUBSCRIPTIONS with replies, the
 * 5-messages-per-second rule (close 1008 above it), and test controls (publish, drop, stall,
 * reject handshakes with an HTTP status).
 *
 * @module
 */
import http from "node:http";
import { WebSocketServer } from "ws";
import type { WebSocket as WsSocket } from "ws";

export interface ServerConn {
  readonly id: number;
  readonly path: string;
  readonly subs: Set<string>;
  readonly received: string[];
  readonly sendTimes: number[];
  closedWith?: number;
  ws: WsSocket;
}

export interface StreamServer {
  readonly url: string;
  readonly conns: ServerConn[];
  /** Open connections. */
  open(): ServerConn[];
  /** Sends `{"stream":name,"data":data}` to every open connection subscribed to `name`; returns how many got it. */
  publish(name: string, data: unknown): number;
  /** Terminates every open connection (abnormal close). */
  dropAll(): void;
  /** Answer the next `n` handshakes with this HTTP status. */
  rejectNext(n: number, status: number): void;
  /** Stop answering LIST_SUBSCRIPTIONS (silent server). */
  silent: boolean;
  readonly handshakes: number[];
  close(): Promise<void>;
}

export async function startStreamServer(options: { maxPerSecond?: number } = {}): Promise<StreamServer> {
  const maxPerSecond = options.maxPerSecond ?? 5;
  const conns: ServerConn[] = [];
  const handshakes: number[] = [];
  let reject = { n: 0, status: 0 };
  const server = http.createServer((_req, res) => {
    res.writeHead(404);
    res.end();
  });
  const wss = new WebSocketServer({ noServer: true });
  server.on("upgrade", (req, socket, head) => {
    handshakes.push(Date.now());
    if (reject.n > 0) {
      reject.n--;
      socket.end(`HTTP/1.1 ${reject.status} Rejected\r\nRetry-After: 1\r\nContent-Length: 0\r\n\r\n`);
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      const url = new URL(req.url ?? "/", "http://x");
      const subs = new Set((url.searchParams.get("streams") ?? "").split("/").filter(Boolean));
      const c: ServerConn = { id: conns.length, path: url.pathname, subs, received: [], sendTimes: [], ws };
      conns.push(c);
      ws.on("message", (raw) => {
        const text = raw.toString();
        const now = Date.now();
        c.received.push(text);
        c.sendTimes.push(now);
        const inLastSecond = c.sendTimes.filter((t) => now - t < 1000).length;
        if (inLastSecond > maxPerSecond) {
          c.closedWith = 1008;
          ws.close(1008, "Too many requests");
          return;
        }
        const msg = JSON.parse(text);
        if (msg.method === "SUBSCRIBE") { for (const p of msg.params) subs.add(p); }
        if (msg.method === "UNSUBSCRIBE") { for (const p of msg.params) subs.delete(p); }
        if (msg.method === "LIST_SUBSCRIPTIONS") {
          if (!api.silent) ws.send(JSON.stringify({ result: [...subs], id: msg.id }));
          return;
        }
        ws.send(JSON.stringify({ result: null, id: msg.id }));
      });
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  const port = (server.address() as { port: number }).port;
  const api: StreamServer = {
    url: `ws://127.0.0.1:${port}`,
    conns,
    handshakes,
    silent: false,
    open: () => conns.filter((c) => c.ws.readyState === 1),
    publish(name, data) {
      const text = JSON.stringify({ stream: name, data });
      let n = 0;
      for (const c of conns) {
        if (c.ws.readyState === 1 && c.subs.has(name)) {
          c.ws.send(text);
          n++;
        }
      }
      return n;
    },
    dropAll() {
      for (const c of conns) if (c.ws.readyState === 1) c.ws.terminate();
    },
    rejectNext(n, status) {
      reject = { n, status };
    },
    async close() {
      for (const c of conns) c.ws.terminate();
      wss.close();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
  return api;
}

/** Resolves when `cond()` holds; rejects after `timeoutMs`. */
export async function until(cond: () => boolean, timeoutMs = 10_000, what = "condition"): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
