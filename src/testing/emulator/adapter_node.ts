/**
 * Node adapter: `@hono/node-server` + `@hono/node-ws` (on the `ws` package).
 *
 * @module
 */
import { serve } from "@hono/node-server";
import { createNodeWebSocket } from "@hono/node-ws";
import type { Hono } from "hono";
import type { UpgradeWebSocket } from "hono/ws";
import type { Server } from "node:http";
import type { Listening, ServerAdapter } from "./adapter.ts";

/** Creates the Node adapter. */
export function createAdapter(app: Hono): ServerAdapter {
  const nodeWs = createNodeWebSocket({ app });
  return {
    upgradeWebSocket: nodeWs.upgradeWebSocket as unknown as UpgradeWebSocket,
    listen({ hostname, port }): Promise<Listening> {
      return new Promise((resolve) => {
        const server = serve({ fetch: app.fetch, hostname, port }, (info) => {
          resolve({
            port: info.port,
            close: () =>
              new Promise<void>((done) => {
                for (const c of nodeWs.wss.clients) c.terminate();
                nodeWs.wss.close();
                (server as Server).closeAllConnections?.();
                server.close(() => done());
              }),
          });
        }) as Server;
        nodeWs.injectWebSocket(server);
      });
    },
  };
}
