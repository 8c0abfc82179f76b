/**
 * Bun adapter: `hono/bun` upgradeWebSocket + `Bun.serve`.
 *
 * @module
 */
import type { Hono } from "hono";
import { upgradeWebSocket, websocket } from "hono/bun";
import type { Listening, ServerAdapter } from "./adapter.ts";

interface BunServer {
  readonly port: number;
  stop(closeActive?: boolean): Promise<void> | void;
}

interface BunGlobal {
  serve(options: Record<string, unknown>): BunServer;
}

/** Creates the Bun adapter. */
export function createAdapter(app: Hono): ServerAdapter {
  return {
    upgradeWebSocket,
    listen({ hostname, port }): Promise<Listening> {
      const bun = (globalThis as unknown as { Bun: BunGlobal }).Bun;
      // pongs reach the connection's listener (see toPeer); hono's handler set has no pong entry
      const pong = (ws: { data?: { onPong?: () => void } }) => ws.data?.onPong?.();
      const server = bun.serve({
        hostname,
        port,
        fetch: app.fetch,
        websocket: { ...websocket, pong },
        idleTimeout: 0,
      });
      return Promise.resolve({
        port: server.port,
        close: async () => {
          await server.stop(true);
        },
      });
    },
  };
}
