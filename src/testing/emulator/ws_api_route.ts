/**
 * Routes of the WebSocket API: `/ws-api/v3` (spot) and `/ws-fapi/v1` (USD-M);
 * `?returnRateLimits=false` suppresses `rateLimits` for the connection.
 *
 * @module
 */
import type { Hono } from "hono";
import type { UpgradeWebSocket } from "hono/ws";
import { toPeer } from "./adapter.ts";
import type { Core, Trading, Venue } from "./core.ts";
import type { ResolvedLimits } from "./options.ts";
import type { ConnectionSet } from "./stream_routes.ts";
import { WsApiSession } from "./ws_api.ts";

/** Registers both WebSocket-API routes. */
export function registerWsApiRoutes(
  app: Hono,
  core: Core,
  trading: Trading,
  upgrade: UpgradeWebSocket,
  limits: ResolvedLimits,
  conns: ConnectionSet,
): void {
  for (const [path, venue] of [["/ws-api/v3", "spot"], ["/ws-fapi/v1", "usdm"]] as Array<[string, Venue]>) {
    app.get(path, async (c) => {
      let session: WsApiSession | undefined;
      const returnRateLimits = c.req.query("returnRateLimits") !== "false";
      const res = await upgrade(() => ({
        onOpen: (_e, ws) => {
          session = new WsApiSession(toPeer(ws), {
            venue,
            core,
            trading,
            returnRateLimits,
            // the WebSocket API is limited by request weight, not by messages per second
            limits: {
              maxIncomingPerSecond: Number.MAX_SAFE_INTEGER,
              pingIntervalMs: limits.pingIntervalMs,
              maxLifeMs: limits.maxConnectionLifeMs,
            },
            onGone: (s) => {
              (s as WsApiSession).dispose();
              conns.delete(s);
            },
          });
          conns.add(session);
        },
        onMessage: (e) => {
          if (typeof e.data === "string") session?.receive(e.data);
        },
        onClose: () => session?.gone(),
        onError: () => session?.gone(),
      }))(c, () => Promise.resolve());
      return res ?? c.json({ code: -1000, msg: "Expected a WebSocket upgrade request." }, 400);
    });
  }
}
