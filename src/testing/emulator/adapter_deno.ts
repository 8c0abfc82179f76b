/**
 * Deno adapter: `hono/deno` upgradeWebSocket + `Deno.serve`.
 *
 * @module
 */
import type { Hono } from "hono";
import { upgradeWebSocket } from "hono/deno";
import type { Listening, ServerAdapter } from "./adapter.ts";

/** Creates the Deno adapter. */
export function createAdapter(app: Hono): ServerAdapter {
  return {
    upgradeWebSocket,
    listen({ hostname, port }): Promise<Listening> {
      return new Promise((resolve) => {
        const server = Deno.serve({
          hostname,
          port,
          onListen: (addr) => {
            resolve({
              port: (addr as Deno.NetAddr).port,
              close: async () => {
                await server.shutdown();
              },
            });
          },
        }, app.fetch);
      });
    },
  };
}
