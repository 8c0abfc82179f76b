/**
 * Node adapter: `@hono/node-server` + `@hono/node-ws` (on the `ws` package).
 *
 * The HTTP `upgrade` event is handled here rather than by `@hono/node-ws`'s `injectWebSocket`,
 * which answers a refused handshake with its status line only: a refusal (429 with `Retry-After`
 * past the connection-attempt limit, 503 during an outage, 400 …) reaches the client whole —
 * status, headers and body — as on Deno and Bun.
 *
 * @module
 */
import { serve } from "@hono/node-server";
import { createNodeWebSocket } from "@hono/node-ws";
import type { Hono } from "hono";
import type { UpgradeWebSocket } from "hono/ws";
import { type IncomingMessage, type Server, STATUS_CODES } from "node:http";
import type { Socket } from "node:net";
import type { Duplex } from "node:stream";
import type { Buffer } from "node:buffer";
import type { Listening, ServerAdapter } from "./adapter.ts";

/** Header names of a refused handshake's answer that this adapter writes itself. */
const OWN_HEADERS = new Set(["connection", "content-length", "transfer-encoding"]);

/** The raw HTTP answer to a handshake the app refused: its status, headers and body. */
async function refusalBytes(response: Response): Promise<Uint8Array> {
  const body = new Uint8Array(await response.arrayBuffer());
  let head = `HTTP/1.1 ${response.status} ${STATUS_CODES[response.status] ?? ""}\r\n`;
  response.headers.forEach((value, name) => {
    if (!OWN_HEADERS.has(name.toLowerCase())) head += `${name}: ${value}\r\n`;
  });
  head += `Connection: close\r\nContent-Length: ${body.length}\r\n\r\n`;
  const headBytes = new TextEncoder().encode(head);
  const out = new Uint8Array(headBytes.length + body.length);
  out.set(headBytes);
  out.set(body, headBytes.length);
  return out;
}

/** Creates the Node adapter. */
export function createAdapter(app: Hono): ServerAdapter {
  const nodeWs = createNodeWebSocket({ app });
  const onUpgrade = async (request: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> => {
    socket.on("error", () => socket.destroy());
    const url = new URL(request.url ?? "/", "http://localhost");
    const headers = new Headers();
    for (const [name, value] of Object.entries(request.headers)) {
      if (value !== undefined) headers.append(name, Array.isArray(value) ? value[0] : value);
    }
    // the env `@hono/node-ws` reads (`incoming`); its upgradeWebSocket marks an accepted
    // upgrade with a symbol-keyed entry and waits for the "connection" event of this request
    const env: Record<string | symbol, unknown> = { incoming: request, outgoing: undefined };
    let response: Response;
    try {
      response = await app.request(url, { headers }, env);
    } catch {
      response = Response.json({ code: -1000, msg: "WebSocket upgrade failed." }, { status: 500 });
    }
    if (socket.destroyed) return;
    if (Object.getOwnPropertySymbols(env).length > 0) {
      nodeWs.wss.handleUpgrade(request, socket, head, (ws) => {
        nodeWs.wss.emit("connection", ws, request);
      });
      return;
    }
    socket.end(await refusalBytes(response));
  };
  return {
    upgradeWebSocket: nodeWs.upgradeWebSocket as unknown as UpgradeWebSocket,
    listen({ hostname, port }): Promise<Listening> {
      return new Promise((resolve) => {
        // every socket, upgraded WebSockets included (the HTTP server forgets those), so that
        // close() drops them at once instead of waiting for clients to hang up
        const sockets = new Set<Socket>();
        const server = serve({ fetch: app.fetch, hostname, port }, (info) => {
          resolve({
            port: info.port,
            close: () =>
              new Promise<void>((done) => {
                for (const c of nodeWs.wss.clients) c.terminate();
                nodeWs.wss.close();
                server.close(() => done());
                (server as Server).closeAllConnections?.();
                for (const s of sockets) s.destroy();
              }),
          });
        }) as Server;
        server.on("connection", (s: Socket) => {
          sockets.add(s);
          s.once("close", () => sockets.delete(s));
        });
        server.on("upgrade", (request: IncomingMessage, socket: Duplex, head: Buffer) => {
          void onUpgrade(request, socket, head);
        });
      });
    },
  };
}
